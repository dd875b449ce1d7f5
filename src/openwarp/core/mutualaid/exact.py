"""The exact solver (`--exact`): the same model in OR-Tools CP-SAT, solved level by level.

It exists to check the default solver and for coordinators who want a proof; it is
not fast enough for a national incident. Each level is optimised, then fixed as a
constraint for the next, which is what "strict lexicographic order" means. The
previous level's answer is given as a hint so later levels start from a valid plan.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from openwarp.core.errors import OpenWarpError
from openwarp.core.mutualaid.eligibility import Candidates
from openwarp.core.mutualaid.geo import IntArray


@dataclass(frozen=True)
class ExactResult:
    chosen: IntArray
    proved: bool
    notes: tuple[str, ...]


Level = tuple[str, cp_model.LinearExprT, bool]


def _build(cands: Candidates) -> tuple[cp_model.CpModel, list[cp_model.IntVar], list[Level]]:
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(len(cands.need))]
    by_resp: dict[int, list[cp_model.IntVar]] = {}
    by_need: dict[int, list[cp_model.IntVar]] = {}
    by_org: dict[int, list[cp_model.IntVar]] = {}
    for i, var in enumerate(x):
        r = int(cands.responder[i])
        by_resp.setdefault(r, []).append(var)
        by_need.setdefault(int(cands.need[i]), []).append(var)
        by_org.setdefault(int(cands.responder_org[r]), []).append(var)
    for vars_ in by_resp.values():
        model.add_at_most_one(vars_)
    for n, vars_ in by_need.items():
        model.add(sum(vars_) <= int(cands.need_people[n]))
    max_lent = model.new_int_var(0, len(by_resp), "max_lent")
    for vars_ in by_org.values():
        model.add(sum(vars_) <= max_lent)
    weights = cands.need_priority[cands.need]
    levels: list[Level] = [
        ("coverage", cp_model.LinearExpr.weighted_sum(x, [int(w) for w in weights]), True),
        ("travel", cp_model.LinearExpr.weighted_sum(x, [int(d) for d in cands.dist_m]), False),
        ("max_lent", max_lent, False),
    ]
    return model, x, levels


def solve_exact(cands: Candidates, time_limit: float, workers: int = 0) -> ExactResult:
    """Maximise coverage, then minimise travel, then the busiest org's load, within ``time_limit``.

    If a level is not proved optimal before the time limit the plan is still
    valid; ``proved`` is false and ``notes`` says which level stopped early.
    """
    model, x, levels = _build(cands)
    deadline = time.monotonic() + time_limit
    notes: list[str] = []
    proved = True
    solver = cp_model.CpSolver()
    for name, expr, maximise in levels:
        if maximise:
            model.maximize(expr)
        else:
            model.minimize(expr)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
        solver.parameters.num_workers = workers
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise OpenWarpError(f"CP-SAT found no plan while optimising {name} ({status})")
        if status != cp_model.OPTIMAL:
            proved = False
            notes.append(f"CP-SAT stopped at the time limit while optimising {name}")
        value = int(solver.value(expr))
        model.clear_hints()
        for var in x:
            model.add_hint(var, solver.boolean_value(var))
        model.add(expr == value)
        if not proved:
            break
    chosen = np.flatnonzero([solver.boolean_value(v) for v in x])
    return ExactResult(chosen=chosen.astype(np.int64), proved=proved, notes=tuple(notes))
