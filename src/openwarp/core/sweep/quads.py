"""Which dotted quads of the indicator set stand in a piece, without Hyperscan.

Hyperscan's literal matcher saturates on IPv4 literals: every address in a log
looks like every other one to its filter, so 300k of them slowed a 1M-literal
scan to a quarter of the speed of the same database without them (measured:
``docs/notes/sweep.md``). Addresses are found here instead, with one pattern
that starts with a literal ``.`` (so ``re`` skips to each dot in C) and two
set intersections, also in C.

The pattern takes ``.b.c.d`` (and ``.a.b.c.d`` when a dot stands before the
address): the *tail* of a quad. An address the exact rules accept (a host part
that is exactly ``a.b.c.d`` once edge dots are stripped) always shows up in
the matches as its tail ``.b.c.d`` or as ``.a.b.c.d``. Matches are taken left
to right without overlap; a match that swallowed the address's first dot
began at a dot followed by digits, and those digits would be in the same host
part, so that address was never a match. The few tails the set holds (about
1 in 50 random addresses share one with a 300k set) are then resolved to whole
addresses by looking at the digits in front of each place they occur.
"""

from __future__ import annotations

import re

from openwarp.core.sweep.tokens import ipv4_int

_TAIL_RE = re.compile(rb"\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?:\.[0-9]{1,3})?")
_DIGITS = frozenset(b"0123456789")


def split_quads(texts: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """The literal texts that are not dotted quads, and those that are."""
    others: list[bytes] = []
    quads: list[bytes] = []
    for text in texts:
        (quads if ipv4_int(text) is not None else others).append(text)
    return others, quads


class QuadFinder:
    """The set's dotted quads, looked up by tail in whole pieces."""

    def __init__(self, quads: list[bytes]) -> None:
        self.quads = frozenset(quads)
        self.tails = frozenset(quad[quad.index(b".") :] for quad in quads)
        # A match with four octets is ``.`` + a whole address.
        self.gate = self.tails | frozenset(b"." + quad for quad in quads)

    def __bool__(self) -> bool:
        return bool(self.quads)

    def find(self, low: bytes) -> set[bytes]:
        """Quads of the set that stand in ``low`` (possibly inside longer text:
        the exact check on the line decides)."""
        matched = set(_TAIL_RE.findall(low)) & self.gate
        if not matched:
            return set()
        found: set[bytes] = set()
        quads = self.quads
        for match in _TAIL_RE.finditer(low):  # only where a tail of the set stands
            text = match.group()
            if text not in matched:
                continue
            if text[1:] in quads:  # ``.a.b.c.d``: the address after a dot
                found.add(text[1:])
            start = end = match.start()
            while start > 0 and end - start < 3 and low[start - 1] in _DIGITS:
                start -= 1
            quad = low[start : end + len(text)]  # the digits in front, then the tail
            if quad in quads:
                found.add(quad)
            elif text.count(b".") == 4:  # the first three octets' tail is the address's
                quad = low[start : match.end() - len(text) + text.rindex(b".")]
                if quad in quads:
                    found.add(quad)
        return found
