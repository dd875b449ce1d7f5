"""The part of the CVE JSON 5 schema the reader relies on, as msgspec structs.

Decoding a record into these types checks, in msgspec's C decoder and in one
pass, every field the matcher will read (each `versions` object's `status` and
`version` among them), and skips without building anything the fields it never
reads (references, problem types, credits, timelines, solutions...). That is
why loading costs about what plain parsing does (ADR 0203). A field we read is
held to the type the CVE 5 schema gives it; a fault comes back as a JSON path
(`schema_fault`), which the reader names beside the file and line.
"""

from __future__ import annotations

import re
from typing import Any, NotRequired, TypedDict

import msgspec

__all__ = [
    "Change",
    "Container",
    "CvssBlock",
    "Entry",
    "Metric",
    "OtherMetric",
    "Record",
    "VersionObject",
    "kev_decoder",
    "record_decoder",
    "schema_fault",
    "ssvc_decoder",
]


class Change(TypedDict):
    at: str
    status: str


class VersionObject(TypedDict):
    """One `versions` object, decoded as the plain dict the matcher and the hub read
    (msgspec checks the keys it declares and drops any others)."""

    version: str
    status: str
    versionType: NotRequired[str | None]
    lessThan: NotRequired[str | None]
    lessThanOrEqual: NotRequired[str | None]
    changes: NotRequired[list[Change] | None]


# gc=False: the structs hold only strings, numbers, plain dicts and tuples of each
# other, never a cycle, so the cyclic collector need not track the hundreds of
# thousands a load makes. The `affected` entries, their CPEs and platforms are
# tuples for the same reason (the collector stops tracking a tuple of untracked
# items): a collector that rescans them made building the entries later twice as slow.
class Entry(msgspec.Struct, gc=False):
    """One `affected` entry."""

    vendor: str | None = None
    product: str | None = None
    versions: list[VersionObject] | None = None
    defaultStatus: str | None = None
    cpes: tuple[str, ...] | None = None
    packageName: str | None = None
    platforms: tuple[str, ...] | None = None
    collectionURL: str | None = None


class CvssBlock(msgspec.Struct, gc=False):
    baseScore: float | None = None
    vectorString: str | None = None


class OtherMetric(msgspec.Struct, gc=False):
    """`other` metrics: CISA's SSVC decision points and KEV flag, publishers' own
    ratings. `content` is free-form in the schema: it is kept as JSON text and
    decoded (`ssvc_decoder`, `kev_decoder`) only for the types we read."""

    type: str = ""
    content: msgspec.Raw = msgspec.Raw(b"null")


class SsvcOption(msgspec.Struct, gc=False):
    """One SSVC decision point, under the names CISA's Vulnrichment gives them."""

    exploitation: Any = msgspec.field(default=None, name="Exploitation")
    automatable: Any = msgspec.field(default=None, name="Automatable")
    technical_impact: Any = msgspec.field(default=None, name="Technical Impact")


class SsvcContent(msgspec.Struct, gc=False):
    options: list[SsvcOption] | None = None


class KevContent(msgspec.Struct, gc=False):
    dateAdded: Any = None


class Metric(msgspec.Struct, gc=False):
    cvssV4_0: CvssBlock | None = None
    cvssV3_1: CvssBlock | None = None
    cvssV3_0: CvssBlock | None = None
    cvssV2_0: CvssBlock | None = None
    other: OtherMetric | None = None


class Description(msgspec.Struct, gc=False):
    lang: str
    value: str


class Provider(msgspec.Struct, gc=False):
    shortName: str | None = None


class Container(msgspec.Struct, gc=False):
    """The CNA container or one ADP container."""

    descriptions: list[Description] | None = None
    affected: tuple[Entry, ...] | None = None
    metrics: list[Metric] | None = None
    title: str | None = None
    providerMetadata: Provider | None = None


class Containers(msgspec.Struct, gc=False):
    cna: Container | None = None  # required for published records; the reader checks
    adp: list[Container] | None = None


class Metadata(msgspec.Struct, gc=False):
    cveId: str
    state: str


class Record(msgspec.Struct, gc=False):
    cveMetadata: Metadata
    containers: Containers
    dataType: str = ""  # checked by the reader, so its message names the field


record_decoder = msgspec.json.Decoder(Record)
ssvc_decoder = msgspec.json.Decoder(SsvcContent)
kev_decoder = msgspec.json.Decoder(KevContent)

_FAULT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_MISSING = re.compile(r"^Object missing required field `(?P<field>[^`]+)`$")
_EXPECTED = re.compile(r"^Expected `(?P<want>[^`]+)`, got `(?P<got>[^`]+)`$")
_TYPE_NAMES = {"array": "list", "object": "object", "str": "str", "float": "number"}


def schema_fault(exc: msgspec.ValidationError) -> tuple[str, str]:
    """(JSON path, message) of a validation error, in the reader's own words:
    `containers.cna.affected[0].versions[3].status`, "expected str, got int"."""
    found = _FAULT.match(str(exc))
    message, path = (found["message"], found["path"] or "") if found else (str(exc), "")
    path = path.removeprefix(".")
    missing = _MISSING.match(message)
    if missing:
        field = missing["field"]
        return (f"{path}.{field}" if path else field), "missing"
    expected = _EXPECTED.match(message)
    if expected:
        wants = [w for w in expected["want"].split(" | ") if w != "null"]
        want = " or ".join(_TYPE_NAMES.get(w, w) for w in wants)
        got = _TYPE_NAMES.get(expected["got"], expected["got"])
        if not path and want == "object":
            return "$", f"a CVE record must be a JSON object, got {got}"
        return (path or "$"), f"expected {want}, got {got}"
    return (path or "$"), message
