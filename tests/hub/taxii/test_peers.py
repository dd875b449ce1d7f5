"""Who sent a received report, on both ways in: a push is known by the
account it used, a pull by the address pulled; only that peer may change the
report, and each pull resumes where the last one from that peer stopped."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from openwarp.core.errors import Conflict
from openwarp.hub.members.policy import Role
from openwarp.hub.members.services.tokens import token_create
from openwarp.hub.sharing.models import Report
from openwarp.hub.sharing.services.reports import ReportDraft, report_create
from openwarp.hub.taxii.federation import federation_pull
from openwarp.hub.taxii.models import Peer, ReceivedReport
from openwarp.hub.taxii.peers import discovery_url, peer_register
from openwarp.hub.taxii.services import OTHER_PEER, OWN_REPORT, reports_receive
from tests.hub.taxii.helpers import TAXII
from tests.hub.taxii.test_receive import WHEN, peer_objects
from tests.world import World, make_user

INBOX = "/taxii2/api/collections/federation/objects/"


def _push(token: str, objects: list[dict]) -> dict:  # type: ignore[type-arg]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.post(
        INBOX, json.dumps({"objects": objects}), content_type=TAXII, HTTP_ACCEPT=TAXII
    )
    assert response.status_code == 202, response.content
    return response.json()  # type: ignore[no-any-return]


def _second_pusher(world: World) -> str:
    other = make_user("coordinator@other-region.example", Role.COORDINATOR, None)
    return token_create(actor=None, user=other, name="push", scope="write").secret


def test_a_push_from_another_account_cannot_rewrite_a_pushed_report(world: World) -> None:
    report_id = uuid.uuid4()
    first = _push(world.tokens[Role.COORDINATOR], peer_objects(report_id=report_id))
    assert first["failure_count"] == 0
    newer = peer_objects(
        report_id=report_id, modified=WHEN + timedelta(days=1), title="All clear, unblock it"
    )
    status = _push(_second_pusher(world), newer)
    assert {"id": f"report--{report_id}", "message": OTHER_PEER} in status["failures"]
    report = Report.objects.get(public_id=report_id)
    assert report.title == "Peer hub warning"
    assert report.received.peer.account == world.users[Role.COORDINATOR]
    # The account that pushed it first may still update it.
    again = _push(world.tokens[Role.COORDINATOR], newer)
    assert again["failure_count"] == 0
    assert Report.objects.get(public_id=report_id).title == "All clear, unblock it"


def test_a_push_reusing_a_local_reports_id_is_refused_in_the_status(world: World) -> None:
    own = world.green_report
    status = _push(_second_pusher(world), peer_objects(report_id=own.public_id))
    assert {"id": f"report--{own.public_id}", "message": OWN_REPORT} in status["failures"]
    own.refresh_from_db()
    assert not own.from_federation


def test_an_address_or_account_belongs_to_one_peer_only(world: World) -> None:
    first = _push(world.tokens[Role.COORDINATOR], peer_objects())
    assert first["failure_count"] == 0
    pusher = Peer.objects.get(account=world.users[Role.COORDINATOR])
    pulled = Peer.objects.create(name="National (pulled)", url="https://national.example/taxii2/")
    # The pulled peer holds nothing yet: its address moves to the pushing peer.
    linked = peer_register(actor=None, name=pusher.name, url="https://national.example")
    assert linked.url == "https://national.example/taxii2/"
    assert not Peer.objects.filter(pk=pulled.pk).exists()
    # The pushing peer holds a report: its account cannot be given to another.
    with pytest.raises(Conflict) as error:
        peer_register(
            actor=None, name="Someone else", account_email=world.users[Role.COORDINATOR].email
        )
    assert error.value.field == "account"
    assert Peer.objects.get(account=world.users[Role.COORDINATOR]) == linked


@pytest.mark.slow
def test_a_pull_is_known_by_its_address_and_resumes_where_it_stopped(
    live_server,
    world: World,  # type: ignore[no-untyped-def]
) -> None:
    """The hub pulls its own federation collection over HTTP as a member: its
    own reports come back refused, as does a report another peer pushed,
    until the operator says the address and that account are one peer."""
    pushed_id = uuid.uuid4()
    _push(world.tokens[Role.COORDINATOR], peer_objects(report_id=pushed_id))
    lead = world.users[Role.SECURITY_LEAD]
    own, _ = report_create(
        actor=lead,
        draft=ReportDraft(
            title="Federated phish",
            threat_type="phishing",
            tlp="green",
            distribution="federation",
            indicators_text="own-federated.example",
        ),
    )
    token = world.tokens[Role.MEMBER]
    first = federation_pull(url=live_server.url, token=token)
    assert first.added_after is None
    assert dict(first.received.refused) == {
        f"report--{own.public_id}": OWN_REPORT,
        f"report--{pushed_id}": OTHER_PEER,
    }
    peer = Peer.objects.get(url=discovery_url(live_server.url))
    assert peer.pulled_until is not None and peer.pulled_until >= own.published_at

    # Nothing new since: the next pull resumes after the last object it saw.
    quiet = federation_pull(url=live_server.url, token=token)
    assert quiet.added_after == peer.pulled_until
    assert not quiet.received.refused and not quiet.received.accepted

    # The address and the pushing account are the same hub: its report is its own.
    pusher = Peer.objects.get(account=world.users[Role.COORDINATOR])
    assert peer_register(actor=None, name=pusher.name, url=live_server.url).pulled_until
    again = federation_pull(url=live_server.url, token=token, added_after=WHEN - timedelta(days=1))
    assert again.received.unchanged == [f"report--{pushed_id}"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_stored_reports_the_peer_they_were_named_after(world: World) -> None:
    pushed = _push(world.tokens[Role.COORDINATOR], peer_objects())
    pulled_id = uuid.uuid4()
    titled = Peer.objects.create(name="National Cyber Hub", url="https://national.example/taxii2/")
    reports_receive(actor=None, objects=peer_objects(report_id=pulled_id), peer=titled)
    call_command("migrate", "taxii", "0001", verbosity=0)
    call_command("migrate", "taxii", verbosity=0)
    by_name = {r.source: r.peer for r in ReceivedReport.objects.select_related("peer__account")}
    coordinator = world.users[Role.COORDINATOR]
    # A push was named after the account: the account is the peer's again.
    assert by_name[coordinator.full_name].account == coordinator
    # A pull was named after the hub's title: a peer of that name, address to be told.
    assert by_name["National Cyber Hub"].name == "National Cyber Hub"
    assert by_name["National Cyber Hub"].url is None and pushed["failure_count"] == 0
