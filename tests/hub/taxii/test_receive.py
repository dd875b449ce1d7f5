"""Receiving reports from another hub: only CLEAR/GREEN kept, idempotent,
newer versions replace older, bad batches refused whole, nothing sent on."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.sharing.export_model import ExportIndicator, ExportReport, ExportSource
from openwarp.core.sharing.stix_export import report_objects, tlp_marking_definition
from openwarp.core.tlp import TLP
from openwarp.hub.members.policy import Role, may_view
from openwarp.hub.members.policy.taxii import FEDERATION_PEER
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.sharing.access import shareable
from openwarp.hub.sharing.models import Alert, Report
from openwarp.hub.taxii.federation import push_batches
from openwarp.hub.taxii.services import reports_receive
from tests.world import World

PEER = ExportSource(id=uuid.UUID("3a1f7a0e-2b8c-4d6e-9f10-1c2d3e4f5a6b"), name="National hub")
WHEN = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


def peer_objects(
    *,
    tlp: TLP = TLP.GREEN,
    report_id: uuid.UUID | None = None,
    modified: datetime = WHEN,
    values: tuple[tuple[str, str], ...] = (("domain", "peer-c2.example"),),
    title: str = "Peer hub warning",
) -> list[dict]:  # type: ignore[type-arg]
    report = ExportReport(
        id=report_id or uuid.uuid4(),
        title=title,
        summary="From the national hub.",
        description="Block **these**.",
        threat_type="malware",
        confidence="confirmed",
        tlp=tlp,
        published=WHEN,
        modified=modified,
        source=PEER,
        source_label="National hub",
        hub_identity=PEER,
        indicators=[ExportIndicator(kind, value) for kind, value in values],
    )
    identity = {
        "type": "identity",
        "spec_version": "2.1",
        "id": f"identity--{PEER.id}",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": "2024-01-01T00:00:00.000Z",
        "name": PEER.name,
        "identity_class": "organization",
    }
    return [tlp_marking_definition(tlp), identity, *report_objects(report)]


def test_green_reports_are_kept_for_every_member_and_never_sent_on(world: World) -> None:
    objects = peer_objects(
        values=(
            ("domain", "peer-c2.example"),
            ("ipv4", "198.51.100.9"),
            ("cve", "CVE-2024-3400"),
            ("filename", "invoice.pdf.exe"),
        )
    )
    result = reports_receive(actor=None, objects=objects, source="National hub")
    assert len(result.created) == 1 and not result.refused
    report = Report.objects.get(public_id=objects[2]["id"].removeprefix("report--"))
    assert report.from_federation and report.tlp == "green" and report.threat_type == "malware"
    assert report.confidence == "confirmed" and report.published_at == WHEN
    assert sorted(report.indicators.values_list("kind", "value")) == [
        ("cve", "CVE-2024-3400"),
        ("domain", "peer-c2.example"),
        ("filename", "invoice.pdf.exe"),
        ("ipv4", "198.51.100.9"),
    ]
    assert report.received.creator_name == "National hub"
    for role in (Role.MEMBER, Role.COORDINATOR):
        assert may_view(viewer_for(world.users[role]), shareable(report))
    assert not may_view(FEDERATION_PEER, shareable(report)), "not federated again"
    sent = [obj["id"] for batch in push_batches() for obj in batch]
    assert f"report--{report.public_id}" not in sent
    # 198.51.100.9 is in Nottingham's registered range: an early warning.
    assert Alert.objects.filter(report=report, organisation=world.other).exists()


def test_receiving_the_same_report_again_changes_nothing(world: World) -> None:
    objects = peer_objects()
    reports_receive(actor=None, objects=objects, source="National hub")
    again = reports_receive(actor=None, objects=objects, source="National hub")
    assert again.unchanged == [objects[2]["id"]] and not again.created
    assert Report.objects.filter(from_federation=True).count() == 1


def test_a_newer_version_replaces_the_report_and_its_values(world: World) -> None:
    report_id = uuid.uuid4()
    reports_receive(actor=None, objects=peer_objects(report_id=report_id), source="National hub")
    newer = peer_objects(
        report_id=report_id,
        modified=WHEN + timedelta(hours=2),
        title="Peer hub warning (updated)",
        values=(("domain", "new-c2.example"),),
    )
    result = reports_receive(actor=None, objects=newer, source="National hub")
    assert result.updated == [f"report--{report_id}"]
    report = Report.objects.get(public_id=report_id)
    assert report.title == "Peer hub warning (updated)"
    assert list(report.indicators.values_list("value", flat=True)) == ["new-c2.example"]
    older = peer_objects(report_id=report_id, title="stale copy")
    assert reports_receive(actor=None, objects=older, source="National hub").unchanged
    assert Report.objects.get(public_id=report_id).title == "Peer hub warning (updated)"


@pytest.mark.parametrize("tlp", [TLP.AMBER, TLP.AMBER_STRICT, TLP.RED])
def test_amber_and_red_are_refused_by_id(world: World, tlp: TLP) -> None:
    objects = peer_objects(tlp=tlp)
    result = reports_receive(actor=None, objects=objects, source="National hub")
    assert result.refused == [(objects[2]["id"], f"{tlp.label}: only TLP:CLEAR and GREEN federate")]
    assert not Report.objects.filter(from_federation=True).exists()


def test_a_malformed_batch_is_refused_whole_naming_the_object(world: World) -> None:
    good, bad = peer_objects(), peer_objects()
    del bad[2]["name"]
    with pytest.raises(InvalidInput) as error:
        reports_receive(actor=None, objects=good + bad, source="National hub")
    assert error.value.field == f"objects[{len(good) + 2}].name"
    assert not Report.objects.filter(from_federation=True).exists()


def test_our_own_report_coming_back_is_left_as_it_is(world: World) -> None:
    own = world.green_report
    echoed = peer_objects(report_id=own.public_id, title="rewritten by the peer")
    result = reports_receive(actor=None, objects=echoed, source="National hub")
    assert result.unchanged == [f"report--{own.public_id}"]
    own.refresh_from_db()
    assert own.title == "Invoice phishing from a spoofed supplier" and not own.from_federation
