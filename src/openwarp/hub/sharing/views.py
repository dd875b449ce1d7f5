"""The feed, report pages, writing a report, sightings and the release queue."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from openwarp.core.errors import OpenWarpError, PermissionDenied
from openwarp.core.tlp import TLP
from openwarp.hub.members.models import SharingGroup
from openwarp.hub.members.policy import ANONYMOUS_VISITOR, Action
from openwarp.hub.members.policy.sharing import may_add_indicators
from openwarp.hub.sharing import selectors
from openwarp.hub.sharing.access import shareable, source_label
from openwarp.hub.sharing.forms import IndicatorsForm, ReportForm, SightingForm
from openwarp.hub.sharing.markdown import render_markdown
from openwarp.hub.sharing.models import Indicator, Report, ThreatType
from openwarp.hub.sharing.services.early_warning import alert_acknowledge
from openwarp.hub.sharing.services.reports import (
    ReportDraft,
    report_create,
    report_indicators_add,
    report_release,
)
from openwarp.hub.sharing.services.sightings import sighting_record
from openwarp.hub.web.decorators import MemberRequest, member_view
from openwarp.hub.web.panels import capability_panels


@member_view()
def feed(request: MemberRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "") for key in ("q", "threat_type", "tlp")}
    reports = selectors.report_feed(
        viewer=request.viewer,
        search=filters["q"],
        threat_type=filters["threat_type"],
        tlp=filters["tlp"],
    )
    return render(
        request,
        "sharing/feed.html",
        {
            "rows": [(report, source_label(request.viewer, report)) for report in reports],
            "filters": filters,
            "threat_types": ThreatType.choices,
            "levels": [(t.value, t.label) for t in TLP],
            "campaigns": selectors.campaigns(viewer=request.viewer),
        },
    )


@member_view(Action.WRITE_CONTENT)
def report_new(request: MemberRequest) -> HttpResponse:
    groups = SharingGroup.objects.filter(organisations=request.user.organisation_id)
    form = ReportForm(request.POST or None, request.FILES or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["indicators_file"]
        draft = ReportDraft(
            title=data["title"],
            summary=data["summary"],
            description=data["description"],
            threat_type=data["threat_type"],
            confidence=data["confidence"],
            tlp=data["tlp"],
            distribution=data["distribution"],
            indicators_text=data["indicators"],
            indicators_file=(upload.name, upload.read()) if upload else None,
            anonymous=data["anonymous"],
            sharing_group=data["sharing_group"],
        )
        try:
            report, unrecognised = report_create(actor=request.user, draft=draft)
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            for where, text in unrecognised[:20]:
                messages.warning(request, f"Not kept, {where}: {text}")
            done = (
                "sent to the coordinator for anonymous release" if report.anonymous else "published"
            )
            messages.success(request, f"Report {done} with {report.indicators.count()} indicators.")
            return redirect("sharing:report", public_id=report.public_id)
    return render(request, "sharing/report_new.html", {"form": form})


@member_view()
def report_detail(request: MemberRequest, public_id: str) -> HttpResponse:
    report = selectors.report_for_viewer(viewer=request.viewer, public_id=public_id)
    return render(
        request,
        "sharing/report.html",
        {
            "report": report,
            "source": source_label(request.viewer, report),
            "description_html": render_markdown(report.description),
            "indicators": selectors.indicators_for_report(viewer=request.viewer, report=report),
            "sighting_form": SightingForm(),
            "may_add": may_add_indicators(request.viewer, shareable(report)),
        },
    )


@member_view(Action.WRITE_CONTENT)
def indicators_new(request: MemberRequest, public_id: str) -> HttpResponse:
    """Add values to a report already written (its author or the lead)."""
    report = selectors.report_for_viewer(viewer=request.viewer, public_id=public_id)
    if not may_add_indicators(request.viewer, shareable(report)):
        raise PermissionDenied("only the report's author or its organisation's security leads")
    form = IndicatorsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["indicators_file"]
        try:
            added, not_kept = report_indicators_add(
                actor=request.user,
                report=report,
                text=form.cleaned_data["indicators"],
                file=(upload.name, upload.read()) if upload else None,
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            for where, text in not_kept[:20]:
                messages.warning(request, f"Not kept, {where}: {text}")
            messages.success(request, f"{added} new indicator{'s' if added != 1 else ''} added.")
            return redirect("sharing:report", public_id=report.public_id)
    return render(request, "sharing/indicators_new.html", {"form": form, "report": report})


@member_view(Action.WRITE_CONTENT)
def sighting_new(request: MemberRequest, public_id: str, indicator_id: UUID) -> HttpResponse:
    report = selectors.report_for_viewer(viewer=request.viewer, public_id=public_id)
    indicator = get_object_or_404(Indicator, public_id=indicator_id, report=report)
    form = SightingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sighting_record(
                actor=request.user,
                indicator=indicator,
                sighting=form.cleaned_data["sighting"],
                count=form.cleaned_data["count"],
            )
            messages.success(request, f"Sighting of {indicator.value} recorded.")
        except OpenWarpError as error:
            messages.error(request, error.message)
    return redirect("sharing:report", public_id=report.public_id)


@member_view()
def indicator_detail(request: MemberRequest, kind: str, value: str) -> HttpResponse:
    found = selectors.correlation(viewer=request.viewer, kind=kind, value=value)
    panels = capability_panels("indicator", request.viewer, kind, value)
    return render(request, "sharing/indicator.html", {"correlation": found, "panels": panels})


@member_view(Action.REVIEW_ANONYMOUS)
def release_queue(request: MemberRequest) -> HttpResponse:
    if request.method == "POST":
        report = selectors.report_for_viewer(
            viewer=request.viewer, public_id=request.POST.get("report", "")
        )
        try:
            report_release(
                actor=request.user,
                report=report,
                release=request.POST.get("decision") == "release",
                note=request.POST.get("note", ""),
            )
            messages.success(
                request,
                f"“{report.title}” {'released' if report.state == 'published' else 'withheld'}.",
            )
        except OpenWarpError as error:
            messages.error(request, error.message)
        return redirect("sharing:release_queue")
    reports = selectors.reports_awaiting_release(viewer=request.viewer).select_related(
        "owner_organisation__region"
    )
    return render(
        request,
        "sharing/release_queue.html",
        {
            "rows": [(r, r.owner_organisation.name, source_label_for_others(r)) for r in reports],
        },
    )


def source_label_for_others(report: Report) -> str:
    """What members will see as the source once the coordinator releases it."""
    return source_label(ANONYMOUS_VISITOR, report)


@member_view()
def alerts(request: MemberRequest) -> HttpResponse:
    if request.method == "POST":
        alert = get_object_or_404(
            selectors.alerts_for_viewer(viewer=request.viewer),
            public_id=_uuid_or_none(request.POST.get("alert")),
        )
        try:
            alert_acknowledge(actor=request.user, alert=alert)
            messages.success(request, "Warning acknowledged.")
        except OpenWarpError as error:
            messages.error(request, error.message)
        return redirect("sharing:alerts")
    return render(
        request,
        "sharing/alerts.html",
        {"alerts": selectors.alerts_for_viewer(viewer=request.viewer)[:200]},
    )


def _uuid_or_none(text: str | None) -> UUID | None:
    try:
        return UUID(text or "")
    except ValueError:
        return None
