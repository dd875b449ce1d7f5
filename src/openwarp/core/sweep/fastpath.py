"""Which indicator texts occur in a block, using set and regex work done in C.

Per-token Python costs microseconds, and a busy proxy log has millions of
fresh tokens, so this stage never loops over tokens in Python. It joins the
block's unique fields into one blob, pulls out host parts and every parent
domain on a label boundary with compiled patterns, and intersects those sets
with the indicator tables. Only rare shapes (addresses near a CIDR block,
IPv6, internationalised names, zero-padded addresses) take a Python path.
E-mail and ``ip:port`` indicators are gated by their domain or address, and
the exact check on the line decides.

The result is a set of byte strings, each present in the block, such that
every line holding a match contains one of them. It may over-report (the
exact rules in ``tokens`` decide); it must never under-report, and the
property tests hold it to that.
"""

from __future__ import annotations

import ipaddress
import re

from openwarp.core.indicators.model import IndicatorSet
from openwarp.core.sweep.tokens import TokenMatcher

_HOST_CHARS = rb"a-z0-9_.\-\x80-\xff"
_TOKEN_CHARS = _HOST_CHARS + rb":@%"
HOST_PART_RE = re.compile(rb"[a-z0-9\x80-\xff](?:[" + _HOST_CHARS + rb"]*[a-z0-9\x80-\xff])?")
_SUFFIX_RE = re.compile(rb"\.(?=([^\n]+))")
_PIECE_RE = re.compile(rb"[0-9a-z]+")
_PREFIX_RES = {
    dots: re.compile(
        rb"(?m)^(\d{1,3}" + rb"\.\d{1,3}" * dots + rb")" + rb"\.\d{1,3}" * (3 - dots) + rb"$"
    )
    for dots in range(3)
}
_IPV4_RE = re.compile(rb"(?m)^((((\d{1,3})\.\d{1,3})\.\d{1,3})\.\d{1,3})$")
_ZERO_IPV4_RE = re.compile(rb"(?m)^(?=(?:\d{1,3}\.){3}\d{1,3}$)[\d.]*?(?<!\d)0\d[\d.]*$")
_ZERO_HINTS = (re.compile(rb"\.0\d"), re.compile(rb"\n0\d"))  # literal-led: fast scans
SEEN_LIMIT = 1_000_000
_SPECIAL_TOKEN_RE = {
    "v6": re.compile(
        rb"[" + _TOKEN_CHARS + rb"]*:[" + _TOKEN_CHARS + rb"]*:[" + _TOKEN_CHARS + rb"]*"
    ),
}
_NON_ASCII_PART_RE = re.compile(rb"(?m)^[^\n]*[\x80-\xff][^\n]*$")


def _cidr_gate(indicators: IndicatorSet) -> set[bytes]:
    """Text prefixes (``a``, ``a.b``, ``a.b.c``) that any IPv4 block could share.

    A block of /24 or longer is keyed by its /24, /16-/23 by its /16, and so
    on; the gate is coarse on purpose and the exact lookup happens after it.
    """
    gate: set[bytes] = set()
    for start, end in zip(indicators.cidr4.starts, indicators.cidr4.ends, strict=True):
        for network in ipaddress.summarize_address_range(
            ipaddress.IPv4Address(start), ipaddress.IPv4Address(end)
        ):
            octets = str(network.network_address).encode().split(b".")
            keep = 3 if network.prefixlen >= 24 else 2 if network.prefixlen >= 16 else 1
            if network.prefixlen >= 8:
                gate.add(b".".join(octets[:keep]))
            else:
                first = int(octets[0])
                gate.update(str(first + n).encode() for n in range(1 << (8 - network.prefixlen)))
    return gate


def gates(indicators: IndicatorSet) -> tuple[frozenset[bytes], set[bytes]]:
    """The texts whose presence as a host part (or parent domain) may mean a
    match, and the CIDR prefix gate; built once per indicator set."""
    cached = indicators.derived.get("sweep-gates")
    if cached is None:
        gate: set[bytes] = set(indicators.domains)
        gate.update(indicators.ipv4, indicators.url_hosts, indicators.hashes)
        gate.update(key.rsplit(b":", 1)[0].strip(b"[]") for key in indicators.ip_ports)
        gate.update(key.rsplit(b"@", 1)[-1] for key in indicators.emails)
        cached = indicators.derived["sweep-gates"] = (frozenset(gate), _cidr_gate(indicators))
    return cached  # type: ignore[return-value]


def shared_fastpath(indicators: IndicatorSet) -> FastPath:
    """One fast path per indicator set and process, shared by every format.

    The same names and addresses turn up in proxy, DNS and firewall logs, so
    what one format's scanner has judged saves work for the others. Built in
    the parent before workers fork, each worker then learns on its own copy.
    """
    fast = indicators.derived.get("sweep-fastpath")
    if not isinstance(fast, FastPath):
        fast = indicators.derived["sweep-fastpath"] = FastPath(indicators, TokenMatcher(indicators))
    return fast


def _lines_containing(blob: bytes, texts: set[bytes]) -> set[bytes]:
    """The newline-separated entries of ``blob`` that contain any of ``texts``."""
    found: set[bytes] = set()
    for text in texts:
        position = blob.find(text)
        while position >= 0:
            start = blob.rfind(b"\n", 0, position) + 1
            end = blob.find(b"\n", position)
            end = len(blob) if end < 0 else end
            found.add(blob[start:end])
            position = blob.find(text, end)
    return found


