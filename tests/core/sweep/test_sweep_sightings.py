"""Turning hits into the sightings a member reports: times, tallies, keys."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from openwarp.core.sweep.runner import Hit
from openwarp.core.sweep.sightings import Tallies, batch_key, batches, log_time, sample_lines

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-11-14T22:13:20.123Z", datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC)),
        ("10/Oct/2026:13:55:36 -0700", datetime(2026, 10, 10, 20, 55, 36, tzinfo=UTC)),
        ("25-Nov-2026 10:00:01.250", datetime(2026, 11, 25, 10, 0, 1, 250000, tzinfo=UTC)),
        ("11/24/2026 9:05:07 PM", datetime(2026, 11, 24, 21, 5, 7, tzinfo=UTC)),
        ("2026-11-24 08:00:00,5", datetime(2026, 11, 24, 8, 0, 0, 500000, tzinfo=UTC)),
        ("2026-11-24 time=08:00:00", datetime(2026, 11, 24, 8, 0, tzinfo=UTC)),
        ("Nov 25 09:00:00", datetime(2026, 11, 25, 9, 0, tzinfo=UTC)),
        ("Nov 14 2023 10:00:00", datetime(2023, 11, 14, 10, 0, tzinfo=UTC)),  # Cisco ASA
        ("2023/11/14 10:00:00", datetime(2023, 11, 14, 10, 0, tzinfo=UTC)),  # Palo Alto
        # A syslog line from late December read in November is last year's.
        ("Dec 30 23:59:59", datetime(2025, 12, 30, 23, 59, 59, tzinfo=UTC)),
        ("not a time", None),
    ],
)
def test_log_times_of_every_format_become_utc(text: str, expected: datetime | None) -> None:
    assert log_time(text, NOW) == expected


def _hit(file: str, line: int, value: str, stamp: str | None, report: str = "r1") -> Hit:
    return Hit(file, line, value, "domain", value, report, "green", stamp, "squid")


def test_tallies_count_per_file_and_keep_first_and_last_seen() -> None:
    tallies = Tallies(now=NOW, samples=1)
    tallies.add(_hit("a.log", 3, "evil.example", "2026-11-24T10:00:00Z"))
    tallies.add(_hit("a.log", 9, "evil.example", "2026-11-24T08:00:00Z"))
    tallies.add(_hit("a.log", 12, "evil.example", None))
    tallies.add(_hit("a.log", 14, "evil.example", "2027-01-01T00:00:00Z"))  # skewed clock
    tallies.add(_hit("b.log", 1, "evil.example", "2026-11-25T01:00:00Z"))
    files = tallies.by_file()
    [a] = files["a.log", 1]
    assert (a.count, a.first_seen, a.last_seen) == (4, datetime(2026, 11, 24, 8, tzinfo=UTC), NOW)
    assert a.samples == [("a.log", 3)]
    assert files["b.log", 1][0].count == 1


def test_batch_keys_change_with_the_file_and_not_otherwise(tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    log.write_text("one line\n")
    items: list[dict[str, object]] = [{"indicator": 7, "count": 2}]
    key = batch_key(str(log), items)
    assert batch_key(str(log), [dict(item) for item in items]) == key
    assert batch_key(str(log), [{"indicator": 7, "count": 3}]) != key
    log.write_text("one line\nand another\n")
    assert batch_key(str(log), items) != key
    keys = [k for k, _ in batches("abc", list(range(5)), 2)]  # type: ignore[arg-type]
    assert keys == ["abc-0", "abc-1", "abc-2"]


def test_sample_lines_are_read_back_from_compressed_files(tmp_path: Path) -> None:
    log = tmp_path / "a.log.gz"
    log.write_bytes(gzip.compress(b"first\nsecond evil.example\nthird\n"))
    assert sample_lines([(str(log), 2), ("-", 1), (str(tmp_path / "gone"), 1)]) == [
        "second evil.example"
    ]
