"""Helpers for sweep tests: build indicator sets and sweep text written to disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from openwarp.core.indicators import IndicatorSet, build_set
from openwarp.core.sweep import Hit, Summary, SweepWarning, sweep_paths

type Sweep = Callable[..., tuple[list[Hit], list[SweepWarning]]]


def make_set(
    *values: str, report: str | None = "test report", tlp: str | None = "amber"
) -> IndicatorSet:
    """An indicator set from literal values, as an analyst would paste them."""
    rows = [("test", number, value, report, tlp) for number, value in enumerate(values, 1)]
    loaded = build_set(rows)
    assert not loaded.rejected, loaded.examples
    return loaded.indicators


def run_sweep(
    paths: list[str], indicators: IndicatorSet, workers: int = 1
) -> tuple[list[Hit], list[SweepWarning], Summary]:
    summary = Summary()
    hits: list[Hit] = []
    warnings: list[SweepWarning] = []
    for item in sweep_paths(paths, indicators, summary, workers=workers):
        if isinstance(item, SweepWarning):
            warnings.append(item)
        else:
            hits.append(item)
    return hits, warnings, summary


@pytest.fixture
def sweep_text(tmp_path: Path) -> Sweep:
    """Write ``text`` to a log file and sweep it for ``values``."""

    def sweep(
        text: str | bytes, *values: str, name: str = "test.log"
    ) -> tuple[list[Hit], list[SweepWarning]]:
        path = tmp_path / name
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        hits, warnings, _ = run_sweep([str(path)], make_set(*values))
        return hits, warnings

    return sweep


def found(hits: list[Hit]) -> set[tuple[int, str, str]]:
    """(line, indicator, matched) of each hit: what a user reads in the output."""
    return {(hit.line, hit.indicator, hit.matched) for hit in hits}
