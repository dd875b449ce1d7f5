"""Roster pages: an organisation's people, packages and lendable capacity."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from openwarp.core.errors import OpenWarpError, PermissionDenied
from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy.mutualaid import may_edit_roster, may_use_mutual_aid
from openwarp.hub.mutualaid import selectors
from openwarp.hub.mutualaid.forms import CapacityForm, PackageForm, PersonForm
from openwarp.hub.mutualaid.models import LEVEL_LABELS, SKILL_LABELS, RosterPerson
from openwarp.hub.mutualaid.services import roster
from openwarp.hub.mutualaid.views import form_page
from openwarp.hub.web.decorators import MemberRequest, member_view


def _editable(request: MemberRequest, slug: str) -> Organisation:
    organisation = selectors.roster_organisation(viewer=request.viewer, slug=slug)
    if not may_edit_roster(request.viewer, organisation.pk):
        raise PermissionDenied("only the organisation's security lead edits its roster")
    return organisation


@member_view()
def roster_index(request: MemberRequest) -> HttpResponse:
    """Members go to their own roster; the hub sees every organisation's."""
    if not may_use_mutual_aid(request.viewer):
        raise PermissionDenied("mutual aid is for member organisations and the hub")
    if not request.viewer.runs_hub and request.user.organisation is not None:
        return redirect("mutualaid:roster", slug=request.user.organisation.slug)
    rosters = selectors.roster_summaries(viewer=request.viewer)
    return render(request, "mutualaid/roster_index.html", {"rosters": rosters})


@member_view()
def roster_detail(request: MemberRequest, slug: str) -> HttpResponse:
    viewer = request.viewer
    organisation = selectors.roster_organisation(viewer=viewer, slug=slug)
    people = selectors.roster_people(viewer=viewer, organisation=organisation)
    return render(
        request,
        "mutualaid/roster.html",
        {
            "organisation": organisation,
            "people": people,
            "packages": selectors.roster_packages(viewer=viewer, organisation=organisation),
            "capacity": selectors.roster_capacity(viewer=viewer, organisation=organisation),
            "can_edit": may_edit_roster(viewer, organisation.pk),
            "skill_labels": SKILL_LABELS,
            "level_labels": LEVEL_LABELS,
        },
    )


def _person_initial(person: RosterPerson) -> dict[str, object]:
    initial: dict[str, object] = {
        "title": person.title,
        "vetting": person.vetting,
        "languages": person.languages,
        "max_days": person.max_days,
        "is_active": person.is_active,
        "latitude": person.latitude,
        "longitude": person.longitude,
        "windows": "\n".join(
            f"{w.starts_at:%Y-%m-%d} to {w.ends_at:%Y-%m-%d}" for w in person.windows.all()
        ),
    }
    initial.update({f"skill_{s.skill}": str(s.level) for s in person.skills.all()})
    return initial


def _person_form(request: MemberRequest, slug: str, pk: int | None) -> HttpResponse:
    organisation = _editable(request, slug)
    person = None
    if pk is not None:
        person = selectors.roster_person(viewer=request.viewer, organisation=organisation, pk=pk)
    form = PersonForm(request.POST or None, initial=_person_initial(person) if person else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = roster.person_save(
                actor=request.user, organisation=organisation, draft=form.draft(), person=person
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"{saved.title} saved to the roster.")
            return redirect("mutualaid:roster", slug=organisation.slug)
    return form_page(
        request,
        form,
        heading=f"Edit {person.title}" if person else "Add a person to the roster",
        caption=organisation.name,
    )


@member_view()
def person_new(request: MemberRequest, slug: str) -> HttpResponse:
    return _person_form(request, slug, None)


@member_view()
def person_edit(request: MemberRequest, slug: str, pk: int) -> HttpResponse:
    return _person_form(request, slug, pk)


@member_view()
def package_new(request: MemberRequest, slug: str) -> HttpResponse:
    organisation = _editable(request, slug)
    people = list(organisation.roster_people.filter(is_active=True))
    form = PackageForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        chosen = [p for p in people if str(p.pk) in form.cleaned_data["people"]]
        try:
            roster.package_create(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                day_rate=form.cleaned_data["day_rate"],
                people=chosen,
                description=form.cleaned_data["description"],
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Package saved.")
            return redirect("mutualaid:roster", slug=organisation.slug)
    return form_page(request, form, heading="Add a package", caption=organisation.name)


@member_view()
def capacity_new(request: MemberRequest, slug: str) -> HttpResponse:
    organisation = _editable(request, slug)
    form = CapacityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            roster.capacity_add(actor=request.user, organisation=organisation, **form.cleaned_data)
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Capacity saved.")
            return redirect("mutualaid:roster", slug=organisation.slug)
    return form_page(
        request, form, heading="Add equipment or a service you can lend", caption=organisation.name
    )
