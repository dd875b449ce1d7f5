"""Shared reports as a STIX 2.1 bundle, built as plain dicts.

The bundle is what other hubs, TIPs and the national hub ingest, so it has to
pass the OASIS validator as it stands and must never undo the hub's anonymity
decision. Three rules follow from that and are shared with the MISP and CSV
exporters through the helpers at the top of this module:

* a report whose source is hidden is credited to the hub that released it, and
  its timestamps are cut to the day, so neither a field nor a time of day can
  point at the reporter;
* every id is derived from the report's own random id (never from the
  organisation), so re-exports give the same objects and ids carry no clue;
* reports are written in the order of what the reader may see (disclosed date,
  then id), so the order of a bundle cannot hint at a hidden time of day.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID

from openwarp.core.errors import InvalidInput
from openwarp.core.sharing.export_model import ExportIndicator, ExportReport, ExportSource
from openwarp.core.tlp import TLP

type StixObject = dict[str, Any]

TLP2_EXTENSION_ID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"
# Identities are not versioned by openwarp; one fixed timestamp keeps every
# export of the same organisation the same STIX object.
IDENTITY_CREATED = "2024-01-01T00:00:00.000Z"

# STIX 2.1 §3.2 maps the Admiralty credibility scale onto 0–100 this way.
CONFIDENCE = {"confirmed": 90, "probable": 70, "possible": 50, "doubtful": 30}

# The hub's threat types, placed in STIX's report-type vocabulary; every report
# is also a "threat-report", and the hub's own word travels in `labels`.
_REPORT_TYPES = {
    "malware": "malware",
    "ransomware": "malware",
    "exploitation": "vulnerability",
    "phishing": "campaign",
}
_HASH_KEYS = {"md5": "MD5", "sha1": "SHA-1", "sha256": "SHA-256"}
_KIND_NAMES = {
    "domain": "Domain",
    "hostname": "Host name",
    "ipv4": "IPv4 address",
    "ipv6": "IPv6 address",
    "cidr": "Network range",
    "url": "URL",
    "md5": "MD5 file hash",
    "sha1": "SHA-1 file hash",
    "sha256": "SHA-256 file hash",
    "email": "E-mail address",
    "filename": "File name",
    "asn": "Autonomous system",
    "ip-port": "Address and port",
}
_ASN_RE = re.compile(r"(?:AS)?(\d{1,10})", re.IGNORECASE)


# --- disclosure rules shared by every exporter -------------------------------


def creator(report: ExportReport) -> ExportSource:
    """Who the reader is told published the report: the hub stands in when
    the source is hidden."""
    return report.source if report.source is not None else report.hub_identity


def disclosed(report: ExportReport, moment: datetime) -> datetime:
    """A report time as the reader may see it: to the day (midnight UTC) when
    the source is hidden, because a time of day can identify a reporter."""
    if moment.tzinfo is None:
        raise InvalidInput("export timestamps must be timezone-aware", field="published")
    moment = moment.astimezone(UTC)
    if report.source is None:
        return datetime.combine(moment.date(), time(0), tzinfo=UTC)
    return moment


def disclosed_times(report: ExportReport) -> tuple[datetime, datetime]:
    """(published, modified) as disclosed; modified never precedes published,
    which STIX requires and a clock skew in the hub must not break.

    With the source hidden both are cut to the day, so each revision adds a
    millisecond: a later version stays later (as STIX versioning needs)
    without telling the time of day its values were added."""
    published = disclosed(report, report.published)
    modified = disclosed(report, report.modified)
    if report.source is None:
        modified += timedelta(milliseconds=report.revision)
    return published, max(published, modified)


def export_order(reports: Iterable[ExportReport]) -> list[ExportReport]:
    """Reports in an order built only from what the reader may see."""
    return sorted(reports, key=lambda report: (disclosed_times(report)[0], str(report.id)))


def derived_uuid(namespace: UUID, name: str) -> UUID:
    """A name-based UUID laid out as version 4.

    STIX asks for UUIDv4 on domain objects (the validator warns otherwise)
    while re-exports must give the same ids; a SHA-1-derived UUID is as
    unguessable as a random one, so only the version bits are changed.
    """
    # uuid5's digest with the version-4 bits, built once (exports make many).
    sha1 = hashlib.sha1(namespace.bytes + name.encode(), usedforsecurity=False)
    digest = bytearray(sha1.digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x40
    digest[8] = (digest[8] & 0x3F) | 0x80
    return UUID(bytes=bytes(digest))


def indicator_uuid(report: ExportReport, indicator: ExportIndicator) -> UUID:
    """Stable per report and value; the report's random id is the namespace so
    nothing about the organisation goes into it."""
    return derived_uuid(report.id, f"{indicator.kind}:{indicator.value}")


def asn_number(value: str) -> int:
    """`AS64500` (the hub's form) or `64500` to the number."""
    match = _ASN_RE.fullmatch(value.strip())
    if not match:
        raise InvalidInput(f"{value!r} is not an AS number", field="indicators")
    return int(match.group(1))


# --- STIX ------------------------------------------------------------------------


def stix_timestamp(moment: datetime) -> str:
    """STIX timestamps with exactly millisecond precision, in UTC."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _quote(value: str) -> str:
    """A STIX pattern string literal: backslash and quote are escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _ip_port_pattern(value: str) -> str:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise InvalidInput(f"{value!r} is not address:port", field="indicators")
    host = host.removeprefix("[").removesuffix("]")
    address_type = "ipv6-addr" if ":" in host else "ipv4-addr"
    return (
        f"[network-traffic:dst_ref.type = '{address_type}'"
        f" AND network-traffic:dst_ref.value = {_quote(host)}"
        f" AND network-traffic:dst_port = {int(port)}]"
    )


def stix_pattern(indicator: ExportIndicator) -> str:
    """The STIX pattern that matches exactly this indicator."""
    kind, value = indicator.kind, indicator.value
    if kind in ("domain", "hostname"):
        return f"[domain-name:value = {_quote(value)}]"
    if kind == "ipv4" or (kind == "cidr" and ":" not in value):
        return f"[ipv4-addr:value = {_quote(value)}]"
    if kind in ("ipv6", "cidr"):
        return f"[ipv6-addr:value = {_quote(value)}]"
    if kind == "url":
        return f"[url:value = {_quote(value)}]"
    if kind in _HASH_KEYS:
        return f"[file:hashes.'{_HASH_KEYS[kind]}' = {_quote(value.lower())}]"
    if kind == "email":
        return f"[email-addr:value = {_quote(value)}]"
    if kind == "filename":
        return f"[file:name = {_quote(value)}]"
    if kind == "asn":
        return f"[autonomous-system:number = {asn_number(value)}]"
    if kind == "ip-port":
        return _ip_port_pattern(value)
    raise InvalidInput(f"cannot export indicators of kind {kind!r}", field="indicators")


def tlp_marking_definition(level: TLP) -> StixObject:
    """The OASIS TLP 2.0 marking definition, carried in the bundle because STIX
    2.1 does not predefine TLP 2.0 the way it did TLP 1.0."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": level.stix_marking_id,
        "created": TLP2_CREATED,
        "name": level.label,
        "extensions": {
            TLP2_EXTENSION_ID: {"extension_type": "property-extension", "tlp_2_0": level.value}
        },
    }


def identity_object(source: ExportSource) -> StixObject:
    """The STIX identity the hub's exports credit (an organisation or the hub)."""
    return _identity(source)


def _identity(source: ExportSource) -> StixObject:
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": f"identity--{source.id}",
        "created": IDENTITY_CREATED,
        "modified": IDENTITY_CREATED,
        "name": source.name,
        "identity_class": "organization",
    }


