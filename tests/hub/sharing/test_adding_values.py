"""Adding values to a report after it was written: by its author or lead only."""

from __future__ import annotations

import json
from typing import Any

import pytest

from openwarp.core.errors import InvalidInput, PermissionDenied
from openwarp.hub.members.policy import Role
from openwarp.hub.sharing.models import Alert, Report, ReportState
from openwarp.hub.sharing.services.reports import (
    ReportDraft,
    report_create,
    report_indicators_add,
    report_release,
)
from tests.world import World, make_user


def _mine(world: World, **changes: Any) -> Report:
    values: dict[str, Any] = dict(
        title="Password spraying",
        threat_type="intrusion",
        tlp="green",
        distribution="region",
        indicators_text="spray-source.example",
    )
    values.update(changes)
    return report_create(actor=world.users[Role.MEMBER], draft=ReportDraft(**values))[0]


def _add(world: World, report: Report, role: Role, **payload: Any) -> Any:
    return world.api(role).post(
        f"/api/v1/reports/{report.public_id}/indicators",
        json.dumps(payload),
        content_type="application/json",
    )


def test_the_author_adds_values_once_each_and_hears_what_was_not_kept(world: World) -> None:
    report = _mine(world)
    response = _add(
        world,
        report,
        Role.MEMBER,
        indicators="spray-source.example\nhxxps://second-stage[.]example/x\nnot a value at all",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "added": 1,
        "not_kept": [{"where": "line 3", "reason": "not a value at all"}],
    }
    assert sorted(report.indicators.values_list("value", flat=True)) == [
        "https://second-stage.example/x",
        "spray-source.example",
    ]
    detail = world.api(Role.MEMBER).get(f"/api/v1/reports/{report.public_id}").json()
    assert {row["value"] for row in detail["indicators"]} == {
        "https://second-stage.example/x",
        "spray-source.example",
    }


def test_the_organisations_lead_may_add_but_a_colleague_who_did_not_write_it_may_not(
    world: World,
) -> None:
    report = _mine(world)
    assert (
        _add(world, report, Role.SECURITY_LEAD, indicators="lead-found.example").json()["added"]
        == 1
    )
    colleague = make_user("analyst@derby.example", Role.MEMBER, world.own)
    with pytest.raises(PermissionDenied):
        report_indicators_add(actor=colleague, report=report, text="colleague.example")
    with pytest.raises(PermissionDenied):  # another member's report
        report_indicators_add(
            actor=world.users[Role.SECURITY_LEAD], report=world.green_report, text="x.example"
        )
    assert not report.indicators.filter(value="colleague.example").exists()


def test_a_new_value_inside_a_members_range_warns_that_member(world: World) -> None:
    report = _mine(world)
    assert not Alert.objects.exists()
    report_indicators_add(
        actor=world.users[Role.MEMBER], report=report, text="callback to 198.51.100.45"
    )
    alert = Alert.objects.get()
    assert alert.organisation == world.other and alert.report == report
    assert alert.reason == "198.51.100.45 is in your range 198.51.100.0/24"


def test_a_broken_file_adds_nothing_and_names_the_place(world: World) -> None:
    report = _mine(world)
    response = _add(
        world,
        report,
        Role.MEMBER,
        indicators="fine.example",
        indicators_file={"name": "bundle.json", "content": '{"type": "bundle", "objects": ['},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "indicators_file"
    assert response.json()["message"].startswith("bundle.json: ")
    assert list(report.indicators.values_list("value", flat=True)) == ["spray-source.example"]


def test_nothing_to_add_and_withheld_reports_are_refused_by_field(world: World) -> None:
    report = _mine(world)
    with pytest.raises(InvalidInput) as nothing:
        report_indicators_add(actor=world.users[Role.MEMBER], report=report, text="  ")
    assert nothing.value.field == "indicators"
    Report.objects.filter(pk=report.pk).update(state=ReportState.WITHHELD)
    report.refresh_from_db()
    with pytest.raises(InvalidInput) as withheld:
        report_indicators_add(actor=world.users[Role.MEMBER], report=report, text="late.example")
    assert withheld.value.field == "state"


def test_the_report_page_offers_adding_only_to_those_who_may(world: World) -> None:
    report = _mine(world)
    link = "Add indicators to this report"
    assert link in world.client(Role.MEMBER).get(f"/reports/{report.public_id}/").content.decode()
    assert (
        link
        not in world.client(Role.COORDINATOR).get(f"/reports/{report.public_id}/").content.decode()
    )
    page = world.client(Role.MEMBER).post(
        f"/reports/{report.public_id}/indicators/",
        {"indicators": "page-added.example\nwhat is this"},
        follow=True,
    )
    text = page.content.decode()
    assert "1 new indicator added." in text and "Not kept, line 2: what is this" in text
    assert "page-added.example" in text


def test_a_released_anonymous_report_takes_no_more_values_unreviewed(world: World) -> None:
    report = _mine(world, anonymous=True, indicators_text="leak-site.example")
    assert _add(world, report, Role.MEMBER, indicators="before-review.example").status_code == 200
    report_release(actor=world.users[Role.COORDINATOR], report=report, release=True)
    page = world.client(Role.MEMBER).get(f"/reports/{report.public_id}/").content.decode()
    assert "Add indicators to this report" not in page
    refused = _add(world, report, Role.MEMBER, indicators="after-review.example")
    assert refused.status_code == 422 and "new anonymous report" in refused.json()["message"]
    assert sorted(report.indicators.values_list("value", flat=True)) == [
        "before-review.example",
        "leak-site.example",
    ]
