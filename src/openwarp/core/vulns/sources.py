"""Putting the feeds together: one Vulnerability per CVE from every source loaded.

CVE JSON 5 records carry the vendor's own statement; CSAF advisories add the
vendor's product status (as further `affected` entries, each naming its
advisory); NVD adds analyst-curated configurations; KEV and EPSS add
exploitation evidence. Each fills only what the
others leave empty, so the evidence a member sees is never silently replaced.
"""

from __future__ import annotations

from collections.abc import Iterable

from openwarp.core.vulns.feeds import EpssTable, KevCatalogue
from openwarp.core.vulns.model import Vulnerability

__all__ = ["combine_sources"]


def combine_sources(
    records: Iterable[Vulnerability],
    *,
    nvd: dict[str, Vulnerability] | None = None,
    csaf: Iterable[Vulnerability] = (),
    kev: KevCatalogue | None = None,
    epss: EpssTable | None = None,
) -> list[Vulnerability]:
    """Merge per CVE id; rejected records are dropped, NVD-only CVEs are kept."""
    merged: dict[str, Vulnerability] = {}
    for vuln in records:
        if vuln.state == "PUBLISHED":
            merged[vuln.cve_id] = vuln
    for advisory in csaf:
        first = merged.setdefault(advisory.cve_id, advisory)
        if first is not advisory:
            first.affected.extend(advisory.affected)
            if first.cvss_score is None:
                first.cvss_score, first.cvss_vector = advisory.cvss_score, advisory.cvss_vector
    for cve_id, extra in (nvd or {}).items():
        base = merged.get(cve_id)
        if base is None:
            merged[cve_id] = extra
            continue
        base.configurations = extra.configurations
        if base.cvss_score is None:
            base.cvss_score, base.cvss_vector = extra.cvss_score, extra.cvss_vector
        base.kev = base.kev or extra.kev
        base.kev_date_added = base.kev_date_added or extra.kev_date_added
    for vuln in merged.values():
        if kev is not None and vuln.cve_id in kev.entries:
            vuln.kev = True
            vuln.kev_date_added = kev.entries[vuln.cve_id].date_added
        if epss is not None and vuln.cve_id in epss.scores:
            score = epss.scores[vuln.cve_id]
            vuln.epss, vuln.epss_percentile = score.probability, score.percentile
    return list(merged.values())
