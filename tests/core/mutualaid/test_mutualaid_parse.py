"""Reading instances: good ones load, bad ones name the JSON path to fix."""

from __future__ import annotations

import json
from typing import Any

import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.mutualaid import instance_from_data, load_instance


def _data(make: Any) -> dict[str, Any]:
    return {"responders": [make.responder()], "requests": [make.request()], "conflicts": []}


def _error(data: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        load_instance(json.dumps(data))
    return caught.value


def test_a_valid_instance_loads_with_its_fields(make: Any) -> None:
    instance = load_instance(json.dumps(_data(make)))
    assert instance.responders[0].skills == {"forensic_analyst": 2}
    assert instance.requests[0].end.isoformat() == "2025-03-06T09:00:00+00:00"


def test_conflicts_may_be_left_out_and_extra_fields_are_ignored(make: Any) -> None:
    data = _data(make)
    del data["conflicts"]
    data["responders"][0]["languages"] = ["en", "cy"]
    assert load_instance(json.dumps(data)).conflicts == []


@pytest.mark.parametrize(
    ("where", "value", "path"),
    [
        (("requests", 0, "needs", 0, "people"), 0, "requests[0].needs[0].people"),
        (("requests", 0, "needs", 0, "people"), "2", "requests[0].needs[0].people"),
        (("requests", 0, "priority"), 6, "requests[0].priority"),
        (("requests", 0, "priority"), True, "requests[0].priority"),
        (("requests", 0, "days"), 0, "requests[0].days"),
        (("requests", 0, "location"), [95.0, 0.0], "requests[0].location[0]"),
        (("responders", 0, "vetted"), "yes", "responders[0].vetted"),
        (("responders", 0, "skills"), {"network": 0}, "responders[0].skills.network"),
        (("responders", 0, "location"), [52.0], "responders[0].location[1]"),
        (("responders", 0, "available_to"), "next week", "responders[0].available_to"),
        (("requests", 0, "needs"), [], "requests[0].needs"),
    ],
)
def test_a_bad_value_is_reported_at_its_json_path(
    make: Any, where: tuple[Any, ...], value: object, path: str
) -> None:
    data = _data(make)
    target: Any = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    assert _error(data).field == path


def test_a_missing_field_is_named(make: Any) -> None:
    data = _data(make)
    del data["requests"][0]["needs"][0]["vetting_required"]
    error = _error(data)
    assert error.field == "requests[0].needs[0].vetting_required"
    assert "required" in error.message.lower()


def test_a_time_without_an_offset_is_refused_rather_than_guessed(make: Any) -> None:
    data = _data(make)
    data["requests"][0]["start"] = "2025-03-03T09:00:00"
    error = _error(data)
    assert error.field == "requests[0].start"
    assert "UTC offset" in error.message


def test_a_time_with_a_british_summer_time_offset_is_understood(make: Any) -> None:
    data = _data(make)
    data["requests"][0]["start"] = "2025-06-02T10:00:00+01:00"
    start = load_instance(json.dumps(data)).requests[0].start
    assert start.utcoffset() is not None
    assert (
        start.timestamp()
        == load_instance(
            json.dumps(
                {**data, "requests": [{**data["requests"][0], "start": "2025-06-02T09:00Z"}]}
            )
        )
        .requests[0]
        .start.timestamp()
    )


def test_duplicate_ids_name_both_places(make: Any) -> None:
    data = _data(make)
    data["responders"].append(make.responder())
    error = _error(data)
    assert error.field == "responders[1].id"
    assert "responders[0]" in error.message
    data = _data(make)
    data["requests"].append(make.request())
    assert _error(data).field == "requests[1].id"


def test_an_availability_window_that_ends_before_it_starts_is_refused(make: Any) -> None:
    data = _data(make)
    data["responders"][0]["available_to"] = "2025-02-01T00:00:00Z"
    assert _error(data).field == "responders[0].available_to"


def test_an_org_in_conflict_with_itself_is_refused(make: Any) -> None:
    data = _data(make)
    data["conflicts"] = [["leicester", "derby"], ["derby", "derby"]]
    assert _error(data).field == "conflicts[1]"


def test_broken_json_says_where(make: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_instance('{"responders": [')
    assert "line 1" in caught.value.message


def test_several_errors_are_counted_in_one_line(make: Any) -> None:
    data = _data(make)
    data["requests"][0]["days"] = -1
    data["requests"][0]["priority"] = 0
    error = _error(data)
    assert "1 more error" in error.message
    assert "\n" not in str(error)


def test_python_data_follows_the_same_strict_rules(make: Any) -> None:
    data = _data(make)
    assert instance_from_data(data).requests[0].id == "redcar-ransomware"
    data["requests"][0]["days"] = "3"
    with pytest.raises(InvalidInput) as caught:
        instance_from_data(data)
    assert caught.value.field == "requests[0].days"
