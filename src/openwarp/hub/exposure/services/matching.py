"""Re-matching inventories against the stored vulnerability data.

The pure-core matcher does the judging; this module picks what to judge and
keeps the warnings table in step. Only CVEs whose indexed vendor/product keys
meet an inventory key are read, so re-matching one organisation or one new
CVE touches a handful of records. Warnings are upserted by (organisation, CVE,
product): re-matching changes verdict, priority and due date but never the
status a member set; a warning whose match disappears is made inactive, not
deleted, so its history and remediation time survive.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.matcher import Finding, InventoryIndex
from openwarp.core.vulns.model import AffectedProduct, Verdict
from openwarp.core.vulns.model import InventoryItem as CoreItem
from openwarp.core.vulns.model import Vulnerability as CoreVulnerability
from openwarp.hub.exposure import rules
from openwarp.hub.exposure.merge import stored_vulnerability
from openwarp.hub.exposure.models import (
    EpssScore,
    ExposureWarning,
    InventoryItem,
    KevEntry,
    ProductKey,
    Vulnerability,
)
from openwarp.hub.exposure.records import (
    chunks,
    core_item,
    item_keys,
    kev_entry_keys,
    may_name,
    product_key,
    product_label,
)

# What a re-match may change; status fields are the member's and never touched.
# `matched_at` is when the match last changed.
_MATCHED_FIELDS = [
    "product_label",
    "verdict",
    "reason",
    "evidence",
    "priority",
    "kev",
    "internet_facing",
    "action",
    "due_rule",
    "due_at",
    "active",
    "matched_at",
]
GENERIC_ACTION = (
    "Apply the vendor's fixed version or documented mitigation, then record "
    "the status here. See the advisories below and the CVE record's references."
)


@dataclass
class _Draft:
    organisation_id: int
    cve_id: str
    product_key: str
    product_label: str
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RematchResult:
    created: list[ExposureWarning]
    updated: int
    deactivated: int


def _core_items(
    organisation_ids: Collection[int] | None, cve_ids: Collection[str] | None
) -> list[CoreItem]:
    """The rows to judge; for a few CVEs, only rows that can name their products."""
    rows = InventoryItem.objects.all()
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=list(organisation_ids))
    wanted = _cve_keys(cve_ids) if cve_ids is not None else None
    items = []
    for row in rows.iterator(chunk_size=2000):
        if wanted is not None and not may_name(row, wanted):
            continue
        try:
            items.append(core_item(row))
        except InvalidInput:
            continue  # rows are validated on the way in; a later rule change skips, not fails
    return items


def _cve_keys(cve_ids: Collection[str]) -> set[str]:
    keys: set[str] = set()
    for chunk in chunks(sorted(cve_ids)):
        keys.update(ProductKey.objects.filter(cve_id__in=chunk).values_list("key", flat=True))
        for kev in KevEntry.objects.filter(cve_id__in=chunk, listed_after_baseline=True):
            keys |= kev_entry_keys(kev.vendor_project, kev.product)
    return keys


def _candidate_cves(keys: set[str], cve_ids: Collection[str] | None) -> set[str]:
    found: set[str] = set()
    wanted = sorted(keys)
    for chunk in chunks(wanted):
        query = ProductKey.objects.filter(key__in=chunk)
        if cve_ids is not None:
            query = query.filter(cve_id__in=list(cve_ids))
        found.update(query.values_list("cve_id", flat=True))
    for kev in _kev_only(cve_ids):
        if kev_entry_keys(kev.vendor_project, kev.product) & keys:
            found.add(kev.cve_id)
    return found


def _kev_only(cve_ids: Collection[str] | None) -> list[KevEntry]:
    """KEV entries listed since the hub's first catalogue whose CVE record is not
    loaded: KEV names the product, so they warn (as "needs review") at once rather
    than wait for the record. Older entries without a record are not guessed at."""
    query = KevEntry.objects.filter(listed_after_baseline=True).exclude(
        cve_id__in=Vulnerability.objects.values("cve_id")
    )
    if cve_ids is not None:
        query = query.filter(cve_id__in=list(cve_ids))
    return list(query)


def core_vulnerabilities(cve_ids: Iterable[str]) -> list[CoreVulnerability]:
    """Stored records rebuilt for the matcher, with KEV and EPSS folded in."""
    ids = sorted(set(cve_ids))
    out: dict[str, CoreVulnerability] = {}
    kev: dict[str, KevEntry] = {}
    epss: dict[str, EpssScore] = {}
    for chunk in chunks(ids):
        for row in Vulnerability.objects.filter(cve_id__in=chunk):
            out[row.cve_id] = stored_vulnerability(row)
        kev.update({k.cve_id: k for k in KevEntry.objects.filter(cve_id__in=chunk)})
        epss.update({e.cve_id: e for e in EpssScore.objects.filter(cve_id__in=chunk)})
    for cve_id, entry in kev.items():
        vuln = out.get(cve_id)
        if vuln is None:
            vuln = out[cve_id] = CoreVulnerability(cve_id=cve_id, description=entry.name)
            vuln.affected = [
                AffectedProduct(
                    source="kev", vendor=entry.vendor_project, product=entry.product, versions=[]
                )
            ]
        vuln.kev, vuln.kev_date_added = True, entry.date_added
    for cve_id, score in epss.items():
        if cve_id in out:
            out[cve_id].epss, out[cve_id].epss_percentile = score.probability, score.percentile
    return [out[c] for c in ids if c in out]


def _drafts(items: list[CoreItem], vulns: list[CoreVulnerability]) -> dict[tuple[Any, ...], _Draft]:
    index = InventoryIndex(items)
    drafts: dict[tuple[Any, ...], _Draft] = {}
    for vuln in vulns:
        for finding in index.match(vuln):
            item = finding.item
            key = (int(item.org), vuln.cve_id, product_key(item))
            draft = drafts.get(key)
            if draft is None:
                draft = drafts[key] = _Draft(
                    int(item.org), vuln.cve_id, key[2], product_label(item)[:300]
                )
            draft.findings.append(finding)
    return drafts


@transaction.atomic
def exposure_rematch(
    *, organisation_ids: Collection[int] | None = None, cve_ids: Collection[str] | None = None
) -> RematchResult:
    """Re-match the given organisations (default all) against the given CVEs
    (default all stored) and bring their warnings up to date."""
    items = _core_items(organisation_ids, cve_ids)
    cves = _candidate_cves(item_keys(items), cve_ids)
    vulns = {v.cve_id: v for v in core_vulnerabilities(cves)}
    drafts = _drafts(items, list(vulns.values()))
    existing = ExposureWarning.objects.select_for_update()
    if organisation_ids is not None:
        existing = existing.filter(organisation_id__in=list(organisation_ids))
    if cve_ids is not None:
        existing = existing.filter(cve_id__in=list(cve_ids))
    now = timezone.now()
    overrides = getattr(settings, "EXPOSURE_DUE_HOURS", None)
    kev_actions: dict[str, str] = {}
    for chunk in chunks(sorted(vulns)):
        kev_actions.update(
            KevEntry.objects.filter(cve_id__in=chunk).values_list("cve_id", "required_action")
        )
    created: list[ExposureWarning] = []
    changed: list[ExposureWarning] = []
    gone: list[int] = []
    seen: set[tuple[Any, ...]] = set()
    for warning in existing:
        key = (warning.organisation_id, warning.cve_id, warning.product_key)
        draft = drafts.get(key)
        if draft is None:
            if warning.active:
                gone.append(warning.pk)
            continue
        seen.add(key)
        before = _signature(warning)
        _fill(warning, draft, vulns[draft.cve_id], kev_actions, now, overrides)
        if _signature(warning) != before:
            changed.append(warning)
    for key, draft in drafts.items():
        if key in seen:
            continue
        warning = ExposureWarning(
            organisation_id=draft.organisation_id,
            cve_id=draft.cve_id,
            product_key=draft.product_key,
            first_seen_at=now,
        )
        _fill(warning, draft, vulns[draft.cve_id], kev_actions, now, overrides)
        created.append(warning)
    for chunk in chunks(gone):
        ExposureWarning.objects.filter(pk__in=chunk).update(active=False)
    ExposureWarning.objects.bulk_update(changed, _MATCHED_FIELDS, batch_size=500)
    ExposureWarning.objects.bulk_create(created, batch_size=500)
    return RematchResult(created, len(changed), len(gone))


def _signature(warning: ExposureWarning) -> tuple[Any, ...]:
    """What a re-match may change, to skip writing warnings that stay the same."""
    return tuple(getattr(warning, f) for f in _MATCHED_FIELDS if f != "matched_at")


def _fill(
    warning: ExposureWarning,
    draft: _Draft,
    vuln: CoreVulnerability,
    kev_actions: dict[str, str],
    now: Any,
    overrides: Any,
) -> None:
    findings = sorted(draft.findings, key=lambda f: (-f.priority, f.item.row))
    top = next((f for f in findings if f.verdict is Verdict.AFFECTED), findings[0])
    facing = any(f.item.internet_facing for f in findings) or (
        None if all(f.item.internet_facing is None for f in findings) else False
    )
    rule = rules.due_rule(kev=vuln.kev, internet_facing=facing)
    warning.due_at = rules.due_at(
        rule=rule,
        first_seen=warning.first_seen_at,
        now=now,
        previous_rule=warning.due_rule or None,
        previous_due=warning.due_at if warning.pk else None,
        overrides=overrides,
    )
    warning.due_rule = rule
    warning.product_label = draft.product_label
    warning.verdict = str(top.verdict)
    warning.reason = top.reason[:500]
    warning.priority = findings[0].priority
    warning.kev = vuln.kev
    warning.internet_facing = facing
    warning.action = kev_actions.get(vuln.cve_id) or GENERIC_ACTION
    warning.evidence = {
        **top.evidence,
        "keys": sorted({"/".join(k) for f in findings for k in f.item.keys})[:20],
        "rows": [
            {
                "id": f.item.row,
                "label": f.item.label(),
                "verdict": str(f.verdict),
                "reason": f.reason,
                "priority": f.priority,
            }
            for f in findings[:50]
        ],
        "cvss": vuln.cvss_score,
        "epss": vuln.epss,
        "ssvc_exploitation": vuln.ssvc_exploitation,
    }
    warning.active = True
    warning.matched_at = now
