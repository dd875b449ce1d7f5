"""Permission-matrix rows for TAXII (see tests/hub/permission_matrix.py).

TAXII URLs are pages, walked here with signed-in sessions; `test_matrix.py`
walks the same rows again as TAXII clients do (tokens, TAXII media types)
and adds the writes, which need a TAXII body the page walk cannot send.
"""

from __future__ import annotations

from typing import Any

from openwarp.hub.members.models import SharingGroup
from openwarp.hub.members.policy import Role
from openwarp.hub.sharing.services.reports import ReportDraft, report_create
from openwarp.hub.taxii.models import AddStatus, Peer
from tests.hub.permission_matrix import (
    HUB,
    PUBLIC,
    REGION_READERS,
    SIGNED_IN,
    Row,
    allowed,
)

ORG_ONLY = allowed(Role.MEMBER, Role.SECURITY_LEAD, Role.EXECUTIVE)


def prepare(world: Any) -> None:
    lead = world.users[Role.SECURITY_LEAD]
    group = SharingGroup.objects.create(name="Derby partners")
    group.organisations.set([world.own])
    federated, _ = report_create(
        actor=lead,
        draft=ReportDraft(
            title="Federated phishing kit",
            threat_type="phishing",
            tlp="green",
            distribution="federation",
            indicators_text="kit.example",
        ),
    )
    amber, _ = report_create(
        actor=world.other_lead,
        draft=ReportDraft(
            title="Amber for all hubs, so for none",
            threat_type="malware",
            tlp="amber",
            distribution="federation",
            indicators_text="amber.example",
        ),
    )
    world.extras.update(
        taxii_group=f"group-{group.pk}",
        taxii_federated=f"report--{federated.public_id}",
        taxii_amber=f"report--{amber.public_id}",
        taxii_status=AddStatus.objects.create(user=world.users[Role.COORDINATOR]).pk,
    )


def _extra(world: Any, key: str) -> Any:
    """An object `prepare` made, made on first use if the walk did not call it."""
    if "taxii_status" not in world.extras:
        prepare(world)
    return world.extras[key]


def _in(alias: str) -> Any:
    return lambda w: [_extra(w, alias) if alias.startswith("taxii_") else alias]


def _object(key: str) -> Any:
    return lambda w: ["federation", _extra(w, key)]


PAGES: list[Row] = [
    Row("taxii:discovery", PUBLIC),
    Row("taxii:api_root", SIGNED_IN),
    Row("taxii:collections", SIGNED_IN),
    Row(
        "taxii:status",
        HUB,
        args=lambda w: [_extra(w, "taxii_status")],
        note="a coordinator's add: its author and the hub's admins",
    ),
    Row("taxii:collection", SIGNED_IN, args=_in("federation")),
    Row(
        "taxii:collection",
        REGION_READERS,
        args=_in("region"),
        note="the national analyst reads the federation only",
    ),
    Row("taxii:collection", REGION_READERS, args=_in("organisation")),
    Row(
        "taxii:collection",
        ORG_ONLY,
        args=_in("taxii_group"),
        note="a sharing group: its members only, unknown to the hub roles",
    ),
    Row("taxii:objects", SIGNED_IN, args=_in("federation")),
    Row("taxii:objects", REGION_READERS, args=_in("region")),
    Row("taxii:objects", REGION_READERS, args=_in("organisation")),
    Row("taxii:objects", ORG_ONLY, args=_in("taxii_group")),
    Row("taxii:manifest", SIGNED_IN, args=_in("federation")),
    Row("taxii:manifest", REGION_READERS, args=_in("region")),
    Row("taxii:manifest", ORG_ONLY, args=_in("taxii_group")),
    Row("taxii:object", SIGNED_IN, args=_object("taxii_federated")),
    Row(
        "taxii:object",
        REGION_READERS,
        args=_object("taxii_amber"),
        note="AMBER is not federated, so the national analyst does not find it",
    ),
    Row(
        "taxii:object",
        REGION_READERS,
        args=lambda w: ["region", f"report--{w.green_report.public_id}"],
    ),
    Row("taxii:object_versions", SIGNED_IN, args=_object("taxii_federated")),
    Row("taxii:object_versions", REGION_READERS, args=_object("taxii_amber")),
]


def _scheduled_peer(world: Any) -> list[Any]:
    peer, _ = Peer.objects.get_or_create(
        name="National hub",
        defaults={"url": "https://national.example/taxii2/", "token": "owp_peer", "pulls": True},
    )
    return [peer.pk]


# The coordinator's federation page (HTML, not TAXII: `test_matrix.py` skips these).
FEDERATION_PAGES: list[Row] = [
    Row("taxii:peers", HUB, tags=("html",)),
    Row(
        "taxii:peer_run",
        HUB,
        method="POST",
        args=_scheduled_peer,
        note="queues a run for the worker",
        tags=("html",),
    ),
]
PAGES += FEDERATION_PAGES

# Adds: only the hub's people with a write token, and only into the federation inbox.
WRITES: list[Row] = [
    Row(
        "taxii:objects",
        allowed(Role.COORDINATOR, Role.ADMIN),
        method="POST",
        args=_in("federation"),
        data=lambda w: {"objects": []},
    ),
    Row(
        "taxii:objects",
        allowed(),
        method="POST",
        args=_in("region"),
        data=lambda w: {"objects": []},
        note="the region collection takes nothing",
    ),
]
