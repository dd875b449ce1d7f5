"""Shared reports as MISP events and as a MISP feed directory.

Many members and the national CSIRTs run MISP, so a report has to arrive there
as a native event: MISP attribute types and categories, the `tlp:` tags MISP's
taxonomy uses, and an `Orgc` that is the real publisher only when the reader
may know it. The feed is laid out exactly as PyMISP's `to_feed()` and MISP's
feed generator write it, so a MISP instance can subscribe to a directory of
these files. The anonymity rules (hub as creator, day-only timestamps, order by
what is disclosed) are the STIX exporter's, imported from there.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from openwarp.core.errors import InvalidInput
from openwarp.core.sharing.export_model import ExportIndicator, ExportReport, ExportSource
from openwarp.core.sharing.stix_export import (
    asn_number,
    creator,
    derived_uuid,
    disclosed_times,
    export_order,
    indicator_uuid,
)
from openwarp.core.tlp import TLP

type MispDict = dict[str, Any]

# kind -> (MISP type, category, to_ids), following MISP's describeTypes defaults.
_ATTRIBUTE_TYPES: dict[str, tuple[str, str, bool]] = {
    "domain": ("domain", "Network activity", True),
    "hostname": ("hostname", "Network activity", True),
    "ipv4": ("ip-dst", "Network activity", True),
    "ipv6": ("ip-dst", "Network activity", True),
    "cidr": ("ip-dst", "Network activity", True),
    "url": ("url", "Network activity", True),
    "md5": ("md5", "Payload delivery", True),
    "sha1": ("sha1", "Payload delivery", True),
    "sha256": ("sha256", "Payload delivery", True),
    "email": ("email-src", "Payload delivery", True),
    "filename": ("filename", "Payload delivery", True),
    "ip-port": ("ip-dst|port", "Network activity", True),
    # Context rather than something to alert on: MISP's defaults say so too.
    "asn": ("AS", "Network activity", False),
    "cve": ("vulnerability", "External analysis", False),
}

# MISP's tlp taxonomy names; colours are FIRST's TLP 2.0 ones.
_TLP_TAGS: dict[TLP, tuple[str, str]] = {
    TLP.CLEAR: ("tlp:clear", "#ffffff"),
    TLP.GREEN: ("tlp:green", "#33ff00"),
    TLP.AMBER: ("tlp:amber", "#ffc000"),
    TLP.AMBER_STRICT: ("tlp:amber+strict", "#ffc000"),
    TLP.RED: ("tlp:red", "#ff2b2b"),
}

# How far the reader's MISP may pass the event on, from the TLP it carries:
# 0 own organisation, 2 connected communities (federated hubs), 3 everyone.
_DISTRIBUTION = {TLP.CLEAR: 3, TLP.GREEN: 2, TLP.AMBER: 0, TLP.AMBER_STRICT: 0, TLP.RED: 0}

# The Admiralty credibility taxonomy, which MISP ships, carries confidence.
_CREDIBILITY = {"confirmed": "1", "probable": "2", "possible": "3", "doubtful": "4"}

_UNDEFINED_THREAT_LEVEL = "4"  # the hub records no severity
_ANALYSIS_COMPLETED, _ANALYSIS_ONGOING = "2", "1"


def _epoch(moment: datetime) -> str:
    """MISP timestamps: whole seconds since 1970, written as a string."""
    return str(int(moment.timestamp()))


def _tag(name: str, colour: str = "#ffffff") -> MispDict:
    return {"name": name, "colour": colour, "local": False, "relationship_type": ""}


def _tags(report: ExportReport) -> list[MispDict]:
    tags = [_tag(*_TLP_TAGS[report.tlp])]
    credibility = _CREDIBILITY.get(report.confidence)
    if credibility:
        tags.append(_tag(f'admiralty-scale:information-credibility="{credibility}"'))
    tags.append(_tag(f'openwarp:threat-type="{report.threat_type}"'))
    return tags


def attribute_value(indicator: ExportIndicator) -> str:
    """The value as MISP stores it for the attribute's type."""
    kind, value = indicator.kind, indicator.value
    if kind == "asn":
        return str(asn_number(value))  # MISP keeps AS numbers without the prefix
    if kind == "cve":
        return value.upper()
    if kind in ("md5", "sha1", "sha256"):
        return value.lower()
    if kind == "ip-port":
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit():
            raise InvalidInput(f"{value!r} is not address:port", field="indicators")
        return f"{host.removeprefix('[').removesuffix(']')}|{int(port)}"
    return value


