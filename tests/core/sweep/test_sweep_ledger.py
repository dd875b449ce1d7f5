"""The ledger of reported lines: an appended log keeps its mark, any other change loses it."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from openwarp.core.sweep.ledger import Ledger, mark_of

LINES = "".join(f"line {n} evil.example\n" for n in range(1, 6))


def _marked(tmp_path: Path, text: str = LINES) -> tuple[Path, Ledger]:
    log = tmp_path / "proxy.log"
    log.write_text(text)
    ledger = Ledger(tmp_path / "cache" / "reported-x.json")
    mark = mark_of(str(log), text.count("\n"), len(text.encode()))
    assert mark is not None
    ledger.record(str(log), mark, sent=True)
    return log, Ledger(ledger.path)  # read back from disk


def test_an_appended_log_starts_after_the_reported_lines(tmp_path: Path) -> None:
    log, ledger = _marked(tmp_path)
    with log.open("a") as out:
        out.write("line 6 evil.example\n")
    assert ledger.start(str(log)) == (5, None)


def test_a_rotated_truncated_or_rewritten_log_starts_again_from_line_one(tmp_path: Path) -> None:
    log, ledger = _marked(tmp_path)
    os.replace(log, tmp_path / "proxy.log.1")  # logrotate: a new file under the old name
    log.write_text(LINES)
    assert ledger.start(str(log)) == (0, None)
    log, ledger = _marked(tmp_path)
    log.write_text("line 1\n")  # copytruncate, then one new line
    assert ledger.start(str(log)) == (0, None)
    log, ledger = _marked(tmp_path)
    with log.open("r+") as out:  # same inode, same length, other first bytes
        out.write("LINE")
    assert ledger.start(str(log)) == (0, None)


def test_an_unfinished_last_line_counts_as_swept(tmp_path: Path) -> None:
    log = tmp_path / "events.csv"
    log.write_text("a\nb\nc")  # exports often end without a line end
    mark = mark_of(str(log), 2, 5)
    assert mark is not None and mark.lines == 3


def test_a_range_being_sent_is_offered_again_and_damaged_ledgers_are_ignored(
    tmp_path: Path,
) -> None:
    log, ledger = _marked(tmp_path)
    with log.open("a") as out:
        out.write("line 6 evil.example\nline 7\n")
    size = log.stat().st_size
    sending = mark_of(str(log), 7, size)
    assert sending is not None
    ledger.record(str(log), sending, sent=False)
    assert Ledger(ledger.path).start(str(log)) == (5, sending)
    ledger.path.write_text("{not json")
    assert Ledger(ledger.path).start(str(log)) == (0, None)


def test_compressed_logs_get_no_mark(tmp_path: Path) -> None:
    log = tmp_path / "old.log.gz"
    log.write_bytes(gzip.compress(LINES.encode()))
    assert mark_of(str(log), 5, len(LINES)) is None
