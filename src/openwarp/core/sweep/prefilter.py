"""A compiled pre-filter for stage 1: which lines of a piece may hold an indicator.

Every exact match (``tokens.TokenMatcher``) implies that some text of the
indicator set stands in the lowered line as it is: the domain (a subdomain
ends with it), the address, the URL's host, the hash, the e-mail's domain,
the address of an ``ip:port``, or the ``a.b.c.`` prefix of a CIDR block. So a
Hyperscan database of those literals, scanned over a piece, names the texts
present, and only their lines are checked exactly. The few shapes a literal
cannot stand for go through the pure-Python fast path, line by line:

- dotted quads with a zero-padded octet (``010.0.0.5`` is ``10.0.0.5``);
- addresses inside a CIDR block shorter than /16 (its prefix is one octet);
- IPv6 text, when the set holds IPv6 (any textual form may match);
- lines that are not ASCII (internationalised names).

Dotted quads are left out of the database (``quads.QuadFinder`` finds them
with set work in C): they are what saturates Hyperscan's literal matcher.
Compiling the other literals of a million-indicator set still takes a minute,
so the compiled database is kept in the sweep cache under a digest of its
literals (only the first sweep after the set changes pays), and a large set is
compiled in a child process (``hscompile``) so its memory peak is not the
sweep's. Hyperscan is optional: without it (or on a
CPU without SSSE3) the engine uses the pure-Python fast path for every line.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators.model import IndicatorSet
from openwarp.core.sweep import native
from openwarp.core.sweep.fastpath import gates
from openwarp.core.sweep.hscompile import compile_elsewhere, compile_literals
from openwarp.core.sweep.quads import QuadFinder, split_quads

try:  # an optional accelerator: the pure-Python path is always there
    import hyperscan
except ImportError:  # pragma: no cover - depends on the platform
    hyperscan = None  # type: ignore[assignment]

# Above this many literals the literal matcher's tables saturate and it scans
# no faster than the pure-Python path (measured: docs/notes/sweep.md).
AUTO_LIMIT = 300_000
CACHE_VERSION = b"openwarp-prefilter-1"
# Above this many literals the compile runs in a child process (memory).
CHILD_LIMIT = 20_000
# A large set that differs from a cached one by at most this many new literals
# uses that database plus a small one of the new literals (compiled in-process).
DELTA_LIMIT = 20_000
# True keeps dotted quads out of the Hyperscan database and finds them with
# ``quads.QuadFinder``; measured slower end to end (docs/notes/sweep.md, session 4),
# so off, and kept for the benchmark's ``--split-quads``.
SPLIT_QUADS = False
KEEP_DATABASES = 2
_Q = rb"[0-9]{1,3}"
_Z = rb"0[0-9]{1,2}"
_ZERO_PADDED = (
    rb"(?:^|[^0-9])" + _Z + rb"\." + _Q + rb"\." + _Q + rb"\." + _Q,
    _Q + rb"\." + _Z + rb"\." + _Q + rb"\." + _Q,
    _Q + rb"\." + _Q + rb"\." + _Z + rb"\." + _Q,
    _Q + rb"\." + _Q + rb"\." + _Q + rb"\." + _Z,
)
_IPV6 = (rb"::", rb"(?:[0-9a-f]{1,4}:){6}")
# Signs of defanged text in a lowered log piece (``engine.refang_log``).
DEFANG_MARKS = (
    *(b"[.", b"(.", b"{.", b"dot]", b"dot)"),
    *(b"[@", b"[at]", b"[:", b"[/", b"xxp", b"fxp"),
)


def unavailable() -> str | None:
    """Why the compiled pre-filter cannot run here, or None if it can."""
    if hyperscan is None:
        return "hyperscan is not installed"
    try:
        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        database.compile(expressions=[b"probe"], literal=True)
        database.scan(b"a probe", match_event_handler=lambda *args: None)
    except hyperscan.error as exc:  # e.g. a CPU without SSSE3
        return f"hyperscan cannot run on this CPU ({exc})"
    return None


def literals(indicators: IndicatorSet) -> list[bytes]:
    """The texts, in sorted order, one of which stands in every line that matches.

    The set's gate (domains, addresses, URL hosts, hashes, e-mail domains,
    ``ip:port`` addresses) plus ``a.b.`` and ``a.b.c.`` prefixes of CIDR blocks.
    """
    gate, cidr_gate = gates(indicators)
    texts = set(gate)
    texts.update(prefix + b"." for prefix in cidr_gate if b"." in prefix)
    texts.discard(b"")
    return sorted(texts)


def shape_patterns(indicators: IndicatorSet) -> list[bytes]:
    """Patterns for the lines no literal stands for; they go to the Python path."""
    _, cidr_gate = gates(indicators)
    patterns = list(_ZERO_PADDED)
    first_octets = sorted(prefix for prefix in cidr_gate if b"." not in prefix)
    if first_octets:
        alternatives = b"|".join(first_octets)
        patterns.append(b"(?:" + alternatives + rb")\." + _Q + rb"\." + _Q + rb"\." + _Q)
    if indicators.ipv6 or indicators.cidr6.starts:
        patterns.extend(_IPV6)
    return patterns


def digest(texts: list[bytes]) -> str:
    """Names a compiled database: the literal set and the library that compiled it."""
    hasher = hashlib.sha256(CACHE_VERSION)
    hasher.update(str(getattr(hyperscan, "__version__", "")).encode())
    hasher.update(b"\n".join(texts))  # no literal holds a line end
    return hasher.hexdigest()[:32]


@dataclass
class PrefilterInfo:
    """What the user is told: how many literals, and whether they were compiled now."""

    literals: int
    compiled: bool
    seconds: float
    path: Path | None
    quads: int = 0
    delta: int = 0  # new literals compiled beside a cached base database


class Prefilter:
    """A literal database and a small shape database, scanned over lowered pieces."""

    def __init__(
        self,
        texts: list[bytes],
        database: Any,
        shapes: Any,
        quads: QuadFinder,
        delta: tuple[list[bytes], Any] | None = None,
    ) -> None:
        self.texts = texts
        self.quads = quads
        self.database = database
        self.shapes = shapes
        self.delta = delta
        self.marks = compile_literals(list(DEFANG_MARKS))
        for each in (database, shapes, self.marks, *(delta[1:] if delta else ())):
            each.scratch = hyperscan.Scratch(each)

    def defanged(self, low: bytes) -> bool:
        """Whether a piece may hold defanged text: one pass instead of eleven
        substring searches (those cost as much as the literal scan itself)."""
        found: list[int] = []
        self.marks.scan(low, match_event_handler=_collect_id, context=found)
        return bool(found)

    def scan(self, low: bytes) -> tuple[set[bytes], list[int]]:
        """The literals present in ``low``, and the end offsets of shapes that
        need the Python path (several per line at times)."""
        found: list[int] = []
        ends: list[int] = []
        self.database.scan(low, match_event_handler=_collect_id, context=found)
        self.shapes.scan(low, match_event_handler=_collect_end, context=ends)
        texts = self.texts
        keys = {texts[ident] for ident in found}
        if self.delta is not None:
            new_texts, database = self.delta
            found.clear()
            database.scan(low, match_event_handler=_collect_id, context=found)
            keys.update(new_texts[ident] for ident in found)
        if self.quads:
            keys |= self.quads.find(low)
        return keys, ends


def _collect_id(ident: int, start: int, end: int, flags: int, found: list[int]) -> None:
    found.append(ident)


def _collect_end(ident: int, start: int, end: int, flags: int, ends: list[int]) -> None:
    ends.append(end)


def _compile_shapes(expressions: list[bytes]) -> Any:
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=expressions,
        ids=list(range(len(expressions))),
        elements=len(expressions),
        flags=hyperscan.HS_FLAG_MULTILINE,
    )
    return database


def _compile_texts(texts: list[bytes], cache_dir: Path | None) -> Any:
    """Small sets compile here (milliseconds); large ones in a child process."""
    if len(texts) <= CHILD_LIMIT:
        return compile_literals(texts)
    workdir = cache_dir if cache_dir is not None and os.access(cache_dir, os.W_OK) else None
    return hyperscan.loadb(compile_elsewhere(texts, workdir), hyperscan.HS_MODE_BLOCK)


def _load_cached(path: Path) -> Any | None:
    try:
        return hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
    except (OSError, hyperscan.error, TypeError, ValueError):
        return None  # unreadable, damaged or from another platform: compile again


def _write(path: Path, data: bytes) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".prefilter-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _store(path: Path, database: Any, texts: list[bytes]) -> None:
    """Write the database and its literals (``.lits``, for later deltas) atomically,
    then keep only the newest few databases."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path.with_suffix(".lits"), b"\n".join(texts))
    _write(path, hyperscan.dumpb(database))
    older = sorted(path.parent.glob("prefilter-*.hsdb"), key=lambda p: p.stat().st_mtime)
    for stale in older[:-KEEP_DATABASES]:
        stale.unlink(missing_ok=True)
        stale.with_suffix(".lits").unlink(missing_ok=True)


