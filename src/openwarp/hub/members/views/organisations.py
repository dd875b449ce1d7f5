"""The member directory, organisation pages, and registering ranges and domains."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from openwarp.core.errors import OpenWarpError
from openwarp.hub.members import selectors
from openwarp.hub.members.forms import (
    DomainForm,
    NetworkRangeForm,
    OrganisationEditForm,
    OrganisationForm,
)
from openwarp.hub.members.models import (
    Domain,
    NetworkRange,
    Organisation,
    OrganisationType,
)
from openwarp.hub.members.policy import Action, may, may_see_organisation_details
from openwarp.hub.members.services import organisations as services
from openwarp.hub.web.decorators import MemberRequest, member_view
from openwarp.hub.web.forms import GovukForm


@member_view()
def organisation_list(request: MemberRequest) -> HttpResponse:
    search, org_type = request.GET.get("q", ""), request.GET.get("type", "")
    organisations = selectors.organisation_directory(
        viewer=request.viewer, search=search, org_type=org_type
    )
    return render(
        request,
        "members/organisation_list.html",
        {
            "organisations": organisations,
            "search": search,
            "org_type": org_type,
            "types": OrganisationType.choices,
            "can_add": may(request.viewer, Action.MANAGE_ORGANISATIONS),
            "departed": selectors.organisations_departed(viewer=request.viewer),
        },
    )


@member_view(Action.MANAGE_ORGANISATIONS)
def organisation_new(request: MemberRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = services.organisation_create(
                actor=request.user,
                name=data["name"],
                org_type=data["org_type"],
                region=services.region_of_hub(),
                parent=data["parent"],
                population=data["population"],
                subregion=data["subregion"],
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"{organisation.name} added.")
            return redirect("members:organisation_detail", slug=organisation.slug)
    return render(request, "members/organisation_new.html", {"form": form})


@member_view(Action.MANAGE_ORGANISATIONS)
def organisation_edit(request: MemberRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    form = OrganisationEditForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_update(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"{organisation.name} saved.")
            if not organisation.is_active:
                return redirect("members:organisation_list")
            return redirect("members:organisation_detail", slug=organisation.slug)
    return render(
        request, "members/organisation_edit.html", {"form": form, "organisation": organisation}
    )


@member_view()
def organisation_detail(request: MemberRequest, slug: str) -> HttpResponse:
    viewer = request.viewer
    organisation = selectors.organisation_for_viewer(viewer=viewer, slug=slug)
    context: dict[str, object] = {"organisation": organisation}
    if may_see_organisation_details(viewer, organisation.pk):
        context["details"] = selectors.organisation_details(
            viewer=viewer, organisation=organisation
        )
        context["can_manage_networks"] = may(
            viewer, Action.MANAGE_NETWORKS, organisation_id=organisation.pk
        )
        context["can_edit"] = may(viewer, Action.MANAGE_ORGANISATIONS)
        context["can_manage_people"] = may(
            viewer, Action.MANAGE_COLLEAGUES, organisation_id=organisation.pk
        )
    if context.get("can_manage_networks"):
        range_form = NetworkRangeForm(request.POST if "add_range" in request.POST else None)
        domain_form = DomainForm(request.POST if "add_domain" in request.POST else None)
        context.update(range_form=range_form, domain_form=domain_form)
        if request.method == "POST":
            done = _add_network(request, organisation, range_form, domain_form)
            if done:
                return redirect("members:organisation_detail", slug=slug)
    return render(request, "members/organisation_detail.html", context)


def _add_network(
    request: MemberRequest,
    organisation: Organisation,
    range_form: GovukForm,
    domain_form: GovukForm,
) -> bool:
    try:
        if "add_range" in request.POST and range_form.is_valid():
            network = services.network_range_add(
                actor=request.user,
                organisation=organisation,
                cidr=range_form.cleaned_data["cidr"],
                description=range_form.cleaned_data["description"],
            )
            messages.success(request, f"{network.cidr} registered.")
            return True
        if "add_domain" in request.POST and domain_form.is_valid():
            domain = services.domain_add(
                actor=request.user,
                organisation=organisation,
                name=domain_form.cleaned_data["domain"],
            )
            messages.success(request, f"{domain.name} registered.")
            return True
    except OpenWarpError as error:
        form = range_form if "add_range" in request.POST else domain_form
        form.add_service_error(error)
    return False


@member_view(Action.MANAGE_NETWORKS)
def network_remove(request: MemberRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("members:organisation_detail", slug=slug)
    if kind == "range":
        network = get_object_or_404(NetworkRange, pk=pk, organisation__slug=slug)
        services.network_range_remove(actor=request.user, network=network)
        messages.success(request, f"{network.cidr} removed.")
    else:
        domain = get_object_or_404(Domain, pk=pk, organisation__slug=slug)
        services.domain_remove(actor=request.user, domain=domain)
        messages.success(request, f"{domain.name} removed.")
    return redirect("members:organisation_detail", slug=slug)
