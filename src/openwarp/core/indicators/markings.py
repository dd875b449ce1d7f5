"""TLP levels of indicators read from STIX bundles and MISP tags.

The hub will own the full TLP model (``core/tlp.py``); a sweep only needs to
turn whatever marking an indicator arrived with into the level name it prints
beside each hit, so that a member knows how far a sighting may travel.
"""

from __future__ import annotations

# OASIS TLP 2.0 marking-definition ids, and the TLP 1.0 ids stix2 ships.
STIX_TLP_IDS = {
    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487": "clear",
    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb": "green",
    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421": "amber",
    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003": "amber+strict",
    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1": "red",
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": "clear",
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": "green",
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": "amber",
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": "red",
}
_LEVELS = ("clear", "green", "amber", "amber+strict", "red")


def tlp_from_name(text: str) -> str | None:
    """``TLP:AMBER+STRICT``, ``tlp:white`` or ``amber`` to a TLP 2.0 level name."""
    value = text.strip().lower().removeprefix("tlp:").strip()
    value = "clear" if value == "white" else value
    return value if value in _LEVELS else None


def strictest(levels: list[str | None]) -> str | None:
    """When several markings apply, the most restrictive one governs."""
    known = [level for level in levels if level in _LEVELS]
    return max(known, key=_LEVELS.index) if known else None
