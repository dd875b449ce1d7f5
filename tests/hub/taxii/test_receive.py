"""Receiving reports from another hub: only CLEAR/GREEN kept, idempotent,
newer versions replace older, only from the peer that sent them, bad batches
refused whole, nothing sent on."""

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
from openwarp.hub.sharing.access import reports_visible, shareable
from openwarp.hub.sharing.models import Alert, Report
from openwarp.hub.taxii.federation import push_batches
from openwarp.hub.taxii.models import Peer
from openwarp.hub.taxii.services import OTHER_PEER, OWN_REPORT, reports_receive
from tests.hub.taxii.helpers import TAXII
from tests.world import World

PEER = ExportSource(id=uuid.UUID("3a1f7a0e-2b8c-4d6e-9f10-1c2d3e4f5a6b"), name="National hub")
WHEN = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


@pytest.fixture
def national(db: None) -> Peer:
    return Peer.objects.create(name="National hub")


@pytest.fixture
def rogue(db: None) -> Peer:
    return Peer.objects.create(name="Another region")


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


def test_green_reports_are_kept_for_every_member_and_never_sent_on(
    world: World, national: Peer
) -> None:
    objects = peer_objects(
        values=(
            ("domain", "peer-c2.example"),
            ("ipv4", "198.51.100.9"),
            ("cve", "CVE-2024-3400"),
            ("filename", "invoice.pdf.exe"),
        )
    )
    result = reports_receive(actor=None, objects=objects, peer=national)
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
    for role in (Role.MEMBER, Role.COORDINATOR, Role.NATIONAL_ANALYST):
        assert may_view(viewer_for(world.users[role]), shareable(report))
    assert not may_view(FEDERATION_PEER, shareable(report)), "not federated again"
    sent = [obj["id"] for batch in push_batches() for obj in batch]
    assert f"report--{report.public_id}" not in sent
    # 198.51.100.9 is in Nottingham's registered range: an early warning.
    assert Alert.objects.filter(report=report, organisation=world.other).exists()


def test_receiving_the_same_report_again_changes_nothing(world: World, national: Peer) -> None:
    objects = peer_objects()
    reports_receive(actor=None, objects=objects, peer=national)
    again = reports_receive(actor=None, objects=objects, peer=national)
    assert again.unchanged == [objects[2]["id"]] and not again.created
    assert Report.objects.filter(from_federation=True).count() == 1


def test_a_newer_version_replaces_the_report_and_its_values(world: World, national: Peer) -> None:
    report_id = uuid.uuid4()
    reports_receive(actor=None, objects=peer_objects(report_id=report_id), peer=national)
    newer = peer_objects(
        report_id=report_id,
        modified=WHEN + timedelta(hours=2),
        title="Peer hub warning (updated)",
        values=(("domain", "new-c2.example"),),
    )
    result = reports_receive(actor=None, objects=newer, peer=national)
    assert result.updated == [f"report--{report_id}"]
    report = Report.objects.get(public_id=report_id)
    assert report.title == "Peer hub warning (updated)"
    assert list(report.indicators.values_list("value", flat=True)) == ["new-c2.example"]
    older = peer_objects(report_id=report_id, title="stale copy")
    assert reports_receive(actor=None, objects=older, peer=national).unchanged
    assert Report.objects.get(public_id=report_id).title == "Peer hub warning (updated)"


@pytest.mark.parametrize("tlp", [TLP.AMBER, TLP.AMBER_STRICT, TLP.RED])
def test_amber_and_red_are_refused_by_id(world: World, national: Peer, tlp: TLP) -> None:
    objects = peer_objects(tlp=tlp)
    result = reports_receive(actor=None, objects=objects, peer=national)
    assert result.refused == [(objects[2]["id"], f"{tlp.label}: only TLP:CLEAR and GREEN federate")]
    assert not Report.objects.filter(from_federation=True).exists()


def test_a_malformed_batch_is_refused_whole_naming_the_object(world: World, national: Peer) -> None:
    good, bad = peer_objects(), peer_objects()
    del bad[2]["name"]
    with pytest.raises(InvalidInput) as error:
        reports_receive(actor=None, objects=good + bad, peer=national)
    assert error.value.field == f"objects[{len(good) + 2}].name"
    assert not Report.objects.filter(from_federation=True).exists()


def test_a_peer_reusing_the_id_of_our_own_report_is_refused(world: World, national: Peer) -> None:
    own = world.green_report
    echoed = peer_objects(
        report_id=own.public_id,
        title="rewritten by the peer",
        modified=WHEN + timedelta(days=400),
        values=(("domain", "attacker-chosen.example"),),
    )
    result = reports_receive(actor=None, objects=echoed, peer=national)
    assert result.refused == [(f"report--{own.public_id}", OWN_REPORT)] and not result.accepted
    own.refresh_from_db()
    assert own.title == "Invoice phishing from a spoofed supplier" and not own.from_federation
    assert not own.indicators.filter(value="attacker-chosen.example").exists()
    assert not hasattr(own, "received")


def test_only_the_peer_that_sent_a_report_may_change_it(
    world: World, national: Peer, rogue: Peer
) -> None:
    report_id = uuid.uuid4()
    reports_receive(actor=None, objects=peer_objects(report_id=report_id), peer=national)
    hijack = peer_objects(
        report_id=report_id,
        modified=WHEN + timedelta(days=1),
        title="Ignore the earlier warning",
        values=(("domain", "safe-looking.example"),),
    )
    result = reports_receive(actor=None, objects=hijack, peer=rogue)
    assert result.refused == [(f"report--{report_id}", OTHER_PEER)] and not result.accepted
    report = Report.objects.get(public_id=report_id)
    assert report.title == "Peer hub warning" and report.received.peer == national
    assert list(report.indicators.values_list("value", flat=True)) == ["peer-c2.example"]
    # A same-or-older copy from the other peer is refused too, not "unchanged":
    # the status tells the sender it does not hold this report here.
    same = reports_receive(actor=None, objects=peer_objects(report_id=report_id), peer=rogue)
    assert same.refused == [(f"report--{report_id}", OTHER_PEER)]
    # The peer that sent it still may.
    assert reports_receive(actor=None, objects=hijack, peer=national).updated


def test_a_received_green_report_reaches_national_analysts_but_never_goes_back_out(
    world: World, national: Peer
) -> None:
    """The national analyst on this hub reads it (web and TAXII); another hub
    reading this one, and this hub's pushes, never get it."""
    objects = peer_objects(title="Received from the national hub")
    reports_receive(actor=None, objects=objects, peer=national)
    report_id = objects[2]["id"]
    analyst = world.api(Role.NATIONAL_ANALYST)
    listing = analyst.get("/taxii2/api/collections/federation/objects/", HTTP_ACCEPT=TAXII)
    assert report_id in {obj["id"] for obj in listing.json()["objects"]}
    page = world.client(Role.NATIONAL_ANALYST).get("/reports/")
    assert page.status_code == 200 and "Received from the national hub" in page.text
    peer_view = reports_visible(FEDERATION_PEER).filter(
        public_id=report_id.removeprefix("report--")
    )
    assert not peer_view.exists()
    sent = {obj["id"] for batch in push_batches() for obj in batch}
    assert report_id not in sent and f"report--{world.green_report.public_id}" not in sent