def _nearest_base(cache_dir: Path, texts: list[bytes]) -> tuple[Any, list[bytes], list[bytes]]:
    """A cached database whose set lacks at most ``DELTA_LIMIT`` of ``texts``: the
    database, its literals and the missing ones; literals it has that ``texts``
    lacks only flag lines the exact check then rejects."""
    wanted = set(texts)
    newest = sorted(cache_dir.glob("prefilter-*.hsdb"), key=lambda p: -p.stat().st_mtime)
    for path in newest:
        try:
            base = path.with_suffix(".lits").read_bytes().split(b"\n")
        except OSError:
            continue
        new = wanted.difference(base)
        database = _load_cached(path) if len(new) <= DELTA_LIMIT else None
        if database is not None:
            return database, base, sorted(new)
    raise LookupError("no cached database near this set")


def build_prefilter(
    indicators: IndicatorSet, cache_dir: Path | None, *, compile_limit: int | None = None
) -> tuple[Prefilter | None, PrefilterInfo]:
    """Load the set's compiled database from the cache, or compile (and keep) it;
    no pre-filter when it is not in the cache and has more than ``compile_limit``
    literals (the info still says how many)."""
    started = time.perf_counter()
    others, quads = split_quads(literals(indicators)) if SPLIT_QUADS else (literals(indicators), [])
    texts = others or [b"\x01openwarp: no literal\x01"]  # never empty
    path = None if cache_dir is None else cache_dir / f"prefilter-{digest(texts)}.hsdb"
    database = None if path is None or not path.is_file() else _load_cached(path)
    compiled = database is None
    if database is None and path is not None and len(texts) > CHILD_LIMIT:
        with contextlib.suppress(LookupError, OSError):
            base, base_texts, new = _nearest_base(path.parent, texts)
            delta = (new, compile_literals(new)) if new else None
            shapes = _compile_shapes(shape_patterns(indicators))
            seconds = time.perf_counter() - started
            info = PrefilterInfo(len(others), bool(new), seconds, path, len(quads), len(new))
            return Prefilter(base_texts, base, shapes, QuadFinder(quads), delta), info
    if database is None:
        if compile_limit is not None and len(others) > compile_limit:
            return None, PrefilterInfo(len(others), False, 0.0, path, len(quads))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        database = _compile_texts(texts, None if path is None else path.parent)
        if path is not None:
            with contextlib.suppress(OSError):  # a read-only cache costs the next sweep a compile
                _store(path, database, texts)
    shapes = _compile_shapes(shape_patterns(indicators))
    info = PrefilterInfo(len(others), compiled, time.perf_counter() - started, path, len(quads))
    return Prefilter(texts, database, shapes, QuadFinder(quads)), info


