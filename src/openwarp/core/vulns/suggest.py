"""CPE vendor:product suggestions for inventory rows typed as free text.

A council's spreadsheet says "Microsoft / Windows Svr 2019" or "Fortinet Inc /
Forti OS"; the loaded vulnerability data names products by CPE (`microsoft:
windows_server_2019`, `fortinet:fortios`). We offer the closest CPE names the
loaded data actually uses, each with a score in 0..1, so a member can pick one
and the row starts matching. Names are normalised as the matcher does (case,
punctuation, company words, the vendor's own name in the product); vendors
are found by alias key, shared word or, failing those, a close spelling, and
products are scored by their squashed text and their words.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from openwarp.core.vulns.names import squash, vendor_keys

__all__ = ["CpeDictionary", "CpeSuggestion"]

_WORD = re.compile(r"[a-z0-9]+")
_VENDOR_WEIGHT = 0.35
_MIN_SCORE = 0.6
_NOISE = frozenset({"inc", "ltd", "llc", "corp", "co", "the", "and", "of", "software", "systems"})


@dataclass(frozen=True, slots=True)
class CpeSuggestion:
    part: str
    vendor: str
    product: str
    score: float

    @property
    def cpe(self) -> str:
        """The CPE 2.3 name for the product, any version (the row keeps its own)."""
        return f"cpe:2.3:{self.part}:{self.vendor}:{self.product}:*:*:*:*:*:*:*:*"


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower().replace("_", " ")) if w not in _NOISE}


def _collapse(words: list[str], acronyms: set[str]) -> str:
    """`netscaler application delivery controller` read with the row's `adc`:
    a run of words whose initials spell one of the row's short words becomes it."""
    out, index = [], 0
    while index < len(words):
        for end in range(min(len(words), index + 5), index + 1, -1):
            if "".join(w[0] for w in words[index:end]) in acronyms:
                out.append("".join(w[0] for w in words[index:end]))
                index = end
                break
        else:
            out.append(words[index])
            index += 1
    return "".join(out)


def _similar(left: str, right: str) -> float:
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


class CpeDictionary:
    """The (part, vendor, product) CPE names in the loaded data, indexed for lookup."""

    def __init__(self, names: Iterable[tuple[str, str, str]]) -> None:
        self.by_vendor: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self.by_word: dict[str, set[str]] = defaultdict(set)
        for part, vendor, product in names:
            key = squash(vendor)
            self.by_vendor[key].append((part, vendor, product))
            for word in _words(vendor):
                if len(word) >= 3:
                    self.by_word[word].add(key)
        self.vendors = sorted(self.by_vendor)

    def _vendors(self, vendor: str) -> dict[str, float]:
        """Candidate CPE vendors (squashed) with how well each matches the text."""
        aliases = set(vendor_keys(vendor)) | {squash(vendor)}
        aliases.discard("")
        found = {a: 1.0 for a in aliases if a in self.by_vendor}
        for word in _words(vendor):
            for key in self.by_word.get(word, ()):
                found.setdefault(key, max(_similar(a, key) for a in aliases))
        if not found:
            for alias in aliases:
                for key in difflib.get_close_matches(alias, self.vendors, n=5, cutoff=0.8):
                    found[key] = max(found.get(key, 0.0), _similar(alias, key))
        return found

    def suggest(self, vendor: str, product: str, *, limit: int = 3) -> list[CpeSuggestion]:
        """The best CPE names for a free-text vendor and product, best first."""
        if not vendor.strip() or not product.strip():
            return []
        vendor_words = _words(vendor)
        wanted_words = _words(product) - vendor_words or _words(product)
        wanted = "".join(w for w in _WORD.findall(product.lower()) if w not in vendor_words)
        wanted = wanted or squash(product)
        acronyms = {w for w in wanted_words if 2 <= len(w) <= 5 and w.isalpha()}
        scored: dict[tuple[str, str], tuple[float, set[str]]] = {}
        for key, vendor_score in self._vendors(vendor).items():
            for part, cpe_vendor, cpe_product in self.by_vendor[key]:
                name = squash(cpe_product)
                words = _words(cpe_product)
                overlap = len(wanted_words & words) / len(wanted_words | words) if words else 0.0
                product_score = max(
                    _similar(wanted, name),
                    _similar(squash(product), name),
                    _similar(wanted, _collapse(_WORD.findall(cpe_product.lower()), acronyms)),
                    overlap,
                )
                score = _VENDOR_WEIGHT * vendor_score + (1 - _VENDOR_WEIGHT) * product_score
                if score >= _MIN_SCORE:
                    item = (cpe_vendor, cpe_product)
                    before, parts = scored.get(item, (0.0, set()))
                    scored[item] = (max(before, score), parts | {part})
        best = sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
        # The data sometimes files one product under two parts (FortiOS as `a` and
        # `o`); then the part is left open, so NVD criteria of either part apply.
        return [
            CpeSuggestion(parts.pop() if len(parts) == 1 else "*", v, n, round(score, 2))
            for (v, n), (score, parts) in best
        ]
