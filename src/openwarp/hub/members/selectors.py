"""Reads for members. Each asks the policy before returning anything private."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from openwarp.core.errors import NotFound, PermissionDenied
from openwarp.hub.members.models import (
    ApiToken,
    Domain,
    NetworkRange,
    Organisation,
    OrganisationType,
    SharingGroup,
    User,
)
from openwarp.hub.members.policy import (
    Action,
    Viewer,
    may,
    may_see_organisation_details,
    suppress_small_cells,
)


def organisation_directory(
    *, viewer: Viewer, search: str = "", org_type: str = ""
) -> QuerySet[Organisation]:
    """Names and types of every active member, for any signed-in person."""
    if not viewer.signed_in:
        raise PermissionDenied("sign in to see the member directory")
    found = Organisation.objects.filter(is_active=True).select_related("region", "parent")
    if search.strip():
        found = found.filter(
            Q(name__icontains=search.strip()) | Q(subregion__icontains=search.strip())
        )
    if org_type:
        found = found.filter(org_type=org_type)
    return found


def sharing_groups_for_viewer(*, viewer: Viewer) -> QuerySet[SharingGroup]:
    """The groups a person may see (see `policy.may_see_sharing_group`), with members."""
    groups = SharingGroup.objects.prefetch_related("organisations").order_by("name")
    if viewer.runs_hub:
        return groups
    return groups.filter(pk__in=sorted(viewer.sharing_group_ids))


def sharing_group_find(*, pk: int | None) -> SharingGroup | None:
    """The group an API caller named by id; whether it may use it is the service's call."""
    if pk is None:
        return None
    group = SharingGroup.objects.filter(pk=pk).first()
    if group is None:
        raise NotFound(f"no sharing group {pk}", field="sharing_group")
    return group


def organisations_departed(*, viewer: Viewer) -> QuerySet[Organisation]:
    """Organisations that left, for the coordinators who may bring them back."""
    if not may(viewer, Action.MANAGE_ORGANISATIONS):
        return Organisation.objects.none()
    return Organisation.objects.filter(is_active=False)


def organisation_for_viewer(*, viewer: Viewer, slug: str) -> Organisation:
    organisation = organisation_directory(viewer=viewer).filter(slug=slug).first()
    if organisation is None:
        raise NotFound(f"no organisation {slug!r}")
    return organisation


@dataclass(frozen=True)
class OrganisationDetails:
    network_ranges: list[NetworkRange]
    domains: list[Domain]
    people: list[User]

    @property
    def people_with_second_factor(self) -> int:
        return sum(1 for person in self.people if person.has_totp)


def organisation_details(*, viewer: Viewer, organisation: Organisation) -> OrganisationDetails:
    """Ranges, domains and people: the organisation's own business."""
    if not may_see_organisation_details(viewer, organisation.pk):
        raise PermissionDenied(f"the details of {organisation.name} are private to it")
    return OrganisationDetails(
        network_ranges=list(organisation.network_ranges.all()),
        domains=list(organisation.domains.all()),
        people=list(organisation.people.order_by("full_name")),
    )


def people_for_viewer(*, viewer: Viewer, organisation_id: int | None = None) -> QuerySet[User]:
    """Hub roles see everyone; others see the people of their own organisation."""
    people = User.objects.select_related("organisation").order_by("email")
    if viewer.runs_hub:
        return people.filter(organisation_id=organisation_id) if organisation_id else people
    if not viewer.signed_in or viewer.organisation_id is None:
        raise PermissionDenied("you can only see people in your own organisation")
    if organisation_id not in (None, viewer.organisation_id):
        raise PermissionDenied("you can only see people in your own organisation")
    return people.filter(organisation_id=viewer.organisation_id)


def tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def region_overview(*, viewer: Viewer) -> dict[str, object]:
    """Members by organisation type. People counts are suppressed below k
    organisations for anyone who does not run the hub."""
    if not may(viewer, Action.VIEW_REGION):
        raise PermissionDenied("the regional overview is for coordinators and analysts")
    rows = (
        Organisation.objects.filter(is_active=True)
        .values("org_type")
        .annotate(organisation_count=Count("id", distinct=True), people_count=Count("people"))
        .order_by("org_type")
    )
    organisations: dict[Hashable, int] = {r["org_type"]: r["organisation_count"] for r in rows}
    people: dict[Hashable, int] = {r["org_type"]: r["people_count"] for r in rows}
    shown: dict[Hashable, int | None] = (
        dict(people) if viewer.runs_hub else suppress_small_cells(people, organisations).cells
    )
    labels: dict[Hashable, str] = dict(OrganisationType.choices)
    return {
        "rows": [
            {"type": labels[key], "organisations": organisations[key], "people": shown[key]}
            for key in organisations
        ],
        "organisation_count": sum(organisations.values()),
    }
