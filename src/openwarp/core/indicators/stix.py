"""Indicators from a STIX 2.1 bundle, limited to patterns a sweep can honour.

A sweep looks for single values, so only patterns made of equality
comparisons joined by OR are used: ``[domain-name:value = 'x' OR ...]``.
Patterns with AND, FOLLOWEDBY, MATCHES or time windows describe behaviour a
log line cannot show on its own; they are reported as unsupported instead of
being half-honoured.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openwarp.core.indicators.markings import STIX_TLP_IDS, strictest, tlp_from_name

type Row = tuple[object, object, str, str | None, str | None]

_COMPARISON_RE = re.compile(r"([a-z0-9-]+):([A-Za-z0-9_.'\-]+)\s*=\s*'((?:[^'\\]|\\.)*)'")
_GLUE_RE = re.compile(r"[\s\[\]()]|\bOR\b")
_PATHS = {
    ("domain-name", "value"),
    ("ipv4-addr", "value"),
    ("ipv6-addr", "value"),
    ("url", "value"),
    ("email-addr", "value"),
}
_HASH_PATHS = {"md5", "sha-1", "sha1", "sha-256", "sha256"}


def pattern_values(pattern: str) -> list[str] | None:
    """Values of an OR-of-equalities pattern, or None if it is anything else."""
    comparisons = list(_COMPARISON_RE.finditer(pattern))
    if not comparisons or _GLUE_RE.sub("", _COMPARISON_RE.sub("", pattern)):
        return None
    values: list[str] = []
    for match in comparisons:
        kind, path, value = match.group(1), match.group(2), match.group(3)
        value = value.replace("\\'", "'").replace("\\\\", "\\")
        hash_name = path.removeprefix("hashes.").strip("'").lower()
        if (kind, path) in _PATHS or (
            kind == "file" and path.startswith("hashes.") and (hash_name in _HASH_PATHS)
        ):
            values.append(value)
        else:
            return None
    return values


def _marking_levels(document: dict[str, Any]) -> dict[str, str]:
    """TLP marking ids of this bundle, including ones defined inside it."""
    levels = dict(STIX_TLP_IDS)
    for item in document.get("objects") or []:
        if isinstance(item, dict) and item.get("type") == "marking-definition":
            name = item.get("name") or (item.get("definition") or {}).get("tlp") or ""
            level = tlp_from_name(str(name))
            if level:
                levels[str(item.get("id"))] = level
    return levels


def _report_names(document: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for item in document.get("objects") or []:
        if isinstance(item, dict) and item.get("type") == "report":
            for ref in item.get("object_refs") or []:
                names.setdefault(str(ref), str(item.get("name") or item.get("id")))
    return names


def stix_rows(path: Path, document: dict[str, Any]) -> Iterator[Row]:
    """Yield one row per value in each usable indicator of the bundle."""
    levels = _marking_levels(document)
    reports = _report_names(document)
    for position, item in enumerate(document.get("objects") or []):
        if not isinstance(item, dict) or item.get("type") != "indicator":
            continue
        where = f"objects[{position}]"
        if item.get("pattern_type", "stix") != "stix" or item.get("revoked"):
            continue
        values = pattern_values(str(item.get("pattern", "")))
        if values is None:
            yield path, where, f"unsupported STIX pattern {item.get('pattern')!r}", None, None
            continue
        tlp = strictest([levels.get(str(ref)) for ref in item.get("object_marking_refs") or []])
        report = reports.get(str(item.get("id"))) or item.get("name")
        for value in values:
            yield path, where, value, report, tlp
