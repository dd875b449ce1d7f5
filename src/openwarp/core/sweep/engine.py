"""The matching engine: find which lines of a block hold indicators, fast.

Scanning is split in two so that speed and exactness do not fight:

1. For each piece of a block, the format's patterns pull out the fields and
   ``fastpath.FastPath`` tells, with set work done in C, which texts may start
   a match. Nearly every field of a real log repeats (resolvers, clients,
   popular sites), and what was judged once is remembered.
2. Only the lines containing such a text are read again, one by one, with the
   exact rules of ``tokens.TokenMatcher``; URLs are checked there too, for
   lines whose URL host carries a URL indicator.

Stage 1 has three engines: that fast path, the Hyperscan pre-filter
(``prefilter``) and the C scanner (``native``, ADR 0104), which flags lines
itself and leaves only non-ASCII and IPv6-looking lines to the fast path.

Stage 1 may flag a line that stage 2 rejects (``evil.com`` found inside
``notevil.com`` by the substring search); it never misses one, because both
stages take fields with the same patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators.model import Indicator, IndicatorSet, ids_of
from openwarp.core.indicators.normalise import normalise_url
from openwarp.core.sweep.fastpath import shared_fastpath
from openwarp.core.sweep.formats import LogFormat
from openwarp.core.sweep.native import count_lines
from openwarp.core.sweep.prefilter import DEFANG_MARKS, Prefilter
from openwarp.core.sweep.tokens import GATE, PORT_GATE, TOKEN_RE

URL_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]+")
# Defanged text inside a log (an analyst's ticket, a mail gateway's report):
# cheap literal checks first (one Hyperscan pass when the pre-filter runs),
# the substitution only for pieces that have one.
_DEFANGED_RE = re.compile(
    rb"\[(?:\.|dot)\]|\((?:\.|dot)\)|\{(?:\.|dot)\}|\[(?:@|at)\]|\[:\]|\[/\]|\[://\]"
    rb"|(?<![a-z0-9])hxxp(?=s?\[?:)|(?<![a-z0-9])fxp(?=\[?:)",
    re.IGNORECASE,
)


def _live(match: re.Match[bytes]) -> bytes:
    text = match.group(0).lower()
    if text.endswith(b"p"):
        return b"ftp" if text == b"fxp" else b"http"
    inner = text.strip(b"[](){}")
    return b"." if inner in (b".", b"dot") else b"@" if inner in (b"@", b"at") else inner


def refang_log(text: bytes, low: bytes) -> tuple[bytes, bytes]:
    """``hxxp://evil[.]com`` in a log line becomes ``http://evil.com`` (line ends kept)."""
    if not any(mark in low for mark in DEFANG_MARKS):
        return text, low
    live = _DEFANGED_RE.sub(_live, text)
    return live, live.lower()


PIECE_SIZE = 256 << 10
# Address and port fields of firewall and flow logs, where a port is written apart
# from its address; each key belongs to the source ("s") or destination ("d") side.
_SIDES = {
    **dict.fromkeys((b"src", b"srcip", b"src_ip", b"saddr", b"id.orig_h"), b"s"),
    **dict.fromkeys((b"dst", b"dstip", b"dst_ip", b"daddr", b"id.resp_h"), b"d"),
}
_PORT_SIDES = {
    **dict.fromkeys((b"spt", b"srcport", b"src_port", b"sport", b"id.orig_p"), b"s"),
    **dict.fromkeys((b"dpt", b"dstport", b"dst_port", b"dport", b"id.resp_p"), b"d"),
}
SIDE_FIELD_RE = re.compile(
    rb'(?<![a-z0-9_.])("?)('
    + b"|".join(re.escape(k) for k in (*_SIDES, *_PORT_SIDES))
    + rb')\1[=:] ?"?([0-9a-f.:]+)'
)


def _numbered(low: bytes, starts: list[int]) -> list[tuple[int, int]]:
    """(start, index of the line in ``low``) for sorted line starts."""
    numbered: list[tuple[int, int]] = []
    index, counted = 0, 0
    for start in starts:
        index += low.count(b"\n", counted, start)
        counted = start
        numbered.append((start, index))
    return numbered


@dataclass(frozen=True, slots=True)
class LineHit:
    """A hit inside a block: ``line`` counts from 1 at the block's first line."""

    line: int
    indicator: Indicator
    matched: str
    timestamp: str | None
    utf8: bool = True  # False: the line is not valid UTF-8 and was decoded with U+FFFD


