"""Incident pages and API as members, executives and coordinators use them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from openwarp.hub.incidents.models import Incident
from openwarp.hub.incidents.services import incidents as services
from openwarp.hub.members.policy import Role
from openwarp.hub.members.services import organisations as org_services
from tests.hub.incidents.factories import own_incident, record, with_breach
from tests.world import World, make_user

pytestmark = pytest.mark.django_db


def _local(hours_ago: float) -> str:
    return (timezone.localtime() - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")


def _form(**changes: str) -> dict[str, str]:
    return {
        "title": "Ransomware on the file servers",
        "description": "Ransom note found. <script>alert(1)</script>",
        "started_at": _local(6),
        "detected_at": _local(5),
        "ncsc_category": "C4",
    } | changes


def test_a_member_records_an_incident_and_sees_it_with_markdown_cleaned(world: World) -> None:
    client = world.client(Role.MEMBER)
    response = client.post("/incidents/new/", _form())
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Ransomware on the file servers" in page and "Ransom note found." in page
    assert "<script>alert(1)</script>" not in page


def test_detected_before_started_is_shown_against_the_field(world: World) -> None:
    response = world.client(Role.MEMBER).post("/incidents/new/", _form(detected_at=_local(8)))
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert 'href="#id_detected_at">detected before it started' in page
    assert not Incident.objects.exists()


def test_a_time_the_clocks_repeat_is_refused_rather_than_guessed(world: World) -> None:
    # 01:30 on 25 October 2026 happens twice in London (BST, then GMT).
    response = world.client(Role.MEMBER).post(
        "/incidents/new/", _form(started_at="2026-10-25T01:30", detected_at="2026-10-25T03:00")
    )
    assert "couldn’t be interpreted in time zone Europe/London" in response.content.decode()
    assert not Incident.objects.exists()


def test_the_detail_page_shows_the_clock_and_the_log_only_to_the_organisation(
    world: World,
) -> None:
    incident = own_incident(world)
    services.log_add(actor=world.users[Role.MEMBER], incident=incident, text="Insurer says wait")
    url = f"/incidents/{incident.public_id}/"
    own = world.client(Role.EXECUTIVE).get(url).content.decode()
    assert "ICO: 2 days 21 hours left" in own or "ICO: 2 days 22 hours left" in own
    assert "Insurer says wait" in own
    assert "Add timeline entry" not in own  # executives read only
    hub = world.client(Role.COORDINATOR).get(url).content.decode()
    assert "ICO:" in hub and "Insurer says wait" not in hub and "Private log" not in hub
    assert world.client(Role.MEMBER).get(url).status_code == 200
    stranger = world.client(None)
    stranger.force_login(world.other_lead)
    assert stranger.get(url).status_code == 404


def test_adding_a_timeline_entry_from_the_page(world: World) -> None:
    incident = own_incident(world)
    client = world.client(Role.MEMBER)
    url = f"/incidents/{incident.public_id}/timeline/"
    bad = client.post(url, {"timeline-at": _local(-3), "timeline-text": "Later"})
    assert bad.status_code == 400 and "this time is in the future" in bad.content.decode()
    client.post(url, {"timeline-at": _local(1), "timeline-text": "Servers isolated"})
    assert list(incident.timeline.values_list("text", flat=True)) == ["Servers isolated"]


def test_nhs_trusts_see_the_nis_reminder_and_councils_do_not(world: World) -> None:
    trust = org_services.organisation_create(
        actor=None, name="Trent Hospitals NHS Trust", org_type="nhs_trust", region=world.region
    )
    lead = make_user("lead@trent.example", Role.SECURITY_LEAD, trust)
    incident = record(lead, "Pathology systems down")
    client = world.client(None)
    client.force_login(lead)
    page = client.get(f"/incidents/{incident.public_id}/").content.decode()
    assert "NIS:" in page and "competent authority" in page
    council = world.client(Role.MEMBER).get(f"/incidents/{own_incident(world).public_id}/")
    assert "NIS:" not in council.content.decode()


def test_the_ico_report_is_pre_filled_as_a_page_text_and_json(world: World) -> None:
    incident = own_incident(world)
    base = f"/incidents/{incident.public_id}/ico-report/"
    page = world.client(Role.MEMBER).get(base).content.decode()
    assert "Council tax records copied" in page and "about 1,200" in page
    text = world.client(Role.MEMBER).get(base + "?format=text")
    assert text["Content-Type"].startswith("text/markdown")
    assert b"## Approximate number of people affected\n\nabout 1,200" in text.content
    data = json.loads(
        world.api(Role.MEMBER).get(f"/api/v1/incidents/{incident.public_id}/ico-report").content
    )
    deadline = incident.breach.aware_at + timedelta(hours=72)
    assert data["deadline"] == deadline.isoformat() and data["overdue"] is False


def test_the_api_refuses_times_without_a_zone_or_out_of_order(world: World) -> None:
    api = world.api(Role.SECURITY_LEAD)
    now = timezone.now()
    body = {
        "title": "x",
        "ncsc_category": "C5",
        "started_at": (now - timedelta(hours=2)).isoformat(),
    }
    naive = api.post(
        "/api/v1/incidents",
        json.dumps(body | {"detected_at": "2026-01-01T10:00:00"}),
        content_type="application/json",
    )
    assert naive.status_code == 422 and json.loads(naive.content)["field"] == "detected_at"
    early = api.post(
        "/api/v1/incidents",
        json.dumps(body | {"detected_at": (now - timedelta(hours=3)).isoformat()}),
        content_type="application/json",
    )
    assert early.status_code == 422 and json.loads(early.content)["field"] == "detected_at"
    assert not Incident.objects.exists()


def test_the_api_gives_the_clock_and_hides_incidents_from_other_members(world: World) -> None:
    incident = own_incident(world)
    listed = json.loads(world.api(Role.MEMBER).get("/api/v1/incidents").content)
    assert [row["id"] for row in listed] == [str(incident.public_id)]
    assert listed[0]["ico_clock"]["overdue"] is False
    assert 0 < listed[0]["ico_clock"]["time_left_seconds"] <= 72 * 3600
    other = record(world.other_lead, "Their outage")
    detail = world.api(Role.MEMBER).get(f"/api/v1/incidents/{other.public_id}")
    assert detail.status_code == 404


def test_dashboards_show_open_incidents_and_breach_clocks(world: World) -> None:
    incident = own_incident(world)
    org = world.client(Role.MEMBER).get("/").content.decode()
    assert "1 open incident" in org and incident.title in org and "ICO:" in org
    region = world.client(Role.COORDINATOR).get("/").content.decode()
    assert "Open incidents by category" in region and "C4: 1" in region
    board = world.client(Role.EXECUTIVE).get("/board/").content.decode()
    assert incident.title in board


def test_a_breach_flagged_from_the_page_starts_the_clock(world: World) -> None:
    incident = record(world.users[Role.MEMBER], started_at=timezone.now() - timedelta(days=5))
    client = world.client(Role.MEMBER)
    response = client.post(
        f"/incidents/{incident.public_id}/breach/",
        {"aware_at": _local(1), "subjects_told": "no", "nature": "Copied"},
    )
    assert "say why the people affected will not be told" in response.content.decode()
    client.post(
        f"/incidents/{incident.public_id}/breach/",
        {"aware_at": _local(1), "subjects_told": "not_yet", "nature": "Copied"},
    )
    incident.refresh_from_db()
    assert incident.breach.nature == "Copied"
    with_breach(world.users[Role.MEMBER], incident, hours_ago=80)
    page = client.get(f"/incidents/{incident.public_id}/").content.decode()
    assert "ICO: overdue by 8 hours" in page
