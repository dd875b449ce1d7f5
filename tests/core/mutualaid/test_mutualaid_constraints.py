"""Each hard constraint, seen the way a coordinator would: who is (not) sent, and why."""

from __future__ import annotations

from typing import Any

import pytest

from openwarp.core.mutualaid import ImpossibleRequest, Instance, solve, violations
from openwarp.core.mutualaid.model import Assignment

METHODS = ["default", "exact", "greedy"]


def _sent(instance: Instance, method: str = "default") -> list[tuple[str, int, str]]:
    plan = solve(instance, method=method, time_limit=10, allow_impossible=True)  # type: ignore[arg-type]
    assert violations(instance, plan.assignments) == []
    return [
        (instance.requests[a.request].id, a.need_index, instance.responders[a.responder].id)
        for a in plan.assignments
    ]


@pytest.mark.parametrize("method", METHODS)
def test_the_base_case_sends_the_one_eligible_responder(make: Any, method: str) -> None:
    assert _sent(make.build(), method) == [("redcar-ransomware", 0, "alice")]


INELIGIBLE: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "skill missing": ({"skills": {"network": 3}}, {}),
    "level too low": ({"skills": {"forensic_analyst": 1}}, {}),
    "not vetted": ({"vetted": False}, {}),
    "arrives late": ({"available_from": "2025-03-03T09:00:01Z"}, {}),
    "leaves early": ({"available_to": "2025-03-06T08:59:59Z"}, {}),
    "cannot stay long enough": ({"max_days": 2}, {}),
    "own org": ({"org": "nottingham"}, {}),
    "conflicted org": ({}, {"conflicts": [["nottingham", "leicester"]]}),
    "conflict written the other way": ({}, {"conflicts": [["leicester", "nottingham"]]}),
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", sorted(INELIGIBLE))
def test_a_responder_breaking_one_hard_constraint_is_never_sent(
    make: Any, case: str, method: str
) -> None:
    responder_changes, extra = INELIGIBLE[case]
    # Bob is eligible but far away, so Alice would be chosen if the rule let her go.
    eligible = make.responder(id="bob", org="derby", location=[51.51, -0.13])
    instance = make.build(
        responders=[make.responder(**responder_changes), eligible], conflicts=extra.get("conflicts")
    )
    assert _sent(instance, method) == [("redcar-ransomware", 0, "bob")]


@pytest.mark.parametrize(
    "changes",
    [
        {"available_from": "2025-03-03T09:00:00Z", "available_to": "2025-03-06T09:00:00Z"},
        {"max_days": 3},
        {"skills": {"forensic_analyst": 2, "network": 1}},
    ],
    ids=["window exactly the request", "max days exactly the request", "extra skills"],
)
def test_boundaries_that_still_allow_the_responder(make: Any, changes: dict[str, Any]) -> None:
    assert _sent(make.build(responders=[make.responder(**changes)])) == [
        ("redcar-ransomware", 0, "alice")
    ]


def test_an_unvetted_responder_may_go_where_vetting_is_not_required(make: Any) -> None:
    instance = make.build(
        responders=[make.responder(vetted=False)],
        requests=[make.request(needs=[make.need(vetting_required=False)])],
    )
    assert _sent(instance) == [("redcar-ransomware", 0, "alice")]


@pytest.mark.parametrize("method", METHODS)
def test_a_responder_serves_at_most_one_request(make: Any, method: str) -> None:
    second = make.request(id="derby-outage", org="derby", location=[52.92, -1.48])
    sent = _sent(make.build(requests=[make.request(), second]), method)
    assert len(sent) == 1


@pytest.mark.parametrize("method", METHODS)
def test_a_need_gets_no_more_people_than_it_asked_for(make: Any, method: str) -> None:
    people = [make.responder(id=f"p{i}", org=f"org{i}") for i in range(4)]
    instance = make.build(responders=people, requests=[make.request(needs=[make.need(people=2)])])
    assert len(_sent(instance, method)) == 2


