"""Indicators from MISP events, as exported by the API or published in feeds.

Only attributes flagged for detection (``to_ids``) are used: MISP's own
convention for "this value is safe to alert on". The event's ``info`` is the
report and its TLP tag (or the attribute's, if stricter) travels with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openwarp.core.indicators.markings import strictest, tlp_from_name

type Row = tuple[object, object, str, str | None, str | None]

_SIMPLE_TYPES = {
    "domain",
    "hostname",
    "ip-src",
    "ip-dst",
    "url",
    "uri",
    "link",
    "md5",
    "sha1",
    "sha256",
    "email",
    "email-src",
    "email-dst",
    "target-email",
    "ip-src|port",
    "ip-dst|port",
}
_PAIR_TYPES = {"domain|ip", "filename|md5", "filename|sha1", "filename|sha256", "hostname|port"}


def _tlp(tags: list[dict[str, Any]] | None) -> str | None:
    levels = [
        tlp_from_name(str(tag.get("name", ""))) for tag in tags or [] if isinstance(tag, dict)
    ]
    return strictest(levels)


def _attribute_values(attribute: dict[str, Any]) -> list[str]:
    kind, value = str(attribute.get("type", "")), str(attribute.get("value", ""))
    if kind in _SIMPLE_TYPES:
        return [value.replace("|", ":")] if kind.endswith("|port") else [value]
    if kind in _PAIR_TYPES:
        left, _, right = value.partition("|")
        if kind == "domain|ip":
            return [left, right]
        if kind == "hostname|port":
            return [left]
        return [right]
    return []


def _events(document: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(document, list):
        for index, item in enumerate(document):
            for where, event in _events(item):
                yield f"[{index}]{where}", event
    elif isinstance(document, dict):
        if isinstance(document.get("Event"), dict):
            yield ".Event", document["Event"]
        elif isinstance(document.get("response"), list):
            for where, event in _events(document["response"]):
                yield f".response{where}", event


def _event_attributes(event: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for index, attribute in enumerate(event.get("Attribute") or []):
        yield f".Attribute[{index}]", attribute
    for index, obj in enumerate(event.get("Object") or []):
        for inner, attribute in enumerate(obj.get("Attribute") or []):
            yield f".Object[{index}].Attribute[{inner}]", attribute


def misp_rows(path: Path, document: Any) -> Iterator[Row]:
    """Yield usable attribute values of every event in the document."""
    found = False
    for event_where, event in _events(document):
        found = True
        report = str(event.get("info") or event.get("uuid") or "") or None
        event_tlp = _tlp(event.get("Tag"))
        for where, attribute in _event_attributes(event):
            if not isinstance(attribute, dict) or attribute.get("to_ids") in (False, 0, "0"):
                continue
            if attribute.get("deleted") in (True, 1, "1"):
                continue
            tlp = strictest([event_tlp, _tlp(attribute.get("Tag"))])
            for value in _attribute_values(attribute):
                yield path, f"{event_where}{where}", value, report, tlp
    if not found:
        yield path, "$", "unsupported JSON: neither a STIX bundle nor a MISP event", None, None
