"""From a sweep's hits to the sightings a member sends back to its hub.

Only counts and first/last seen times leave the member, one tally per
indicator value. Log timestamps come in each format's own notation (epoch
seconds already turned into ISO 8601 by the formats); those without a zone are
taken as UTC, and those without a year (syslog) as the latest such moment that
is not in the future. A line whose time cannot be read still counts.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import orjson

from openwarp.core.sweep.readers import open_stream
from openwarp.core.sweep.runner import Hit

_FORMATS = (
    "%d/%b/%Y:%H:%M:%S %z",  # common/combined web logs
    "%d-%b-%Y %H:%M:%S.%f",  # BIND
    "%d-%b-%Y %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",  # Windows DNS debug, event exports
    "%m/%d/%Y, %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%b %d %Y %H:%M:%S",  # Cisco ASA with its own timestamp
    "%Y/%m/%d %H:%M:%S",  # Palo Alto
)
_SYSLOG_RE = re.compile(r"[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}")
_FORTINET_RE = re.compile(r"(\d{4}-\d{2}-\d{2}) time=(\d{2}:\d{2}:\d{2})")


def log_time(text: str, now: datetime) -> datetime | None:
    """A log's timestamp as an aware UTC datetime, or None when it cannot be read."""
    text = text.strip()
    fortinet = _FORTINET_RE.fullmatch(text)
    if fortinet:
        text = f"{fortinet[1]}T{fortinet[2]}"
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(text.replace(",", ".").replace("Z", "+00:00"))
    except ValueError:
        moment = _strptime(text, now)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _strptime(text: str, now: datetime) -> datetime | None:
    for pattern in _FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    if _SYSLOG_RE.fullmatch(text):
        try:
            moment = datetime.strptime(f"{now.year} {text}", "%Y %b %d %H:%M:%S")
        except ValueError:  # 29 February in a year that has none
            return None
        moment = moment.replace(tzinfo=UTC)
        return moment if moment <= now + timedelta(days=1) else moment.replace(year=now.year - 1)
    return None


@dataclass
class Tally:
    """One indicator's sightings in one file of a sweep."""

    file: str
    type: str
    value: str
    report: str | None
    count: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    samples: list[tuple[str, int]] = field(default_factory=list)

    def add(self, when: datetime | None, file: str, line: int, keep: int) -> None:
        self.count += 1
        if when is not None:
            self.first_seen = when if self.first_seen is None else min(self.first_seen, when)
            self.last_seen = when if self.last_seen is None else max(self.last_seen, when)
        if len(self.samples) < keep:
            self.samples.append((file, line))


# Where a file's reporting starts: lines already reported, and the last line of a
# range whose sending was cut short (``ledger.Ledger.start``).
type Starts = Callable[[str], tuple[int, int | None]]


