"""Building the optimiser's instance from the roster, and reading its plan back.

The core optimiser knows nothing of offers or deployments, so the hub removes,
before it asks, everyone the coordinator must not propose: the requester's own
staff, anyone already offered for this request (declined offers are refused
consent; pending and accepted ones are already in play), and anyone deployed in
a window that overlaps the request's. Conflicts of interest are passed on as
the optimiser's `conflicts` when the coordinator has ticked them for the request.
A person's availability windows all go to the optimiser (the first as
``available_from``/``available_to``, the others as ``windows``), with their
languages; a request's language and mode go with it, so remote help is not
charged travel and a language need is a hard constraint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from openwarp.core.mutualaid import ImpossibleRequest, Instance, Plan, instance_from_data, solve
from openwarp.core.mutualaid.eligibility import is_eligible
from openwarp.core.mutualaid.geo import distance_m
from openwarp.core.mutualaid.packages import package_options
from openwarp.hub.mutualaid.models import (
    AidRequest,
    ConflictPair,
    Deployment,
    OfferStatus,
    RequestNeed,
    RosterPackage,
    RosterPerson,
    window_overlaps,
)


@dataclass(frozen=True)
class Candidate:
    need: RequestNeed
    person: RosterPerson
    distance_km: float


@dataclass(frozen=True)
class PackageCandidate:
    """A pre-costed team that can fill one need whole, offered as one click."""

    need: RequestNeed
    package: RosterPackage
    people: int


@dataclass(frozen=True)
class CandidatePlan:
    candidates: list[Candidate]
    warnings: list[str]
    notes: tuple[str, ...]
    open_needs: list[tuple[RequestNeed, int]]
    packages: tuple[PackageCandidate, ...] = ()


def proposable_people(request: AidRequest) -> QuerySet[RosterPerson]:
    """Roster people the coordinator may still propose for this request."""
    busy = Deployment.objects.filter(window_overlaps(request.starts_at, request.ends_at))
    return (
        RosterPerson.objects.filter(is_active=True)
        .exclude(organisation_id=request.organisation_id)
        .exclude(offers__request=request)
        .exclude(pk__in=busy.values("person_id"))
        .select_related("organisation")
        .prefetch_related("skills", "windows")
        .order_by("pk")
    )


def open_needs(request: AidRequest) -> list[tuple[RequestNeed, int]]:
    """Each need with the number of people still to find (pending offers count as found)."""
    out = []
    for need in request.needs.all():
        in_play = need.offers.filter(status__in=(OfferStatus.PENDING, OfferStatus.ACCEPTED)).count()
        if need.people > in_play:
            out.append((need, need.people - in_play))
    return out


def conflict_pairs(request: AidRequest) -> list[list[str]]:
    if not request.avoid_conflicts:
        return []
    pairs = ConflictPair.objects.filter(
        Q(org_a_id=request.organisation_id) | Q(org_b_id=request.organisation_id)
    ).values_list("org_a__slug", "org_b__slug")
    return [list(pair) for pair in pairs]


def _windows(person: RosterPerson, start: datetime) -> list[tuple[datetime, datetime]]:
    # Nobody without a window is free: an empty window at the request's start rules
    # the person out by availability, and the optimiser can say so.
    return [(w.starts_at, w.ends_at) for w in person.windows.all()] or [(start, start)]


def responder_data(person: RosterPerson, request: AidRequest) -> dict[str, object]:
    return responder_fields(person, _windows(person, request.starts_at))


def responder_fields(
    person: RosterPerson, spans: list[tuple[datetime, datetime]]
) -> dict[str, object]:
    """The optimiser's responder: the first span is the main window, the rest extra."""
    (start, end), *more = spans
    return {
        "id": str(person.pk),
        "org": person.organisation.slug,
        "skills": {s.skill: s.level for s in person.skills.all()},
        "vetted": person.vetted,
        "location": [person.latitude, person.longitude],
        "available_from": start,
        "available_to": end,
        "max_days": int(person.max_days),
        "languages": person.language_list(),
        "windows": [list(w) for w in more],
    }


def need_data(request: AidRequest, need: RequestNeed, people: int) -> dict[str, object]:
    return {
        "skill": need.skill,
        "min_level": int(need.min_level),
        "people": people,
        "vetting_required": need.vetting_required,
        "language": request.language or None,
    }


