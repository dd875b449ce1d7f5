"""Receiving reports from another hub (pulled or pushed over TAXII).

Only what the sender may federate is kept: TLP:CLEAR and TLP:GREEN reports.
A received report keeps its STIX id as its `public_id`, so receiving it again
changes nothing, and a copy with a later `modified` replaces the stored one,
but only when it comes from the peer that sent it first: a STIX id is chosen
by whoever writes the object, so another peer (or anyone) could otherwise
rewrite a report by reusing its id. A report with the id of one of this
hub's own reports is refused too. Refusals are per object, with the reason.
Received reports are marked `from_federation`, so the policy never sends them
on (two hubs that federate both ways do not echo each other). A batch is
received whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from openwarp.core.sharing.paste import PastedIndicator
from openwarp.core.sharing.stix_import import ReceivedReport as Received
from openwarp.core.sharing.stix_import import received_reports
from openwarp.core.tlp import TLP
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.models import Organisation, User
from openwarp.hub.members.policy import Distribution
from openwarp.hub.members.services.organisations import region_of_hub
from openwarp.hub.sharing.models import Report, ReportState
from openwarp.hub.sharing.services.early_warning import early_warning_for_report
from openwarp.hub.sharing.services.reports import indicators_add
from openwarp.hub.taxii.entries import collection_entry_save
from openwarp.hub.taxii.models import AddStatus, Peer, ReceivedReport

FEDERABLE = (TLP.CLEAR, TLP.GREEN)
OWN_REPORT = "this hub has a report of its own with that id; a peer cannot change it"
OTHER_PEER = "this report came from another hub; only the hub that sent it may change it"


@dataclass
class ReceiveResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    skipped_patterns: int = 0

    @property
    def accepted(self) -> list[str]:
        return [*self.created, *self.updated, *self.unchanged]


def _source_organisation(source: str) -> Organisation:
    """Received reports are held by a stand-in for the hub they came from,
    kept out of the member directory (inactive)."""
    name = f"{source[:180]} (federated hub)"
    organisation, _ = Organisation.objects.get_or_create(
        name=name,
        defaults={
            "slug": slugify(name)[:200],
            "org_type": "other",
            "region": region_of_hub(),
            "is_active": False,
        },
    )
    return organisation


def _fill(report: Report, received: Received) -> None:
    report.title = received.title
    report.description = received.description
    report.threat_type = received.threat_type
    report.confidence = received.confidence
    report.tlp = received.tlp or TLP.RED  # only CLEAR/GREEN reach here
    report.published_at = received.published


def _refusal(report: Report | None, peer: Peer) -> str | None:
    """Why `peer` may not write the report held under this id, if it may not."""
    if report is None:
        return None
    if not report.from_federation:
        return OWN_REPORT
    meta = getattr(report, "received", None)
    if meta is None or meta.peer_id != peer.pk:
        return OTHER_PEER
    return None


def _create(received: Received, owner: Organisation, peer: Peer) -> Report:
    report = Report(
        public_id=received.uuid,
        distribution=Distribution.FEDERATION,
        owner_organisation=owner,
        state=ReportState.PUBLISHED,
        from_federation=True,
    )
    _fill(report, received)
    report.save()
    meta = ReceivedReport.objects.create(
        report=report,
        peer=peer,
        source=peer.name,
        creator_name=received.creator_name or "",
        stix_modified=received.modified,
    )
    collection_entry_save(report=report, added=meta.updated_at)
    return report


def _update(report: Report, received: Received) -> None:
    meta = report.received
    _fill(report, received)
    report.save()
    keep = set(received.indicators)
    stale = [i.pk for i in report.indicators.all() if (i.kind, i.value) not in keep]
    report.indicators.filter(pk__in=stale).delete()
    meta.stix_modified, meta.updated_at = received.modified, timezone.now()
    meta.creator_name = received.creator_name or meta.creator_name
    meta.save()
    collection_entry_save(report=report, added=meta.updated_at)


def _store(received: Received, owner: Organisation, peer: Peer, result: ReceiveResult) -> None:
    report = Report.objects.select_related("received").filter(public_id=received.uuid).first()
    reason = _refusal(report, peer)
    if reason is not None:
        result.refused.append((received.stix_id, reason))
        return
    if report is None:
        report = _create(received, owner, peer)
        result.created.append(received.stix_id)
    elif received.modified <= report.received.stix_modified:
        result.unchanged.append(received.stix_id)
        return
    else:
        _update(report, received)
        result.updated.append(received.stix_id)
    values = [PastedIndicator(kind, value, 0, value) for kind, value in received.indicators]
    indicators_add(report=report, indicators=values)
    early_warning_for_report(report=report)


@transaction.atomic
def reports_receive(*, actor: User | None, objects: Any, peer: Peer) -> ReceiveResult:
    """Keep the federable reports among `objects` that `peer` may write;
    refuse the others by id, each with its reason."""
    result = ReceiveResult()
    received = received_reports(objects)
    owner = _source_organisation(peer.name)
    for item in received:
        result.skipped_patterns += item.skipped_patterns
        if item.tlp not in FEDERABLE:
            level = item.tlp.label if item.tlp else "no TLP marking"
            result.refused.append((item.stix_id, f"{level}: only TLP:CLEAR and GREEN federate"))
            continue
        _store(item, owner, peer, result)
    audit_record(
        actor=actor,
        action="federation.receive",
        target=owner,
        details={
            "source": peer.name,
            "peer": peer.pk,
            "created": len(result.created),
            "updated": len(result.updated),
            "refused": len(result.refused),
        },
    )
    return result


def _refused_objects(objects: list[Any], result: ReceiveResult) -> dict[str, str]:
    """Refused reports, and the objects only they referenced, with the reason."""
    refs = {
        obj["id"]: [ref for ref in obj.get("object_refs") or [] if isinstance(ref, str)]
        for obj in objects
        if isinstance(obj, dict) and obj.get("type") == "report"
    }
    kept = {ref for report_id in result.accepted for ref in refs.get(report_id, [])}
    refused: dict[str, str] = {}
    for report_id, message in result.refused:
        refused[report_id] = message
        for ref in refs.get(report_id, []):
            if ref not in kept:
                refused.setdefault(ref, f"part of {report_id}, which was refused")
    return refused


def add_status_record(
    *, actor: User | None, collection: str, objects: list[Any], result: ReceiveResult
) -> AddStatus:
    """The TAXII status of an add: refused reports and the objects only they
    referenced are failures; everything else was kept or is context."""
    refused = _refused_objects(objects, result)
    failures = [{"id": stix_id, "message": message} for stix_id, message in refused.items()]
    successes = [
        {"id": obj["id"], "version": str(obj.get("modified") or obj.get("created") or "")}
        for obj in objects
        if isinstance(obj, dict) and obj.get("id") not in refused
    ]
    return AddStatus.objects.create(
        user=actor,
        collection=collection,
        total_count=len(objects),
        successes=successes,
        failures=failures,
    )
