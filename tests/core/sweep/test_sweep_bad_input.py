"""Bad input never stops a sweep: it warns with file and line, and goes on."""

from __future__ import annotations

import bz2
import gzip
import io
import os
from pathlib import Path

import pytest
import zstandard

from openwarp.core.sweep import readers, runner
from tests.core.sweep.conftest import Sweep, make_set, run_sweep

LINE = "GET http://www.evil.com/ from 10.0.0.1\n"


def test_binary_garbage_is_reported_and_the_rest_still_swept(sweep_text: Sweep) -> None:
    garbage = bytes(range(256)) * 40
    data = b"first ok\n" + garbage + b"\n" + LINE.encode()
    hits, warnings = sweep_text(data, "evil.com")
    assert [hit.line for hit in hits] == [data.count(b"\n")]
    assert any("binary" in w.message and w.line == 2 for w in warnings)
    assert all(w.file.endswith("test.log") for w in warnings)


def test_truncated_gzip_sweeps_what_was_readable_and_warns(tmp_path: Path) -> None:
    body = ("noise line\n" * 5000 + LINE) * 20
    whole = gzip.compress(body.encode())
    path = tmp_path / "cut.log.gz"
    path.write_bytes(whole[: len(whole) // 2])
    hits, warnings, _ = run_sweep([str(path)], make_set("evil.com"))
    assert hits, "hits before the cut are still reported"
    assert all(hit.line % 5001 == 0 for hit in hits)
    assert len(warnings) == 1 and "truncated" in warnings[0].message
    assert warnings[0].line is not None and warnings[0].line > hits[-1].line
    assert not warnings[0].error


def test_megabyte_lines_are_swept_and_reported(sweep_text: Sweep) -> None:
    long_line = "x=" + "a" * (3 << 20) + " host=www.evil.com\n"
    hits, warnings = sweep_text("start\n" + long_line + LINE, "evil.com")
    assert [hit.line for hit in hits] == [2, 3]
    assert any(w.line == 2 and "MB" in w.message for w in warnings)


def test_mixed_encodings_do_not_break_matching(sweep_text: Sweep) -> None:
    data = "café www.evil.com\n".encode("latin-1") + "naïve évil.com evil.com\n".encode()
    hits, warnings = sweep_text(data, "evil.com")
    assert [(hit.line, hit.matched) for hit in hits] == [(1, "www.evil.com"), (2, "evil.com")]
    assert [(w.line, "UTF-8" in w.message) for w in warnings] == [(1, True)]


def test_utf16_export_is_read_as_text(sweep_text: Sweep) -> None:
    data = ("Level,Message\nInformation,QueryName: www.evil.com\n").encode("utf-16")
    hits, _ = sweep_text(data, "evil.com")
    assert [(hit.line, hit.matched) for hit in hits] == [(2, "www.evil.com")]


def test_file_growing_while_read_stops_at_its_starting_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "live.log"
    path.write_text(LINE * 3 + "GET http://www.ev")  # a writer is mid-line
    real_scan = runner._scan_block

    def scan_then_grow(block: bytes, result: runner.UnitResult, fmt: str) -> None:
        with path.open("a") as writer:
            writer.write("il.com/\n" + LINE)
        real_scan(block, result, fmt)

    monkeypatch.setattr(runner, "_scan_block", scan_then_grow)
    hits, warnings, _ = run_sweep([str(path)], make_set("evil.com"))
    assert [hit.line for hit in hits] == [1, 2, 3]
    assert any(w.line == 4 and "grew" in w.message for w in warnings)


def test_missing_and_unreadable_paths_are_errors_not_crashes(tmp_path: Path) -> None:
    good = tmp_path / "good.log"
    good.write_text(LINE)
    locked = tmp_path / "locked.log"
    locked.write_text(LINE)
    locked.chmod(0)
    paths = [str(tmp_path / "missing.log"), str(good)]
    if os.geteuid() != 0:  # root reads anything, so this case only means something for users
        paths.append(str(locked))
    hits, warnings, _ = run_sweep(paths, make_set("evil.com"))
    assert [hit.file for hit in hits] == [str(good)]
    assert warnings[0].error and warnings[0].file.endswith("missing.log")


def test_every_compression_and_directories_recursively(tmp_path: Path) -> None:
    payload = ("ok\n" * 10 + LINE).encode()
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "plain.log").write_bytes(payload)
    (tmp_path / "a" / "b" / "g.log.gz").write_bytes(gzip.compress(payload))
    (tmp_path / "a" / "b" / "b.log.bz2").write_bytes(bz2.compress(payload))
    (tmp_path / "a" / "z.log.zst").write_bytes(zstandard.ZstdCompressor().compress(payload))
    hits, warnings, summary = run_sweep([str(tmp_path / "a")], make_set("evil.com"))
    assert warnings == []
    assert sorted((Path(hit.file).name, hit.line) for hit in hits) == [
        ("b.log.bz2", 11),
        ("g.log.gz", 11),
        ("plain.log", 11),
        ("z.log.zst", 11),
    ]
    assert summary.files == 4


def test_endless_line_is_cut_between_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_LINE", 1000)
    line = "".join(f"host{n}.example.org " for n in range(400)) + "tail.evil.com\n"
    warnings: list[tuple[int | None, str]] = []
    blocks = list(
        readers.iter_blocks(
            io.BytesIO(line.encode()), lambda n, m: warnings.append((n, m)), block_size=1500
        )
    )
    assert b"".join(blocks) == line.encode()
    assert len(blocks) > 3 and all(block.endswith((b" ", b"\n")) for block in blocks)
    assert warnings and all(number == 1 for number, _ in warnings)


def test_compressed_log_without_final_newline_is_swept_to_its_end(tmp_path: Path) -> None:
    path = tmp_path / "rotated.log.gz"
    path.write_bytes(gzip.compress(("noise\n" * 50 + "GET http://www.evil.com/").encode()))
    hits, warnings, _ = run_sweep([str(path)], make_set("evil.com"))
    assert [hit.line for hit in hits] == [51]
    assert warnings == []


def test_binary_data_is_reported_once_per_file(sweep_text: Sweep) -> None:
    data = b"a\x00b\n" + b"ok\n" * 10 + b"tail \x00 www.evil.com"
    hits, warnings = sweep_text(data, "evil.com")
    assert [hit.line for hit in hits] == [12]
    assert [(w.line, "binary" in w.message) for w in warnings] == [(1, True)]