def _shared(report: ExportReport) -> StixObject:
    """Creator and times, worked out once per report rather than per value."""
    published, modified = disclosed_times(report)
    return {
        "created_by_ref": f"identity--{creator(report).id}",
        "created": stix_timestamp(published),
        "modified": stix_timestamp(modified),
    }


def _common(
    report: ExportReport, stix_type: str, uuid: UUID, shared: StixObject | None = None
) -> StixObject:
    """Properties every object of one report shares: creator, times, marking."""
    return {
        "type": stix_type,
        "spec_version": "2.1",
        "id": f"{stix_type}--{uuid}",
        **(shared or _shared(report)),
        "object_marking_refs": [report.tlp.stix_marking_id],
    }


def _indicator(
    report: ExportReport, indicator: ExportIndicator, shared: StixObject | None = None
) -> StixObject:
    obj = _common(report, "indicator", indicator_uuid(report, indicator), shared)
    obj.update(
        name=indicator.value,
        description=f"{_KIND_NAMES.get(indicator.kind, indicator.kind)} from: {report.title}",
        indicator_types=["malicious-activity"],
        pattern=stix_pattern(indicator),
        pattern_type="stix",
        valid_from=obj["created"],
        confidence=CONFIDENCE.get(report.confidence, 50),
    )
    return obj


