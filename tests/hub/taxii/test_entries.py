"""The stored TAXII index: when each report joined its collection, written as
reports are published, released and received, filled for stored reports by
the migration, and never a way round the policy."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from openwarp.hub.members.policy import Role
from openwarp.hub.sharing.models import Report, ReportState
from openwarp.hub.sharing.services.reports import (
    ReportDraft,
    report_create,
    report_indicators_add,
    report_release,
)
from openwarp.hub.taxii.added import joined_at
from openwarp.hub.taxii.models import CollectionEntry, Peer
from openwarp.hub.taxii.services import reports_receive
from tests.hub.taxii.conftest import share_in_every_scope
from tests.hub.taxii.helpers import TAXII
from tests.hub.taxii.test_receive import WHEN, peer_objects
from tests.world import World

OBJECTS = "/taxii2/api/collections/federation/objects/"


def _listed(client: Client, **params: object) -> tuple[list[str], str | None]:
    response = client.get(OBJECTS, params, HTTP_ACCEPT=TAXII)
    assert response.status_code == 200, response.content
    ids = [o["id"] for o in response.json().get("objects", []) if o["type"] == "report"]
    return ids, response.headers.get("X-TAXII-Date-Added-Last")


def _draft(**fields: object) -> ReportDraft:
    base: dict[str, object] = dict(
        title="Federated", threat_type="phishing", tlp="green", distribution="federation"
    )
    return ReportDraft(**{**base, **fields})  # type: ignore[arg-type]


def test_the_hour_rule_holds_for_any_offset() -> None:
    released = datetime(2026, 12, 1, 9, 59, 59, 999999, tzinfo=UTC)
    assert joined_at(published_at=released, anonymous=True) == datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert joined_at(published_at=released, anonymous=False) == released


def test_publishing_and_releasing_write_the_entry(world: World) -> None:
    lead = world.users[Role.SECURITY_LEAD]
    report, _ = report_create(actor=lead, draft=_draft(indicators_text="joined.example"))
    entry = CollectionEntry.objects.get(report=report)
    assert entry.added == report.published_at and entry.distribution == "federation"
    anonymous, _ = report_create(actor=lead, draft=_draft(anonymous=True))
    assert not CollectionEntry.objects.filter(report=anonymous).exists(), "held: not listed"
    report_release(actor=world.users[Role.COORDINATOR], report=anonymous, release=True)
    anonymous.refresh_from_db()
    assert anonymous.state == ReportState.PUBLISHED and anonymous.published_at is not None
    held_to = CollectionEntry.objects.get(report=anonymous).added
    assert held_to > anonymous.published_at and held_to.minute == held_to.second == 0


def test_values_added_to_a_published_report_list_it_again_as_a_new_version(
    world: World,
) -> None:
    lead = world.users[Role.SECURITY_LEAD]
    report, _ = report_create(actor=lead, draft=_draft(indicators_text="first.example"))
    assert report.published_at is not None
    report.published_at -= timedelta(hours=1)  # published an hour ago
    report.save(update_fields=["published_at"])
    client = world.api(Role.MEMBER)
    objects = client.get(OBJECTS, HTTP_ACCEPT=TAXII).json()["objects"]
    first = next(o for o in objects if o["id"] == f"report--{report.public_id}")
    last = client.get(OBJECTS, HTTP_ACCEPT=TAXII).headers["X-TAXII-Date-Added-Last"]
    assert _listed(client, added_after=last)[0] == []

    report_indicators_add(actor=lead, report=report, text="second.example")
    # A poller resuming from its cursor gets the report again, newer and with the value.
    response = client.get(OBJECTS, {"added_after": last}, HTTP_ACCEPT=TAXII).json()
    again = next(o for o in response["objects"] if o["id"] == f"report--{report.public_id}")
    assert again["modified"] > first["modified"] and again["created"] == first["created"]
    patterns = [o["pattern"] for o in response["objects"] if o["type"] == "indicator"]
    assert "[domain-name:value = 'second.example']" in patterns
    versions = client.get(
        f"/taxii2/api/collections/federation/objects/report--{report.public_id}/versions/",
        HTTP_ACCEPT=TAXII,
    ).json()["versions"]
    assert versions == [again["modified"]]
    misp = client.get(f"/api/v1/reports/{report.public_id}/misp").json()["Event"]
    assert int(misp["timestamp"]) > int(misp["publish_timestamp"])


def test_a_received_report_joins_when_each_version_arrives(world: World) -> None:
    peer = Peer.objects.create(name="National hub")
    report_id = uuid.uuid4()
    client = world.api(Role.MEMBER)
    before = timezone.now()
    reports_receive(actor=None, objects=peer_objects(report_id=report_id), peer=peer)
    entry = CollectionEntry.objects.get(public_id=report_id)
    # Joined here now, not at the time the other hub published it.
    assert entry.added >= before > WHEN
    ids, last = _listed(client)
    assert f"report--{report_id}" in ids and last is not None
    assert _listed(client, added_after=last)[0] == []
    newer = peer_objects(report_id=report_id, modified=WHEN + timedelta(days=1), title="v2")
    reports_receive(actor=None, objects=newer, peer=peer)
    # A poller resuming from where it stopped sees the new version.
    assert _listed(client, added_after=last)[0] == [f"report--{report_id}"]


def test_a_stale_entry_never_lists_what_the_policy_hides(world: World) -> None:
    """Entries only order the pages; each report is still checked."""
    lead = world.users[Role.SECURITY_LEAD]
    report, _ = report_create(actor=lead, draft=_draft(title="Withdrawn"))
    client = world.api(Role.MEMBER)
    assert f"report--{report.public_id}" in _listed(client, limit=1000)[0]
    Report.objects.filter(pk=report.pk).update(tlp="red")  # no save(): entry stale
    assert CollectionEntry.objects.filter(report=report).exists()
    assert f"report--{report.public_id}" not in _listed(client, limit=1000)[0]


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_index_from_the_stored_reports(world: World) -> None:
    share_in_every_scope(world)
    peer = Peer.objects.create(name="National hub")
    received = peer_objects()
    reports_receive(actor=None, objects=received, peer=peer)
    fields = ("report_id", "public_id", "distribution", "sharing_group_id", "added")
    before = set(CollectionEntry.objects.values_list(*fields))
    assert len(before) == Report.objects.filter(state=ReportState.PUBLISHED).count() >= 8
    call_command("migrate", "taxii", "0002", verbosity=0)
    call_command("migrate", "taxii", verbosity=0)
    assert set(CollectionEntry.objects.values_list(*fields)) == before
    assert received[2]["id"] in _listed(world.api(Role.MEMBER), limit=1000)[0]
