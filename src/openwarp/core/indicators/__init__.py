"""Indicators of compromise: typing, refanging, normalising and loading sets.

Pure Python, no Django: the hub, the sweep and the tests share these rules.
"""

from openwarp.core.indicators.loaders import LoadReport, build_set, load_indicators
from openwarp.core.indicators.model import Indicator, IndicatorSet
from openwarp.core.indicators.normalise import IndicatorType, classify
from openwarp.core.indicators.refang import refang
from openwarp.core.indicators.warninglists import Warninglists, load_warninglists

__all__ = [
    "Indicator",
    "IndicatorSet",
    "IndicatorType",
    "LoadReport",
    "Warninglists",
    "build_set",
    "classify",
    "load_indicators",
    "load_warninglists",
    "refang",
]
