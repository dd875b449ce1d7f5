"""Sharing exports: a report as STIX 2.1 or a MISP event, the feed as CSV,
the hub's MISP feed directory, and the indicator export behind
``openwarp sweep --hub``. Every one is cut to what the reader may see by
``exports.export_report`` and the selectors."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpResponse, JsonResponse
from ninja import Router, Schema

from openwarp.core.sharing.csv_export import reports_csv
from openwarp.core.sharing.export_model import ExportReport
from openwarp.core.sharing.misp_export import misp_event, misp_feed
from openwarp.core.sharing.stix_export import report_bundle
from openwarp.hub.api_json import written_json
from openwarp.hub.sharing import export_selectors, selectors
from openwarp.hub.sharing.exports import export_report, hub_identity
from openwarp.hub.web.decorators import MemberRequest

router = Router(tags=["sharing"])


def _exportable(request: MemberRequest, report_id: UUID) -> ExportReport:
    report = selectors.report_for_viewer(viewer=request.viewer, public_id=report_id)
    return export_report(request.viewer, report)


@router.get("/reports/{report_id}/stix", response=dict[str, Any])
def report_stix(request: MemberRequest, report_id: UUID) -> HttpResponse:
    """The report as a STIX 2.1 bundle with its TLP 2.0 marking."""
    bundle = report_bundle([_exportable(request, report_id)], hub=hub_identity())
    return JsonResponse(bundle, content_type="application/stix+json;version=2.1")


@router.get("/reports/{report_id}/misp", response=dict[str, Any])
def report_misp(request: MemberRequest, report_id: UUID) -> dict[str, Any]:
    """The report as a MISP event (`{"Event": {...}}`)."""
    return misp_event(_exportable(request, report_id))


@router.get("/reports.csv", response=str)
def feed_csv(
    request: MemberRequest, q: str = "", threat_type: str = "", tlp: str = "", limit: int = 500
) -> HttpResponse:
    """The visible feed, one row per indicator, for spreadsheets and SIEM imports."""
    reports = selectors.report_feed(
        viewer=request.viewer,
        search=q,
        threat_type=threat_type,
        tlp=tlp,
        limit=max(1, min(limit, 5000)),
    )
    body = reports_csv([export_report(request.viewer, report) for report in reports])
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="openwarp-reports.csv"'
    return response


class ExportedIndicatorOut(Schema):
    id: UUID
    type: str
    value: str
    report: UUID
    tlp: str
    warninglisted: bool
    warninglist: str


class IndicatorPageOut(Schema):
    items: list[ExportedIndicatorOut]
    until: datetime
    next_after: UUID | None


@router.get("/indicators", response=IndicatorPageOut)
def indicators_export(
    request: MemberRequest,
    added_after: datetime | None = None,
    until: datetime | None = None,
    after: UUID | None = None,
    limit: int = 1000,
) -> HttpResponse:
    """What ``openwarp sweep --hub`` caches: every indicator of the published
    reports you may see, published after ``added_after`` and up to ``until``
    (the hub's time at the first page; pass it back with ``next_after`` as
    ``after`` until that is null, then keep ``until`` as the next
    ``added_after``)."""
    page = export_selectors.indicators_export(
        viewer=request.viewer, added_after=added_after, until=until, after=after, limit=limit
    )
    body = {
        "items": [
            {
                "id": str(indicator.public_id),
                "type": indicator.kind,
                "value": indicator.value,
                "report": str(indicator.report.public_id),
                "tlp": indicator.report.tlp,
                "warninglisted": bool(indicator.warninglist),
                "warninglist": indicator.warninglist,
            }
            for indicator in page.indicators
        ],
        # In the hub's own time format, which clients hand back as `until`.
        "until": page.until,
        "next_after": str(page.next_after) if page.next_after else None,
    }
    return written_json(body)  # thousands of plain rows


def _feed_files(request: MemberRequest, reports: list[Any]) -> dict[str, str]:
    return misp_feed([export_report(request.viewer, r) for r in reports], hub=hub_identity())


@router.get("/misp-feed/manifest.json", response=dict[str, Any])
def misp_feed_manifest(request: MemberRequest) -> HttpResponse:
    """The hub as a MISP feed: point a MISP "feed" at ``/api/v1/misp-feed``
    with an ``Authorization: Bearer`` header, and it reads what you may see."""
    files = _feed_files(request, export_selectors.misp_feed_reports(viewer=request.viewer))
    return HttpResponse(files["manifest.json"], content_type="application/json")


@router.get("/misp-feed/hashes.csv", response=str)
def misp_feed_hashes(request: MemberRequest) -> HttpResponse:
    files = _feed_files(request, export_selectors.misp_feed_reports(viewer=request.viewer))
    return HttpResponse(files["hashes.csv"], content_type="text/csv; charset=utf-8")


@router.get("/misp-feed/{event_id}.json", response=dict[str, Any])
def misp_feed_event(request: MemberRequest, event_id: UUID) -> HttpResponse:
    report = export_selectors.misp_feed_report(viewer=request.viewer, public_id=event_id)
    files = _feed_files(request, [report])
    return HttpResponse(files[f"{report.public_id}.json"], content_type="application/json")