def test_the_plan_checker_names_every_broken_rule(make: Any) -> None:
    instance = make.build(
        responders=[make.responder(vetted=False)],
        requests=[make.request(needs=[make.need(), make.need()])],
    )
    twice = [Assignment(0, 0, 0), Assignment(0, 1, 0)]
    problems = violations(instance, twice)
    assert any("sent twice" in p for p in problems)
    assert any("not eligible" in p for p in problems)
    assert violations(instance, [Assignment(3, 0, 0)]) == ["unknown request index 3"]


@pytest.mark.parametrize(
    ("responder_changes", "need_changes", "conflicts", "reason"),
    [
        ({}, {"skill": "cloud"}, None, "has skill 'cloud' at level 2"),
        ({"skills": {"forensic_analyst": 1}}, {}, None, "at level 2 or above"),
        ({"vetted": False}, {}, None, "is vetted"),
        ({"org": "nottingham"}, {}, None, "other than 'nottingham'"),
        ({}, {}, [["leicester", "nottingham"]], "other than 'nottingham'"),
        ({"max_days": 1}, {}, None, "can stay away 3 days"),
        ({"available_to": "2025-03-04T00:00:00Z"}, {}, None, "is available from 2025-03-03"),
    ],
)
def test_an_impossible_request_is_an_error_naming_the_need_and_the_reason(
    make: Any,
    responder_changes: dict[str, Any],
    need_changes: dict[str, Any],
    conflicts: list[list[str]] | None,
    reason: str,
) -> None:
    instance = make.build(
        responders=[make.responder(**responder_changes)],
        requests=[make.request(needs=[make.need(**need_changes)])],
        conflicts=conflicts,
    )
    with pytest.raises(ImpossibleRequest) as caught:
        solve(instance)
    assert caught.value.field == "requests[0].needs[0]"
    assert "impossible request" in caught.value.message
    assert reason in caught.value.message


def test_impossible_needs_are_counted_and_can_be_allowed(make: Any) -> None:
    requests = [
        make.request(needs=[make.need(), make.need(skill="cloud")]),
        make.request(id="other", needs=[make.need(skill="legal_data_protection")]),
    ]
    instance = make.build(requests=requests)
    with pytest.raises(ImpossibleRequest) as caught:
        solve(instance)
    assert caught.value.field == "requests[0].needs[1]"
    assert "1 more" in caught.value.message
    assert len(solve(instance, allow_impossible=True).assignments) == 1


@pytest.mark.parametrize("method", METHODS)
def test_a_need_for_a_language_sends_only_someone_who_speaks_it(make: Any, method: str) -> None:
    near = make.responder(languages=["English"])
    welsh = make.responder(
        id="bob", org="derby", location=[51.48, -3.18], languages=["Cymraeg", "Welsh"]
    )
    asks = make.request(needs=[make.need(language="welsh")])
    assert _sent(make.build([near, welsh], [asks]), method) == [("redcar-ransomware", 0, "bob")]


def test_nobody_speaking_the_language_is_an_impossible_request_that_says_so(make: Any) -> None:
    asks = make.request(needs=[make.need(language="Polish")])
    with pytest.raises(ImpossibleRequest, match="speaks Polish"):
        solve(make.build(requests=[asks]))


@pytest.mark.parametrize("method", METHODS)
def test_a_second_window_makes_a_responder_available(make: Any, method: str) -> None:
    # Alice's main window ends before the request; her second one covers it.
    alice = make.responder(
        available_from="2025-02-01T00:00:00Z",
        available_to="2025-02-10T00:00:00Z",
        windows=[["2025-03-03T00:00:00Z", "2025-03-07T00:00:00Z"]],
    )
    assert _sent(make.build([alice]), method) == [("redcar-ransomware", 0, "alice")]
    short = make.responder(
        windows=[["2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z"]],
        available_to="2025-03-04T00:00:00Z",
    )
    assert _sent(make.build([short]), method) == []


@pytest.mark.parametrize("method", METHODS)
def test_remote_help_is_not_charged_travel(make: Any, method: str) -> None:
    far = make.responder(id="bob", org="derby", location=[51.51, -0.13])
    on_site = solve(make.build([far]), method=method, time_limit=10)  # type: ignore[arg-type]
    remote = solve(
        make.build([far], [make.request(mode="remote")]),
        method=method,
        time_limit=10,  # type: ignore[arg-type]
    )
    assert on_site.travel_km > 150
    assert remote.travel_km == 0
    assert remote.coverage == on_site.coverage


