"""Flagging known-benign values (public resolvers, top sites, cloud ranges).

Flagged values are kept, not dropped: the analyst still sees them, marked,
and sweeps skip them by default. The lists come from a file the operator
names (`OPENWARP_WARNINGLISTS`, MISP warninglists as JSON lines), so the hub
never downloads anything at run time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from openwarp.core.indicators.model import Indicator
from openwarp.core.indicators.normalise import IndicatorType
from openwarp.core.indicators.warninglists import Warninglists, load_warninglists


@lru_cache(maxsize=2)
def _load(path: str) -> Warninglists:
    return load_warninglists(Path(path))


def warninglist_reason(kind: str, value: str) -> str:
    """The name of the list that marks this value as benign, or ""."""
    path = settings.WARNINGLISTS_FILE
    if not path or kind not in IndicatorType.__members__.values():
        return ""
    lists = _load(str(path))
    return lists.reason(Indicator(value, IndicatorType(kind), value)) or ""
