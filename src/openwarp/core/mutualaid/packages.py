"""Packages the coordinator can offer whole, beside the optimiser's plan.

The plan's objectives are strict (coverage, then travel, then fairness), so a
package is not forced into it: doing so could cost coverage or travel. Instead,
after solving, every package whose members are all eligible for one need, no more
than it asks for, and not needed by the plan anywhere else is offered as an
option for that need: sending the team it was costed as, rather than the
individuals the plan picked.
"""

from __future__ import annotations

from dataclasses import dataclass

from openwarp.core.mutualaid.eligibility import is_eligible
from openwarp.core.mutualaid.geo import distance_m
from openwarp.core.mutualaid.model import Instance, Plan


@dataclass(frozen=True, order=True)
class PackageOption:
    """Package ``package`` (index into ``instance.packages``) can fill this need whole."""

    request: int
    need_index: int
    package: int
    people: int
    travel_m: int


def package_options(instance: Instance, plan: Plan) -> list[PackageOption]:
    """Every (need, package) pair where the whole package may go, nearest first per need."""
    index = {r.id: i for i, r in enumerate(instance.responders)}
    banned, excluded = instance.conflict_map(), instance.excluded_map()
    placed = {a.responder: (a.request, a.need_index) for a in plan.assignments}
    out: list[PackageOption] = []
    for p, package in enumerate(instance.packages):
        members = [index[m] for m in package.members]
        for q, request in enumerate(instance.requests):
            if any(instance.responders[m].id in excluded.get(request.id, ()) for m in members):
                continue
            for k, need in enumerate(request.needs):
                if len(members) > need.people:
                    continue
                if any(placed.get(m, (q, k)) != (q, k) for m in members):
                    continue  # the plan needs a member for another need
                if all(
                    is_eligible(instance.responders[m], request, need, banned[request.org])
                    for m in members
                ):
                    out.append(PackageOption(q, k, p, len(members), _travel(instance, q, members)))
    return sorted(out, key=lambda o: (o.request, o.need_index, -o.people, o.travel_m))


def _travel(instance: Instance, q: int, members: list[int]) -> int:
    request = instance.requests[q]
    if not request.travels:
        return 0
    return sum(
        int(distance_m(*request.location, *instance.responders[m].location)[0]) for m in members
    )
