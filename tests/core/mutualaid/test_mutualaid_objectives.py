"""The three objectives in strict order: coverage, then travel, then fairness."""

from __future__ import annotations

from typing import Any

import pytest

from openwarp.core.mutualaid import Instance, evaluate, solve

EXACT_METHODS = ["default", "exact"]
LEEDS, YORK, LONDON, NEWCASTLE = [53.80, -1.55], [53.96, -1.08], [51.51, -0.13], [54.98, -1.61]


def _who(instance: Instance, method: str) -> dict[str, str]:
    plan = solve(instance, method=method, time_limit=10)  # type: ignore[arg-type]
    return {
        instance.responders[a.responder].id: instance.requests[a.request].id
        for a in plan.assignments
    }


@pytest.mark.parametrize("method", EXACT_METHODS)
def test_the_higher_priority_request_is_served_first(make: Any, method: str) -> None:
    instance = make.build(
        responders=[make.responder(location=LEEDS)],
        requests=[
            make.request(id="low", priority=1, location=LEEDS),
            make.request(id="high", priority=5, org="york", location=LONDON),
        ],
    )
    assert _who(instance, method) == {"alice": "high"}


@pytest.mark.parametrize("method", EXACT_METHODS)
def test_coverage_beats_travel(make: Any, method: str) -> None:
    """The near responder can do both jobs, the far one only one: send the near one afar."""
    near = make.responder(id="near", location=LEEDS, skills={"forensic_analyst": 3, "network": 2})
    far = make.responder(id="far", org="kent", location=LONDON, skills={"network": 2})
    requests = [
        make.request(id="forensics", location=LEEDS),
        make.request(id="network", org="york", location=LEEDS, needs=[make.need(skill="network")]),
    ]
    assert _who(make.build(responders=[near, far], requests=requests), method) == {
        "near": "forensics",
        "far": "network",
    }


@pytest.mark.parametrize("method", EXACT_METHODS)
def test_among_full_plans_the_shortest_total_travel_wins(make: Any, method: str) -> None:
    responders = [
        make.responder(id="leeds", location=LEEDS),
        make.responder(id="london", org="kent", location=LONDON),
    ]
    requests = [
        make.request(id="york", location=YORK),
        make.request(id="london-req", org="camden", location=LONDON),
    ]
    assert _who(make.build(responders=responders, requests=requests), method) == {
        "leeds": "york",
        "london": "london-req",
    }


@pytest.mark.parametrize("method", EXACT_METHODS)
def test_with_equal_travel_the_burden_is_spread_across_lenders(make: Any, method: str) -> None:
    """Two orgs share an office: the same travel either way, so one person from each."""
    responders = [
        make.responder(id=f"{org}-{i}", org=org, location=YORK)
        for org in ("north", "south")
        for i in range(2)
    ]
    instance = make.build(
        responders=responders, requests=[make.request(needs=[make.need(people=2)])]
    )
    plan = solve(instance, method=method)  # type: ignore[arg-type]
    assert plan.max_lent_by_one_org == 1
    assert {instance.responders[a.responder].org for a in plan.assignments} == {"north", "south"}


def test_travel_beats_fairness(make: Any) -> None:
    responders = [
        make.responder(id="a1", org="a", location=LEEDS),
        make.responder(id="a2", org="a", location=LEEDS),
        make.responder(id="b1", org="b", location=NEWCASTLE),
    ]
    instance = make.build(
        responders=responders, requests=[make.request(location=LEEDS, needs=[make.need(people=2)])]
    )
    plan = solve(instance)
    assert plan.max_lent_by_one_org == 2


def test_the_reported_figures_match_an_independent_count(make: Any) -> None:
    responders = [make.responder(id=f"p{i}", org=f"o{i % 2}", location=LEEDS) for i in range(3)]
    requests = [
        make.request(id="r1", priority=5, location=YORK, needs=[make.need(people=2)]),
        make.request(id="r2", priority=2, org="camden", location=LONDON),
    ]
    instance = make.build(responders=responders, requests=requests)
    plan = solve(instance)
    again = evaluate(instance, plan.assignments)
    assert plan.coverage == again.coverage == 5 * 2 + 2
    assert abs(plan.travel_m - again.travel_m) <= len(plan.assignments)
    # Leeds to York is about 34 km; Leeds to London about 272 km.
    assert 2 * 30_000 + 265_000 < plan.travel_m < 2 * 40_000 + 280_000
    assert plan.max_lent_by_one_org == 2
    assert plan.optimal


def test_greedy_loses_coverage_where_the_optimiser_does_not(make: Any) -> None:
    """Greedy sends the only forensic analyst to the nearer network job and strands forensics."""
    both = make.responder(id="both", location=LEEDS, skills={"forensic_analyst": 2, "network": 2})
    net = make.responder(id="net", org="kent", location=LONDON, skills={"network": 2})
    requests = [
        make.request(id="network", priority=5, location=LEEDS, needs=[make.need(skill="network")]),
        make.request(id="forensics", priority=5, org="york", location=YORK),
    ]
    instance = make.build(responders=[both, net], requests=requests)
    greedy, best = solve(instance, method="greedy"), solve(instance)
    assert best.coverage == 10
    assert greedy.coverage == 5


def _shared_office(make: Any) -> Instance:
    responders = [
        make.responder(id=f"{org}-{i}", org=org, location=YORK)
        for org in ("north", "south")
        for i in range(2)
    ]
    return make.build(responders=responders, requests=[make.request(needs=[make.need(people=2)])])


def test_out_of_time_the_plan_keeps_coverage_and_travel_and_says_fairness_was_cut(
    make: Any,
) -> None:
    instance = _shared_office(make)
    full, rushed = solve(instance), solve(instance, time_limit=1e-9)
    assert (rushed.coverage, rushed.travel_m) == (full.coverage, full.travel_m)
    assert not rushed.optimal
    assert any("fairness" in note for note in rushed.notes)


def test_a_pruned_plan_is_never_called_optimal(make: Any) -> None:
    responders = [make.responder(id="p1", location=LEEDS), make.responder(id="p2", location=YORK)]
    requests = [make.request(id="leeds", location=LEEDS), make.request(id="york", location=YORK)]
    instance = make.build(responders=responders, requests=requests)
    assert solve(instance).optimal
    plan = solve(instance, prune_to=(1, 1))
    assert _who(instance, "default") == {"p1": "leeds", "p2": "york"}
    assert not plan.optimal
    assert any("nearest 1 responders per need" in note for note in plan.notes)