class FastPath:
    """Everything precomputed once per indicator set, plus what blocks taught it.

    ``seen`` holds fields already judged and ``hits`` those that may match:
    real logs repeat the same names and addresses endlessly, so after the
    first few megabytes almost every field is settled by one C-level set
    difference, and only fresh fields are examined.
    """

    def __init__(self, indicators: IndicatorSet, matcher: TokenMatcher) -> None:
        self.matcher = matcher
        self.gate, self.cidr_gate = gates(indicators)
        # Only the prefix lengths the gate holds are worth extracting.
        levels = {prefix.count(b".") for prefix in self.cidr_gate}
        self.prefix_patterns = [_PREFIX_RES[level] for level in sorted(levels)]
        self.has_v6 = matcher.has_v6
        self.has_hashes = bool(indicators.hashes)
        self.seen: set[bytes] = set()  # this generation
        self.older: set[bytes] = set()  # the previous one
        self.hits: set[bytes] = set()
        self.slow_cache: dict[bytes, bool] = {}

    def hit_keys(self, fields: set[bytes]) -> set[bytes]:
        """The fields behind which a match may be; each is a text of the piece.

        Judged fields are kept for two generations of ``SEEN_LIMIT``: a field
        still in use when a generation retires is carried into the new one, so
        memory stays bounded without forgetting the names a log keeps using.
        """
        keys = fields & self.hits
        fresh = fields - self.seen
        if fresh and self.older:
            carried = fresh & self.older
            self.seen |= carried
            fresh -= carried
        if fresh:
            found = self._judge_fields(fresh)
            self.seen |= fresh
            self.hits |= found
            keys |= found
        if len(self.seen) > SEEN_LIMIT:
            self.older, self.seen = self.seen, set()
        return keys

    def _judge_fields(self, fresh: set[bytes]) -> set[bytes]:
        """Fresh fields holding a host part (or an IPv6 token) that may match."""
        blob = b"\n".join(fresh)
        parts = set(HOST_PART_RE.findall(blob))
        texts = self._judge(parts) if parts else set()
        if self.has_v6 and (b"::" in blob or blob.count(b":") > 6):
            texts |= self._slow(_SPECIAL_TOKEN_RE["v6"].findall(blob))
        return _lines_containing(blob, texts) if texts else set()

    def _judge(self, fresh: set[bytes]) -> set[bytes]:
        """The fresh parts that may start a match."""
        blob = b"\n".join(fresh)
        names = set(_SUFFIX_RE.findall(blob))
        names |= fresh
        named = names & self.gate
        found = self._with_suffix(blob, named) if named else set()
        if self.has_hashes:
            found |= self._hash_parts(fresh)
        if self.cidr_gate:
            found |= self._near_blocks(blob)
        if blob[:1] == b"0" or any(hint.search(blob) for hint in _ZERO_HINTS):
            found |= self._slow(_ZERO_IPV4_RE.findall(blob))
        if not blob.isascii():
            found |= self._slow(_NON_ASCII_PART_RE.findall(blob))
        return found

    @staticmethod
    def _with_suffix(blob: bytes, named: set[bytes]) -> set[bytes]:
        """The parts of ``blob`` that equal, or end in ``.`` + , a named text.

        Searching the joined blob keeps this in C however many parts there are.
        """
        found: set[bytes] = set()
        for name in named:
            position = blob.find(name)
            while position >= 0:
                end = position + len(name)
                if end == len(blob) or blob[end] == 10:  # the name ends the part
                    start = blob.rfind(b"\n", 0, position) + 1
                    if start == position or blob[position - 1] == 46:  # whole or after "."
                        stop = blob.find(b"\n", end)
                        found.add(blob[start : len(blob) if stop < 0 else stop])
                position = blob.find(name, end)
        return found

    def _hash_parts(self, fresh: set[bytes]) -> set[bytes]:
        gate = self.gate
        found: set[bytes] = set()
        for part in fresh:
            if len(part) >= 32 and any(p in gate for p in _PIECE_RE.findall(part)):
                found.add(part)
        return found

    def _near_blocks(self, blob: bytes) -> set[bytes]:
        """Dotted quads that fall inside a CIDR block."""
        prefixes: set[bytes] = set()
        for pattern in self.prefix_patterns:
            prefixes.update(pattern.findall(blob))
        near = self.cidr_gate & prefixes
        if not near:
            return set()
        quads = _IPV4_RE.findall(blob)
        return {
            full
            for full, p24, p16, p8 in quads
            if (p24 in near or p16 in near or p8 in near) and self.matcher.matches(full)
        }

    def _slow(self, tokens: list[bytes]) -> set[bytes]:
        """Tokens the exact matcher accepts, remembered between blocks."""
        found: set[bytes] = set()
        cache = self.slow_cache
        for token in set(tokens):
            known = cache.get(token)
            if known is None:
                known = cache[token] = self.matcher.matches(token)
                if len(cache) > SEEN_LIMIT:
                    cache.clear()
            if known:
                found.add(token)
        return found
