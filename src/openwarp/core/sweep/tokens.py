"""What a token in a log means to each kind of indicator.

This module is the definition of the matching rules; the fast block scanner
only decides which lines are worth giving to it. A token is a maximal run of
host-like bytes; inside it, ``:`` and ``@`` separate parts (host and port,
user and domain), and each part is tried as an IPv4 address, a domain (with
every parent domain on a label boundary), a hash piece and an IPv6 address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators.model import IndicatorSet, ids_of
from openwarp.core.indicators.normalise import normalise_ip

# Bytes that can belong to a host, address, e-mail or hash; \x80-\xff keeps
# UTF-8 internationalised names whole.
TOKEN_RE = re.compile(rb"[a-z0-9_.:@%\-\x80-\xff]+")
_PART_RE = re.compile(rb"[^:@]+")
_HASH_PIECE_RE = re.compile(rb"[0-9a-z]+")
_EDGE = b".-_"
GATE = -1  # "this host carries URL indicators": check the line's URLs
PORT_GATE = -2  # "this address carries ip:port indicators": check the line's port fields


def ipv4_int(text: bytes) -> int | None:
    """Integer of a dotted quad read in decimal, or None."""
    parts = text.split(b".")
    if len(parts) != 4:
        return None
    value = 0
    for part in parts:
        if not part.isdigit() or len(part) > 3:
            return None
        number = int(part)
        if number > 255:
            return None
        value = (value << 8) | number
    return value


def ipv4_text(number: int) -> bytes:
    return b"%d.%d.%d.%d" % (number >> 24, (number >> 16) & 255, (number >> 8) & 255, number & 255)


class TokenMatcher:
    """Look tokens up in an indicator set, remembering nothing between calls."""

    def __init__(self, indicators: IndicatorSet) -> None:
        self.set = indicators
        self.domains = indicators.domains
        self.hashes = indicators.hashes
        self.url_hosts = indicators.url_hosts
        self.port_hosts = {key.rsplit(b":", 1)[0] for key in indicators.ip_ports}
        self.has_v6 = bool(indicators.ipv6) or bool(indicators.cidr6.starts)
        self.has_cidr4 = bool(indicators.cidr4.starts)
        self.ipv4 = indicators.ipv4

    def token(self, token: bytes) -> Iterator[tuple[int, int, int]]:
        """Yield (indicator id or GATE, start, end) for every match in one token.

        Offsets are within the token so a caller can show the text that
        matched exactly as the log wrote it.
        """
        start, end = 0, len(token)
        while start < end and token[start] in _EDGE:
            start += 1
        while end > start and token[end - 1] in _EDGE:
            end -= 1
        if start == end:
            return
        core = token[start:end]
        if b":" in core and self.has_v6 and core.count(b":") >= 2:
            yield from self._ipv6(core, start)
        if b"@" in core and self.set.emails:
            for ident in ids_of(self.set.emails.get(core)):
                yield ident, start, end
        if b":" in core or b"@" in core:
            yield from self._parts(core, start)
        else:
            yield from self._host(core, start)

    def _parts(self, core: bytes, offset: int) -> Iterator[tuple[int, int, int]]:
        parts = list(_PART_RE.finditer(core))
        for index, part in enumerate(parts):
            text = part.group(0).strip(_EDGE)
            if not text:
                continue
            begin = offset + part.start() + part.group(0).find(text)
            yield from self._host(text, begin)
            following = parts[index + 1] if index + 1 < len(parts) else None
            if following is not None and core[part.end() : following.start()] == b":":
                port = following.group(0)
                if port.isdigit() and self.set.ip_ports:
                    key = text + b":" + port
                    for ident in ids_of(self.set.ip_ports.get(key)):
                        yield ident, begin, offset + following.end()

    def _host(self, host: bytes, offset: int) -> Iterator[tuple[int, int, int]]:
        end = offset + len(host)
        if host in self.url_hosts:
            yield GATE, offset, end
        if host in self.port_hosts:
            yield PORT_GATE, offset, end
        if host[-1:].isdigit() and host.count(b".") == 3:
            number = ipv4_int(host)
            if number is not None:
                yield from ((i, offset, end) for i in self._address_ids(host, number))
                return
        if not host.isascii():
            try:
                host = host.decode("utf-8").encode("idna")
            except UnicodeError:
                return
        if len(host) >= 32 and self.hashes:
            for piece in _HASH_PIECE_RE.finditer(host):
                for ident in ids_of(self.hashes.get(piece.group(0))):
                    yield ident, offset + piece.start(), offset + piece.end()
        domains = self.domains
        suffix = host
        while True:
            found = domains.get(suffix)
            if found is not None:
                yield from ((i, offset, end) for i in ids_of(found))
            dot = suffix.find(b".")
            if dot < 0:
                return
            suffix = suffix[dot + 1 :]

    def _address_ids(self, text: bytes, number: int) -> list[int]:
        found = ids_of(self.ipv4.get(text) or self.ipv4.get(ipv4_text(number)))
        return found + self.set.cidr4.lookup(number) if self.has_cidr4 else found

    def matches(self, token: bytes) -> bool:
        """Whether a token holds any match: the hot path, so no generators.

        It answers exactly as ``token`` would, as a yes or no; only
        tokens with ``:``, ``@`` or non-ASCII bytes take the general route.
        """
        host = token.strip(_EDGE)
        if not host:
            return False
        if b":" in host or b"@" in host or not host.isascii():
            return next(self.token(token), None) is not None
        if host in self.url_hosts or host in self.port_hosts:
            return True
        if host[-1:].isdigit() and host.count(b".") == 3:
            if host in self.ipv4:
                return True
            number = ipv4_int(host)
            if number is not None:
                return bool(self._address_ids(host, number))
        if len(host) >= 32 and self.hashes:
            hashes = self.hashes
            if any(piece in hashes for piece in _HASH_PIECE_RE.findall(host)):
                return True
        domains = self.domains
        while True:
            if host in domains:
                return True
            dot = host.find(b".")
            if dot < 0:
                return False
            host = host[dot + 1 :]

    def _ipv6(self, core: bytes, offset: int) -> Iterator[tuple[int, int, int]]:
        text = core.split(b"%", 1)[0]
        try:
            version, number = normalise_ip(text.decode("ascii"))
        except (InvalidInput, ValueError, UnicodeDecodeError):
            return
        end = offset + len(core)
        if version == 4:
            yield from ((i, offset, end) for i in self._address_ids(ipv4_text(number), number))
            return
        yield from ((i, offset, end) for i in ids_of(self.set.ipv6.get(number)))
        yield from ((i, offset, end) for i in self.set.cidr6.lookup(number))
