"""One call that sweeps paths for an indicator set and tells the story.

The CLI (and later the hub's own tasks) call ``sweep_paths``; it yields hits
and warnings in file order as soon as each unit is done, and keeps a summary
that is complete once the iterator is exhausted.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openwarp.core.indicators.model import IndicatorSet
from openwarp.core.sweep.prefilter import prepare_engine
from openwarp.core.sweep.readers import SweepWarning
from openwarp.core.sweep.runner import Hit, Unit, UnitResult, execute, plan


@dataclass
class Summary:
    files: int = 0
    bytes_read: int = 0
    lines: int = 0
    hits: int = 0
    warnings: int = 0
    seconds: float = 0.0
    engine: str = ""  # which stage 1 ran, and why (``hyperscan (...)`` or ``python``)
    by_indicator: Counter[tuple[str, str]] = field(default_factory=Counter)
    formats: Counter[str] = field(default_factory=Counter)
    # Per file: line ends and bytes swept, and whether it was read as a stream
    # (compressed or UTF-16, so the bytes are not the file's); for ``--report``.
    extents: dict[str, tuple[int, int, bool]] = field(default_factory=dict)


def unit_disk_size(unit: Unit) -> int:
    """Bytes of the file this unit accounts for, for a progress bar that ends at 100 %."""
    if unit.path is None:
        return 0
    if unit.end is not None and not unit.streamed:
        return unit.end - unit.start
    try:
        return os.path.getsize(unit.path)
    except OSError:
        return 0


def _hits_of(result: UnitResult, offset: int) -> Iterator[Hit]:
    unit = result.unit
    for hit in result.hits:
        indicator = hit.indicator
        yield Hit(
            file=unit.name,
            line=offset + hit.line,
            indicator=indicator.value,
            type=str(indicator.type),
            matched=hit.matched,
            report=indicator.report,
            tlp=indicator.tlp,
            timestamp=hit.timestamp,
            format=unit.format,
        )


def sweep_paths(
    paths: list[str],
    indicators: IndicatorSet,
    summary: Summary,
    *,
    workers: int | None = None,
    on_plan: Callable[[int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    engine: str = "auto",
    cache_dir: Path | None = None,
) -> Iterator[Hit | SweepWarning]:
    """Sweep files, directories and ``-`` (stdin); yield hits and warnings in order.

    ``engine`` and ``cache_dir`` choose stage 1 (``prefilter.prepare_engine``);
    the compiled pre-filter is kept in ``cache_dir`` when one is given.
    """
    started = time.perf_counter()
    summary.engine = prepare_engine(indicators, engine, cache_dir)
    warnings: list[SweepWarning] = []
    units = plan(paths, warnings)
    yield from warnings
    summary.warnings += len(warnings)
    if on_plan is not None:
        on_plan(sum(unit_disk_size(unit) for unit in units))
    lines_before: Counter[str] = Counter()
    seen_files: set[str] = set()
    for result in execute(units, indicators, workers=workers or os.cpu_count() or 1):
        unit = result.unit
        offset = lines_before[unit.name]
        for warning in result.warnings:
            line = None if warning.line is None else offset + warning.line
            summary.warnings += 1
            yield SweepWarning(warning.file, line, warning.message, warning.error)
        for hit in _hits_of(result, offset):
            summary.hits += 1
            summary.by_indicator[(hit.indicator, hit.type)] += 1
            yield hit
        lines_before[unit.name] += result.lines
        _, size, _ = summary.extents.get(unit.name, (0, 0, False))
        extent = (lines_before[unit.name], size + result.size, unit.streamed or unit.path is None)
        summary.extents[unit.name] = extent
        summary.lines += result.lines
        summary.bytes_read += result.size
        if unit.name not in seen_files:
            seen_files.add(unit.name)
            summary.files += 1
            summary.formats[unit.format] += 1
        if on_progress is not None:
            on_progress(unit_disk_size(unit))
    summary.seconds = time.perf_counter() - started
