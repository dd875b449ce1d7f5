"""Hash chaining for the append-only audit log.

Each entry's hash covers its own canonical content and the previous entry's
hash, so changing, removing or reordering any row breaks every later link.
Verification walks the chain in order and names the first entry that fails.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(content: Mapping[str, Any]) -> bytes:
    """One byte sequence per logical content, whatever the dict order."""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def entry_hash(previous_hash: str, content: Mapping[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(previous_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical_json(content))
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ChainEntry:
    sequence: int
    content: Mapping[str, Any]
    previous_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainBreak:
    sequence: int
    reason: str


def first_break(entries: Iterable[ChainEntry]) -> ChainBreak | None:
    """Return the first entry whose link or content does not verify, or None.

    Entries must come in sequence order; a gap in the sequence means a row
    was deleted and is reported at the entry after the gap.
    """
    expected_previous = GENESIS_HASH
    expected_sequence: int | None = None
    for entry in entries:
        if expected_sequence is not None and entry.sequence != expected_sequence:
            return ChainBreak(entry.sequence, f"entry {expected_sequence} is missing")
        if entry.previous_hash != expected_previous:
            return ChainBreak(entry.sequence, "does not link to the entry before it")
        if entry_hash(entry.previous_hash, entry.content) != entry.hash:
            return ChainBreak(entry.sequence, "content does not match its hash")
        expected_previous = entry.hash
        expected_sequence = entry.sequence + 1
    return None
