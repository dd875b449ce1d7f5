"""Lenders' pages: the offers inbox, answering an offer, a deployment's time sheet; and
the coordinator's conflict list."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openwarp.core.errors import OpenWarpError, PermissionDenied
from openwarp.hub.members.policy.mutualaid import (
    may_answer_offer,
    may_coordinate,
    may_log_time,
    may_use_mutual_aid,
)
from openwarp.hub.mutualaid import selectors
from openwarp.hub.mutualaid.forms import AcceptForm, ConflictForm, DeclineForm, TimeEntryForm
from openwarp.hub.mutualaid.models import RosterPackage
from openwarp.hub.mutualaid.services import deployments, offers, roster
from openwarp.hub.web.decorators import MemberRequest, member_view


@member_view()
def offer_inbox(request: MemberRequest) -> HttpResponse:
    if not may_use_mutual_aid(request.viewer):
        raise PermissionDenied("mutual aid is for member organisations and the hub")
    found = selectors.offers_for_viewer(viewer=request.viewer)
    return render(
        request,
        "mutualaid/offers.html",
        {"awaiting": found.filter(status="pending"), "answered": found.exclude(status="pending")},
    )


def _agreement(form: AcceptForm, packages: dict[str, RosterPackage]) -> offers.Agreement:
    data = form.cleaned_data
    return offers.Agreement(
        terms=data["terms"],
        cost_basis=data["cost_basis"],
        confidentiality_agreed=data["confidentiality"],
        day_rate=data["day_rate"],
        package=packages.get(data["package"]),
    )


@member_view()
def offer_detail(request: MemberRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_for_viewer(viewer=request.viewer, pk=pk)
    can_answer = may_answer_offer(request.viewer, offer.person.organisation_id)
    if request.method == "POST" and not can_answer:
        raise PermissionDenied("only the lending organisation's security lead answers this offer")
    packages = {str(p.pk): p for p in offer.person.packages.all()}
    posted = request.POST if request.method == "POST" else None
    decision = request.POST.get("decision")
    accept = AcceptForm(posted if decision == "accept" else None, packages=list(packages.values()))
    decline = DeclineForm(posted if decision == "decline" else None, prefix="decline")
    try:
        if decision == "accept" and accept.is_valid():
            deployment = offers.offer_accept(
                actor=request.user, offer=offer, agreement=_agreement(accept, packages)
            )
            messages.success(request, f"Accepted: {offer.person.title} is deployed.")
            return redirect("mutualaid:deployment", pk=deployment.pk)
        if decision == "decline" and decline.is_valid():
            offers.offer_decline(
                actor=request.user, offer=offer, reason=decline.cleaned_data["reason"]
            )
            messages.success(request, "Offer declined.")
            return redirect("mutualaid:offers")
    except OpenWarpError as error:
        (accept if decision == "accept" else decline).add_service_error(error)
    return render(
        request,
        "mutualaid/offer.html",
        {
            "offer": offer,
            "form": accept,
            "decline": decline,
            "can_answer": offer.status == "pending" and can_answer,
        },
    )


@member_view()
def deployment_detail(request: MemberRequest, pk: int) -> HttpResponse:
    deployment = selectors.deployment_for_viewer(viewer=request.viewer, pk=pk)
    can_log = may_log_time(request.viewer, lender_id=deployment.person.organisation_id)
    if request.method == "POST" and not can_log:
        raise PermissionDenied("only the lending organisation logs this deployment's time")
    form = TimeEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deployments.time_entry_add(
                actor=request.user,
                deployment=deployment,
                day=data["day"],
                hours=data["hours"],
                expenses=data["expenses"] or Decimal(0),
                note=data["note"],
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"{data['hours']} hours logged for {data['day']:%d %b %Y}.")
            return redirect("mutualaid:deployment", pk=deployment.pk)
    entries = list(deployment.entries.all())
    return render(
        request,
        "mutualaid/deployment.html",
        {
            "deployment": deployment,
            "entries": entries,
            "total_hours": sum((e.hours for e in entries), Decimal(0)),
            "total_expenses": sum((e.expenses for e in entries), Decimal(0)),
            "form": form,
            "can_log": can_log and deployment.request.status == "open",
        },
    )


@member_view()
def conflict_list(request: MemberRequest) -> HttpResponse:
    if not may_coordinate(request.viewer):
        raise PermissionDenied("only coordinators keep the conflict list")
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            roster.conflict_add(actor=request.user, **form.cleaned_data)
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Conflict recorded.")
            return redirect("mutualaid:conflicts")
    return render(
        request,
        "mutualaid/conflicts.html",
        {"form": form, "pairs": selectors.conflicts(viewer=request.viewer)},
    )


@require_POST
@member_view()
def conflict_remove(request: MemberRequest, pk: int) -> HttpResponse:
    if not may_coordinate(request.viewer):
        raise PermissionDenied("only coordinators keep the conflict list")
    pair = get_object_or_404(selectors.conflicts(viewer=request.viewer), pk=pk)
    roster.conflict_remove(actor=request.user, pair=pair)
    messages.success(request, f"{pair.org_a.name} and {pair.org_b.name} removed from the list.")
    return redirect("mutualaid:conflicts")