class BlockScanner:
    """Scans blocks of one log format; keeps its caches across blocks."""

    def __init__(self, indicators: IndicatorSet, fmt: LogFormat) -> None:
        self.indicators = indicators
        self.fmt = fmt
        self.fast = shared_fastpath(indicators)
        self.matcher = self.fast.matcher
        pre = indicators.derived.get("sweep-prefilter")
        self.prefilter = pre if isinstance(pre, Prefilter) else None
        self.native: Any = indicators.derived.get("sweep-native")  # a ``_scan.Table``

    def scan(self, block: bytes) -> tuple[list[LineHit], int]:
        """All hits in a block of whole lines (it may lack the final newline),
        and the number of line ends in it.

        The block is taken in pieces of ``PIECE_SIZE`` so that finding the
        lines behind a flagged text searches a small piece, not the block.
        """
        hits: list[LineHit] = []
        line, start = 1, 0
        while start < len(block):
            end = block.find(b"\n", start + PIECE_SIZE)
            end = len(block) if end < 0 else end + 1
            found, newlines = self._scan_piece(block[start:end], line)
            hits.extend(found)
            line += newlines
            start = end
        return hits, line - 1

    def _scan_piece(self, piece: bytes, first_line: int) -> tuple[list[LineHit], int]:
        """The hits in a piece and its number of line ends."""
        text = self.fmt.decode(piece) if self.fmt.decode is not None else piece
        if self.native is not None:
            return self._native_hits(text, first_line)
        low = text.lower()
        if self.prefilter is None or self.prefilter.defanged(low):
            text, low = refang_log(text, low)
        if self.prefilter is None:
            keys = self.fast.hit_keys(self._fields(low))
            starts = self._line_starts(low, keys) if keys else []
        else:
            starts = self._prefiltered_starts(low)
        hits = self._hits_at(text, low, _numbered(low, starts), first_line)
        return hits, count_lines(piece)

    def _native_hits(self, text: bytes, first_line: int) -> tuple[list[LineHit], int]:
        """Stage 1 in C (``native``): it reads letters in either case, numbers the
        lines it flags and counts line ends, so no Python pass over the piece is
        needed; only flagged lines are lowered, unless the piece needs refanging
        or holds lines for the Python fast path."""
        assert self.native is not None
        low = None
        if self.native.defanged(text):
            text, low = refang_log(text, text.lower())
        flagged, special, newlines = self.native.scan(text)
        numbered = dict(flagged)
        if special:
            low = text.lower() if low is None else low
            more = set(self._with_special(low, set(), [start for start, _ in special]))
            numbered.update(_numbered(low, sorted(more - numbered.keys())))
        return self._hits_at(text, low, sorted(numbered.items()), first_line), newlines

    def _hits_at(
        self, text: bytes, low: bytes | None, numbered: list[tuple[int, int]], first_line: int
    ) -> list[LineHit]:
        """The exact hits on the lines given as (start, index in the piece), sorted;
        ``low`` is ``text.lower()``, or None to lower only those lines."""
        hits: list[LineHit] = []
        for start, index in numbered:
            end = text.find(b"\n", start)
            end = len(text) if end < 0 else end
            line = text[start:end]
            lowered = line.lower() if low is None else low[start:end]
            hits.extend(self.line_hits(line, lowered, first_line + index))
        return hits

    def _prefiltered_starts(self, low: bytes) -> list[int]:
        """Starts of the lines the compiled pre-filter flags, and of the lines
        with a shape no literal stands for, as the Python fast path judges them."""
        assert self.prefilter is not None
        keys, shape_ends = self.prefilter.scan(low)
        starts = set(self._line_starts(low, keys)) if keys else set()
        special = {low.rfind(b"\n", 0, end) + 1 for end in shape_ends}
        if not low.isascii():
            position = 0
            for text in low.split(b"\n"):
                if not text.isascii():
                    special.add(position)
                position += len(text) + 1
        return self._with_special(low, starts, special)

    def _with_special(self, low: bytes, starts: set[int], special: Iterable[int]) -> list[int]:
        """``starts`` plus the starts of lines the Python fast path flags among
        the ``special`` ones (shapes stage 1 in C or Hyperscan cannot judge)."""
        if special:
            lines = []
            for start in special:
                end = low.find(b"\n", start)
                lines.append(low[start : len(low) if end < 0 else end])
            more = self.fast.hit_keys(self._fields(b"\n".join(lines)))
            if more:
                starts.update(self._line_starts(low, more))
        return sorted(starts)

    def _fields(self, low: bytes) -> set[bytes]:
        """The piece's unique fields (every token, if the format is generic)."""
        if self.fmt.fields is None:
            return set(TOKEN_RE.findall(low))
        padded = b"\n" + low + b"\n"
        found: set[bytes] = set()
        for pattern in self.fmt.fields:
            if pattern.groups > 1:
                found.update(*pattern.findall(padded))
            else:
                found.update(pattern.findall(padded))
        found.discard(b"")
        return found

    @staticmethod
    def _line_starts(low: bytes, keys: set[bytes]) -> list[int]:
        starts: set[int] = set()
        for key in keys:
            position = low.find(key)
            while position >= 0:
                starts.add(low.rfind(b"\n", 0, position) + 1)
                end = low.find(b"\n", position)
                if end < 0:
                    break
                position = low.find(key, end)
        return sorted(starts)

    def line_hits(self, original: bytes, low: bytes, line: int) -> list[LineHit]:
        """Exact matches in one line; the rules a user can rely on live here."""
        found: dict[int, str] = {}  # one hit per indicator per line
        gated = False
        port_hosts: dict[bytes, str] = {}
        for start, end in self._field_spans(low):
            for token in TOKEN_RE.finditer(low, start, end):
                at = token.start()
                for ident, a, b in self.matcher.token(token.group(0)):
                    text = original[at + a : at + b].decode("utf-8", "replace")
                    if ident == GATE:
                        gated = True
                    elif ident == PORT_GATE:
                        port_hosts[low[at + a : at + b]] = text
                    else:
                        found.setdefault(ident, text)
        if port_hosts:
            for ident, matched in self._port_hits(low, port_hosts):
                found.setdefault(ident, matched)
        try:
            text_line, utf8 = original.decode("utf-8"), True
        except UnicodeDecodeError:
            text_line, utf8 = original.decode("utf-8", "replace"), False
        if gated:
            for ident, matched in self._url_hits(text_line):
                found.setdefault(ident, matched)
        if not found:
            return []
        stamp = self.fmt.line_time(text_line)
        indicators = self.indicators.indicators
        return [LineHit(line, indicators[i], m, stamp, utf8) for i, m in found.items()]

    def _field_spans(self, low: bytes) -> list[tuple[int, int]]:
        if self.fmt.fields is None:
            return [match.span() for match in TOKEN_RE.finditer(low)]
        padded = b"\n" + low + b"\n"
        spans: set[tuple[int, int]] = set()
        for pattern in self.fmt.fields:
            for match in pattern.finditer(padded):
                for group in range(1, pattern.groups + 1):
                    start, end = match.span(group)
                    if end > start >= 1:
                        spans.add((start - 1, min(end - 1, len(low))))
        return sorted(spans)

    def _port_hits(self, low: bytes, hosts: dict[bytes, str]) -> list[tuple[int, str]]:
        """``ip:port`` indicators written apart on the line: the address in a source
        or destination field and the port in the same side's port field (``DST=`` with
        ``DPT=``, ``dstip=`` with ``dstport=``, Zeek's ``id.resp_h`` with ``id.resp_p``)."""
        addresses: dict[bytes, set[bytes]] = {b"s": set(), b"d": set()}
        ports: dict[bytes, set[bytes]] = {b"s": set(), b"d": set()}
        for _, key, value in SIDE_FIELD_RE.findall(low):
            if key in _SIDES:
                addresses[_SIDES[key]].add(value)
            elif value.isdigit():
                ports[_PORT_SIDES[key]].add(value)
        table = self.indicators.ip_ports
        return [
            (ident, hosts[address])
            for side in (b"s", b"d")
            for address in addresses[side] & hosts.keys()
            for port in ports[side]
            for ident in ids_of(table.get(address + b":" + port))
        ]

    def _url_hits(self, text: str) -> list[tuple[int, str]]:
        hits: list[tuple[int, str]] = []
        urls = self.indicators.urls
        for match in URL_RE.finditer(text):
            try:
                scheme, host, rest = normalise_url(match.group(0))
            except (InvalidInput, ValueError):
                continue
            bare = rest.split("?", 1)[0]
            keys = {
                f"{scheme}://{host}{rest}",
                f"{scheme}://{host}{bare}",
                host + rest,
                host + bare,
            }
            for key in keys:
                hits.extend((ident, match.group(0)) for ident in ids_of(urls.get(key)))
        return hits
