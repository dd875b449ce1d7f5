"""Reports received from another hub as STIX 2.1 objects, read back into plain terms.

Federation (TAXII pull or push) hands the hub a flat list of STIX objects.
This module turns the `report` objects among them, with the indicators and
vulnerabilities they reference, into `ReceivedReport` values the hub can
store. It decides nothing about access beyond reading the TLP marking: the
hub's policy says what may be kept. A malformed object is an error naming its
position (`objects[3].name`), so a bad batch is refused whole; a pattern this
hub cannot express as one value is counted and skipped, never half-read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators.markings import STIX_TLP_IDS, strictest
from openwarp.core.indicators.stix import pattern_values
from openwarp.core.sharing.paste import classify_extended
from openwarp.core.tlp import TLP

_FILE_NAME_RE = re.compile(r"\[file:name\s*=\s*'((?:[^'\\]|\\.)*)'\]")
_ASN_RE = re.compile(r"\[autonomous-system:number\s*=\s*(\d{1,10})\]")
_THREAT_TYPES = {
    "phishing",
    "ransomware",
    "malware",
    "intrusion",
    "ddos",
    "exploitation",
    "fraud",
    "data_breach",
    "other",
}


@dataclass(frozen=True, slots=True)
class ReceivedReport:
    stix_id: str
    uuid: UUID
    title: str
    description: str
    threat_type: str
    confidence: str
    tlp: TLP | None  # None: no TLP marking the hub recognises
    published: datetime
    modified: datetime
    creator_ref: str | None
    creator_name: str | None
    indicators: list[tuple[str, str]] = field(default_factory=list)
    skipped_patterns: int = 0


def parse_timestamp(text: object, where: str) -> datetime:
    """A STIX/TAXII timestamp (`...Z`, any sub-second precision) as aware UTC."""
    if not isinstance(text, str) or not text.endswith("Z"):
        raise InvalidInput(f"{text!r} is not a UTC timestamp ending in Z", field=where)
    body = text[:-1]
    if "." in body:
        head, fraction = body.split(".", 1)
        body = f"{head}.{(fraction + '000000')[:6]}"
    try:
        moment = datetime.fromisoformat(body)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a timestamp", field=where) from None
    return moment.replace(tzinfo=UTC)


def confidence_word(value: object) -> str:
    """STIX 0-100 confidence back to the hub's four words (inverse of the export)."""
    number = value if isinstance(value, int) else 50
    if number >= 90:
        return "confirmed"
    if number >= 70:
        return "probable"
    if number >= 50:
        return "possible"
    return "doubtful"


def _text(obj: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidInput(f"{key} must be a non-empty string", field=f"{where}.{key}")
    return value


def pattern_indicator(pattern: str) -> tuple[str, str] | None:
    """The one (kind, value) a single-comparison pattern names, or None."""
    values = pattern_values(pattern)
    if values is not None and len(values) == 1:
        try:
            return classify_extended(values[0])
        except InvalidInput:
            return None
    if name := _FILE_NAME_RE.fullmatch(pattern.strip()):
        return "filename", name.group(1).replace("\\'", "'").replace("\\\\", "\\")
    if number := _ASN_RE.fullmatch(pattern.strip()):
        return "asn", f"AS{int(number.group(1))}"
    return None


def _tlp(obj: dict[str, Any]) -> TLP | None:
    refs = obj.get("object_marking_refs") or []
    level = strictest([STIX_TLP_IDS.get(ref) for ref in refs if isinstance(ref, str)])
    return TLP(level) if level else None


def _children(
    report: dict[str, Any], by_id: dict[str, dict[str, Any]]
) -> tuple[list[tuple[str, str]], int]:
    values: list[tuple[str, str]] = []
    skipped = 0
    for ref in report.get("object_refs") or []:
        child = by_id.get(ref) if isinstance(ref, str) else None
        if child is None:
            continue
        if child.get("type") == "vulnerability":
            cve = str(child.get("name", "")).upper()
            if re.fullmatch(r"CVE-\d{4}-\d{4,}", cve):
                values.append(("cve", cve))
            else:
                skipped += 1
        elif child.get("type") == "indicator":
            found = pattern_indicator(str(child.get("pattern", "")))
            if found is None:
                skipped += 1
            else:
                values.append(found)
    return list(dict.fromkeys(values)), skipped


def _report(obj: dict[str, Any], where: str, by_id: dict[str, dict[str, Any]]) -> ReceivedReport:
    stix_id = _text(obj, "id", where, required=True)
    try:
        uuid = UUID(stix_id.removeprefix("report--"))
    except ValueError:
        raise InvalidInput(f"{stix_id!r} is not a STIX report id", field=f"{where}.id") from None
    labels = [label for label in obj.get("labels") or [] if label in _THREAT_TYPES]
    creator = obj.get("created_by_ref")
    creator_obj = by_id.get(creator) if isinstance(creator, str) else None
    indicators, skipped = _children(obj, by_id)
    return ReceivedReport(
        stix_id=stix_id,
        uuid=uuid,
        title=_text(obj, "name", where, required=True)[:200],
        description=_text(obj, "description", where),
        threat_type=labels[0] if labels else "other",
        confidence=confidence_word(obj.get("confidence")),
        tlp=_tlp(obj),
        published=parse_timestamp(obj.get("published"), f"{where}.published"),
        modified=parse_timestamp(obj.get("modified"), f"{where}.modified"),
        creator_ref=creator if isinstance(creator, str) else None,
        creator_name=str(creator_obj.get("name"))[:200] if creator_obj else None,
        indicators=indicators,
        skipped_patterns=skipped,
    )


def received_reports(objects: object) -> list[ReceivedReport]:
    """Every `report` in a list of STIX objects, with the values it references."""
    if not isinstance(objects, list):
        raise InvalidInput("expected a list of STIX objects", field="objects")
    by_id: dict[str, dict[str, Any]] = {}
    for index, obj in enumerate(objects):
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
            raise InvalidInput("each object needs a string id", field=f"objects[{index}]")
        by_id[obj["id"]] = obj
    return [
        _report(obj, f"objects[{index}]", by_id)
        for index, obj in enumerate(objects)
        if obj.get("type") == "report"
    ]
