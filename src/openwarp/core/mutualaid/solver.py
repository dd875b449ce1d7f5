"""The one entry point the CLI and the hub call: validate feasibility, pick a solver, score.

The default solver is exact unless the instance is so large that candidates are
pruned to the nearest few per need; the plan's notes say when that happened, so
nobody mistakes a fast national plan for a proved optimum.
"""

from __future__ import annotations

import time
from typing import Literal

import numpy as np

from openwarp.core.errors import InvalidInput
from openwarp.core.mutualaid.diagnose import impossible_needs
from openwarp.core.mutualaid.eligibility import Candidates, build_candidates, prune
from openwarp.core.mutualaid.exact import solve_exact
from openwarp.core.mutualaid.flow import solve_flow
from openwarp.core.mutualaid.geo import IntArray
from openwarp.core.mutualaid.greedy import solve_greedy
from openwarp.core.mutualaid.model import Instance, Plan
from openwarp.core.mutualaid.plan import assignments_from

Method = Literal["default", "exact", "greedy"]

#: Above this many eligible (responder, need) pairs the default solver prunes to the
#: nearest `PRUNE_PER_NEED` per need and `PRUNE_PER_RESPONDER` per responder. The
#: national benchmark (about 3.6 million pairs) stays below it and so stays exact.
PRUNE_ABOVE_PAIRS = 6_000_000
PRUNE_PER_NEED = 40
PRUNE_PER_RESPONDER = 20
#: Seconds. The default solver's limit only cuts the optional fairness search short,
#: so that a national incident still gets its plan in under ten seconds.
DEFAULT_TIME_LIMIT = 8.0
EXACT_TIME_LIMIT = 60.0


class ImpossibleRequest(InvalidInput):
    """A need that no responder on the roster may fill."""

    code = "impossible_request"


def solve(
    instance: Instance,
    *,
    method: Method = "default",
    time_limit: float | None = None,
    allow_impossible: bool = False,
    prune_to: tuple[int, int] | None = None,
) -> Plan:
    """Plan who goes where. Raise `ImpossibleRequest` for an unfillable need unless allowed.

    ``prune_to`` = (per need, per responder) forces pruning; by default only the
    default solver prunes, and only above `PRUNE_ABOVE_PAIRS`. ``time_limit`` bounds
    CP-SAT, and for the default solver the optional fairness search after the
    (always completed) coverage-and-travel solve.
    """
    started = time.monotonic()
    if time_limit is None:
        time_limit = EXACT_TIME_LIMIT if method == "exact" else DEFAULT_TIME_LIMIT
    cands = build_candidates(instance)
    if not allow_impossible:
        _raise_if_impossible(instance, cands)
    if prune_to is None and method == "default" and len(cands.need) > PRUNE_ABOVE_PAIRS:
        prune_to = (PRUNE_PER_NEED, PRUNE_PER_RESPONDER)
    notes: list[str] = []
    if prune_to is not None:
        cands = prune(cands, *prune_to)
        if cands.pruned:
            notes.append(
                f"kept the nearest {prune_to[0]} responders per need and {prune_to[1]} needs "
                "per responder; the plan is optimal for that pruned set only"
            )
    if method == "exact":
        exact = solve_exact(cands, time_limit=max(0.1, time_limit - (time.monotonic() - started)))
        return _plan(cands, exact.chosen, optimal=exact.proved, notes=(*notes, *exact.notes))
    if method == "greedy":
        notes.append("greedy baseline: highest priority first, nearest responder first")
        return _plan(cands, solve_greedy(cands), optimal=False, notes=tuple(notes))
    result = solve_flow(cands, deadline=started + time_limit)
    if not result.fairness_proved:
        notes.append("the fairness step stopped at the time limit")
    optimal = result.fairness_proved and not cands.pruned
    return _plan(cands, result.chosen, optimal=optimal, notes=tuple(notes))


def _raise_if_impossible(instance: Instance, cands: Candidates) -> None:
    found = impossible_needs(instance, cands)
    if found:
        more = f" (and {len(found) - 1} more impossible needs)" if len(found) > 1 else ""
        raise ImpossibleRequest(found[0].reason + more, field=found[0].path)


def _plan(cands: Candidates, chosen: IntArray, *, optimal: bool, notes: tuple[str, ...]) -> Plan:
    """Score from the candidate arrays, so every solver is measured with the same distances."""
    needs = cands.need[chosen]
    orgs = cands.responder_org[cands.responder[chosen]]
    return Plan(
        assignments=assignments_from(cands, chosen),
        coverage=int(cands.need_priority[needs].sum()),
        travel_m=int(cands.dist_m[chosen].sum()),
        max_lent_by_one_org=int(np.bincount(orgs).max()) if len(orgs) else 0,
        optimal=optimal,
        notes=notes,
    )
