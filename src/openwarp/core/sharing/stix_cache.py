"""Each report's STIX objects, serialised once and kept while they stay the same.

A TAXII page of 1,000 objects spent most of its time building STIX dicts and
their JSON, although a report's objects change only when the report, its
values or what the reader may know about its source change. This cache keeps
the serialised objects of each export under a key that is a digest of the
whole `ExportReport` the objects are built from, and of nothing else:

* the export is already cut to what the reader may see (an anonymous source
  is absent from it), so two readers share an entry only when they would get
  byte-identical objects, and a reader who may not know a source can never
  be handed objects built for one who may;
* any change to the report, its values, its marking or its source's name
  gives another key, so there is nothing to invalidate by hand: a stale
  entry is never found again and ages out of the cache.

The cache lives in the process (least recently used go first once it holds
`max_bytes` of JSON); every hub process warms its own.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import orjson

from openwarp.core.sharing.export_model import ExportReport, ExportSource
from openwarp.core.sharing.stix_export import StixObject, identity_object, report_objects

# Part of every key: a change to how objects are written must not reuse old ones.
FORMAT = b"stix-objects/1"
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Serialised:
    """One STIX object as JSON, with the few properties listings filter on."""

    id: str
    type: str
    version: str
    spec_version: str
    raw: bytes

    def as_dict(self) -> StixObject:
        found: StixObject = orjson.loads(self.raw)
        return found


def serialise(obj: StixObject) -> Serialised:
    version = str(obj.get("modified") or obj.get("created"))
    spec = str(obj.get("spec_version", "2.1"))
    return Serialised(obj["id"], obj["type"], version, spec, orjson.dumps(obj))


def export_key(report: ExportReport) -> bytes:
    """A digest of everything the report's objects are built from."""
    digest = hashlib.blake2b(FORMAT, digest_size=20)
    digest.update(orjson.dumps(report))
    return digest.digest()


class ObjectCache:
    """Serialised objects by export key, least recently used dropped first."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[bytes, tuple[Serialised, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: bytes, build: Callable[[], Sequence[StixObject]]) -> tuple[Serialised, ...]:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found
        made = tuple(serialise(obj) for obj in build())
        self._put(key, made)
        return made

    def _put(self, key: bytes, objects: tuple[Serialised, ...]) -> None:
        size = sum(len(obj.raw) for obj in objects) + 200
        with self._lock:
            self.misses += 1
            if key in self._entries or size > self.max_bytes:
                return
            self._entries[key] = objects
            self.size += size
            while self.size > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self.size -= sum(len(obj.raw) for obj in dropped) + 200

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = self.hits = self.misses = 0

    def report(self, report: ExportReport) -> tuple[Serialised, ...]:
        """The report object and its indicators and vulnerabilities, serialised."""
        return self.get(export_key(report), lambda: report_objects(report))

    def identity(self, source: ExportSource) -> Serialised:
        """A publisher's identity object, serialised."""
        key = hashlib.blake2b(FORMAT + b"identity" + orjson.dumps(source), digest_size=20)
        return self.get(key.digest(), lambda: [identity_object(source)])[0]
