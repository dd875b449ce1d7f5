"""Loading vulnerability data: CVE JSON 5 records, NVD CVE API 2.0 files, CSAF 2.0
advisories, the KEV catalogue and EPSS scores.

Every file is read and checked before anything is written, and the writes run
in one transaction: a broken file (named with its path, line or JSON path by
the core readers) leaves the stored data exactly as it was. The KEV catalogue
is compared with the one stored before, so newly listed CVEs can raise alerts;
the first catalogue ever loaded is the baseline and raises none. Sources of
one CVE are merged with what is stored (see `merge.py`), so the evidence of
each stays on the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import PermissionDenied
from openwarp.core.vulns.csaf import load_csaf
from openwarp.core.vulns.cve5 import load_cve5
from openwarp.core.vulns.feeds import EpssTable, KevCatalogue, load_epss, load_kev
from openwarp.core.vulns.model import Vulnerability as CoreVulnerability
from openwarp.core.vulns.nvd import configurations_to_json, load_nvd
from openwarp.hub.audit.services import audit_record
from openwarp.hub.exposure.merge import gather, merged, stored_vulnerability
from openwarp.hub.exposure.models import (
    CpeName,
    DataLoad,
    EpssScore,
    KevEntry,
    ProductKey,
    Vulnerability,
)
from openwarp.hub.exposure.records import chunks, entry_to_json, record_cpe_names, record_keys
from openwarp.hub.members.policy.exposure import may_load_vulnerability_data
from openwarp.hub.members.policy_adapters import viewer_for

BATCH = 1000
DESCRIPTION_LENGTH = 2000


def vulnerability_data_load(
    *,
    actor: Any | None,
    cve5_paths: Sequence[str | Path] = (),
    nvd_paths: Sequence[str | Path] = (),
    csaf_paths: Sequence[str | Path] = (),
    kev_path: str | Path | None = None,
    epss_path: str | Path | None = None,
) -> DataLoad:
    """Import the given files; `actor` None is the operator at the command line."""
    _require_loader(actor)
    records = load_cve5(cve5_paths).records if cve5_paths else []
    nvd = load_nvd(nvd_paths) if nvd_paths else {}
    csaf = load_csaf(csaf_paths) if csaf_paths else []
    kev = load_kev(kev_path) if kev_path is not None else None
    epss = load_epss(epss_path) if epss_path is not None else None
    sources = [str(p) for p in (*cve5_paths, *nvd_paths, *csaf_paths, kev_path, epss_path) if p]
    return vulnerability_data_store(
        actor=actor, records=records, nvd=nvd, csaf=csaf, kev=kev, epss=epss, sources=sources
    )


def _require_loader(actor: Any | None) -> None:
    if actor is not None and not may_load_vulnerability_data(viewer_for(actor)):
        raise PermissionDenied("only the hub's coordinators load vulnerability data")


@transaction.atomic
def vulnerability_data_store(
    *,
    actor: Any | None,
    records: Sequence[CoreVulnerability] = (),
    nvd: dict[str, CoreVulnerability] | None = None,
    csaf: Sequence[CoreVulnerability] = (),
    kev: KevCatalogue | None = None,
    epss: EpssTable | None = None,
    sources: Sequence[str] = (),
) -> DataLoad:
    """Store feeds already read and checked, in one transaction (the demo passes a
    subset of the real records this way)."""
    _require_loader(actor)
    load = DataLoad(by=actor, sources=list(sources))
    load.cve_records = _store_records(list(records), nvd or {}, list(csaf), list(sources))
    if kev is not None:
        load.kev_version = kev.version
        load.kev_added, load.kev_removed = _store_kev(kev)
    if epss is not None:
        load.epss_date, load.epss_scores = epss.score_date, _store_epss(epss)
    load.save()
    audit_record(
        actor=actor,
        action="exposure.data_load",
        target=load,
        details={
            "cve_records": load.cve_records,
            "kev_version": load.kev_version,
            "kev_added": len(load.kev_added),
            "kev_removed": len(load.kev_removed),
            "epss_scores": load.epss_scores,
            "sources": load.sources,
        },
    )
    return load


def _store_records(
    records: list[CoreVulnerability],
    nvd: dict[str, CoreVulnerability],
    csaf: list[CoreVulnerability],
    sources: list[str],
) -> int:
    """Replace the stored copy of every CVE in the files, merged with what other
    sources said before; CVEs the CVE 5 files mark rejected are removed."""
    incoming, rejected = gather(records, nvd, csaf)
    ids = sorted(incoming)
    old: dict[str, CoreVulnerability] = {}
    for chunk in chunks(ids):
        for row in Vulnerability.objects.filter(cve_id__in=chunk):
            old[row.cve_id] = stored_vulnerability(row)
    for chunk in chunks(ids + rejected):
        Vulnerability.objects.filter(cve_id__in=chunk).delete()
        ProductKey.objects.filter(cve_id__in=chunk).delete()
    now = timezone.now()
    source = ", ".join(sources)[:500]
    rows: list[Vulnerability] = []
    keys: list[ProductKey] = []
    names: set[tuple[str, str, str]] = set()
    for cve_id in ids:
        record = merged(cve_id, incoming[cve_id], old.get(cve_id))
        rows.append(_row(record, now, source))
        keys.extend(ProductKey(key=k, cve_id=record.cve_id) for k in sorted(record_keys(record)))
        names |= record_cpe_names(record)
        if len(rows) >= BATCH:
            _flush(rows, keys)
    _flush(rows, keys)
    _store_cpe_names(names)
    return len(ids)


def _store_cpe_names(names: set[tuple[str, str, str]]) -> None:
    CpeName.objects.bulk_create(
        [CpeName(part=p, vendor=v, product=n) for p, v, n in sorted(names)],
        batch_size=BATCH * 5,
        ignore_conflicts=True,
    )


def _row(record: CoreVulnerability, now: Any, source: str) -> Vulnerability:
    return Vulnerability(
        cve_id=record.cve_id,
        description=record.description[:DESCRIPTION_LENGTH],
        affected=[entry_to_json(e) for e in record.affected],
        configurations=configurations_to_json(record.configurations),
        cvss_score=record.cvss_score,
        cvss_vector=(record.cvss_vector or "")[:200],
        ssvc_exploitation=record.ssvc_exploitation or "",
        ssvc_automatable=record.ssvc_automatable or "",
        ssvc_technical_impact=record.ssvc_technical_impact or "",
        source_file=source,
        loaded_at=now,
    )


def _flush(rows: list[Vulnerability], keys: list[ProductKey]) -> None:
    Vulnerability.objects.bulk_create(rows, batch_size=BATCH)
    ProductKey.objects.bulk_create(keys, batch_size=BATCH * 5)
    rows.clear()
    keys.clear()


def _store_kev(kev: KevCatalogue) -> tuple[list[str], list[str]]:
    """Replace the stored catalogue; return (added, removed) CVE ids against the old one."""
    before = set(KevEntry.objects.values_list("cve_id", flat=True))
    fresh = set(
        KevEntry.objects.filter(listed_after_baseline=True).values_list("cve_id", flat=True)
    )
    added = sorted(set(kev.entries) - before) if before else []
    fresh |= set(added)
    KevEntry.objects.all().delete()
    KevEntry.objects.bulk_create(
        [
            KevEntry(
                cve_id=e.cve_id,
                vendor_project=e.vendor_project[:200],
                product=e.product[:200],
                name=e.name[:500],
                date_added=e.date_added,
                due_date=e.due_date,
                required_action=e.required_action,
                ransomware=e.ransomware[:20],
                listed_after_baseline=e.cve_id in fresh,
            )
            for e in kev.entries.values()
        ],
        batch_size=BATCH,
    )
    return added, sorted(before - set(kev.entries))


def _store_epss(epss: EpssTable) -> int:
    EpssScore.objects.all().delete()
    EpssScore.objects.bulk_create(
        [
            EpssScore(cve_id=cve, probability=s.probability, percentile=s.percentile)
            for cve, s in epss.scores.items()
        ],
        batch_size=BATCH * 5,
    )
    return len(epss.scores)
