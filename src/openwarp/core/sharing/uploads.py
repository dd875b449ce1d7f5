"""Indicators from a file a member attaches to a report: CSV, a STIX 2.1 bundle,
a MISP event, or a plain list.

A file that is broken (not UTF-8, bad JSON, a STIX object without a type, a CSV
with no value column) is refused as a whole with its position, so nothing is
half-taken. Inside a sound file, values we cannot type and objects we do not
carry (a STIX pattern with AND, a MISP "comment" attribute) are listed as not
kept, by position, and the rest is taken.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators.stix import pattern_values
from openwarp.core.sharing.paste import (
    MAX_INDICATORS,
    PastedIndicator,
    parse_pasted,
    recognise,
)
from openwarp.core.sharing.stix_import import pattern_indicator

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
FIELD = "indicators_file"
_VALUE_COLUMNS = ("indicator", "value", "ioc", "observable")

# MISP attribute types we keep, and which side of a "a|b" value holds the indicator.
_MISP_WHOLE = {
    "domain", "hostname", "ip-src", "ip-dst", "url", "uri", "link", "md5", "sha1", "sha256",
    "email", "email-src", "email-dst", "target-email", "filename", "AS", "vulnerability",
}  # fmt: skip
_MISP_PORT = {"ip-src|port", "ip-dst|port"}
_MISP_PAIR = {"filename|md5", "filename|sha1", "filename|sha256", "domain|ip"}
_MISP_LEFT = {"hostname|port"}


@dataclass
class Upload:
    """What a file gave: values in order first seen, and what was not kept and why."""

    name: str
    indicators: list[PastedIndicator] = field(default_factory=list)
    not_kept: list[tuple[str, str]] = field(default_factory=list)
    _seen: set[tuple[str, str]] = field(default_factory=set)

    def take(self, where: str, raw: str, line: int = 0) -> None:
        if (known := recognise(raw)) is None:
            self.not_kept.append((where, f"{raw[:200]!r} is not an indicator we recognise"))
            return
        kind, value = known
        if (kind, value) not in self._seen:
            if len(self._seen) >= MAX_INDICATORS:
                raise InvalidInput(
                    f"{self.name}: {where}: more than {MAX_INDICATORS} indicators in one report",
                    field=FIELD,
                )
            self._seen.add((kind, value))
            self.indicators.append(PastedIndicator(kind, value, line, raw[:2048]))


def parse_upload(name: str, data: bytes) -> Upload:
    """Read one attached file; raises InvalidInput naming the file and position."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"{name}: larger than the 5 MB a report file may be", field=FIELD)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name}: byte {exc.start + 1} is not UTF-8 text", field=FIELD) from None
    upload = Upload(name)
    if text.lstrip().startswith(("{", "[")):
        _json(upload, text)
    elif name.lower().endswith(".csv"):
        _csv(upload, text)
    else:
        try:
            pasted = parse_pasted(text)
        except InvalidInput as exc:
            raise InvalidInput(f"{name}: {exc.message}", field=FIELD) from None
        upload.indicators = pasted.indicators
        upload.not_kept = [
            (f"line {n}", f"{line!r} was not understood") for n, line in pasted.unrecognised
        ]
    return upload


def _json(upload: Upload, text: str) -> None:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{upload.name}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})",
            field=FIELD,
        ) from None
    if isinstance(document, dict) and document.get("type") == "bundle":
        _stix(upload, document)
    elif isinstance(document, dict) and isinstance(document.get("Event"), dict):
        _misp(upload, document["Event"])
    elif isinstance(document, dict) and "info" in document and "Attribute" in document:
        _misp(upload, document)  # a bare event, as PyMISP writes one
    else:
        raise InvalidInput(
            f"{upload.name}: JSON that is neither a STIX 2.1 bundle nor a MISP event "
            '(expected "type": "bundle" or an "Event" object)',
            field=FIELD,
        )


def _csv(upload: Upload, text: str) -> None:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        column = next((header.index(c) for c in _VALUE_COLUMNS if c in header), None)
        if column is None:
            raise InvalidInput(
                f"{upload.name}: line 1: no value column (name one of: "
                f"{', '.join(_VALUE_COLUMNS)})",
                field=FIELD,
            )
        for cells in reader:
            where = f"line {reader.line_num}"
            if len(cells) <= column or not cells[column].strip():
                if any(cell.strip() for cell in cells):
                    upload.not_kept.append((where, "no value in the value column"))
                continue
            upload.take(where, cells[column].strip(), reader.line_num)
    except csv.Error as exc:
        raise InvalidInput(f"{upload.name}: line {reader.line_num}: {exc}", field=FIELD) from None


