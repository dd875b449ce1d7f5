"""Property-based checks on many small random instances.

Locations come from a handful of points so that ties in travel are common: that is
where the fairness level and the agreement between solvers are really tested.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openwarp.core.mutualaid import Instance, evaluate, instance_from_data, solve, violations
from openwarp.core.mutualaid.eligibility import build_candidates, is_eligible

ORGS = ("derby", "leicester", "lincoln", "nottingham")
SKILLS = ("network", "cloud", "backup_restore")
POINTS = ((52.92, -1.48), (52.64, -1.14), (53.23, -0.54), (52.95, -1.16))
BASE = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _iso(days: int) -> str:
    return (BASE + timedelta(days=days)).isoformat()


LANGUAGES = ("English", "Welsh", "Polish")


@st.composite
def responders(draw: Any, i: int) -> dict[str, Any]:
    start = draw(st.integers(-2, 1))
    extra = draw(st.lists(st.tuples(st.integers(-1, 3), st.integers(1, 4)), max_size=2))
    return {
        "languages": draw(st.lists(st.sampled_from(LANGUAGES), max_size=2, unique=True)),
        "windows": [[_iso(a), _iso(a + length)] for a, length in extra],
        "id": f"p{i}",
        "org": draw(st.sampled_from(ORGS)),
        "skills": draw(
            st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 3), min_size=1, max_size=2)
        ),
        "vetted": draw(st.booleans()),
        "location": list(draw(st.sampled_from(POINTS))),
        "available_from": _iso(start),
        "available_to": _iso(start + draw(st.integers(2, 8))),
        "max_days": draw(st.integers(1, 5)),
    }


needs = st.fixed_dictionaries(
    {
        "skill": st.sampled_from(SKILLS),
        "min_level": st.sampled_from((1, 1, 2, 3)),
        "people": st.integers(1, 3),
        "vetting_required": st.booleans(),
        "language": st.sampled_from((None, None, "English", "welsh ")),
    }
)


@st.composite
def requests(draw: Any, i: int) -> dict[str, Any]:
    return {
        "id": f"r{i}",
        "org": draw(st.sampled_from(ORGS)),
        "priority": draw(st.integers(1, 5)),
        "location": list(draw(st.sampled_from(POINTS))),
        "start": _iso(draw(st.integers(0, 2))),
        "days": draw(st.integers(1, 3)),
        "needs": draw(st.lists(needs, min_size=1, max_size=2)),
        "mode": draw(st.sampled_from(("on_site", "remote", "either"))),
    }


@st.composite
def instances(draw: Any, max_responders: int = 10, max_requests: int = 4) -> Instance:
    n_resp = draw(st.integers(3, max_responders))
    n_req = draw(st.integers(2, max_requests))
    pairs = st.tuples(st.sampled_from(ORGS), st.sampled_from(ORGS)).filter(lambda p: p[0] != p[1])
    excluded = st.tuples(
        st.integers(0, n_req - 1).map(lambda q: f"r{q}"),
        st.integers(0, n_resp - 1).map(lambda r: f"p{r}"),
    )
    return instance_from_data(
        {
            "responders": [draw(responders(i)) for i in range(n_resp)],
            "requests": [draw(requests(i)) for i in range(n_req)],
            "conflicts": [list(p) for p in draw(st.lists(pairs, max_size=2))],
            "excluded": [list(p) for p in draw(st.lists(excluded, max_size=3))],
        }
    )


@PROPERTY_SETTINGS
@given(instances())
def test_the_fast_screen_agrees_with_the_rule_as_written(instance: Instance) -> None:
    cands = build_candidates(instance)
    fast = set(
        zip(
            cands.responder.tolist(),
            cands.need_request[cands.need].tolist(),
            cands.need_slot[cands.need].tolist(),
            strict=True,
        )
    )
    banned = instance.conflict_map()
    excluded = set(instance.excluded)
    slow = {
        (r, q, k)
        for r, responder in enumerate(instance.responders)
        for q, request in enumerate(instance.requests)
        for k, need in enumerate(request.needs)
        if is_eligible(responder, request, need, banned[request.org])
        and (request.id, responder.id) not in excluded
    }
    assert fast == slow


@PROPERTY_SETTINGS
@given(instances(), st.sampled_from(["default", "exact", "greedy", "pruned"]))
def test_every_plan_keeps_every_hard_constraint(instance: Instance, method: str) -> None:
    if method == "pruned":
        plan = solve(instance, allow_impossible=True, prune_to=(1, 1))
    else:
        plan = solve(instance, method=method, allow_impossible=True, time_limit=10)  # type: ignore[arg-type]
    assert violations(instance, plan.assignments) == []
    again = evaluate(instance, plan.assignments)
    assert again.coverage == plan.coverage
    assert again.max_lent_by_one_org == plan.max_lent_by_one_org
    assert abs(again.travel_m - plan.travel_m) <= len(plan.assignments)


@PROPERTY_SETTINGS
@given(instances())
def test_the_default_solver_matches_cp_sat(instance: Instance) -> None:
    default = solve(instance, allow_impossible=True)
    exact = solve(instance, method="exact", allow_impossible=True, time_limit=20)
    assert exact.optimal and default.optimal
    assert default.coverage == exact.coverage
    assert default.travel_m == exact.travel_m
    assert abs(default.max_lent_by_one_org - exact.max_lent_by_one_org) <= 1


@PROPERTY_SETTINGS
@given(instances(max_responders=12, max_requests=5))
def test_neither_greedy_nor_pruning_beats_the_optimum(instance: Instance) -> None:
    best = solve(instance, allow_impossible=True)
    for other in (
        solve(instance, method="greedy", allow_impossible=True),
        solve(instance, allow_impossible=True, prune_to=(1, 1)),
    ):
        assert other.coverage <= best.coverage
        if other.coverage == best.coverage:
            assert other.travel_m >= best.travel_m
