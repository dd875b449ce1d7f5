"""Request pages: asking for help, the coordinator's candidates and offers, closing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openwarp.core.errors import OpenWarpError, PermissionDenied
from openwarp.hub.members.policy.incidents import may_view_incident
from openwarp.hub.members.policy.mutualaid import (
    may_coordinate,
    may_edit_request,
    may_request_aid,
    may_use_mutual_aid,
    may_withdraw_offer,
    reimbursement_scope,
)
from openwarp.hub.mutualaid import selectors
from openwarp.hub.mutualaid.access import request_facts
from openwarp.hub.mutualaid.candidates import candidate_plan
from openwarp.hub.mutualaid.forms import NEED_ROWS, CloseForm, RequestForm
from openwarp.hub.mutualaid.joint import joint_plan
from openwarp.hub.mutualaid.models import AidRequest, RosterPackage, RosterPerson
from openwarp.hub.mutualaid.reimbursement import (
    csv_response,
    reimbursement_csv,
    reimbursement_lines,
)
from openwarp.hub.mutualaid.services import offers, requests
from openwarp.hub.mutualaid.views import form_page
from openwarp.hub.web.decorators import MemberRequest, member_view


@member_view()
def request_list(request: MemberRequest) -> HttpResponse:
    if not may_use_mutual_aid(request.viewer):
        raise PermissionDenied("mutual aid is for member organisations and the hub")
    found = selectors.requests_for_viewer(viewer=request.viewer).prefetch_related("needs")
    organisation_id = request.viewer.organisation_id
    return render(
        request,
        "mutualaid/requests.html",
        {
            "requests": found,
            "can_ask": organisation_id is not None
            and may_request_aid(request.viewer, organisation_id),
        },
    )


def _initial(found: AidRequest) -> dict[str, object]:
    initial: dict[str, object] = {
        "title": found.title,
        "summary": found.summary,
        "incident_summary": found.incident_summary,
        "mode": found.mode,
        "language": found.language,
        "starts_at": timezone.localtime(found.starts_at),
        "days": found.days,
        "priority": str(found.priority),
        "latitude": found.latitude,
        "longitude": found.longitude,
    }
    for row, need in enumerate(list(found.needs.all())[:NEED_ROWS], start=1):
        initial.update(
            {
                f"need_{row}_skill": need.skill,
                f"need_{row}_level": str(need.min_level),
                f"need_{row}_people": need.people,
                f"need_{row}_vetted": need.vetting_required,
            }
        )
    return initial


@member_view()
def request_new(request: MemberRequest) -> HttpResponse:
    organisation = request.user.organisation
    if organisation is None or not may_request_aid(request.viewer, organisation.pk):
        raise PermissionDenied("only your organisation's security lead asks for mutual aid")
    form = RequestForm(
        request.POST or None, initial={"starts_at": timezone.localtime().replace(second=0)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = requests.request_create(
                actor=request.user, organisation=organisation, draft=form.draft()
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Request sent to the regional coordinator.")
            return redirect("mutualaid:request", pk=made.pk)
    return form_page(
        request,
        form,
        heading="Ask the region for help",
        caption=organisation.name,
        button="Send request",
    )


@member_view()
def request_edit(request: MemberRequest, pk: int) -> HttpResponse:
    found = selectors.request_for_viewer(viewer=request.viewer, pk=pk)
    if not may_edit_request(request.viewer, request_facts(found)):
        raise PermissionDenied("only the requesting organisation's security lead changes this")
    form = RequestForm(request.POST or None, initial=_initial(found))
    if request.method == "POST" and form.is_valid():
        try:
            requests.request_update(actor=request.user, request=found, draft=form.draft())
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Request changed.")
            return redirect("mutualaid:request", pk=found.pk)
    return form_page(
        request,
        form,
        heading=f"Change “{found.title}”",
        caption=found.organisation.name,
        button="Save changes",
    )


@member_view()
def request_detail(request: MemberRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    found = selectors.request_for_viewer(viewer=viewer, pk=pk)
    coordinating = may_coordinate(viewer) and found.status == "open"
    return render(
        request,
        "mutualaid/request.html",
        {
            "aid": found,
            "needs": found.needs.all(),
            "plan": candidate_plan(found) if coordinating else None,
            "offers": selectors.offers_for_viewer(viewer=viewer, request=found),
            "deployments": selectors.deployments_for_viewer(viewer=viewer, request=found),
            "can_edit": may_edit_request(viewer, request_facts(found)) and found.status == "open",
            "coordinating": coordinating,
            "can_withdraw": may_withdraw_offer(viewer) and found.status == "open",
            "can_export": reimbursement_scope(viewer, requester_id=found.organisation_id)
            is not None,
            "incident": found.incident
            if found.incident
            and may_view_incident(viewer, owner_organisation_id=found.incident.organisation_id)
            else None,
        },
    )


@require_POST
@member_view()
def offer_send(request: MemberRequest, pk: int) -> HttpResponse:
    found = selectors.request_for_viewer(viewer=request.viewer, pk=pk)
    if not may_coordinate(request.viewer):
        raise PermissionDenied("only coordinators send offers")
    need = get_object_or_404(found.needs, pk=request.POST.get("need") or 0)
    person = get_object_or_404(RosterPerson, pk=request.POST.get("person") or 0)
    try:
        offers.offer_send(actor=request.user, request=found, need=need, person=person)
        messages.success(request, f"Offer sent to {person.organisation.name} for {person.title}.")
    except OpenWarpError as error:
        messages.error(request, error.message)
    if request.POST.get("next") == "plan":
        return redirect("mutualaid:joint_plan")
    return redirect("mutualaid:request", pk=found.pk)


@require_POST
@member_view()
def package_offer_send(request: MemberRequest, pk: int) -> HttpResponse:
    found = selectors.request_for_viewer(viewer=request.viewer, pk=pk)
    if not may_coordinate(request.viewer):
        raise PermissionDenied("only coordinators send offers")
    need = get_object_or_404(found.needs, pk=request.POST.get("need") or 0)
    package = get_object_or_404(RosterPackage, pk=request.POST.get("package") or 0)
    try:
        sent = offers.package_offer_send(
            actor=request.user, request=found, need=need, package=package
        )
        messages.success(
            request, f"{len(sent)} offers sent to {package.organisation.name} for “{package.name}”."
        )
    except OpenWarpError as error:
        messages.error(request, error.message)
    return redirect("mutualaid:request", pk=found.pk)


@require_POST
@member_view()
def request_conflicts(request: MemberRequest, pk: int) -> HttpResponse:
    found = selectors.request_for_viewer(viewer=request.viewer, pk=pk)
    if not may_coordinate(request.viewer):
        raise PermissionDenied("only coordinators decide this")
    try:
        requests.request_set_conflict_avoidance(
            actor=request.user, request=found, avoid=request.POST.get("avoid") == "on"
        )
        messages.success(request, "Conflict-of-interest setting saved.")
    except OpenWarpError as error:
        messages.error(request, error.message)
    return redirect("mutualaid:request", pk=found.pk)


@member_view()
def request_close(request: MemberRequest, pk: int) -> HttpResponse:
    found = selectors.request_for_viewer(viewer=request.viewer, pk=pk)
    if not may_edit_request(request.viewer, request_facts(found)):
        raise PermissionDenied("only the requesting organisation's security lead closes this")
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            requests.request_close(
                actor=request.user,
                request=found,
                helped=form.cleaned_data["helped"],
                not_helped=form.cleaned_data["not_helped"],
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Request closed. Thank you for the review.")
            return redirect("mutualaid:request", pk=found.pk)
    return form_page(
        request,
        form,
        heading=f"Close “{found.title}”",
        caption="A short review",
        button="Close request",
    )


@member_view()
def joint_plan_page(request: MemberRequest) -> HttpResponse:
    """The coordinator plans every open request together, then sends offers per request."""
    if not may_coordinate(request.viewer):
        raise PermissionDenied("only coordinators plan mutual aid")
    return render(request, "mutualaid/joint_plan.html", {"plan": joint_plan()})


@require_POST
@member_view()
def offer_withdraw(request: MemberRequest, pk: int, offer_pk: int) -> HttpResponse:
    found = selectors.request_for_viewer(viewer=request.viewer, pk=pk)
    if not may_withdraw_offer(request.viewer):
        raise PermissionDenied("only coordinators withdraw offers")
    offer = get_object_or_404(
        selectors.offers_for_viewer(viewer=request.viewer, request=found), pk=offer_pk
    )
    try:
        offers.offer_withdraw(
            actor=request.user, offer=offer, reason=request.POST.get("reason", "")
        )
        messages.success(
            request,
            f"Offer of {offer.person.title} withdrawn; {offer.person.organisation.name} "
            "has been told.",
        )
    except OpenWarpError as error:
        messages.error(request, error.message)
    return redirect("mutualaid:request", pk=found.pk)


@member_view()
def request_reimbursement(request: MemberRequest, pk: int) -> HttpResponse:
    found = selectors.request_for_viewer(viewer=request.viewer, pk=pk)
    lines = reimbursement_lines(viewer=request.viewer, request=found)
    return csv_response(reimbursement_csv(lines), f"reimbursement-request-{found.pk}.csv")
