"""CPE suggestions for inventory rows, from the CPE names of the loaded data.

The dictionary is built once per process and rebuilt when a load adds names
(its stamp is the count and highest id of `CpeName`); answers are kept per
(vendor, product) text, since a region's rows repeat the same few products.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max

from openwarp.core.vulns.suggest import CpeDictionary, CpeSuggestion
from openwarp.hub.exposure.models import CpeName

_MEMO_LIMIT = 20_000
_state: dict[str, Any] = {"stamp": None, "dictionary": None, "memo": {}}


def _dictionary() -> tuple[CpeDictionary, dict[tuple[str, str], list[CpeSuggestion]]]:
    stamp = tuple(CpeName.objects.aggregate(n=Count("pk"), top=Max("pk")).values())
    if _state["stamp"] != stamp:
        names = CpeName.objects.values_list("part", "vendor", "product")
        _state.update(stamp=stamp, dictionary=CpeDictionary(names.iterator()), memo={})
    return _state["dictionary"], _state["memo"]


def cpe_suggestions(*, vendor: str, product: str) -> list[CpeSuggestion]:
    """Up to three CPE names for a free-text vendor and product, best first."""
    dictionary, memo = _dictionary()
    key = (vendor.strip().lower(), product.strip().lower())
    if key not in memo:
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        memo[key] = dictionary.suggest(vendor, product)
    return memo[key]


def wants_suggestions(item: Any) -> bool:
    """Rows typed as text: vendor and product given, no CPE name or package URL."""
    return bool(item.vendor.strip() and item.product.strip() and not item.cpe and not item.purl)
