"""Helpers for sweep tests: build indicator sets and sweep text written to disk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from openwarp.core.indicators import IndicatorSet, build_set
from openwarp.core.sweep import Hit, Summary, SweepWarning, native, sweep_paths
from openwarp.core.sweep.prefilter import unavailable

type Sweep = Callable[..., tuple[list[Hit], list[SweepWarning]]]

# Tests in these modules sweep files; each runs once per stage-1 engine, so the
# C scanner, the compiled pre-filter and the pure-Python fast path are held to
# the same rules.
SWEEPING = {
    "test_sweep_bad_input",
    "test_sweep_formats",
    "test_sweep_property",
    "test_sweep_runner",
    "test_sweep_semantics",
}
ENGINE = {"name": "python"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "sweep_engine" in metafunc.fixturenames:
        module = metafunc.module.__name__.rsplit(".", 1)[-1]
        engines = ["python", "hyperscan", "native"] if module in SWEEPING else ["python"]
        metafunc.parametrize("sweep_engine", engines, indirect=True)


@pytest.fixture(autouse=True)
def sweep_engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """The engine ``run_sweep`` asks for; the hyperscan and native runs skip where
    they cannot run (``test_sweep_native`` fails instead when CI requires the latter)."""
    name = getattr(request, "param", "python")
    if name == "hyperscan" and (reason := unavailable()) is not None:
        pytest.skip(reason)
    if name == "native" and (reason := native.unavailable()) is not None:
        pytest.skip(reason)
    ENGINE["name"] = name
    yield name
    ENGINE["name"] = "python"


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
    engine = ENGINE["name"]
    for item in sweep_paths(paths, indicators, summary, workers=workers, engine=engine):
        if isinstance(item, SweepWarning):
            warnings.append(item)
        else:
            hits.append(item)
    assert summary.engine.startswith(engine)  # the engine asked for is the one that ran
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
