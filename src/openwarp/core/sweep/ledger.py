"""How far each log file's sightings have been reported, so a growing log is
reported once per line.

A log that is still being written is swept again and again (a cron job every
few minutes, say). Its earlier lines were already counted on the hub, so only
hits on later lines may be sent. Per plain file the ledger keeps a *mark*: the
file's device and inode, how many lines and bytes were reported, and a digest
of the first and the last 64 KB of that prefix (enough to tell an appended file
from a rotated, truncated or rewritten one without reading it all). The next
sweep trusts the mark only if the file still starts with those bytes.

Sending is made safe against failures in between: before a file's new range
is sent, the range is written down as *sending*; only when all its batches
arrived does it become the mark. A run that finds a *sending* range sends it
again first, with the same content and so the same idempotency keys (the hub
answers "already recorded" for what arrived), then the lines after it.

Compressed files and stdin have no mark (they are not appended to); their
sightings are keyed by the file's size and modification time as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import orjson

from openwarp.core.sweep.readers import compression_of

SAMPLE = 64 << 10


@dataclass(frozen=True)
class Mark:
    """A prefix of a file: its first ``lines`` lines, ``size`` bytes."""

    device: int
    inode: int
    lines: int
    size: int
    digest: str

    def as_json(self) -> list[object]:
        return [self.device, self.inode, self.lines, self.size, self.digest]


def _samples(path: str, size: int) -> tuple[bytes, bytes] | None:
    """The first and the last ``SAMPLE`` bytes of a file's first ``size`` bytes."""
    try:
        with open(path, "rb") as raw:
            head = raw.read(min(size, SAMPLE))
            raw.seek(max(0, size - SAMPLE))
            tail = raw.read(size - raw.tell())
            complete = len(head) == min(size, SAMPLE) and raw.tell() == size
    except OSError:
        return None
    return (head, tail) if complete else None


def prefix_digest(path: str, size: int) -> str | None:
    """A digest of a file's first ``size`` bytes, by samples; None when the file is
    shorter or unreadable."""
    samples = _samples(path, size)
    if samples is None:
        return None
    head, tail = samples
    return hashlib.sha256(b"%d\n" % size + head + b"\n" + tail).hexdigest()[:32]


def mark_of(path: str, newlines: int, size: int) -> Mark | None:
    """The mark for a plain file swept over its first ``size`` bytes, which held
    ``newlines`` line ends (an unfinished last line counts as a line, as the
    sweep numbered it); None for compressed or vanished files."""
    try:
        stat = os.stat(path)
        with open(path, "rb") as raw:
            if compression_of(raw.read(4)) is not None:
                return None
    except OSError:
        return None
    samples, digest = _samples(path, size), prefix_digest(path, size)
    if samples is None or digest is None:
        return None
    lines = newlines + (1 if size and samples[1][-1:] != b"\n" else 0)
    return Mark(stat.st_dev, stat.st_ino, lines, size, digest)


def still_holds(path: str, mark: Mark) -> bool:
    """Whether ``path`` is the marked file and still starts with the marked bytes."""
    try:
        stat = os.stat(path)
    except OSError:
        return False
    if (stat.st_dev, stat.st_ino) != (mark.device, mark.inode) or stat.st_size < mark.size:
        return False
    return prefix_digest(path, mark.size) == mark.digest


def _mark(value: object) -> Mark | None:
    if not isinstance(value, list) or len(value) != 5:
        return None
    device, inode, lines, size, digest = value
    if not all(isinstance(n, int) for n in (device, inode, lines, size)):
        return None
    return Mark(device, inode, lines, size, str(digest))


class Ledger:
    """Marks per absolute path, in one JSON file in the sweep's cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done: dict[str, Mark] = {}
        self.sending: dict[str, Mark] = {}
        with contextlib.suppress(OSError, orjson.JSONDecodeError, TypeError, ValueError):
            document = orjson.loads(path.read_bytes())
            for name, entry in document.get("files", {}).items():
                for kind, table in (("done", self.done), ("sending", self.sending)):
                    mark = _mark(entry.get(kind))
                    if mark is not None:
                        table[name] = mark

    def start(self, path: str) -> tuple[int, Mark | None]:
        """Lines of ``path`` already reported, and a range whose sending was cut short.

        A mark the file no longer holds (rotated, truncated, rewritten) counts
        for nothing: the file is reported from its first line.
        """
        name = os.path.abspath(path)
        done, sending = self.done.get(name), self.sending.get(name)
        first = done.lines if done is not None and still_holds(path, done) else 0
        if sending is not None and sending.lines > first and still_holds(path, sending):
            return first, sending
        return first, None

    def record(self, path: str, mark: Mark, *, sent: bool) -> None:
        """Write down a range as being sent, or (``sent``) as reported."""
        name = os.path.abspath(path)
        if sent:
            self.done[name] = mark
            self.sending.pop(name, None)
        else:
            self.sending[name] = mark
        self.save()

    def save(self) -> None:
        """Atomically; entries of files that are gone are dropped."""
        names = {name for name in (*self.done, *self.sending) if os.path.exists(name)}
        files = {
            name: {
                kind: table[name].as_json()
                for kind, table in (("done", self.done), ("sending", self.sending))
                if name in table
            }
            for name in sorted(names)
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".reported-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(orjson.dumps({"version": 1, "files": files}))
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
