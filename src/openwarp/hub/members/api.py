"""Members API: who am I, the directory, organisations' networks, people, tokens."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema, Status

from openwarp.core.errors import PermissionDenied
from openwarp.hub.members import selectors
from openwarp.hub.members.models import ApiToken, Organisation, SharingGroup
from openwarp.hub.members.policy import Action, Viewer, may
from openwarp.hub.members.services import organisations as services
from openwarp.hub.members.services import sharing_groups as group_services
from openwarp.hub.web.decorators import MemberRequest

router = Router(tags=["members"])


class OrganisationOut(Schema):
    slug: str
    name: str
    org_type: str
    parent: str | None
    population: int | None
    subregion: str
    region: str
    is_active: bool


def organisation_out(organisation: Organisation) -> dict[str, object]:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "org_type": organisation.org_type,
        "parent": organisation.parent.slug if organisation.parent else None,
        "population": organisation.population,
        "subregion": organisation.subregion,
        "region": organisation.region.name,
        "is_active": organisation.is_active,
    }


class OrganisationIn(Schema):
    name: str
    org_type: str
    parent: str | None = None
    population: int | None = None
    subregion: str = ""


class OrganisationPatch(Schema):
    """Only the fields sent change; `is_active: false` records that it left the hub."""

    name: str | None = None
    org_type: str | None = None
    parent: str | None = None
    population: int | None = None
    subregion: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    is_active: bool | None = None


class NetworkRangeOut(Schema):
    cidr: str
    description: str


class NetworkRangeIn(Schema):
    cidr: str
    description: str = ""


class DomainOut(Schema):
    name: str


class DomainIn(Schema):
    domain: str


class PersonOut(Schema):
    email: str
    full_name: str
    role: str
    organisation: str | None
    is_active: bool
    has_totp: bool

    @staticmethod
    def resolve_organisation(obj: object) -> str | None:
        organisation = getattr(obj, "organisation", None)
        return organisation.slug if organisation else None


class OrganisationDetailOut(OrganisationOut):
    network_ranges: list[NetworkRangeOut]
    domains: list[DomainOut]


class MeOut(Schema):
    email: str
    full_name: str
    role: str
    organisation: str | None
    token_scope: str | None
    token_expires_at: datetime | None


def _viewer(request: MemberRequest) -> Viewer:
    return request.viewer


@router.get("/me", response=MeOut)
def me(request: MemberRequest) -> dict[str, object]:
    user = request.user
    token = getattr(request, "auth", None)
    token = token if isinstance(token, ApiToken) else None
    return {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "organisation": user.organisation.slug if user.organisation else None,
        "token_scope": token.scope if token else None,
        "token_expires_at": token.expires_at if token else None,
    }


@router.get("/organisations", response=list[OrganisationOut])
def organisation_list(request: MemberRequest) -> object:
    return [organisation_out(o) for o in selectors.organisation_directory(viewer=_viewer(request))]


@router.post("/organisations", response={201: OrganisationOut})
def organisation_create(request: MemberRequest, payload: OrganisationIn) -> Status:
    viewer = _viewer(request)
    if not may(viewer, Action.MANAGE_ORGANISATIONS):
        raise PermissionDenied("only coordinators add organisations")
    parent = services.organisation_get(slug_or_name=payload.parent) if payload.parent else None
    organisation = services.organisation_create(
        actor=request.user,
        name=payload.name,
        org_type=payload.org_type,
        region=services.region_of_hub(),
        parent=parent,
        population=payload.population,
        subregion=payload.subregion,
    )
    return Status(201, organisation_out(organisation))


@router.patch("/organisations/{slug}", response=OrganisationOut)
def organisation_update(
    request: MemberRequest, slug: str, payload: OrganisationPatch
) -> dict[str, object]:
    if not may(_viewer(request), Action.MANAGE_ORGANISATIONS):
        raise PermissionDenied("only coordinators change organisations")
    organisation = services.organisation_get(slug_or_name=slug)
    sent = payload.dict(exclude_unset=True)
    for required in ("name", "org_type", "subregion", "is_active"):
        if sent.get(required, "") is None:
            sent.pop(required)
    if "parent" in sent:
        parent_slug = sent.pop("parent")
        sent["parent"] = (
            services.organisation_get(slug_or_name=parent_slug) if parent_slug else None
        )
    current = {
        "name": organisation.name,
        "org_type": organisation.org_type,
        "parent": organisation.parent,
        "population": organisation.population,
        "subregion": organisation.subregion,
        "latitude": organisation.latitude,
        "longitude": organisation.longitude,
        "is_active": organisation.is_active,
    }
    updated = services.organisation_update(
        actor=request.user, organisation=organisation, **{**current, **sent}
    )
    return organisation_out(updated)


@router.get("/organisations/{slug}", response=OrganisationDetailOut)
def organisation_detail(request: MemberRequest, slug: str) -> dict[str, object]:
    viewer = _viewer(request)
    organisation = selectors.organisation_for_viewer(viewer=viewer, slug=slug)
    details = selectors.organisation_details(viewer=viewer, organisation=organisation)
    return {
        **organisation_out(organisation),
        "network_ranges": details.network_ranges,
        "domains": details.domains,
    }


def _organisation_for_network_change(request: MemberRequest, slug: str) -> Organisation:
    viewer = _viewer(request)
    organisation = selectors.organisation_for_viewer(viewer=viewer, slug=slug)
    if not may(viewer, Action.MANAGE_NETWORKS, organisation_id=organisation.pk):
        raise PermissionDenied("only coordinators register ranges and domains")
    return organisation


@router.post("/organisations/{slug}/ranges", response={201: NetworkRangeOut})
def network_range_add(request: MemberRequest, slug: str, payload: NetworkRangeIn) -> Status:
    organisation = _organisation_for_network_change(request, slug)
    return Status(
        201,
        services.network_range_add(
            actor=request.user,
            organisation=organisation,
            cidr=payload.cidr,
            description=payload.description,
        ),
    )


@router.post("/organisations/{slug}/domains", response={201: DomainOut})
def domain_add(request: MemberRequest, slug: str, payload: DomainIn) -> Status:
    organisation = _organisation_for_network_change(request, slug)
    return Status(
        201,
        services.domain_add(
            actor=request.user,
            organisation=organisation,
            name=payload.domain,
        ),
    )


@router.get("/people", response=list[PersonOut])
def people(request: MemberRequest, organisation: str | None = None) -> object:
    viewer = _viewer(request)
    organisation_id = None
    if organisation:
        organisation_id = selectors.organisation_for_viewer(viewer=viewer, slug=organisation).pk
    return selectors.people_for_viewer(viewer=viewer, organisation_id=organisation_id)


class SharingGroupOut(Schema):
    id: int
    name: str
    organisations: list[str]


class SharingGroupIn(Schema):
    name: str
    organisations: list[str]


def sharing_group_out(group: SharingGroup) -> dict[str, object]:
    return {
        "id": group.pk,
        "name": group.name,
        "organisations": sorted(o.slug for o in group.organisations.all()),
    }


def _sharing_group_members(request: MemberRequest, slugs: list[str]) -> list[Organisation]:
    if not may(_viewer(request), Action.MANAGE_ORGANISATIONS):
        raise PermissionDenied("only coordinators form sharing groups")
    return [services.organisation_get(slug_or_name=slug) for slug in slugs]


@router.get("/sharing-groups", response=list[SharingGroupOut])
def sharing_group_list(request: MemberRequest) -> object:
    groups = selectors.sharing_groups_for_viewer(viewer=_viewer(request))
    return [sharing_group_out(group) for group in groups]


@router.post("/sharing-groups", response={201: SharingGroupOut})
def sharing_group_create(request: MemberRequest, payload: SharingGroupIn) -> Status:
    members = _sharing_group_members(request, payload.organisations)
    group = group_services.sharing_group_create(
        actor=request.user, name=payload.name, organisations=members
    )
    return Status(201, sharing_group_out(group))


@router.put("/sharing-groups/{pk}", response=SharingGroupOut)
def sharing_group_update(request: MemberRequest, pk: int, payload: SharingGroupIn) -> object:
    members = _sharing_group_members(request, payload.organisations)
    group = selectors.sharing_group_find(pk=pk)
    assert group is not None
    group = group_services.sharing_group_update(
        actor=request.user, group=group, name=payload.name, organisations=members
    )
    return sharing_group_out(group)