ENGINES = ("auto", "native", "hyperscan", "python")


def prepare_engine(indicators: IndicatorSet, engine: str, cache_dir: Path | None) -> str:
    """Pick the stage-1 engine for a sweep and get it ready; returns what to tell the user.

    ``auto`` takes the native extension when it was built, else the compiled
    pre-filter when it can run, compiling it only for sets small enough to compile
    in seconds (a larger set's database is used when an earlier ``--engine
    hyperscan`` left it in the cache), saying why it did not take the native one;
    ``native`` and ``hyperscan`` insist (an error if they cannot run); ``python``
    uses neither.
    """
    if engine not in ENGINES:
        raise InvalidInput(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")
    indicators.derived.pop("sweep-prefilter", None)
    indicators.derived.pop("sweep-native", None)
    if engine == "python":
        return "python"
    if engine in ("auto", "native"):
        why = native.unavailable()
        if why is None:
            table, seconds = native.build_table(indicators)
            indicators.derived["sweep-native"] = table
            return f"native ({len(table):,} texts hashed in {seconds:.1f} s)"
        if engine == "native":
            raise InvalidInput(f"--engine native: {why}", field="engine")
        return f"{_prepare_hyperscan(indicators, engine, cache_dir)}; {why}"
    return _prepare_hyperscan(indicators, engine, cache_dir)


def _prepare_hyperscan(indicators: IndicatorSet, engine: str, cache_dir: Path | None) -> str:
    reason = unavailable()
    if reason is not None:
        if engine == "hyperscan":
            raise InvalidInput(f"--engine hyperscan: {reason}", field="engine")
        return f"python ({reason})"
    limit = AUTO_LIMIT if engine == "auto" else None
    prefilter, info = build_prefilter(indicators, cache_dir, compile_limit=limit)
    if prefilter is None:
        return (
            f"python ({info.literals:,} literals: above {AUTO_LIMIT:,}, not compiled in auto "
            "mode; --engine hyperscan compiles and caches them)"
        )
    indicators.derived["sweep-prefilter"] = prefilter
    how = "compiled" if info.compiled else "loaded from the cache"
    if info.delta or (info.path is not None and not info.path.is_file() and not info.compiled):
        how = f"from a cached database plus {info.delta:,} new ones compiled"
    quads = f", {info.quads:,} addresses by set lookup" if info.quads else ""
    return f"hyperscan ({info.literals:,} literals {how} in {info.seconds:.1f} s{quads})"
