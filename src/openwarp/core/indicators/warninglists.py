"""MISP warning lists: indicators that are real but would only make noise.

A feed that lists ``8.8.8.8`` or the hash of an empty file would make every
member's sweep light up. Such indicators are skipped unless the user asks for
them. Lists that are informational rather than false-positive lists (dynamic
DNS providers, VPN exits, URL shorteners...) are not applied: a malicious
``x.duckdns.org`` must still be found.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openwarp.core.indicators.model import CidrIndex, Indicator
from openwarp.core.indicators.normalise import (
    HASH_TYPES,
    IndicatorType,
    ipv4_to_int,
    normalise_cidr,
    normalise_ip,
)

# Lists that describe infrastructure attackers also use; matching them is news.
INFORMATIONAL_NAME_PARTS = (
    "dynamic dns",
    "disposable email",
    "url shorteners",
    "vpn",
    "private relay",
    "sinkholes",
    "parking domains",
    "lots (living off trusted sites)",
    "ipfs gateways",
    "link in bio",
    "external ip",
    "querying your source ip",
    "attack simulator",
    "phone number",
    # Cloud compute ranges: attackers rent these, so an indicator there is real.
    "amazon aws",
    "gcp (google cloud platform)",
    "microsoft azure",
    "oracle cloud",
    "ovh cluster",
)
_DOMAIN_ATTRS = {"domain", "hostname", "domain|ip"}
_IP_ATTRS = {"ip-src", "ip-dst", "domain|ip", "ip-src|port", "ip-dst|port"}
_HASH_ATTRS = {"md5", "sha1", "sha256"}
_EMAIL_ATTRS = {"email", "email-src", "email-dst", "target-email"}


@dataclass
class Warninglists:
    """The applicable lists, indexed by what they can say about an indicator."""

    domains: dict[str, str] = field(default_factory=dict)
    exact: dict[str, str] = field(default_factory=dict)
    substrings: list[tuple[str, str]] = field(default_factory=list)
    email_patterns: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    cidr4: CidrIndex = field(default_factory=lambda: CidrIndex([]))
    cidr6: CidrIndex = field(default_factory=lambda: CidrIndex([]))
    names: list[str] = field(default_factory=list)
    _substring_re: re.Pattern[str] | None = None

    def reason(self, indicator: Indicator) -> str | None:
        """Name of the list that makes this indicator noise, or None."""
        kind, key = indicator.type, indicator.key
        if kind is IndicatorType.DOMAIN:
            return self.domains.get(key) or self._substring(key)
        if kind is IndicatorType.IPV4:
            as_int = ipv4_to_int(key)
            return None if as_int is None else self._address(4, as_int, as_int)
        if kind in (IndicatorType.IPV4, IndicatorType.IPV6, IndicatorType.IP_PORT):
            address = key.rsplit(":", 1)[0] if kind is IndicatorType.IP_PORT else key
            version, number = normalise_ip(address)
            return self._address(version, number, number)
        if kind is IndicatorType.CIDR:
            version, first, last = normalise_cidr(key)
            return self._address(version, first, last)
        if kind is IndicatorType.EMAIL:
            hit = self.exact.get(key)
            return hit or next((n for p, n in self.email_patterns if p.search(key)), None)
        return self.exact.get(key)

    def _substring(self, key: str) -> str | None:
        if self._substring_re is None:
            if not self.substrings:
                return None
            alternatives = "|".join(re.escape(part) for part, _ in self.substrings)
            self._substring_re = re.compile(alternatives)
        match = self._substring_re.search(key)
        if match is None:
            return None
        return next(name for part, name in self.substrings if part == match.group(0))

    def _address(self, version: int, first: int, last: int) -> str | None:
        index = self.cidr4 if version == 4 else self.cidr6
        covering = set(index.lookup(first)) & set(index.lookup(last))
        return self.names[min(covering)] if covering else None


def _applies(entry: dict[str, Any]) -> bool:
    name = str(entry.get("name", "")).lower()
    return not any(part in name for part in INFORMATIONAL_NAME_PARTS)


def _cidr_block(text: str) -> tuple[int, int, int] | None:
    value = text.strip()
    address, _, prefix = value.partition("/")
    as_int = ipv4_to_int(address)
    if as_int is not None and (not prefix or (prefix.isdigit() and int(prefix) <= 32)):
        size = 1 << (32 - int(prefix or 32))
        first = as_int & ~(size - 1)
        return 4, first, first + size - 1
    try:
        return normalise_cidr(value)
    except ValueError:
        return None


def _add_list(
    lists: Warninglists, entry: dict[str, Any], blocks: dict[int, list[tuple[int, int, int]]]
) -> None:
    ident = len(lists.names)
    name = str(entry.get("name", f"list {ident}"))
    lists.names.append(name)
    attrs = set(entry.get("matching_attributes") or [])
    kind = entry.get("type")
    values = [str(v) for v in entry.get("list") or []]
    if kind == "cidr":
        for value in values:
            block = _cidr_block(value)
            if block is not None:
                blocks[block[0]].append((block[1], block[2], ident))
    elif kind in ("string", "hostname"):
        domain_list = bool(attrs & _DOMAIN_ATTRS)
        for value in values:
            lowered = value.strip().lower()
            if domain_list:
                lists.domains.setdefault(lowered.strip("."), name)
            if attrs & (_HASH_ATTRS | _EMAIL_ATTRS) or len(lowered) in HASH_TYPES:
                lists.exact.setdefault(lowered, name)
    elif kind == "substring" and attrs & _DOMAIN_ATTRS:
        lists.substrings.extend((value.lower(), name) for value in values)
    elif kind == "regex" and attrs & _EMAIL_ATTRS:
        for value in values:
            pattern = _php_regex(value)
            if pattern is not None:
                lists.email_patterns.append((pattern, name))


def _php_regex(text: str) -> re.Pattern[str] | None:
    """MISP writes regexes PHP-style, ``/body/flags``; translate the common subset."""
    if not text.startswith("/") or text.rfind("/") == 0:
        return None
    end = text.rfind("/")
    flags = re.IGNORECASE if "i" in text[end + 1 :] else 0
    try:
        return re.compile(text[1:end].replace("\\@", "@"), flags)
    except re.error:
        return None


def load_warninglists(path: Path) -> Warninglists:
    """Read the JSON-lines bundle of MISP warning lists (one list per line)."""
    lists = Warninglists()
    blocks: dict[int, list[tuple[int, int, int]]] = {4: [], 6: []}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                entry = json.loads(line)
                if _applies(entry):
                    _add_list(lists, entry, blocks)
    lists.cidr4 = CidrIndex(blocks[4])
    lists.cidr6 = CidrIndex(blocks[6])
    return lists