def _attribute(report: ExportReport, indicator: ExportIndicator, stamp: str) -> MispDict:
    try:
        misp_type, category, to_ids = _ATTRIBUTE_TYPES[indicator.kind]
    except KeyError:
        raise InvalidInput(
            f"cannot export indicators of kind {indicator.kind!r}", field="indicators"
        ) from None
    return {
        "uuid": str(indicator_uuid(report, indicator)),
        "type": misp_type,
        "category": category,
        "value": attribute_value(indicator),
        "to_ids": to_ids,
        "comment": "",
        "timestamp": stamp,
        "disable_correlation": False,
        "distribution": "5",  # inherit the event's
    }


def _event_report(report: ExportReport, stamp: str) -> MispDict:
    """The Markdown narrative, which MISP holds as an event report."""
    parts = [report.summary.strip(), report.description.strip()]
    parts.append(f"Reported by: {report.source_label}")
    return {
        "uuid": str(derived_uuid(report.id, "event-report")),
        "name": report.title,
        "content": "\n\n".join(part for part in parts if part),
        "timestamp": stamp,
        "distribution": "5",
    }


def misp_event(report: ExportReport) -> MispDict:
    """One report as MISP event JSON (`{"Event": {...}}`), ready for MISP's
    import or PyMISP's `MISPEvent.load`."""
    published, modified = disclosed_times(report)
    stamp = _epoch(modified)
    source = creator(report)
    attributes = {
        attribute["uuid"]: attribute
        for attribute in (_attribute(report, item, stamp) for item in report.indicators)
    }
    event: MispDict = {
        "uuid": str(report.id),
        "info": report.title,
        "date": published.date().isoformat(),
        "threat_level_id": _UNDEFINED_THREAT_LEVEL,
        "analysis": _ANALYSIS_COMPLETED if report.confidence == "confirmed" else _ANALYSIS_ONGOING,
        "distribution": str(_DISTRIBUTION[report.tlp]),
        "published": True,
        "timestamp": stamp,
        "publish_timestamp": _epoch(published),
        "extends_uuid": "",
        "protected": False,
        "Orgc": {"uuid": str(source.id), "name": source.name},
        "Tag": _tags(report),
        "Attribute": list(attributes.values()),
        "EventReport": [_event_report(report, stamp)],
    }
    return {"Event": event}


def _feed_event(report: ExportReport) -> MispDict:
    """The event as `to_feed()` writes it: distribution stays with the
    publisher, so it is dropped from the event, attributes and report."""
    event = misp_event(report)["Event"]
    event.pop("distribution")
    for item in (*event["Attribute"], *event["EventReport"]):
        item.pop("distribution")
    return event


def _manifest_entry(event: MispDict) -> MispDict:
    """What a subscriber reads before fetching the event; numbers stay numbers
    here, as PyMISP's manifest writes them."""
    entry = {key: event[key] for key in ("Orgc", "Tag", "info", "date")}
    for key in ("analysis", "threat_level_id", "timestamp"):
        entry[key] = int(event[key])
    return entry


def _value_hashes(attribute: MispDict) -> list[str]:
    """MD5 of each part of the value, as MISP's feed cache looks values up."""
    parts = attribute["value"].split("|") if "|" in attribute["type"] else [attribute["value"]]
    return [hashlib.md5(part.encode(), usedforsecurity=False).hexdigest() for part in parts]


def misp_feed(reports: list[ExportReport], *, hub: ExportSource) -> dict[str, str]:
    """The files of a MISP feed directory: `manifest.json`, one `<uuid>.json`
    per event and `hashes.csv`, keyed by file name.

    Each event names its own creator (`Orgc`), so `hub`, the exporting hub, is
    not written: the feed format has no place for the publisher of a feed.
    """
    del hub  # accepted so every exporter is called the same way
    files: dict[str, str] = {}
    manifest: dict[str, MispDict] = {}
    hashes: list[str] = []
    for report in export_order(reports):
        event = _feed_event(report)
        files[f"{event['uuid']}.json"] = json.dumps({"Event": event}, ensure_ascii=False)
        manifest[event["uuid"]] = _manifest_entry(event)
        for attribute in event["Attribute"]:
            hashes.extend(f"{digest},{event['uuid']}" for digest in _value_hashes(attribute))
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False)
    files["hashes.csv"] = "".join(f"{line}\n" for line in hashes)
    return files