def test_a_window_that_ends_before_it_starts_names_its_path(make: Any) -> None:
    from openwarp.core.errors import InvalidInput

    bad = make.responder(windows=[["2025-03-05T00:00:00Z", "2025-03-04T00:00:00Z"]])
    with pytest.raises(InvalidInput) as error:
        make.build([bad])
    assert error.value.field == "responders[0].windows[0]"


def test_an_unknown_mode_is_refused_with_its_path(make: Any) -> None:
    from openwarp.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        make.build(requests=[make.request(mode="teleport")])
    assert error.value.field == "requests[0].mode"


@pytest.mark.parametrize("method", METHODS)
def test_an_excluded_pair_is_never_matched_but_the_responder_goes_elsewhere(
    make: Any, method: str
) -> None:
    second = make.request(id="derby-outage", org="derby", priority=1)
    instance = make.build(
        requests=[make.request(), second],
        conflicts=None,
    )
    data = instance.model_dump(mode="json")
    data["excluded"] = [["redcar-ransomware", "alice"]]
    from openwarp.core.mutualaid import instance_from_data

    assert _sent(instance_from_data(data), method) == [("derby-outage", 0, "alice")]


def test_an_excluded_pair_naming_nobody_is_refused(make: Any) -> None:
    from openwarp.core.errors import InvalidInput
    from openwarp.core.mutualaid import instance_from_data

    data = make.build().model_dump(mode="json")
    data["excluded"] = [["redcar-ransomware", "zed"]]
    with pytest.raises(InvalidInput) as error:
        instance_from_data(data)
    assert error.value.field == "excluded[0]"


def _with_packages(instance: Instance, packages: list[dict[str, Any]]) -> Instance:
    from openwarp.core.mutualaid import instance_from_data

    data = instance.model_dump(mode="json")
    data["packages"] = packages
    return instance_from_data(data)


def test_a_package_that_covers_a_need_is_offered_whole(make: Any) -> None:
    from openwarp.core.mutualaid import plan_to_json

    team = [
        make.responder(id="derby-1", org="derby", location=[52.92, -1.47]),
        make.responder(id="derby-2", org="derby", location=[52.92, -1.47]),
    ]
    near = make.responder()  # Alice, in Leicester
    asks = make.request(needs=[make.need(people=2)])
    instance = _with_packages(
        make.build([near, *team], [asks]),
        [
            {"id": "derby-ad-team", "org": "derby", "members": ["derby-1", "derby-2"]},
            {"id": "too-big", "org": "derby", "members": ["derby-1", "derby-2", "derby-1"]},
        ],
    )
    out = plan_to_json(instance, solve(instance))
    assert out["coverage"] == 8
    assert out["package_options"] == [
        {
            "request": "redcar-ransomware",
            "need_index": 0,
            "package": "derby-ad-team",
            "people": 2,
            "travel_km": pytest.approx(2 * 21.1, abs=2),
        }
    ]


def test_a_package_with_an_ineligible_member_is_not_offered(make: Any) -> None:
    from openwarp.core.mutualaid import plan_to_json

    team = [
        make.responder(id="derby-1", org="derby"),
        make.responder(id="derby-2", org="derby", vetted=False),
    ]
    instance = _with_packages(
        make.build(team, [make.request(needs=[make.need(people=2)])]),
        [{"id": "mixed", "org": "derby", "members": ["derby-1", "derby-2"]}],
    )
    assert plan_to_json(instance, solve(instance, allow_impossible=True))["package_options"] == []


def test_without_packages_the_plan_json_is_the_first_contracts(make: Any) -> None:
    from openwarp.core.mutualaid import plan_to_json

    instance = make.build()
    assert set(plan_to_json(instance, solve(instance))) == {
        "assignments",
        "coverage",
        "travel_km",
        "max_lent_by_one_org",
    }


def test_a_package_member_from_another_org_names_the_path(make: Any) -> None:
    from openwarp.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        _with_packages(make.build(), [{"id": "p", "org": "derby", "members": ["alice"]}])
    assert error.value.field == "packages[0].members"
