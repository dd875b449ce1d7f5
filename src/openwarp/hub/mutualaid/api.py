"""Mutual-aid API at /api/v1/mutual-aid: roster, requests, offers, deployments, conflicts."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from openwarp.core.errors import InvalidInput, NotFound, PermissionDenied
from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy.mutualaid import may_coordinate, may_use_mutual_aid
from openwarp.hub.mutualaid import selectors
from openwarp.hub.mutualaid.api_schemas import (
    AcceptIn,
    CandidatesOut,
    CapacityIn,
    CapacityOut,
    CloseIn,
    ConflictIn,
    ConflictOut,
    DeclineIn,
    DeploymentOut,
    EntryIn,
    EntryOut,
    JointPlanOut,
    OfferIn,
    OfferOut,
    PackageIn,
    PackageOut,
    PersonIn,
    PersonOut,
    RequestIn,
    RequestOut,
    RosterOut,
    WithdrawIn,
    deployment_out,
    offer_out,
    person_out,
    request_out,
)
from openwarp.hub.mutualaid.candidates import Candidate, candidate_plan
from openwarp.hub.mutualaid.joint import joint_plan
from openwarp.hub.mutualaid.models import RosterPackage, RosterPerson
from openwarp.hub.mutualaid.reimbursement import (
    csv_response,
    reimbursement_csv,
    reimbursement_lines,
)
from openwarp.hub.mutualaid.services import deployments, offers, requests, roster
from openwarp.hub.web.decorators import MemberRequest

API_PREFIX = "/mutual-aid"
router = Router(tags=["mutual aid"])


def _person_draft(payload: PersonIn) -> roster.PersonDraft:
    return roster.PersonDraft(
        title=payload.title,
        skills=payload.skills,
        vetting=payload.vetting,
        languages=payload.languages,
        max_days=payload.max_days,
        latitude=payload.latitude,
        longitude=payload.longitude,
        windows=[(w.starts_at, w.ends_at) for w in payload.windows],
        is_active=payload.is_active,
    )


def _request_draft(payload: RequestIn) -> requests.RequestDraft:
    return requests.RequestDraft(
        title=payload.title,
        starts_at=payload.starts_at,
        days=payload.days,
        priority=payload.priority,
        needs=[requests.NeedDraft(**n.dict()) for n in payload.needs],
        mode=payload.mode,
        language=payload.language,
        summary=payload.summary,
        incident_summary=payload.incident_summary,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )


@router.get("/roster/{slug}", response=RosterOut)
def roster_detail(request: MemberRequest, slug: str) -> dict[str, object]:
    viewer = request.viewer
    organisation = selectors.roster_organisation(viewer=viewer, slug=slug)
    people = selectors.roster_people(viewer=viewer, organisation=organisation)
    packages = selectors.roster_packages(viewer=viewer, organisation=organisation)
    capacity = selectors.roster_capacity(viewer=viewer, organisation=organisation)
    return {
        "organisation": organisation.slug,
        "people": [person_out(p) for p in people],
        "packages": [
            {
                "id": k.pk,
                "name": k.name,
                "day_rate": k.day_rate,
                "people": [p.pk for p in k.people.all()],
            }
            for k in packages
        ],
        "capacity": [
            {"id": c.pk, "description": c.description, "quantity": c.quantity} for c in capacity
        ],
    }


@router.post("/roster/{slug}/people", response={201: PersonOut})
def roster_person_add(request: MemberRequest, slug: str, payload: PersonIn) -> Status:
    organisation = selectors.roster_organisation(viewer=request.viewer, slug=slug)
    person = roster.person_save(
        actor=request.user,
        organisation=organisation,
        draft=_person_draft(payload),
        viewer=request.viewer,
    )
    return Status(201, person_out(person))


@router.post("/roster/{slug}/packages", response={201: PackageOut})
def roster_package_add(request: MemberRequest, slug: str, payload: PackageIn) -> Status:
    organisation = selectors.roster_organisation(viewer=request.viewer, slug=slug)
    people = list(organisation.roster_people.filter(pk__in=payload.people))
    if len(people) != len(set(payload.people)):
        raise InvalidInput("every person must be on this organisation's roster", field="people")
    package = roster.package_create(
        actor=request.user,
        organisation=organisation,
        name=payload.name,
        day_rate=payload.day_rate,
        people=people,
        description=payload.description,
        viewer=request.viewer,
    )
    return Status(
        201,
        {
            "id": package.pk,
            "name": package.name,
            "day_rate": package.day_rate,
            "people": [p.pk for p in people],
        },
    )


@router.post("/roster/{slug}/capacity", response={201: CapacityOut})
def roster_capacity_add(request: MemberRequest, slug: str, payload: CapacityIn) -> Status:
    organisation = selectors.roster_organisation(viewer=request.viewer, slug=slug)
    item = roster.capacity_add(
        actor=request.user,
        organisation=organisation,
        description=payload.description,
        quantity=payload.quantity,
        viewer=request.viewer,
    )
    return Status(201, {"id": item.pk, "description": item.description, "quantity": item.quantity})


@router.get("/requests", response=list[RequestOut])
def request_list(request: MemberRequest, status: str = "") -> list[dict[str, object]]:
    if not may_use_mutual_aid(request.viewer):
        raise PermissionDenied("mutual aid is for member organisations and the hub")
    found = selectors.requests_for_viewer(viewer=request.viewer, status=status)
    return [request_out(r) for r in found.prefetch_related("needs")[:500]]


@router.post("/requests", response={201: RequestOut})
def request_new(request: MemberRequest, payload: RequestIn) -> Status:
    if request.user.organisation is None:
        raise PermissionDenied("only member organisations ask for mutual aid")
    made = requests.request_create(
        actor=request.user,
        organisation=request.user.organisation,
        draft=_request_draft(payload),
        viewer=request.viewer,
    )
    return Status(201, request_out(made))


@router.get("/requests/{request_id}", response=RequestOut)
def request_detail(request: MemberRequest, request_id: int) -> dict[str, object]:
    return request_out(selectors.request_for_viewer(viewer=request.viewer, pk=request_id))


@router.post("/requests/{request_id}/edit", response=RequestOut)
def request_edit(request: MemberRequest, request_id: int, payload: RequestIn) -> dict[str, object]:
    found = selectors.request_for_viewer(viewer=request.viewer, pk=request_id)
    changed = requests.request_update(
        actor=request.user, request=found, draft=_request_draft(payload), viewer=request.viewer
    )
    return request_out(changed)


@router.get("/requests/{request_id}/candidates", response=CandidatesOut)
def request_candidates(request: MemberRequest, request_id: int) -> dict[str, object]:
    found = selectors.request_for_viewer(viewer=request.viewer, pk=request_id)
    if not may_coordinate(request.viewer):
        raise PermissionDenied("only coordinators see candidate matches")
    plan = candidate_plan(found)
    return {
        "candidates": [_candidate(c) for c in plan.candidates],
        "warnings": plan.warnings,
        "notes": list(plan.notes),
    }


def _candidate(c: Candidate) -> dict[str, object]:
    return {
        "need": c.need.pk,
        "person": c.person.pk,
        "title": c.person.title,
        "organisation": c.person.organisation.slug,
        "distance_km": c.distance_km,
    }


@router.get("/plan", response=JointPlanOut)
def plan_all(request: MemberRequest) -> dict[str, object]:
    """One optimiser run over every open request (a national incident); sends nothing."""
    if not may_coordinate(request.viewer):
        raise PermissionDenied("only coordinators plan mutual aid")
    plan = joint_plan()
    return {
        "requests": [
            {
                "request": item.request.pk,
                "priority": item.request.priority,
                "candidates": [_candidate(c) for c in item.candidates],
                "unfilled": max(item.short, 0),
            }
            for item in plan.requests
        ],
        "coverage": plan.coverage,
        "travel_km": plan.travel_km,
        "notes": list(plan.notes),
    }


@router.post("/requests/{request_id}/offers", response={201: OfferOut})
def offer_new(request: MemberRequest, request_id: int, payload: OfferIn) -> Status:
    found = selectors.request_for_viewer(viewer=request.viewer, pk=request_id)
    if not may_coordinate(request.viewer):
        raise PermissionDenied("only coordinators send offers")
    need = found.needs.filter(pk=payload.need).first()
    person = RosterPerson.objects.filter(pk=payload.person).first()
    if need is None or person is None:
        raise NotFound("no such need or person", field="need" if need is None else "person")
    offer = offers.offer_send(
        actor=request.user, request=found, need=need, person=person, viewer=request.viewer
    )
    return Status(201, offer_out(offer))


@router.post("/requests/{request_id}/close", response=RequestOut)
def request_close(request: MemberRequest, request_id: int, payload: CloseIn) -> dict[str, object]:
    found = selectors.request_for_viewer(viewer=request.viewer, pk=request_id)
    closed = requests.request_close(
        actor=request.user,
        request=found,
        helped=payload.helped,
        not_helped=payload.not_helped,
        viewer=request.viewer,
    )
    return request_out(closed)


@router.get("/offers", response=list[OfferOut])
def offer_list(request: MemberRequest, status: str = "") -> list[dict[str, object]]:
    if not may_use_mutual_aid(request.viewer):
        raise PermissionDenied("mutual aid is for member organisations and the hub")
    found = selectors.offers_for_viewer(viewer=request.viewer)
    if status:
        found = found.filter(status=status)
    return [offer_out(o) for o in found[:500]]


@router.post("/offers/{offer_id}/accept", response={201: DeploymentOut})
def offer_accept(request: MemberRequest, offer_id: int, payload: AcceptIn) -> Status:
    offer = selectors.offer_for_viewer(viewer=request.viewer, pk=offer_id)
    package = None
    if payload.package is not None:
        package = get_object_or_404(
            RosterPackage, pk=payload.package, organisation_id=offer.person.organisation_id
        )
    deployment = offers.offer_accept(
        actor=request.user,
        offer=offer,
        agreement=offers.Agreement(
            terms=payload.terms,
            cost_basis=payload.cost_basis,
            confidentiality_agreed=payload.confidentiality_agreed,
            day_rate=payload.day_rate,
            package=package,
        ),
        viewer=request.viewer,
    )
    return Status(201, deployment_out(deployment))


@router.post("/offers/{offer_id}/decline", response=OfferOut)
def offer_decline(request: MemberRequest, offer_id: int, payload: DeclineIn) -> dict[str, object]:
    offer = selectors.offer_for_viewer(viewer=request.viewer, pk=offer_id)
    return offer_out(
        offers.offer_decline(
            actor=request.user, offer=offer, reason=payload.reason, viewer=request.viewer
        )
    )


@router.post("/offers/{offer_id}/withdraw", response=OfferOut)
def offer_withdraw(request: MemberRequest, offer_id: int, payload: WithdrawIn) -> dict[str, object]:
    offer = selectors.offer_for_viewer(viewer=request.viewer, pk=offer_id)
    return offer_out(
        offers.offer_withdraw(
            actor=request.user, offer=offer, reason=payload.reason, viewer=request.viewer
        )
    )


@router.get("/requests/{request_id}/reimbursement.csv")
def request_reimbursement(request: MemberRequest, request_id: int) -> HttpResponse:
    """CSV: lender, person, need, days, hours, cost basis, day rate, expenses, total."""
    found = selectors.request_for_viewer(viewer=request.viewer, pk=request_id)
    lines = reimbursement_lines(viewer=request.viewer, request=found)
    return csv_response(reimbursement_csv(lines), f"reimbursement-request-{found.pk}.csv")


@router.get("/deployments/{deployment_id}", response=DeploymentOut)
def deployment_detail(request: MemberRequest, deployment_id: int) -> dict[str, object]:
    return deployment_out(selectors.deployment_for_viewer(viewer=request.viewer, pk=deployment_id))


@router.post("/deployments/{deployment_id}/entries", response={201: EntryOut})
def deployment_entry_add(request: MemberRequest, deployment_id: int, payload: EntryIn) -> Status:
    deployment = selectors.deployment_for_viewer(viewer=request.viewer, pk=deployment_id)
    entry = deployments.time_entry_add(
        actor=request.user,
        deployment=deployment,
        day=payload.day,
        hours=payload.hours,
        expenses=payload.expenses,
        note=payload.note,
        viewer=request.viewer,
    )
    return Status(
        201,
        {
            "id": entry.pk,
            "day": entry.day,
            "hours": entry.hours,
            "expenses": entry.expenses,
            "note": entry.note,
        },
    )


@router.get("/conflicts", response=list[ConflictOut])
def conflict_list(request: MemberRequest) -> list[dict[str, object]]:
    if not request.viewer.runs_hub:
        raise PermissionDenied("only coordinators keep the conflict list")
    return [
        {"id": c.pk, "org_a": c.org_a.slug, "org_b": c.org_b.slug, "reason": c.reason}
        for c in selectors.conflicts(viewer=request.viewer)
    ]


@router.post("/conflicts", response={201: ConflictOut})
def conflict_new(request: MemberRequest, payload: ConflictIn) -> Status:
    if not may_coordinate(request.viewer):
        raise PermissionDenied("only coordinators keep the conflict list")
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=[payload.org_a, payload.org_b])}
    for name in ("org_a", "org_b"):
        if getattr(payload, name) not in orgs:
            raise NotFound("no such organisation", field=name)
    pair = roster.conflict_add(
        actor=request.user,
        org_a=orgs[payload.org_a],
        org_b=orgs[payload.org_b],
        reason=payload.reason,
    )
    return Status(
        201,
        {"id": pair.pk, "org_a": pair.org_a.slug, "org_b": pair.org_b.slug, "reason": pair.reason},
    )


@router.post("/conflicts/{conflict_id}/remove", response={204: None})
def conflict_delete(request: MemberRequest, conflict_id: int) -> Status:
    if not may_coordinate(request.viewer):
        raise PermissionDenied("only coordinators keep the conflict list")
    pair = selectors.conflicts(viewer=request.viewer).filter(pk=conflict_id).first()
    if pair is None:
        raise NotFound("no such conflict")
    roster.conflict_remove(actor=request.user, pair=pair)
    return Status(204, None)
