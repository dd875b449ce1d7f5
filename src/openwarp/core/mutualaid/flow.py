"""The default solver: min-cost flow, exact for coverage-then-travel, then a fairness search.

Responders flow from a source through their org to the needs they are eligible for
and on to a sink; a need's arc to the sink carries at most ``people`` units, and a
responder's arc at most one, so every integral flow is a valid plan. The arc cost
``-priority * M + metres`` with ``M`` larger than any plan's total travel makes the
cheapest flow the one with most coverage and, among those, least travel: the
lexicographic optimum of the first two objectives, exactly, because flow problems
have integral optima. Fairness is then found by capping every org's outflow and
searching for the smallest cap that leaves coverage and travel unchanged; that too
is exact, as each capped problem is still a flow problem.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from openwarp.core.errors import OpenWarpError
from openwarp.core.mutualaid.eligibility import Candidates
from openwarp.core.mutualaid.geo import IntArray


@dataclass(frozen=True)
class FlowResult:
    """Chosen candidate arcs (indices into the `Candidates` arrays) and the solve's facts."""

    chosen: IntArray
    cost: int
    max_lent: int
    fairness_proved: bool


class _Network:
    """The flow network for one set of candidates, built once and re-solved with new org caps."""

    def __init__(self, cands: Candidates) -> None:
        n_org = len(cands.org_names)
        n_resp = cands.n_responders
        self.cands = cands
        self.source = 0
        org0, resp0 = 1, 1 + n_org
        need0 = resp0 + n_resp
        self.sink = need0 + cands.n_needs
        self.n_org = n_org
        reach = np.zeros(n_resp, dtype=np.int64)
        np.maximum.at(reach, cands.responder, cands.dist_m)
        big_m = int(reach.sum()) + 1
        cost = -cands.need_priority[cands.need] * big_m + cands.dist_m
        per_org = np.bincount(cands.responder_org, minlength=n_org)
        self.per_org = per_org
        smcf = min_cost_flow.SimpleMinCostFlow()
        self.org_arcs = smcf.add_arcs_with_capacity_and_unit_cost(
            np.zeros(n_org, dtype=np.int64), org0 + np.arange(n_org), per_org, np.zeros(n_org)
        )
        smcf.add_arcs_with_capacity_and_unit_cost(
            org0 + cands.responder_org, resp0 + np.arange(n_resp), np.ones(n_resp), np.zeros(n_resp)
        )
        self.cand_arcs = smcf.add_arcs_with_capacity_and_unit_cost(
            resp0 + cands.responder, need0 + cands.need, np.ones(len(cost)), cost
        )
        smcf.add_arcs_with_capacity_and_unit_cost(
            need0 + np.arange(cands.n_needs),
            np.full(cands.n_needs, self.sink),
            cands.need_people,
            np.zeros(cands.n_needs),
        )
        smcf.add_arc_with_capacity_and_unit_cost(self.source, self.sink, n_resp, 0)
        smcf.set_node_supply(self.source, n_resp)
        smcf.set_node_supply(self.sink, -n_resp)
        self.smcf = smcf

    def solve(self, org_cap: int | None) -> tuple[IntArray, int]:
        caps = self.per_org if org_cap is None else np.minimum(self.per_org, org_cap)
        self.smcf.set_arc_capacities(self.org_arcs, caps)
        status = self.smcf.solve()
        if status != self.smcf.OPTIMAL:
            raise OpenWarpError(f"min-cost flow failed with status {status}")
        flows = self.smcf.flows(self.cand_arcs)
        return np.flatnonzero(flows), int(self.smcf.optimal_cost())

    def max_lent(self, chosen: IntArray) -> int:
        orgs = self.cands.responder_org[self.cands.responder[chosen]]
        return int(np.bincount(orgs).max()) if len(orgs) else 0


def solve_flow(cands: Candidates, deadline: float | None = None) -> FlowResult:
    """Solve coverage then travel exactly, then lower the busiest org's load while time allows.

    ``deadline`` is a `time.monotonic()` value; the fairness search does not start a
    solve it expects to finish after it, and says so in ``fairness_proved``.
    """
    net = _Network(cands)
    began = time.monotonic()
    chosen, cost = net.solve(None)
    one_solve = time.monotonic() - began
    best, best_lent = chosen, net.max_lent(chosen)
    lo, hi = 1, best_lent - 1  # the answer lies in [lo, best_lent]
    probe = hi  # try one less than the current plan first: usually already infeasible
    while lo <= hi:
        if deadline is not None and time.monotonic() + one_solve > deadline:
            return FlowResult(best, cost, best_lent, fairness_proved=False)
        trial, trial_cost = net.solve(probe)
        if trial_cost == cost:
            best, best_lent = trial, net.max_lent(trial)
            hi = min(probe, best_lent) - 1
        else:
            lo = probe + 1
        probe = (lo + hi) // 2
    return FlowResult(best, cost, best_lent, fairness_proved=True)
