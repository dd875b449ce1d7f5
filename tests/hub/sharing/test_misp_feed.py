"""The hub as a MISP feed directory, read back with PyMISP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.test import Client
from pymisp import MISPEvent

from openwarp.hub.members.policy import Role
from openwarp.hub.members.services.tokens import token_create
from openwarp.hub.sharing.models import Report
from openwarp.hub.sharing.services.reports import ReportDraft, report_create, report_release
from tests.world import World


def _feed(client: Any) -> dict[str, MISPEvent]:
    manifest = client.get("/api/v1/misp-feed/manifest.json")
    assert manifest.status_code == 200
    events = {}
    for uuid in manifest.json():
        response = client.get(f"/api/v1/misp-feed/{uuid}.json")
        assert response.status_code == 200
        event = MISPEvent()
        event.load(response.content.decode())
        events[uuid] = event
    return events


def test_a_member_reads_its_visible_reports_as_misp_events(world: World) -> None:
    private, _ = report_create(
        actor=world.other_lead,
        draft=ReportDraft(
            title="Nottingham only",
            threat_type="malware",
            tlp="amber",
            distribution="organisation",
            indicators_text="private-c2.example",
        ),
    )
    events = _feed(world.api(Role.MEMBER))
    assert set(events) == {str(world.green_report.public_id)}
    event = events[str(world.green_report.public_id)]
    assert event.info == world.green_report.title
    assert {a.value for a in event.attributes} == {
        "https://invoices-portal.example/login",
        "203.0.113.77",
    }
    assert event.Orgc.name == "Nottingham City Council"
    hashes = world.api(Role.MEMBER).get("/api/v1/misp-feed/hashes.csv").content.decode()
    assert hashes.count(str(world.green_report.public_id)) == 2
    # Asking for an event one may not see reads as not found.
    assert (
        world.api(Role.MEMBER).get(f"/api/v1/misp-feed/{private.public_id}.json").status_code == 404
    )
    assert str(private.public_id) in _feed(_lead_client(world))


def _lead_client(world: World) -> Any:
    secret = token_create(actor=None, user=world.other_lead, name="misp", scope="read").secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_an_anonymous_report_joins_the_feed_an_hour_on_without_its_author(world: World) -> None:
    report_release(actor=world.users[Role.COORDINATOR], report=world.held_report, release=True)
    member = world.api(Role.MEMBER)
    assert str(world.held_report.public_id) not in _feed(member)  # released this hour
    Report.objects.filter(pk=world.held_report.pk).update(
        published_at=datetime.now(UTC).replace(minute=0, second=0) - timedelta(hours=2)
    )
    event = _feed(member)[str(world.held_report.public_id)]
    assert event.Orgc.name != "Nottingham City Council"
    assert "nottingham" not in event.to_json().lower()
