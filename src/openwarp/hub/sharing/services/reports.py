"""Writing reports, with their indicators, and releasing anonymous ones."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db import IntegrityError, transaction
from django.utils import timezone

from openwarp.core.errors import InvalidInput, PermissionDenied
from openwarp.core.sharing.paste import PastedIndicator, parse_pasted
from openwarp.core.sharing.uploads import parse_upload
from openwarp.core.tlp import TLP, parse_tlp
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.models import SharingGroup, User
from openwarp.hub.members.policy import Action, Distribution, may
from openwarp.hub.members.policy.sharing import may_add_indicators
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.sharing.access import shareable
from openwarp.hub.sharing.models import (
    Confidence,
    Indicator,
    Report,
    ReportState,
    ThreatType,
)
from openwarp.hub.sharing.services.early_warning import early_warning_for_report
from openwarp.hub.sharing.services.notifications import report_published_notify
from openwarp.hub.sharing.warninglists import warninglist_reason

# Anonymity is relayed by the coordinator, who must be able to read the report.
ANONYMOUS_TLP_LIMIT = TLP.AMBER_STRICT


@dataclass
class ReportDraft:
    title: str
    threat_type: str
    tlp: str
    distribution: str
    summary: str = ""
    description: str = ""
    confidence: str = Confidence.PROBABLE
    indicators_text: str = ""
    # An attached file: (file name, its bytes), read by ``parse_upload``.
    indicators_file: tuple[str, bytes] | None = None
    anonymous: bool = False
    sharing_group: SharingGroup | None = None
    named_recipients: list[User] = field(default_factory=list)


def _choice(value: str, choices: type, name: str) -> str:
    if value not in choices.values:  # type: ignore[attr-defined]
        allowed = ", ".join(choices.values)  # type: ignore[attr-defined]
        raise InvalidInput(f"{value!r} is not one of: {allowed}", field=name)
    return value


def _check(draft: ReportDraft) -> TLP:
    if not draft.title.strip():
        raise InvalidInput("a title is required", field="title")
    _choice(draft.threat_type, ThreatType, "threat_type")
    _choice(draft.confidence, Confidence, "confidence")
    tlp = parse_tlp(draft.tlp)
    if draft.distribution not in Distribution.__members__.values():
        raise InvalidInput(f"unknown distribution {draft.distribution!r}", field="distribution")
    if draft.distribution == Distribution.SHARING_GROUP and draft.sharing_group is None:
        raise InvalidInput("choose the sharing group", field="sharing_group")
    if tlp == TLP.RED and not draft.named_recipients:
        raise InvalidInput("TLP:RED needs the named people it is for", field="named_recipients")
    if draft.anonymous and tlp.rank > ANONYMOUS_TLP_LIMIT.rank:
        raise InvalidInput(
            "anonymous reports go through the coordinator, so cannot be TLP:RED", field="tlp"
        )
    if draft.anonymous and draft.distribution == Distribution.ORGANISATION:
        raise InvalidInput(
            "an anonymous report must be shared beyond your organisation", field="distribution"
        )
    return tlp


def _recognised(
    text: str, file: tuple[str, bytes] | None
) -> tuple[list[PastedIndicator], list[tuple[str, str]]]:
    """Pasted values then the attached file's, each once; and what was not
    kept, by where it stood ("line 4", "iocs.csv: line 9: ...")."""
    pasted = parse_pasted(text)
    indicators = list(pasted.indicators)
    not_kept = [(f"line {line}", text) for line, text in pasted.unrecognised]
    if file is not None:
        upload = parse_upload(*file)
        known = {(i.kind, i.value) for i in indicators}
        indicators += [i for i in upload.indicators if (i.kind, i.value) not in known]
        not_kept += [(f"{upload.name}: {where}", reason) for where, reason in upload.not_kept]
    return indicators, not_kept


@transaction.atomic
def report_create(*, actor: User, draft: ReportDraft) -> tuple[Report, list[tuple[str, str]]]:
    """Create a report and its indicators; return it with what was not understood.

    Anonymous reports wait for a coordinator; others are published at once.
    A broken attached file refuses the whole report (nothing half-taken).
    """
    viewer = viewer_for(actor)
    if not may(viewer, Action.WRITE_CONTENT) or actor.organisation is None:
        raise PermissionDenied("only members of an organisation write reports")
    tlp = _check(draft)
    if draft.sharing_group and actor.organisation_id not in set(
        draft.sharing_group.organisations.values_list("id", flat=True)
    ):
        raise PermissionDenied("you are not in that sharing group", field="sharing_group")
    indicators, not_kept = _recognised(draft.indicators_text, draft.indicators_file)
    now = timezone.now()
    report = Report.objects.create(
        title=draft.title.strip(),
        summary=draft.summary.strip(),
        description=draft.description,
        threat_type=draft.threat_type,
        confidence=draft.confidence,
        tlp=tlp,
        distribution=draft.distribution,
        sharing_group=draft.sharing_group,
        owner_organisation=actor.organisation,
        author=actor,
        anonymous=draft.anonymous,
        state=ReportState.AWAITING_RELEASE if draft.anonymous else ReportState.PUBLISHED,
        published_at=None if draft.anonymous else now,
    )
    report.named_recipients.set(draft.named_recipients)
    indicators_add(report=report, indicators=indicators)
    if report.state == ReportState.PUBLISHED:
        early_warning_for_report(report=report)
        report_published_notify(report=report)
    audit_record(
        actor=actor,
        action="report.create",
        target=report,
        organisation_id=actor.organisation_id,
        details={
            "tlp": tlp.value,
            "anonymous": draft.anonymous,
            "indicators": len(indicators),
            "file": draft.indicators_file[0][:200] if draft.indicators_file else None,
        },
    )
    return report, not_kept


def indicators_add(*, report: Report, indicators: list[PastedIndicator]) -> int:
    """Add values to a report; values it already holds are merged, not doubled.

    Values on a warning list are kept and marked with the list's name.
    """
    existing = set(report.indicators.values_list("kind", "value"))
    new = [
        Indicator(
            report=report,
            kind=i.kind,
            value=i.value,
            original=i.original[:2048],
            warninglist=warninglist_reason(i.kind, i.value)[:200],
        )
        for i in indicators
        if (i.kind, i.value) not in existing
    ]
    try:
        with transaction.atomic():
            Indicator.objects.bulk_create(new)
    except IntegrityError:  # a concurrent add of the same value; merge one by one
        for indicator in new:
            Indicator.objects.get_or_create(
                report=report,
                kind=indicator.kind,
                value=indicator.value,
                defaults={"original": indicator.original, "warninglist": indicator.warninglist},
            )
    return len(new)


def _new_version(report: Report) -> None:
    """A published report whose values changed becomes a new version for
    exports and TAXII (saving it moves its collection entry, see taxii)."""
    locked = Report.objects.select_for_update().only("revision").get(pk=report.pk)
    report.revision = locked.revision + 1
    report.modified_at = timezone.now()
    report.save(update_fields=["revision", "modified_at"])


@transaction.atomic
def report_indicators_add(
    *,
    actor: User,
    report: Report,
    text: str = "",
    file: tuple[str, bytes] | None = None,
) -> tuple[int, list[tuple[str, str]]]:
    """Add pasted or attached values to a report already written: how many were
    new, and what was not kept. New values of a published report are matched
    against members' networks at once; the indicator export carries them from
    now (an anonymous report's from the next full hour, as ever)."""
    viewer, item = viewer_for(actor), shareable(report)
    author_side = may_add_indicators(viewer, replace(item, released=False))
    if item.anonymous and item.released and author_side:
        raise InvalidInput(
            "this anonymous report was released after the coordinator's review; "
            "send further values as a new anonymous report, so they are reviewed too",
            field="indicators",
        )
    if not may_add_indicators(viewer, item):
        raise PermissionDenied(
            "only the report's author or its organisation's security leads add values"
        )
    if report.state == ReportState.WITHHELD:
        raise InvalidInput("the coordinator withheld this report", field="state")
    indicators, not_kept = _recognised(text, file)
    if not indicators and not not_kept:
        raise InvalidInput("paste or attach the values to add", field="indicators")
    added = indicators_add(report=report, indicators=indicators)
    if added and report.state == ReportState.PUBLISHED:
        _new_version(report)
        early_warning_for_report(report=report)
    audit_record(
        actor=actor,
        action="report.indicators_add",
        target=report,
        organisation_id=report.owner_organisation_id,
        details={"added": added, "file": file[0][:200] if file else None},
    )
    return added, not_kept


@transaction.atomic
def report_release(*, actor: User, report: Report, release: bool, note: str = "") -> Report:
    """The coordinator publishes (or withholds) an anonymous report.

    Its publication time is the release time, so nobody can line it up with
    the moment the author submitted it.
    """
    if not may(viewer_for(actor), Action.REVIEW_ANONYMOUS):
        raise PermissionDenied("only the hub's coordinators release anonymous reports")
    if report.state != ReportState.AWAITING_RELEASE:
        raise InvalidInput("this report is not waiting for release", field="state")
    report.state = ReportState.PUBLISHED if release else ReportState.WITHHELD
    report.published_at = timezone.now() if release else None
    report.save(update_fields=["state", "published_at"])
    if release:
        early_warning_for_report(report=report)
        report_published_notify(report=report)
    audit_record(
        actor=actor,
        action="report.release" if release else "report.withhold",
        target=report,
        details={"note": note[:500]},
    )
    return report
