"""The incident list, recording one, and its page with timeline, tasks and log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from openwarp.core.errors import OpenWarpError, PermissionDenied
from openwarp.hub.incidents.forms import (
    IncidentForm,
    IndicatorsForm,
    LinkReportForm,
    LogForm,
    StatusForm,
    TaskForm,
    TimelineForm,
)
from openwarp.hub.incidents.models import Incident, Status
from openwarp.hub.incidents.selectors import incidents as selectors
from openwarp.hub.incidents.services import incidents as services
from openwarp.hub.incidents.services.indicators import incident_indicators_add
from openwarp.hub.members.policy import Action
from openwarp.hub.members.policy.incidents import (
    may_read_private_log,
    may_record_incidents,
    may_write_incident,
)
from openwarp.hub.sharing.markdown import render_markdown
from openwarp.hub.web.decorators import MemberRequest, member_view
from openwarp.hub.web.forms import GovukForm
from openwarp.hub.web.panels import capability_panels


@member_view()
def incident_list(request: MemberRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    incidents = selectors.incident_list(viewer=request.viewer, status=status)
    return render(
        request,
        "incidents/list.html",
        {
            "rows": [(i, selectors.clocks_for(i)) for i in incidents],
            "status": status,
            "statuses": [("open", "Not closed"), *Status.choices],
            "can_record": may_record_incidents(request.viewer),
        },
    )


@member_view(Action.WRITE_CONTENT)
def incident_new(request: MemberRequest) -> HttpResponse:
    if not may_record_incidents(request.viewer):
        raise PermissionDenied("incidents are recorded by the organisation they happened to")
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_create(
                actor=request.user, draft=services.IncidentDraft(**form.cleaned_data)
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Incident recorded.")
            return redirect("incidents:detail", public_id=incident.public_id)
    return render(
        request,
        "incidents/form_page.html",
        {"form": form, "heading": "Record an incident", "button": "Record incident"},
    )


@member_view(Action.WRITE_CONTENT)
def incident_edit(request: MemberRequest, public_id: str) -> HttpResponse:
    incident = writable_incident(request, public_id)
    initial = {name: getattr(incident, name) for name in IncidentForm.base_fields}
    form = IncidentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_update(
                actor=request.user,
                incident=incident,
                draft=services.IncidentDraft(**form.cleaned_data),
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Incident updated.")
            return redirect("incidents:detail", public_id=incident.public_id)
    return render(
        request,
        "incidents/form_page.html",
        {
            "form": form,
            "caption": incident.title,
            "heading": "Change the incident",
            "button": "Save",
        },
    )


def _forms(incident: Incident, bound: GovukForm | None) -> dict[str, Any]:
    """Empty forms for the page, with the one just submitted (and its errors) in place."""
    forms: dict[str, GovukForm] = {
        "status_form": StatusForm(initial={"status": incident.status}),
        "timeline_form": TimelineForm(prefix="timeline"),
        "task_form": TaskForm(prefix="task"),
        "log_form": LogForm(prefix="log"),
        "link_form": LinkReportForm(prefix="link"),
        "indicators_form": IndicatorsForm(prefix="ioc"),
    }
    if bound is not None:
        for name, form in forms.items():
            if type(form) is type(bound):
                forms[name] = bound
    return forms


@member_view()
def incident_detail(request: MemberRequest, public_id: str) -> HttpResponse:
    incident = selectors.incident_for_viewer(viewer=request.viewer, public_id=public_id)
    return _detail_page(request, incident)


def _detail_page(
    request: MemberRequest, incident: Incident, bound: GovukForm | None = None
) -> HttpResponse:
    viewer = request.viewer
    owner = incident.organisation_id
    can_write = may_write_incident(viewer, owner_organisation_id=owner)
    reads_log = may_read_private_log(viewer, owner_organisation_id=owner)
    context = {
        "incident": incident,
        "description_html": render_markdown(incident.description),
        "clocks": selectors.clocks_for(incident),
        "breach": selectors.breach_of(incident),
        "timeline": incident.timeline.select_related("author"),
        "tasks": incident.tasks.all(),
        "log": selectors.private_log(viewer=viewer, incident=incident) if reads_log else None,
        "reports": selectors.related_reports(viewer=viewer, incident=incident),
        "indicators": selectors.linked_indicators(viewer=viewer, incident=incident),
        "can_write": can_write,
        "bound": bound,
        "panels": capability_panels("incident", viewer, incident),
    }
    if can_write:
        context |= _forms(incident, bound)
    status = 200 if bound is None else 400
    return render(request, "incidents/detail.html", context, status=status)


Change = Callable[[MemberRequest, Incident, dict[str, Any]], str]


def writable_incident(request: MemberRequest, public_id: str) -> Incident:
    """The incident, if the viewer may change it; PermissionDenied becomes a 403 page."""
    incident = selectors.incident_for_viewer(viewer=request.viewer, public_id=public_id)
    if not may_write_incident(request.viewer, owner_organisation_id=incident.organisation_id):
        raise PermissionDenied("only the organisation's members change its incidents")
    return incident


def _act(
    request: MemberRequest, public_id: str, form_class: type[GovukForm], prefix: str, act: Change
) -> HttpResponse:
    """Run one change from the incident page; on a problem, show the page with the error."""
    incident = writable_incident(request, public_id)
    if request.method != "POST":
        return redirect("incidents:detail", public_id=incident.public_id)
    form = form_class(request.POST, prefix=prefix or None)
    if form.is_valid():
        try:
            done = act(request, incident, form.cleaned_data)
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, done)
            return redirect("incidents:detail", public_id=incident.public_id)
    return _detail_page(request, incident, bound=form)


@member_view(Action.WRITE_CONTENT)
def status_set(request: MemberRequest, public_id: str) -> HttpResponse:
    def act(request: MemberRequest, incident: Incident, data: dict[str, Any]) -> str:
        services.incident_set_status(actor=request.user, incident=incident, status=data["status"])
        return f"Status set to {incident.get_status_display().lower()}."

    return _act(request, public_id, StatusForm, "", act)


@member_view(Action.WRITE_CONTENT)
def timeline_add(request: MemberRequest, public_id: str) -> HttpResponse:
    def act(request: MemberRequest, incident: Incident, data: dict[str, Any]) -> str:
        services.timeline_add(actor=request.user, incident=incident, **data)
        return "Timeline entry added."

    return _act(request, public_id, TimelineForm, "timeline", act)


@member_view(Action.WRITE_CONTENT)
def task_add(request: MemberRequest, public_id: str) -> HttpResponse:
    def act(request: MemberRequest, incident: Incident, data: dict[str, Any]) -> str:
        services.task_add(actor=request.user, incident=incident, **data)
        return f"Task “{data['title']}” added."

    return _act(request, public_id, TaskForm, "task", act)


@member_view(Action.WRITE_CONTENT)
def log_add(request: MemberRequest, public_id: str) -> HttpResponse:
    def act(request: MemberRequest, incident: Incident, data: dict[str, Any]) -> str:
        services.log_add(actor=request.user, incident=incident, text=data["text"])
        return "Note added to the private log."

    return _act(request, public_id, LogForm, "log", act)


@member_view(Action.WRITE_CONTENT)
def report_link(request: MemberRequest, public_id: str) -> HttpResponse:
    def act(request: MemberRequest, incident: Incident, data: dict[str, Any]) -> str:
        services.report_link(actor=request.user, incident=incident, report_public_id=data["report"])
        return "Report linked."

    return _act(request, public_id, LinkReportForm, "link", act)


@member_view(Action.WRITE_CONTENT)
def indicators_add(request: MemberRequest, public_id: str) -> HttpResponse:
    def act(request: MemberRequest, incident: Incident, data: dict[str, Any]) -> str:
        done = incident_indicators_add(
            actor=request.user,
            incident=incident,
            text=data["indicators"],
            tlp=data["tlp"],
            distribution=data["distribution"],
        )
        shared = f"; {done.shared} shared as a new report" if done.report else ""
        return f"{done.from_reports + done.shared} indicator(s) linked{shared}."

    return _act(request, public_id, IndicatorsForm, "ioc", act)


@member_view(Action.WRITE_CONTENT)
def task_toggle(request: MemberRequest, public_id: str, pk: int) -> HttpResponse:
    incident = writable_incident(request, public_id)
    task = get_object_or_404(incident.tasks, pk=pk)
    if request.method == "POST":
        try:
            services.task_set_done(actor=request.user, task=task, done=not task.done)
            messages.success(
                request, f"“{task.title}” marked {'done' if task.done else 'not done'}."
            )
        except OpenWarpError as error:
            messages.error(request, error.message)
    return redirect("incidents:detail", public_id=incident.public_id)
