"""Turning chosen arcs into a plan, scoring any plan, and checking it against the rules.

`evaluate` and `violations` work from the instance alone, not from a solver's
arrays, so they are an independent check: the tests run every solver's plan
through them, and the hub can run a coordinator's hand-edited plan through them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from openwarp.core.mutualaid.eligibility import Candidates, is_eligible
from openwarp.core.mutualaid.geo import IntArray, distance_m
from openwarp.core.mutualaid.model import Assignment, Instance, Plan
from openwarp.core.mutualaid.packages import package_options


def assignments_from(cands: Candidates, chosen: IntArray) -> tuple[Assignment, ...]:
    """Map chosen candidate arcs back to (request, need index, responder), sorted."""
    needs = cands.need[chosen]
    out = [
        Assignment(int(q), int(k), int(r))
        for q, k, r in zip(
            cands.need_request[needs], cands.need_slot[needs], cands.responder[chosen], strict=True
        )
    ]
    return tuple(sorted(out))


def evaluate(
    instance: Instance,
    assignments: Iterable[Assignment],
    *,
    optimal: bool = False,
    notes: tuple[str, ...] = (),
) -> Plan:
    """Score assignments by the three objectives, from the instance itself."""
    items = tuple(sorted(assignments))
    coverage = travel = 0
    lent: Counter[str] = Counter()
    for a in items:
        request, responder = instance.requests[a.request], instance.responders[a.responder]
        coverage += request.priority
        if request.travels:
            travel += int(distance_m(*request.location, *responder.location)[0])
        lent[responder.org] += 1
    return Plan(
        assignments=items,
        coverage=coverage,
        travel_m=travel,
        max_lent_by_one_org=max(lent.values(), default=0),
        optimal=optimal,
        notes=notes,
    )


def violations(instance: Instance, assignments: Iterable[Assignment]) -> list[str]:
    """Every broken hard constraint in a plan, in words; an empty list means the plan is valid."""
    problems: list[str] = []
    banned = instance.conflict_map()
    excluded = instance.excluded_map()
    used: dict[int, Assignment] = {}
    filled: Counter[tuple[int, int]] = Counter()
    for a in assignments:
        if not (0 <= a.request < len(instance.requests)):
            problems.append(f"unknown request index {a.request}")
            continue
        request = instance.requests[a.request]
        if not (0 <= a.need_index < len(request.needs)):
            problems.append(f"request {request.id!r} has no need {a.need_index}")
            continue
        if not (0 <= a.responder < len(instance.responders)):
            problems.append(f"unknown responder index {a.responder}")
            continue
        responder = instance.responders[a.responder]
        if a.responder in used:
            problems.append(f"responder {responder.id!r} is sent twice")
        used[a.responder] = a
        need = request.needs[a.need_index]
        if not is_eligible(responder, request, need, banned[request.org]):
            problems.append(
                f"responder {responder.id!r} is not eligible for "
                f"request {request.id!r} need {a.need_index}"
            )
        if responder.id in excluded.get(request.id, frozenset()):
            problems.append(f"responder {responder.id!r} is excluded from request {request.id!r}")
        filled[(a.request, a.need_index)] += 1
        if filled[(a.request, a.need_index)] > need.people:
            problems.append(f"request {request.id!r} need {a.need_index} gets too many people")
    return problems


def plan_to_json(instance: Instance, plan: Plan) -> dict[str, object]:
    """The plan in the contract's shape, with ids rather than indices.

    With ``packages`` in the instance, ``package_options`` lists the packages that
    could fill a need whole (see `packages.package_options`); without, the output
    is exactly the first contract's.
    """
    out: dict[str, object] = {
        "assignments": [
            {
                "request": instance.requests[a.request].id,
                "need_index": a.need_index,
                "responder": instance.responders[a.responder].id,
            }
            for a in plan.assignments
        ],
        "coverage": plan.coverage,
        "travel_km": plan.travel_km,
        "max_lent_by_one_org": plan.max_lent_by_one_org,
    }
    if instance.packages:
        out["package_options"] = [
            {
                "request": instance.requests[o.request].id,
                "need_index": o.need_index,
                "package": instance.packages[o.package].id,
                "people": o.people,
                "travel_km": round(o.travel_m / 1000.0, 3),
            }
            for o in package_options(instance, plan)
        ]
    return out
