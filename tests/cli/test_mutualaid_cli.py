"""`openwarp mutualaid solve`: the plan on stdout, bad input as one line and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from openwarp.cli.mutualaid import app

# Mounted the way the main `openwarp` command mounts it.
root = typer.Typer()
root.add_typer(app, name="mutualaid")
runner = CliRunner()


def _responder(rid: str, org: str, lat: float, lon: float) -> dict[str, Any]:
    return {
        "id": rid,
        "org": org,
        "skills": {"windows_ad_recovery": 3, "backup_restore": 2},
        "vetted": True,
        "location": [lat, lon],
        "available_from": "2025-03-01T00:00:00Z",
        "available_to": "2025-03-31T00:00:00Z",
        "max_days": 10,
    }


INSTANCE: dict[str, Any] = {
    "responders": [
        _responder("hull-1", "hull", 53.74, -0.33),
        _responder("york-1", "york", 53.96, -1.08),
        _responder("leeds-1", "leeds", 53.80, -1.55),
    ],
    "requests": [
        {
            "id": "redcar",
            "org": "redcar",
            "priority": 5,
            "location": [54.58, -1.06],
            "start": "2025-03-03T09:00:00+00:00",
            "days": 5,
            "needs": [
                {
                    "skill": "windows_ad_recovery",
                    "min_level": 2,
                    "people": 2,
                    "vetting_required": True,
                },
                {"skill": "backup_restore", "min_level": 2, "people": 1, "vetting_required": False},
            ],
        }
    ],
    "conflicts": [["redcar", "leeds"]],
}


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


@pytest.mark.parametrize("flags", [[], ["--exact", "--time-limit", "10"]])
def test_solve_prints_the_plan_as_json(tmp_path: Path, flags: list[str]) -> None:
    result = runner.invoke(root, ["mutualaid", "solve", str(_write(tmp_path, INSTANCE)), *flags])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert set(plan) == {"assignments", "coverage", "travel_km", "max_lent_by_one_org"}
    # Leeds is in conflict with Redcar, so only Hull and York can go: two of three places.
    assert {a["responder"] for a in plan["assignments"]} == {"hull-1", "york-1"}
    assert all(a["request"] == "redcar" for a in plan["assignments"])
    assert plan["coverage"] == 10
    assert plan["max_lent_by_one_org"] == 1
    assert 120 < plan["travel_km"] < 200  # York is about 70 km from Redcar, Hull about 105 km


def test_exact_and_default_print_the_same_figures(tmp_path: Path) -> None:
    path = str(_write(tmp_path, INSTANCE))
    default = json.loads(runner.invoke(root, ["mutualaid", "solve", path]).stdout)
    exact = json.loads(runner.invoke(root, ["mutualaid", "solve", path, "--exact"]).stdout)
    assert default["coverage"] == exact["coverage"]
    assert default["travel_km"] == exact["travel_km"]


def _broken(change: str) -> object:
    data = json.loads(json.dumps(INSTANCE))
    if change == "people":
        data["requests"][0]["needs"][1]["people"] = -1
    elif change == "skill":
        data["requests"][0]["needs"][0]["skill"] = "mainframe"
    elif change == "naive time":
        data["requests"][0]["start"] = "2025-03-03T09:00:00"
    elif change == "json":
        return '{"responders": ['
    return data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("people", "requests[0].needs[1].people"),
        ("skill", "requests[0].needs[0]: impossible request: no responder has skill 'mainframe'"),
        ("naive time", "requests[0].start"),
        ("json", "Invalid JSON"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(tmp_path: Path, change: str, expected: str) -> None:
    result = runner.invoke(root, ["mutualaid", "solve", str(_write(tmp_path, _broken(change)))])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert expected in lines[0]


def test_a_missing_file_is_exit_code_2(tmp_path: Path) -> None:
    result = runner.invoke(root, ["mutualaid", "solve", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_a_non_positive_time_limit_is_refused(tmp_path: Path) -> None:
    path = str(_write(tmp_path, INSTANCE))
    result = runner.invoke(root, ["mutualaid", "solve", path, "--time-limit", "0"])
    assert result.exit_code == 2
