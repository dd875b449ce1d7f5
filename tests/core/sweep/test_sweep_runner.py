"""Splitting work across processes never changes what a user is told."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from openwarp.core.sweep import runner
from tests.core.sweep.conftest import make_set, run_sweep


def _log(lines: int, every: int) -> str:
    return "".join(
        f"GET http://{'www.evil.com' if n % every == 0 else f'host{n}.example.org'}/ id={n}\n"
        for n in range(1, lines + 1)
    )


def test_line_numbers_are_the_same_on_one_core_and_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.log"
    big.write_text(_log(5000, 97))
    packed = tmp_path / "packed.log.gz"
    packed.write_bytes(gzip.compress(_log(800, 13).encode()))
    monkeypatch.setattr(runner, "CHUNK_SIZE", 4096)  # dozens of byte-range units, cut mid-line
    units = runner.plan([str(big), str(packed)], [])
    assert len(units) > 20 and sum(unit.path == str(packed) for unit in units) == 1
    indicators = make_set("evil.com")
    one, _, _ = run_sweep([str(big), str(packed)], indicators, workers=1)
    many, _, summary = run_sweep([str(big), str(packed)], indicators, workers=2)
    assert [(h.file, h.line) for h in many] == [(h.file, h.line) for h in one]
    assert [h.line for h in one if h.file == str(big)] == list(range(97, 5001, 97))
    assert [h.line for h in one if h.file == str(packed)] == list(range(13, 801, 13))
    assert summary.lines == 5800 and summary.files == 2


def test_stdin_is_swept_like_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source = tmp_path / "in.log"
    source.write_bytes(gzip.compress(_log(30, 10).encode()))
    with source.open("rb") as handle:
        monkeypatch.setattr("sys.stdin", type("Stdin", (), {"buffer": handle})())
        hits, _, _ = run_sweep(["-"], make_set("evil.com"))
    assert [(h.file, h.line) for h in hits] == [("-", 10), ("-", 20), ("-", 30)]