def _vulnerability(
    report: ExportReport, indicator: ExportIndicator, shared: StixObject | None = None
) -> StixObject:
    cve = indicator.value.upper()
    obj = _common(report, "vulnerability", indicator_uuid(report, indicator), shared)
    obj.update(name=cve, external_references=[{"source_name": "cve", "external_id": cve}])
    return obj


def _description(report: ExportReport) -> str:
    parts = [report.summary.strip(), report.description.strip()]
    parts.append(f"Reported by: {report.source_label}")
    return "\n\n".join(part for part in parts if part)


def _report(report: ExportReport, refs: list[str]) -> StixObject:
    obj = _common(report, "report", report.id)
    specific = _REPORT_TYPES.get(report.threat_type)
    obj.update(
        name=report.title,
        description=_description(report),
        report_types=["threat-report", *([specific] if specific else [])],
        labels=[report.threat_type],
        published=obj["created"],
        confidence=CONFIDENCE.get(report.confidence, 50),
        # STIX needs at least one ref; a report without indicators is about its creator.
        object_refs=refs or [obj["created_by_ref"]],
    )
    return obj


def report_objects(report: ExportReport) -> list[StixObject]:
    """The report object followed by its indicators and vulnerabilities."""
    children: list[StixObject] = []
    shared = _shared(report)
    for indicator in report.indicators:
        if indicator.kind == "cve":
            children.append(_vulnerability(report, indicator, shared))
        else:
            children.append(_indicator(report, indicator, shared))
    unique = list({child["id"]: child for child in children}.values())
    return [_report(report, [child["id"] for child in unique]), *unique]


def report_bundle(reports: list[ExportReport], *, hub: ExportSource) -> dict[str, Any]:
    """One bundle for the given reports, already cut to what the reader may see.

    `hub` is the exporting hub: the bundle id is derived from it and the
    report ids, so exporting the same reports again gives the same bundle.
    Marking definitions and identities come first, each once.
    """
    ordered = export_order(reports)
    levels = sorted({report.tlp for report in ordered}, key=lambda level: level.rank)
    identities = {creator(report).id: creator(report) for report in ordered}
    objects: dict[str, StixObject] = {}
    for level in levels:
        objects[level.stix_marking_id] = tlp_marking_definition(level)
    for source_id in sorted(identities, key=str):
        objects[f"identity--{source_id}"] = _identity(identities[source_id])
    for report in ordered:
        for obj in report_objects(report):
            objects.setdefault(obj["id"], obj)
    bundle_key = ",".join(sorted(str(report.id) for report in ordered))
    return {
        "type": "bundle",
        "id": f"bundle--{derived_uuid(hub.id, 'bundle:' + bundle_key)}",
        "objects": list(objects.values()),
    }
