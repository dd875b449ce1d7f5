"""Normalised vendor and product keys, so free text, CVE records and CPEs meet.

A council's spreadsheet says "Palo Alto Networks / PAN-OS", the CNA says the
same, CISA's ADP says `paloaltonetworks:pan-os` and a CPE row says
`cpe:2.3:o:paloaltonetworks:pan-os:...`. Every side is turned into a small set
of alias keys (squashed lower-case text, with company suffixes, the vendor's own
name and a trailing "software" dropped, plus a parenthesised acronym such as
`(ASA)`); two names meet when any alias pair is shared. The matcher indexes the
inventory by these keys, and the evidence says which key matched.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["NameKey", "name_keys", "squash", "vendor_keys"]

NameKey = tuple[str, str]

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ACRONYM = re.compile(r"\(([A-Za-z0-9][A-Za-z0-9 .\-]{1,15})\)")
_COMPANY_WORDS = frozenset(
    {
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "corp",
        "corporation",
        "co",
        "company",
        "gmbh",
        "ag",
        "ab",
        "sa",
        "plc",
        "bv",
        "oy",
        "srl",
        "spa",
        "kk",
        "foundation",
        "software",
        "technologies",
        "technology",
        "communications",
        "systems",
        "group",
        "the",
        "international",
        "holdings",
    }
)
# Rebrands where the CNA and the CPE dictionary use different vendor names.
_VENDOR_ALIASES = {
    "netscaler": "citrix",
    "pulsesecure": "ivanti",
    "vmwarebybroadcom": "vmware",
}
_PLACEHOLDERS = frozenset({"", "na", "n/a", "unknown", "unspecified", "*", "-"})


def squash(text: str) -> str:
    """Lower-case and drop everything but letters and digits (`PAN-OS` -> `panos`)."""
    return _NON_ALNUM.sub("", text.lower())


def _words(text: str) -> list[str]:
    return [w for w in _NON_ALNUM.split(text.lower()) if w]


@lru_cache(maxsize=65536)
def vendor_keys(vendor: str) -> frozenset[str]:
    """Alias keys of a vendor name; empty for placeholders such as `n/a`."""
    if vendor.strip().lower() in _PLACEHOLDERS:
        return frozenset()
    words = _words(vendor)
    keys = {"".join(words)}
    trimmed = list(words)
    while len(trimmed) > 1 and trimmed[-1] in _COMPANY_WORDS:
        trimmed.pop()
    keys.add("".join(trimmed))
    keys |= {_VENDOR_ALIASES[k] for k in list(keys) if k in _VENDOR_ALIASES}
    keys.discard("")
    return frozenset(keys)


@lru_cache(maxsize=131072)
def _product_keys(product: str, vendor: str) -> frozenset[str]:
    if product.strip().lower() in _PLACEHOLDERS:
        return frozenset()
    keys: set[str] = set()
    acronym = _ACRONYM.search(product)
    if acronym:
        keys.add(squash(acronym.group(1)))
    plain = _ACRONYM.sub(" ", product)
    vendor_words = set(_words(vendor))
    for text in {product, plain}:
        words = _words(text)
        keys.add("".join(words))
        without_vendor = [w for w in words if w not in vendor_words] or words
        keys.add("".join(without_vendor))
        if len(without_vendor) > 1 and without_vendor[-1] == "software":
            keys.add("".join(without_vendor[:-1]))
    keys.discard("")
    return frozenset(keys)


def name_keys(vendor: str, product: str) -> frozenset[NameKey]:
    """All (vendor, product) alias pairs of a name; a CNA list "A, B" names each product."""
    vkeys = vendor_keys(vendor)
    if not vkeys:
        return frozenset()
    products = [p for p in product.split(",") if p.strip()] if "," in product else [product]
    out: set[NameKey] = set()
    for item in products:
        for pkey in _product_keys(item.strip(), vendor):
            out.update((v, pkey) for v in vkeys)
    return frozenset(out)
