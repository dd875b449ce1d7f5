"""Sharing API: the feed, reports, correlation, sightings, anonymous release."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpResponse
from ninja import Router, Schema, Status

from openwarp.core.errors import NotFound
from openwarp.hub.api_json import written_json
from openwarp.hub.members.policy import Viewer, may_see_author
from openwarp.hub.members.selectors import sharing_group_find
from openwarp.hub.sharing import selectors
from openwarp.hub.sharing.access import shareable, source_label
from openwarp.hub.sharing.api_exports import router as exports_router
from openwarp.hub.sharing.models import Report
from openwarp.hub.sharing.services.reports import (
    ReportDraft,
    report_create,
    report_indicators_add,
    report_release,
)
from openwarp.hub.sharing.services.sightings import (
    BatchItem,
    sighting_batch_record,
    sighting_record,
)
from openwarp.hub.web.decorators import MemberRequest

router = Router(tags=["sharing"])
router.add_router("", exports_router)


class ReportOut(Schema):
    id: UUID
    title: str
    summary: str
    threat_type: str
    confidence: str
    tlp: str
    distribution: str
    source: str
    organisation: str | None
    published_on: date | None
    published_at: datetime | None


class IndicatorOut(Schema):
    id: UUID
    kind: str
    value: str
    other_reports: int
    members_seen_this_week: int


class ReportDetailOut(ReportOut):
    description: str
    indicators: list[IndicatorOut]


class IndicatorFileIn(Schema):
    """A file of indicators sent inline: CSV, a STIX 2.1 bundle, a MISP event
    or a plain list, as text. ``name`` picks CSV (``.csv``) and names errors."""

    name: str
    content: str


def _file(upload: IndicatorFileIn | None) -> tuple[str, bytes] | None:
    return (upload.name, upload.content.encode()) if upload else None


class ReportIn(Schema):
    title: str
    threat_type: str
    tlp: str
    distribution: str = "region"
    summary: str = ""
    description: str = ""
    confidence: str = "probable"
    indicators: str = ""
    indicators_file: IndicatorFileIn | None = None
    anonymous: bool = False
    sharing_group: int | None = None


class NotKeptOut(Schema):
    where: str
    reason: str


class CreatedOut(Schema):
    id: UUID
    state: str
    indicators: int
    not_kept: list[NotKeptOut]


class ReleaseIn(Schema):
    release: bool
    note: str = ""


class SightingIn(Schema):
    report: UUID
    indicator: UUID
    sighting: str = "seen"
    count: int = 1
    first_seen: datetime | None = None
    last_seen: datetime | None = None


class SightingOut(Schema):
    kind: str
    value: str
    sighting: str
    count: int


class CorrelationOut(Schema):
    kind: str
    value: str
    members_seen: int
    sightings: int | None
    reports: list[ReportOut]


def report_out(viewer: Viewer, report: Report) -> dict[str, object]:
    """A report as the viewer may know it. When the author is hidden, so are
    the organisation and the time of day (the day of release is kept)."""
    known = may_see_author(viewer, shareable(report))
    published = report.published_at
    return {
        "id": report.public_id,
        "title": report.title,
        "summary": report.summary,
        "threat_type": report.threat_type,
        "confidence": report.confidence,
        "tlp": report.tlp,
        "distribution": report.distribution,
        "source": source_label(viewer, report),
        "organisation": report.owner_organisation.slug if known else None,
        "published_on": published.date() if published else None,
        "published_at": published if (known and published) else None,
    }


@router.get("/reports", response=list[ReportOut])
def feed(
    request: MemberRequest, q: str = "", threat_type: str = "", tlp: str = "", limit: int = 50
) -> list[dict[str, object]]:
    reports = selectors.report_feed(
        viewer=request.viewer,
        search=q,
        threat_type=threat_type,
        tlp=tlp,
        limit=max(1, min(limit, 500)),
    )
    return [report_out(request.viewer, report) for report in reports]


@router.post("/reports", response={201: CreatedOut})
def create(request: MemberRequest, payload: ReportIn) -> Status:
    draft = ReportDraft(
        title=payload.title,
        threat_type=payload.threat_type,
        tlp=payload.tlp,
        distribution=payload.distribution,
        summary=payload.summary,
        description=payload.description,
        confidence=payload.confidence,
        indicators_text=payload.indicators,
        indicators_file=_file(payload.indicators_file),
        anonymous=payload.anonymous,
        sharing_group=sharing_group_find(pk=payload.sharing_group),
    )
    report, not_kept = report_create(actor=request.user, draft=draft)
    return Status(
        201,
        {
            "id": report.public_id,
            "state": report.state,
            "indicators": report.indicators.count(),
            "not_kept": [{"where": where, "reason": why} for where, why in not_kept],
        },
    )


class IndicatorsIn(Schema):
    indicators: str = ""
    indicators_file: IndicatorFileIn | None = None


class AddedOut(Schema):
    added: int
    not_kept: list[NotKeptOut]


@router.post("/reports/{report_id}/indicators", response=AddedOut)
def indicators_add(
    request: MemberRequest, report_id: UUID, payload: IndicatorsIn
) -> dict[str, Any]:
    """Add values to a report you wrote (or your organisation published)."""
    report = selectors.report_for_viewer(viewer=request.viewer, public_id=report_id)
    added, not_kept = report_indicators_add(
        actor=request.user,
        report=report,
        text=payload.indicators,
        file=_file(payload.indicators_file),
    )
    return {"added": added, "not_kept": [{"where": w, "reason": r} for w, r in not_kept]}


@router.get("/reports/{report_id}", response=ReportDetailOut)
def detail(request: MemberRequest, report_id: UUID) -> dict[str, object]:
    report = selectors.report_for_viewer(viewer=request.viewer, public_id=report_id)
    rows = selectors.indicators_for_report(viewer=request.viewer, report=report)
    return {
        **report_out(request.viewer, report),
        "description": report.description,
        "indicators": [
            {
                "id": row.indicator.public_id,
                "kind": row.indicator.kind,
                "value": row.indicator.value,
                "other_reports": row.other_reports,
                "members_seen_this_week": row.members_seen_this_week,
            }
            for row in rows
        ],
    }


@router.post("/reports/{report_id}/release", response=ReportOut)
def release(request: MemberRequest, report_id: UUID, payload: ReleaseIn) -> dict[str, object]:
    report = selectors.report_for_viewer(viewer=request.viewer, public_id=report_id)
    report_release(actor=request.user, report=report, release=payload.release, note=payload.note)
    return report_out(request.viewer, report)


@router.get("/correlation", response=CorrelationOut)
def correlation(request: MemberRequest, kind: str, value: str) -> HttpResponse:
    found = selectors.correlation(viewer=request.viewer, kind=kind, value=value)
    # Asked on every lookup (the goal is 5 ms): written without ninja's check.
    return written_json(
        {
            "kind": found.kind,
            "value": found.value,
            "members_seen": found.members_seen,
            "sightings": found.sightings,
            "reports": [report_out(request.viewer, report) for report, _ in found.reports],
        }
    )


@router.post("/sightings", response={201: SightingOut})
def sighting(request: MemberRequest, payload: SightingIn) -> Status:
    report = selectors.report_for_viewer(viewer=request.viewer, public_id=payload.report)
    indicator = report.indicators.filter(public_id=payload.indicator).first()
    if indicator is None:
        raise NotFound("no such indicator in that report", field="indicator")
    tally = sighting_record(
        actor=request.user,
        indicator=indicator,
        sighting=payload.sighting,
        count=payload.count,
        first_seen=payload.first_seen,
        last_seen=payload.last_seen,
    )
    return Status(
        201,
        {
            "kind": tally.kind,
            "value": tally.value,
            "sighting": tally.sighting,
            "count": tally.count,
        },
    )


class AlertOut(Schema):
    id: UUID
    organisation: str
    reason: str
    report: UUID
    created_at: datetime


@router.get("/alerts", response=list[AlertOut])
def alerts(request: MemberRequest) -> list[dict[str, object]]:
    return [
        {
            "id": alert.public_id,
            "organisation": alert.organisation.slug,
            "reason": alert.reason,
            "report": alert.report.public_id,
            "created_at": alert.created_at,
        }
        for alert in selectors.alerts_for_viewer(viewer=request.viewer)[:500]
    ]


class BatchItemIn(Schema):
    indicator: UUID
    count: int
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    lines: list[str] = []


class SightingBatchIn(Schema):
    key: str
    items: list[BatchItemIn]


class SightingBatchOut(Schema):
    key: str
    indicators: int
    total: int
    duplicate: bool


@router.post("/sightings/batch", response=SightingBatchOut)
def sightings_batch(request: MemberRequest, payload: SightingBatchIn) -> dict[str, object]:
    """A sweep's sightings, all or nothing; the same ``key`` again is a no-op."""
    result = sighting_batch_record(
        actor=request.user,
        viewer=request.viewer,
        key=payload.key,
        items=[
            BatchItem(i.indicator, i.count, i.first_seen, i.last_seen, tuple(i.lines))
            for i in payload.items
        ],
    )
    return {
        "key": result.key,
        "indicators": result.indicators,
        "total": result.total,
        "duplicate": result.duplicate,
    }