def build_instance(
    request: AidRequest, people: list[RosterPerson], needs: list[tuple[RequestNeed, int]]
) -> Instance:
    return instance_from_data(
        {
            "responders": [responder_data(p, request) for p in people],
            "requests": [
                {
                    "id": str(request.pk),
                    "org": request.organisation.slug,
                    "priority": int(request.priority),
                    "location": [request.latitude, request.longitude],
                    "start": request.starts_at,
                    "days": int(request.days),
                    "mode": request.mode,
                    "needs": [need_data(request, need, missing) for need, missing in needs],
                }
            ],
            "conflicts": conflict_pairs(request),
            "packages": [
                {"id": str(p.pk), "org": p.organisation.slug, "members": [str(m) for m in ids]}
                for p, ids in whole_packages(people)
            ],
        }
    )


def whole_packages(people: list[RosterPerson]) -> list[tuple[RosterPackage, list[int]]]:
    """Packages all of whose members may be proposed (a package goes whole or not at all)."""
    free = {p.pk for p in people}
    packages = RosterPackage.objects.filter(people__in=free).distinct().prefetch_related("people")
    out = []
    for package in packages.select_related("organisation").order_by("pk"):
        members = [m.pk for m in package.people.all()]
        if members and all(m in free for m in members):
            out.append((package, members))
    return out


def candidate_plan(request: AidRequest) -> CandidatePlan:
    """The optimiser's suggestion for the request's unfilled needs, with any warnings."""
    needs = open_needs(request)
    if not needs:
        return CandidatePlan([], [], (), [])
    people = list(proposable_people(request))
    instance = build_instance(request, people, needs)
    warnings: list[str] = []
    try:
        plan = solve(instance)
    except ImpossibleRequest as error:
        slot = int((error.field or "needs[0]").rsplit("[", 1)[1].rstrip("]"))
        warnings.append(f"{needs[slot][0]}: {error.message}")
        plan = solve(instance, allow_impossible=True)
    chosen = [
        Candidate(
            need=needs[a.need_index][0],
            person=people[a.responder],
            distance_km=round(
                float(
                    distance_m(
                        request.latitude,
                        request.longitude,
                        people[a.responder].latitude,
                        people[a.responder].longitude,
                    )[0]
                )
                / 1000,
                1,
            ),
        )
        for a in plan.assignments
    ]
    return CandidatePlan(
        chosen,
        warnings + _shortfalls(needs, chosen),
        plan.notes,
        needs,
        _packages(instance, plan, needs),
    )


def _packages(
    instance: Instance, plan: Plan, needs: list[tuple[RequestNeed, int]]
) -> tuple[PackageCandidate, ...]:
    if not instance.packages:
        return ()
    by_id = {
        str(p.pk): p
        for p in RosterPackage.objects.filter(pk__in=[int(p.id) for p in instance.packages])
    }
    return tuple(
        PackageCandidate(
            need=needs[o.need_index][0],
            package=by_id[instance.packages[o.package].id],
            people=o.people,
        )
        for o in package_options(instance, plan)
    )


def _shortfalls(needs: list[tuple[RequestNeed, int]], chosen: list[Candidate]) -> list[str]:
    """Needs the roster can fill only in part: the coordinator may need to look wider."""
    out = []
    for need, missing in needs:
        found = sum(1 for c in chosen if c.need.pk == need.pk)
        if 0 < found < missing:
            out.append(f"{need}: only {found} of the {missing} people still needed can be proposed")
    return out


def eligibility_problem(request: AidRequest, need: RequestNeed, person: RosterPerson) -> str | None:
    """Why this person may not be offered for this need, or None if they may."""
    if not proposable_people(request).filter(pk=person.pk).exists():
        return (
            f"{person.title} cannot be proposed: from the requesting organisation, already "
            "offered for this request, or deployed at the same time"
        )
    instance = build_instance(request, [person], [(need, 1)])
    banned = instance.conflict_map()[instance.requests[0].org]
    if not is_eligible(
        instance.responders[0], instance.requests[0], instance.requests[0].needs[0], banned
    ):
        return f"{person.title} does not meet this need (skill, vetting, availability or days)"
    return None
