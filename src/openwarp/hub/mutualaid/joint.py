"""The joint plan: every open request planned together in one optimiser run.

In a national incident one request planned at a time takes the nearest people for
the first request the coordinator opens, however urgent the others. The joint plan
sends all open requests' unfilled needs, each with its own start and days, to the
optimiser at once, so priority-weighted coverage is maximised across all of them.

What the single-request plan removes per request becomes data the optimiser
understands:

- a person's availability is their windows minus the windows they are already
  booked for (deployments, and requests on which they have an offer awaiting an
  answer), so they may still go to a request that does not overlap;
- anyone offered for a request (declined, pending, accepted or withdrawn) is an
  ``excluded`` pair for that request only;
- a request whose coordinator ticked "avoid conflicts" excludes the people of the
  organisations on the conflict list with it (again for that request only).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from openwarp.core.mutualaid import Instance, instance_from_data, solve
from openwarp.core.mutualaid.geo import distance_m
from openwarp.hub.mutualaid.candidates import Candidate, need_data, open_needs, responder_fields
from openwarp.hub.mutualaid.models import (
    AidRequest,
    ConflictPair,
    Deployment,
    Offer,
    OfferStatus,
    RequestNeed,
    RequestStatus,
    RosterPerson,
)

Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class RequestPlan:
    request: AidRequest
    candidates: list[Candidate]
    open_needs: list[tuple[RequestNeed, int]]

    @property
    def short(self) -> int:
        """People still missing after this plan."""
        return sum(missing for _, missing in self.open_needs) - len(self.candidates)


@dataclass(frozen=True)
class JointPlan:
    requests: list[RequestPlan]
    coverage: int
    travel_km: float
    notes: tuple[str, ...]


def _cut(span: Span, hole: Span) -> list[Span]:
    """What is left of ``span`` once ``hole`` is taken out (nothing, one or two pieces)."""
    (a, z), (h_start, h_end) = span, hole
    if h_end <= a or z <= h_start:
        return [span]
    return [part for part in ((a, h_start), (h_end, z)) if part[0] < part[1]]


def free_spans(windows: list[Span], booked: list[Span]) -> list[Span]:
    """Each availability window with the booked spans cut out of it."""
    pieces = list(windows)
    for hole in booked:
        pieces = [part for span in pieces for part in _cut(span, hole)]
    return pieces


def _booked(now: datetime) -> dict[int, list[Span]]:
    booked: dict[int, list[Span]] = defaultdict(list)
    for d in Deployment.objects.filter(ends_at__gt=now).only("person_id", "starts_at", "ends_at"):
        booked[d.person_id].append((d.starts_at, d.ends_at))
    pending = Offer.objects.filter(
        status=OfferStatus.PENDING, request__status=RequestStatus.OPEN
    ).select_related("request")
    for offer in pending:
        booked[offer.person_id].append((offer.request.starts_at, offer.request.ends_at))
    return booked


def _responder(person: RosterPerson, spans: list[Span], now: datetime) -> dict[str, object]:
    return responder_fields(person, spans or [(now, now)])


def _excluded(requests: list[AidRequest], people: list[RosterPerson]) -> list[list[str]]:
    ids = {p.pk for p in people}
    pairs = {
        (str(r), str(p))
        for r, p in Offer.objects.filter(request__in=requests).values_list(
            "request_id", "person_id"
        )
        if p in ids
    }
    by_org: dict[int, list[int]] = defaultdict(list)
    for person in people:
        by_org[person.organisation_id].append(person.pk)
    for request in requests:
        if not request.avoid_conflicts:
            continue
        for pair in ConflictPair.objects.filter(
            Q(org_a_id=request.organisation_id) | Q(org_b_id=request.organisation_id)
        ):
            other = pair.org_b_id if pair.org_a_id == request.organisation_id else pair.org_a_id
            pairs.update((str(request.pk), str(p)) for p in by_org.get(other, []))
    return [list(pair) for pair in sorted(pairs)]


def build_joint_instance(
    requests: list[AidRequest],
    needs: dict[int, list[tuple[RequestNeed, int]]],
    people: list[RosterPerson],
) -> Instance:
    now = timezone.now()
    booked = _booked(now)
    return instance_from_data(
        {
            "responders": [
                _responder(
                    p,
                    free_spans(
                        [(w.starts_at, w.ends_at) for w in p.windows.all()], booked.get(p.pk, [])
                    ),
                    now,
                )
                for p in people
            ],
            "requests": [
                {
                    "id": str(r.pk),
                    "org": r.organisation.slug,
                    "priority": int(r.priority),
                    "location": [r.latitude, r.longitude],
                    "start": r.starts_at,
                    "days": int(r.days),
                    "mode": r.mode,
                    "needs": [need_data(r, n, missing) for n, missing in needs[r.pk]],
                }
                for r in requests
            ],
            "excluded": _excluded(requests, people),
        }
    )


def open_requests() -> list[AidRequest]:
    return list(
        AidRequest.objects.filter(status=RequestStatus.OPEN)
        .select_related("organisation")
        .prefetch_related("needs")
        .order_by("-priority", "starts_at", "pk")
    )


def joint_plan() -> JointPlan:
    """Plan every open request's unfilled needs together (the coordinator's national view)."""
    requests = open_requests()
    needs = {r.pk: open_needs(r) for r in requests}
    asking = [r for r in requests if needs[r.pk]]
    if not asking:
        return JointPlan([RequestPlan(r, [], []) for r in requests], 0, 0.0, ())
    people = list(
        RosterPerson.objects.filter(is_active=True)
        .select_related("organisation")
        .prefetch_related("skills", "windows")
        .order_by("pk")
    )
    instance = build_joint_instance(asking, needs, people)
    plan = solve(instance, allow_impossible=True)
    chosen: dict[int, list[Candidate]] = defaultdict(list)
    for a in plan.assignments:
        request = asking[a.request]
        who = people[a.responder]
        chosen[request.pk].append(
            Candidate(
                need=needs[request.pk][a.need_index][0],
                person=who,
                distance_km=round(_km(request, who), 1),
            )
        )
    return JointPlan(
        [RequestPlan(r, chosen.get(r.pk, []), needs[r.pk]) for r in requests],
        plan.coverage,
        plan.travel_km,
        plan.notes,
    )


def _km(request: AidRequest, person: RosterPerson) -> float:
    metres = distance_m(request.latitude, request.longitude, person.latitude, person.longitude)
    return float(metres[0]) / 1000
