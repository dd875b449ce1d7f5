"""Merging a load into what is stored: CVE 5 records, NVD configurations, CSAF.

Each source may arrive on its own (the CVE 5 delta hourly, NVD daily, an
advisory when the vendor publishes it), so a load never drops what another
source said about the same CVE: reloading a CVE 5 record keeps the stored NVD
configurations and CSAF entries, an NVD file changes only the configurations
(and a missing CVSS score), and an advisory replaces only its own entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openwarp.core.vulns.model import AffectedProduct
from openwarp.core.vulns.model import Vulnerability as CoreVulnerability
from openwarp.core.vulns.nvd import configurations_from_json
from openwarp.hub.exposure.records import entry_from_json


@dataclass(slots=True)
class Incoming:
    """What one load says about one CVE, by source."""

    record: CoreVulnerability | None = None
    nvd: CoreVulnerability | None = None
    csaf: list[CoreVulnerability] = field(default_factory=list)


def gather(
    records: Iterable[CoreVulnerability],
    nvd: dict[str, CoreVulnerability],
    csaf: Iterable[CoreVulnerability],
) -> tuple[dict[str, Incoming], list[str]]:
    """Incoming data per CVE id, and the ids the CVE 5 files mark rejected."""
    incoming: dict[str, Incoming] = {}
    rejected: list[str] = []
    for record in records:
        if record.state == "PUBLISHED":
            incoming.setdefault(record.cve_id, Incoming()).record = record
        else:
            rejected.append(record.cve_id)
    for cve_id, extra in nvd.items():
        if extra.state.lower() != "rejected":
            incoming.setdefault(cve_id, Incoming()).nvd = extra
    for advisory in csaf:
        incoming.setdefault(advisory.cve_id, Incoming()).csaf.append(advisory)
    return incoming, rejected


def stored_vulnerability(row: Any) -> CoreVulnerability:
    """A stored row rebuilt as the core object (no KEV/EPSS: those are folded in later)."""
    vuln = CoreVulnerability(
        cve_id=row.cve_id,
        description=row.description,
        configurations=configurations_from_json(row.configurations, where=row.cve_id),
        cvss_score=row.cvss_score,
        cvss_vector=row.cvss_vector or None,
        ssvc_exploitation=row.ssvc_exploitation or None,
        ssvc_automatable=row.ssvc_automatable or None,
        ssvc_technical_impact=row.ssvc_technical_impact or None,
    )
    vuln.affected = [entry_from_json(e) for e in row.affected]
    return vuln


def _advisory_of(entry: AffectedProduct) -> str | None:
    """CSAF entries carry "<advisory id>: <JSON path>" as their path."""
    if not entry.source.startswith("csaf:"):
        return None
    return entry.json_path.split(": ", 1)[0]


def merged(cve_id: str, new: Incoming, old: CoreVulnerability | None) -> CoreVulnerability:
    """The record to store for `cve_id`: the new data over the stored copy."""
    if new.record is not None:
        base = new.record
        if old is not None:
            base.affected.extend(e for e in old.affected if e.source.startswith("csaf:"))
            base.configurations = base.configurations or old.configurations
    elif old is not None:
        base = old
    else:
        source = new.nvd or new.csaf[0]
        base = CoreVulnerability(cve_id=cve_id, description=source.description)
    for advisory in new.csaf:
        ids = {_advisory_of(e) for e in advisory.affected}
        base.affected = [e for e in base.affected if _advisory_of(e) not in ids]
    for advisory in new.csaf:
        base.affected.extend(advisory.affected)
        _fill_score(base, advisory)
    if new.nvd is not None:
        base.configurations = new.nvd.configurations
        base.description = base.description or new.nvd.description
        _fill_score(base, new.nvd)
    return base


def _fill_score(base: CoreVulnerability, extra: CoreVulnerability) -> None:
    if base.cvss_score is None and extra.cvss_score is not None:
        base.cvss_score, base.cvss_vector = extra.cvss_score, extra.cvss_vector
