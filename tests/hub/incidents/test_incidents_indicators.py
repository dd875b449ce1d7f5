"""Single indicators on an incident: linked from related reports, or pasted and shared."""

from __future__ import annotations

import pytest
from django.test import Client

from openwarp.core.errors import InvalidInput, PermissionDenied
from openwarp.hub.incidents.models import IncidentIndicator
from openwarp.hub.incidents.services import incidents as services
from openwarp.hub.incidents.services.indicators import incident_indicators_add
from openwarp.hub.members.policy import Role
from openwarp.hub.sharing.models import Report
from openwarp.hub.sharing.services.reports import ReportDraft, report_create
from tests.hub.incidents.factories import record
from tests.world import World

pytestmark = pytest.mark.django_db


def _incident(world: World):  # type: ignore[no-untyped-def]
    lead = world.users[Role.SECURITY_LEAD]
    incident = record(lead)
    services.report_link(
        actor=lead, incident=incident, report_public_id=str(world.green_report.public_id)
    )
    return lead, incident


def test_a_value_from_a_related_report_keeps_that_reports_marking(world: World) -> None:
    lead, incident = _incident(world)
    reports_before = Report.objects.count()
    done = incident_indicators_add(actor=lead, incident=incident, text="203.0.113[.]77")
    assert (done.from_reports, done.shared, done.report) == (1, 0, None)
    assert Report.objects.count() == reports_before
    link = IncidentIndicator.objects.get(incident=incident)
    assert link.indicator.report == world.green_report
    assert link.indicator.value == "203.0.113.77"


def test_new_values_are_shared_as_a_report_with_the_chosen_marking(world: World) -> None:
    lead, incident = _incident(world)
    done = incident_indicators_add(
        actor=lead,
        incident=incident,
        text="203.0.113.77\nhxxp://c2-panel[.]example/gate.php\n# our firewall saw this\n",
        tlp="amber+strict",
        distribution="organisation",
    )
    assert (done.from_reports, done.shared) == (1, 1)
    shared = done.report
    assert shared is not None
    assert (shared.tlp, shared.distribution) == ("amber+strict", "organisation")
    assert shared.owner_organisation == world.own
    assert incident.title not in shared.title  # the private incident's title stays private
    assert list(shared.indicators.values_list("kind", "value")) == [
        ("url", "http://c2-panel.example/gate.php")
    ]
    assert shared in incident.related_reports.all()
    page = world.client(Role.MEMBER).get(f"/incidents/{incident.public_id}/").content.decode()
    assert "http://c2-panel.example/gate.php" in page
    assert "TLP:AMBER+STRICT" in page and "TLP:GREEN" in page


def test_a_line_that_is_not_an_indicator_names_the_line_and_saves_nothing(world: World) -> None:
    lead, incident = _incident(world)
    before = Report.objects.count()
    with pytest.raises(InvalidInput) as error:
        incident_indicators_add(
            actor=lead, incident=incident, text="evil.example\nnot an indicator at all"
        )
    assert error.value.field == "indicators"
    assert "line 2" in error.value.message
    assert Report.objects.count() == before
    assert not IncidentIndicator.objects.exists()


def test_a_bad_marking_names_the_field_and_saves_nothing(world: World) -> None:
    lead, incident = _incident(world)
    with pytest.raises(InvalidInput) as error:
        incident_indicators_add(actor=lead, incident=incident, text="evil.example", tlp="purple")
    assert error.value.field == "tlp"
    assert not IncidentIndicator.objects.exists()


def test_another_member_cannot_link_or_see_the_indicators(world: World) -> None:
    lead, incident = _incident(world)
    incident_indicators_add(actor=lead, incident=incident, text="203.0.113.77")
    with pytest.raises(PermissionDenied):
        incident_indicators_add(actor=world.other_lead, incident=incident, text="evil.example")
    client = Client()
    client.force_login(world.other_lead)
    assert client.get(f"/incidents/{incident.public_id}/").status_code == 404


def test_an_indicator_only_named_people_may_see_is_hidden_from_the_rest(world: World) -> None:
    lead, incident = _incident(world)
    red, _ = report_create(
        actor=lead,
        draft=ReportDraft(
            title="For named people",
            threat_type="ransomware",
            tlp="red",
            distribution="organisation",
            indicators_text="negotiator@leak.example",
            named_recipients=[lead],
        ),
    )
    services.report_link(actor=lead, incident=incident, report_public_id=str(red.public_id))
    incident_indicators_add(actor=lead, incident=incident, text="negotiator@leak.example")
    lead_page = world.client(Role.SECURITY_LEAD).get(f"/incidents/{incident.public_id}/")
    member_page = world.client(Role.MEMBER).get(f"/incidents/{incident.public_id}/")
    assert "negotiator@leak.example" in lead_page.content.decode()
    assert "negotiator@leak.example" not in member_page.content.decode()


def test_the_page_and_api_link_indicators(world: World) -> None:
    _, incident = _incident(world)
    response = world.client(Role.MEMBER).post(
        f"/incidents/{incident.public_id}/indicators/",
        {"ioc-indicators": "evil-c2.example", "ioc-tlp": "green", "ioc-distribution": "region"},
        follow=True,
    )
    assert "1 indicator(s) linked; 1 shared as a new report." in response.content.decode()
    bad = world.client(Role.MEMBER).post(
        f"/incidents/{incident.public_id}/indicators/",
        {"ioc-indicators": "??", "ioc-tlp": "green", "ioc-distribution": "region"},
    )
    assert bad.status_code == 400 and "line 1" in bad.content.decode()
    api = world.api(Role.SECURITY_LEAD)
    made = api.post(
        f"/api/v1/incidents/{incident.public_id}/indicators",
        {"text": "203.0.113.77"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["linked_from_reports"] == 1
    detail = api.get(f"/api/v1/incidents/{incident.public_id}").json()
    assert {i["value"] for i in detail["indicators"]} == {"evil-c2.example", "203.0.113.77"}
