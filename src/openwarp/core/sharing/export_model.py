"""What an export needs to know about a report, already cut to what the
reader may see. Exporters never look further than this: the hub decides
visibility and anonymity before building it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from openwarp.core.tlp import TLP


@dataclass(frozen=True, slots=True)
class ExportIndicator:
    kind: (
        str  # domain, ipv4, ipv6, cidr, url, md5, sha1, sha256, email, ip-port, filename, asn, cve
    )
    value: str  # normalised, as stored by the hub


@dataclass(frozen=True, slots=True)
class ExportSource:
    """The publishing organisation, or None when the reader may not know it."""

    id: UUID  # stable per organisation and hub
    name: str


@dataclass(frozen=True, slots=True)
class ExportReport:
    id: UUID
    title: str
    summary: str
    description: str  # Markdown
    threat_type: str
    confidence: str  # confirmed, probable, possible, doubtful
    tlp: TLP
    published: datetime  # timezone-aware UTC; day precision when the source is hidden
    modified: datetime
    source: ExportSource | None
    source_label: str  # "Derby City Council" or "a district council in the East Midlands"
    hub_identity: ExportSource  # the hub itself, used as creator when the source is hidden
    indicators: list[ExportIndicator] = field(default_factory=list)
    revision: int = 0  # how many times values were added after publication
