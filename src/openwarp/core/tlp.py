"""Traffic Light Protocol 2.0 levels and their STIX 2.1 marking-definition ids.

The ids are the ones OASIS published for TLP 2.0 (the `stix2` library ships
only the TLP 1.0 ones). TLP:WHITE from older feeds is read as CLEAR.
"""

from __future__ import annotations

from enum import StrEnum

from openwarp.core.errors import InvalidInput


class TLP(StrEnum):
    CLEAR = "clear"
    GREEN = "green"
    AMBER = "amber"
    AMBER_STRICT = "amber+strict"
    RED = "red"

    @property
    def label(self) -> str:
        return "TLP:" + self.value.upper()

    @property
    def rank(self) -> int:
        """Higher is more restricted; lets callers say "AMBER or above"."""
        return _ORDER.index(self)

    @property
    def stix_marking_id(self) -> str:
        return STIX_MARKING_IDS[self]


_ORDER = [TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT, TLP.RED]

STIX_MARKING_IDS: dict[TLP, str] = {
    TLP.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    TLP.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    TLP.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    TLP.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    TLP.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}


def parse_tlp(text: str) -> TLP:
    """Accept `amber+strict`, `TLP:AMBER+STRICT`, `tlp:white` and similar."""
    value = text.strip().lower().removeprefix("tlp:").replace(" ", "")
    if value == "white":
        return TLP.CLEAR
    try:
        return TLP(value)
    except ValueError:
        allowed = ", ".join(level.label for level in TLP)
        raise InvalidInput(
            f"{text!r} is not a TLP 2.0 level (use {allowed})", field="tlp"
        ) from None