class Tallies:
    """Hits counted per file, range, type, indicator and report as the sweep streams them.

    Per file, so that each file's sightings are sent under a key of their own:
    sweeping yesterday's log again beside today's re-sends yesterday's under
    the same key, and the hub does not count them twice. With ``starts``, hits
    on lines already reported are left out (``held``), and the rest fall in
    range 0 (a cut-short range, sent again as it was) or range 1 (new lines).

    Times in the future become now, because a skewed log clock must not make
    the hub refuse the sweep.
    """

    def __init__(self, *, now: datetime, samples: int = 0, starts: Starts | None = None) -> None:
        self.now = now
        self.samples = samples
        self.starts = starts
        self.ranges: dict[str, tuple[int, int | None]] = {}
        self.held: Counter[str] = Counter()
        self.by_key: dict[tuple[str, int, str, str, str | None], Tally] = {}

    def range_of(self, file: str) -> tuple[int, int | None]:
        """Lines of ``file`` reported before, and the end of a cut-short range."""
        known = self.ranges.get(file)
        if known is None:
            known = self.ranges[file] = (0, None) if self.starts is None else self.starts(file)
        return known

    def add(self, hit: Hit) -> None:
        first, resume = self.range_of(hit.file) if self.starts is not None else (0, None)
        if hit.line <= first:
            self.held[hit.file] += 1
            return
        part = 0 if resume is not None and hit.line <= resume else 1
        key = (hit.file, part, hit.type, hit.indicator, hit.report)
        tally = self.by_key.get(key)
        if tally is None:
            tally = self.by_key[key] = Tally(hit.file, hit.type, hit.indicator, hit.report)
        when = None if hit.timestamp is None else log_time(hit.timestamp, self.now)
        tally.add(None if when is None else min(when, self.now), hit.file, hit.line, self.samples)

    def by_file(self) -> dict[tuple[str, int], list[Tally]]:
        """Each file's (and range's) tallies, in a stable order (it feeds the key)."""
        files: dict[tuple[str, int], list[Tally]] = {}
        for key in sorted(self.by_key, key=lambda k: (k[0], k[1], k[2], k[3], k[4] or "")):
            files.setdefault(key[:2], []).append(self.by_key[key])
        return files


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def batch_items(tallies: Iterable[tuple[str, Tally]]) -> list[dict[str, object]]:
    """The wire form of ``(hub indicator id, tally)`` pairs."""
    return [
        {
            "indicator": ident,
            "count": tally.count,
            "first_seen": _iso(tally.first_seen),
            "last_seen": _iso(tally.last_seen),
        }
        for ident, tally in tallies
    ]


def file_identity(file: str) -> list[int]:
    """Size and modification time of a swept file ([] for stdin or a vanished file)."""
    if file == "-":
        return []
    try:
        stat = os.stat(file)
    except OSError:
        return []
    return [stat.st_size, stat.st_mtime_ns]


def batch_key(file: str, items: list[dict[str, object]]) -> str:
    """A stable name for one file's sightings: a digest of what is reported
    and of the file's size and modification time. Sweeping the same file again
    gives the same key; a file that grew, or a new day's log, gives a new one."""
    digest = hashlib.sha256(orjson.dumps([file_identity(file), items]))
    return digest.hexdigest()[:32]


def range_key(mark: list[object], first: int, items: list[dict[str, object]]) -> str:
    """A stable name for the sightings on one range of lines of a marked file:
    the file (device, inode, prefix digest), the range and what is reported."""
    digest = hashlib.sha256(orjson.dumps(["range", first, mark, items]))
    return digest.hexdigest()[:32]


def batches(
    key: str, items: list[dict[str, object]], size: int
) -> Iterator[tuple[str, list[dict[str, object]]]]:
    """Cut one file's items into batches, each with its own idempotency key."""
    for start in range(0, len(items), size):
        yield f"{key}-{start // size}", items[start : start + size]


def sample_lines(samples: list[tuple[str, int]], limit: int = 2000) -> list[str]:
    """The log lines behind a tally's sample hits, read again from their files.

    Only for ``--include-lines``: the member chose to send these. Lines of
    stdin cannot be read twice and are left out.
    """
    wanted: dict[str, set[int]] = {}
    for file, line in samples:
        if file != "-":
            wanted.setdefault(file, set()).add(line)
    found: dict[tuple[str, int], str] = {}
    for file, numbers in wanted.items():
        found.update(((file, n), text) for n, text in _lines_of(file, numbers).items())
    return [found[key][:limit] for key in samples if key in found]


def _lines_of(file: str, numbers: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    try:
        with open(file, "rb") as raw:
            stream, _ = open_stream(raw)
            for number, line in enumerate(stream, 1):
                if number in numbers:
                    found[number] = line.decode("utf-8", "replace").rstrip("\r\n")
                    if len(found) == len(numbers):
                        break
    except Exception:  # a sample is a courtesy: a file that no longer reads gives what it gave
        return found
    return found
