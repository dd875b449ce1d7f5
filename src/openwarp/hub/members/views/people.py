"""Managing colleagues: invitations, roles, deactivation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from openwarp.core.errors import OpenWarpError, PermissionDenied
from openwarp.hub.members import selectors
from openwarp.hub.members.forms import AcceptInvitationForm, InvitationForm
from openwarp.hub.members.models import Organisation, User
from openwarp.hub.members.policy import Action, Role, may, may_set_role
from openwarp.hub.members.services import people as services
from openwarp.hub.web.decorators import MemberRequest, member_view


def _roles_viewer_may_give(request: MemberRequest, organisation_id: int) -> list[Role]:
    return [
        role for role in Role if may_set_role(request.viewer, role, organisation_id=organisation_id)
    ]


def _organisation_to_manage(request: MemberRequest, slug: str) -> Organisation:
    organisation = selectors.organisation_for_viewer(viewer=request.viewer, slug=slug)
    if not may(request.viewer, Action.MANAGE_COLLEAGUES, organisation_id=organisation.pk):
        raise PermissionDenied("only the organisation's security lead manages its people")
    return organisation


@member_view(Action.MANAGE_COLLEAGUES)
def people(request: MemberRequest, slug: str) -> HttpResponse:
    organisation = _organisation_to_manage(request, slug)
    roles = _roles_viewer_may_give(request, organisation.pk)
    form = InvitationForm(request.POST or None, roles=roles)
    invitation_link = None
    if request.method == "POST" and form.is_valid():
        try:
            invitation, secret = services.invitation_create(
                actor=request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
                organisation=organisation,
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            invitation_link = request.build_absolute_uri(
                reverse("members:accept_invitation", args=[secret])
            )
            services.invitation_send(invitation=invitation, link=invitation_link)
            messages.success(request, f"Invitation sent to {invitation.email}.")
            form = InvitationForm(roles=roles)
    return render(
        request,
        "members/people.html",
        {
            "organisation": organisation,
            "people": selectors.people_for_viewer(
                viewer=request.viewer, organisation_id=organisation.pk
            ),
            "roles": roles,
            "form": form,
            "invitation_link": invitation_link,
        },
    )


@member_view(Action.MANAGE_COLLEAGUES)
def person_update(request: MemberRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation_to_manage(request, slug)
    if request.method != "POST":
        return redirect("members:people", slug=slug)
    person = get_object_or_404(
        selectors.people_for_viewer(viewer=request.viewer), pk=pk, organisation=organisation
    )
    try:
        if "role" in request.POST:
            services.user_set_role(actor=request.user, user=person, role=request.POST["role"])
            messages.success(request, f"{person.full_name} is now a {person.get_role_display()}.")
        elif "active" in request.POST:
            active = request.POST["active"] == "1"
            services.user_set_active(actor=request.user, user=person, active=active)
            state = "reactivated" if active else "deactivated"
            messages.success(request, f"{person.full_name}'s account is {state}.")
        elif "reset_second_factor" in request.POST:
            services.user_reset_second_factor(actor=request.user, user=person)
            messages.success(
                request, f"{person.full_name} will set up a new authenticator at next sign-in."
            )
    except OpenWarpError as error:
        messages.error(request, error.message)
    return redirect("members:people", slug=slug)


def accept_invitation(request: HttpRequest, secret: str) -> HttpResponse:
    try:
        invitation = services.invitation_find(secret=secret)
    except OpenWarpError as error:
        return render(request, "web/refused.html", {"message": error.message}, status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user: User = services.invitation_accept(
                secret=secret, password=form.cleaned_data["password"]
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Welcome, {user.full_name}. Sign in to continue.")
            return redirect("members:sign_in")
    return render(
        request, "members/accept_invitation.html", {"form": form, "invitation": invitation}
    )
