"""Reads for mutual aid, every one filtered by `policy.mutualaid`."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from openwarp.core.errors import NotFound, PermissionDenied
from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.mutualaid import (
    may_read_roster,
    may_see_offer,
    may_use_mutual_aid,
    may_view_deployment,
    may_view_request,
)
from openwarp.hub.mutualaid.access import request_facts
from openwarp.hub.mutualaid.models import (
    AidRequest,
    ConflictPair,
    Deployment,
    LendableCapacity,
    Offer,
    OfferStatus,
    RequestStatus,
    RosterPackage,
    RosterPerson,
)


def roster_organisation(*, viewer: Viewer, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise NotFound("no such organisation")
    if not may_read_roster(viewer, organisation.pk):
        raise PermissionDenied("a roster is seen only by its own organisation and the hub")
    return organisation


def roster_people(*, viewer: Viewer, organisation: Organisation) -> QuerySet[RosterPerson]:
    if not may_read_roster(viewer, organisation.pk):
        return RosterPerson.objects.none()
    return organisation.roster_people.prefetch_related("skills", "windows")


def roster_person(*, viewer: Viewer, organisation: Organisation, pk: int) -> RosterPerson:
    person = roster_people(viewer=viewer, organisation=organisation).filter(pk=pk).first()
    if person is None:
        raise NotFound("no such person on this roster")
    return person


def roster_packages(*, viewer: Viewer, organisation: Organisation) -> QuerySet[RosterPackage]:
    if not may_read_roster(viewer, organisation.pk):
        return RosterPackage.objects.none()
    return organisation.roster_packages.prefetch_related("people")


def roster_capacity(*, viewer: Viewer, organisation: Organisation) -> QuerySet[LendableCapacity]:
    if not may_read_roster(viewer, organisation.pk):
        return LendableCapacity.objects.none()
    return organisation.lendable_capacity.all()


def roster_summaries(*, viewer: Viewer) -> QuerySet[Organisation]:
    """Every roster the viewer may read, with head counts (the coordinator's overview)."""
    organisations = Organisation.objects.annotate(
        people_count=Count("roster_people", filter=Q(roster_people__is_active=True))
    )
    if viewer.runs_hub:
        return organisations.filter(people_count__gt=0)
    return organisations.filter(pk=viewer.organisation_id or 0)


def requests_for_viewer(*, viewer: Viewer, status: str = "") -> QuerySet[AidRequest]:
    if not may_use_mutual_aid(viewer):
        return AidRequest.objects.none()
    found = AidRequest.objects.select_related("organisation")
    if not viewer.runs_hub:
        found = found.filter(
            Q(organisation_id=viewer.organisation_id)
            | Q(offers__person__organisation_id=viewer.organisation_id)
        ).distinct()
    if status:
        found = found.filter(status=status)
    return found


def request_for_viewer(*, viewer: Viewer, pk: int) -> AidRequest:
    request = AidRequest.objects.select_related("organisation").filter(pk=pk).first()
    if request is None or not may_view_request(viewer, request_facts(request)):
        raise NotFound("no such request for help")
    return request


def offers_for_viewer(*, viewer: Viewer, request: AidRequest | None = None) -> QuerySet[Offer]:
    """Offers naming roster people: the lender's own, or all of them for the hub."""
    offers = Offer.objects.select_related("request__organisation", "person__organisation", "need")
    if request is not None:
        offers = offers.filter(request=request)
    if viewer.runs_hub:
        return offers
    if viewer.organisation_id is None:
        return Offer.objects.none()
    return offers.filter(person__organisation_id=viewer.organisation_id)


def offers_awaiting(*, viewer: Viewer) -> QuerySet[Offer]:
    return offers_for_viewer(viewer=viewer).filter(
        status=OfferStatus.PENDING, request__status=RequestStatus.OPEN
    )


def offer_for_viewer(*, viewer: Viewer, pk: int) -> Offer:
    offer = offers_for_viewer(viewer=viewer).filter(pk=pk).first()
    if offer is None or not may_see_offer(viewer, offer.person.organisation_id):
        raise NotFound("no such offer")
    return offer


def deployments_for_viewer(
    *, viewer: Viewer, request: AidRequest | None = None
) -> QuerySet[Deployment]:
    found = Deployment.objects.select_related(
        "person__organisation", "request__organisation", "offer__need"
    )
    if request is not None:
        found = found.filter(request=request)
    if viewer.runs_hub:
        return found
    if viewer.organisation_id is None:
        return Deployment.objects.none()
    return found.filter(
        Q(person__organisation_id=viewer.organisation_id)
        | Q(request__organisation_id=viewer.organisation_id)
    )


def deployment_for_viewer(*, viewer: Viewer, pk: int) -> Deployment:
    deployment = deployments_for_viewer(viewer=viewer).filter(pk=pk).first()
    if deployment is None or not may_view_deployment(
        viewer,
        requester_id=deployment.request.organisation_id,
        lender_id=deployment.person.organisation_id,
    ):
        raise NotFound("no such deployment")
    return deployment


def conflicts(*, viewer: Viewer) -> QuerySet[ConflictPair]:
    if not viewer.runs_hub:
        return ConflictPair.objects.none()
    return ConflictPair.objects.select_related("org_a", "org_b").order_by("org_a__name")


def people_deployed_now(*, viewer: Viewer) -> int:
    """For the region panel: people on an active deployment at an open request."""
    now = timezone.now()
    return (
        deployments_for_viewer(viewer=viewer)
        .filter(request__status=RequestStatus.OPEN, starts_at__lte=now, ends_at__gt=now)
        .values("person_id")
        .distinct()
        .count()
    )
