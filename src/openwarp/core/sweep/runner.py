"""Plan a sweep into units of work and run them on every core.

Plain files are cut into byte ranges on line boundaries, so one big log uses
all cores; compressed files, UTF-16 exports and stdin are one unit each, as a
compressed stream can only be read from its start. Each unit reports line
numbers relative to its own start and how many lines it held; the parent adds
them up in file order, so the numbers a user sees count lines of the
decompressed text from 1, whatever the split.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from openwarp.core.indicators.model import IndicatorSet
from openwarp.core.sweep.engine import BlockScanner, LineHit
from openwarp.core.sweep.fastpath import shared_fastpath
from openwarp.core.sweep.formats import BY_NAME, detect
from openwarp.core.sweep.readers import (
    UTF16_BOMS,
    SweepWarning,
    compression_of,
    discover,
    iter_blocks,
    open_stream,
)

CHUNK_SIZE = 32 << 20
HEAD_SIZE = 64 << 10


@dataclass(frozen=True, slots=True)
class Hit:
    """One sighting, in the shape of the output contract."""

    file: str
    line: int
    indicator: str
    type: str
    matched: str
    report: str | None
    tlp: str | None
    timestamp: str | None
    format: str


@dataclass(frozen=True, slots=True)
class Unit:
    name: str
    path: str | None
    format: str
    start: int = 0
    end: int | None = None
    last: bool = True
    streamed: bool = False  # compressed or UTF-16: read whole, from the start


@dataclass
class UnitResult:
    unit: Unit
    hits: list[LineHit] = field(default_factory=list)
    warnings: list[SweepWarning] = field(default_factory=list)
    lines: int = 0
    size: int = 0


def _head(path: Path) -> tuple[bytes, bool]:
    """The first decoded bytes of a file, and whether it must be read as a stream
    (compressed or UTF-16) rather than cut into byte ranges."""
    with path.open("rb") as raw:
        magic = raw.read(4)
        raw.seek(0)
        if compression_of(magic) is None and magic[:2] not in UTF16_BOMS:
            return raw.read(HEAD_SIZE), False
        stream, _ = open_stream(raw)
        try:
            return stream.read(HEAD_SIZE), True
        except (OSError, EOFError, ValueError):
            return b"", True


def plan(paths: list[str], warnings: list[SweepWarning]) -> list[Unit]:
    """Units of work in output order; unreadable paths become warnings."""
    units: list[Unit] = []
    for name, path in discover(paths):
        if path is None:
            units.append(Unit(name, None, ""))
            continue
        try:
            size = path.stat().st_size
            head, streamed = _head(path)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            warnings.append(SweepWarning(name, None, f"cannot read: {reason}", error=True))
            continue
        fmt = detect(head).name
        if streamed or size <= CHUNK_SIZE:
            units.append(Unit(name, str(path), fmt, 0, None if streamed else size, True, streamed))
            continue
        for start in range(0, size, CHUNK_SIZE):
            end = min(start + CHUNK_SIZE, size)
            units.append(Unit(name, str(path), fmt, start, end, end == size))
    return units


class _Range:
    """Bytes from the aligned start to ``end``, then to the end of that line."""

    def __init__(self, handle: BinaryIO, end: int, finish_line: bool) -> None:
        self.handle, self.end, self.finish_line = handle, end, finish_line
        self.done, self.last = False, b"\n"

    def read(self, size: int = -1) -> bytes:
        if self.done:
            return b""
        position = self.handle.tell()
        if position < self.end:
            want = self.end - position if size < 0 else min(size, self.end - position)
            data = self.handle.read(want)
            if data:
                self.last = data[-1:]
                return data
        self.done = True
        if self.finish_line and self.last != b"\n":
            return self.handle.readline()
        return b""


_INDICATORS: IndicatorSet | None = None
_SCANNERS: dict[str, BlockScanner] = {}


def _scanner(fmt: str) -> BlockScanner:
    if fmt not in _SCANNERS:
        assert _INDICATORS is not None
        _SCANNERS[fmt] = BlockScanner(_INDICATORS, BY_NAME[fmt])
    return _SCANNERS[fmt]


def _scan_stream(stream: BinaryIO, result: UnitResult, fmt: str, grew: Callable[[], bool]) -> None:
    unit = result.unit

    def warn(line: int | None, message: str) -> None:
        result.warnings.append(SweepWarning(unit.name, line, message))

    pending: bytes | None = None
    blocks = iter_blocks(stream, warn)
    for block in blocks:
        if pending is not None:
            _scan_block(pending, result, fmt)
        pending = block
    if pending is not None:
        if unit.last and not pending.endswith(b"\n") and grew():
            warn(
                result.lines + 1, "file grew while being read; its unfinished last line was skipped"
            )
            pending = pending[: pending.rfind(b"\n") + 1]
        _scan_block(pending, result, fmt)


def _scan_block(block: bytes, result: UnitResult, fmt: str) -> None:
    base = result.lines
    hits, newlines = _scanner(fmt).scan(block)
    warned: set[int] = set()
    for hit in hits:
        line = base + hit.line
        result.hits.append(LineHit(line, hit.indicator, hit.matched, hit.timestamp, hit.utf8))
        if not hit.utf8 and line not in warned:
            warned.add(line)
            message = "not valid UTF-8 (mixed encodings?); hit shown with replacement characters"
            result.warnings.append(SweepWarning(result.unit.name, line, message))
    result.lines += newlines
    result.size += len(block)


def run_unit(unit: Unit) -> UnitResult:
    """Sweep one unit in this process; errors become warnings, never exceptions."""
    result = UnitResult(unit)
    if unit.path is None:
        stream, _ = open_stream(sys.stdin.buffer)
        head = stream.peek(HEAD_SIZE)[:HEAD_SIZE]  # type: ignore[attr-defined]
        result.unit = Unit(unit.name, None, detect(head).name)
        _scan_stream(stream, result, result.unit.format, lambda: False)
        return result
    try:
        with open(unit.path, "rb") as handle:
            stream = _open_unit(handle, unit)
            _scan_stream(stream, result, unit.format, lambda: _grew(unit))
    except OSError as exc:
        result.warnings.append(SweepWarning(unit.name, None, f"cannot read: {exc}", error=True))
    return result


def _open_unit(handle: BinaryIO, unit: Unit) -> BinaryIO:
    if unit.streamed or unit.end is None:
        return open_stream(handle)[0]
    if unit.start > 0:
        handle.seek(unit.start - 1)
        handle.readline()
    return _Range(handle, unit.end, not unit.last)  # type: ignore[return-value]


def _grew(unit: Unit) -> bool:
    """Whether a plain file is now longer than when the sweep was planned."""
    if unit.path is None or unit.end is None or unit.streamed:
        return False
    try:
        return os.stat(unit.path).st_size > unit.end
    except OSError:
        return False


def execute(
    units: list[Unit], indicators: IndicatorSet, *, workers: int = 1
) -> Iterator[UnitResult]:
    """Run units in order, on ``workers`` processes when there is work for them.

    Workers are forked so the indicator set, built once, is shared with them
    copy-on-write instead of being pickled to each.
    """
    global _INDICATORS
    _INDICATORS = indicators
    _SCANNERS.clear()
    shared_fastpath(indicators)
    parallel = [unit for unit in units if unit.path is not None]
    if workers <= 1 or len(parallel) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (run_unit(unit) for unit in units)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(min(workers, len(parallel))) as pool:
        done = pool.imap(run_unit, parallel, chunksize=1)
        for unit in units:
            yield run_unit(unit) if unit.path is None else next(done)