def _stix_objects(upload: Upload, bundle: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    objects = bundle.get("objects", [])
    if not isinstance(objects, list):
        raise InvalidInput(f"{upload.name}: objects: must be a list", field=FIELD)
    for index, item in enumerate(objects):
        where = f"objects[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            raise InvalidInput(
                f"{upload.name}: {where}: not a STIX object with a type", field=FIELD
            )
        if item.get("spec_version", "2.1") != "2.1":
            raise InvalidInput(
                f"{upload.name}: {where}.spec_version: {item['spec_version']!r}, not STIX 2.1",
                field=FIELD,
            )
        yield where, item


def _pattern_values(pattern: str) -> list[str] | None:
    """Values of an OR of equalities, or of a file-name or ASN comparison."""
    values = pattern_values(pattern)
    if values is None and (single := pattern_indicator(pattern)):
        return [single[1]]
    return values


def _stix(upload: Upload, bundle: dict[str, Any]) -> None:
    """Indicators' equality patterns, observables' values, vulnerabilities' CVE ids."""
    for where, item in _stix_objects(upload, bundle):
        kind = item["type"]
        if kind == "indicator":
            if item.get("pattern_type", "stix") != "stix" or not isinstance(
                item.get("pattern"), str
            ):
                upload.not_kept.append((f"{where}.pattern", "not a STIX pattern"))
                continue
            values = _pattern_values(item["pattern"])
            if values is None:
                upload.not_kept.append(
                    (f"{where}.pattern", "only patterns of single values joined by OR are kept")
                )
                continue
            for value in values:
                upload.take(f"{where}.pattern", value)
        elif kind in ("domain-name", "ipv4-addr", "ipv6-addr", "url", "email-addr"):
            upload.take(f"{where}.value", str(item.get("value", "")))
        elif kind == "autonomous-system" and isinstance(item.get("number"), int):
            upload.take(f"{where}.number", f"AS{item['number']}")
        elif kind == "file":
            for algorithm, digest in (item.get("hashes") or {}).items():
                upload.take(f"{where}.hashes.{algorithm}", str(digest))
        elif kind == "vulnerability":
            for number, reference in enumerate(item.get("external_references") or []):
                if isinstance(reference, dict) and reference.get("source_name") == "cve":
                    upload.take(
                        f"{where}.external_references[{number}]",
                        str(reference.get("external_id", "")),
                    )


def _misp_values(kind: str, value: str) -> list[str] | None:
    if kind in _MISP_WHOLE:
        return [value]
    left, _, right = value.partition("|")
    if kind in _MISP_PORT:
        return [f"{left}:{right}"]
    if kind in _MISP_PAIR:
        return [left, right]
    if kind in _MISP_LEFT:
        return [left]
    return None


def _misp(upload: Upload, event: dict[str, Any]) -> None:
    """Every attribute of a type we carry, in the event and in its objects."""
    places: list[tuple[str, Any]] = [("Event.Attribute", event.get("Attribute") or [])]
    for index, obj in enumerate(event.get("Object") or []):
        if isinstance(obj, dict):
            places.append((f"Event.Object[{index}].Attribute", obj.get("Attribute") or []))
    for prefix, attributes in places:
        if not isinstance(attributes, list):
            raise InvalidInput(f"{upload.name}: {prefix}: must be a list", field=FIELD)
        for index, attribute in enumerate(attributes):
            where = f"{prefix}[{index}]"
            if (
                not isinstance(attribute, dict)
                or "type" not in attribute
                or "value" not in attribute
            ):
                raise InvalidInput(
                    f"{upload.name}: {where}: an attribute needs a type and a value", field=FIELD
                )
            values = _misp_values(str(attribute["type"]), str(attribute["value"]))
            if values is None:
                upload.not_kept.append(
                    (f"{where}.type", f"MISP type {attribute['type']!r} is not kept")
                )
                continue
            for value in values:
                upload.take(f"{where}.value", value)
