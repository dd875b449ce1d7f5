"""The matcher: which inventory rows does a vulnerability affect, and how urgently?

A region holds up to 25,000 organisations x 200 products, but few distinct
(product, version) pairs. The index therefore groups identical rows, indexes the
groups by normalised vendor/product keys, and judges each group once per CVE;
only the fan-out to rows (and the row's own exposure points) is per row. NVD
configurations with a "running on" platform are the exception: they depend on
what else the organisation runs, so those are judged row by row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from openwarp.core.vulns.affected import Interpreted, interpret, judge_version
from openwarp.core.vulns.ecosystems import of_registry, registry_type, scheme_of_ecosystem
from openwarp.core.vulns.liferay import LIFERAY, is_liferay, scoped_bound
from openwarp.core.vulns.model import (
    AffectedProduct,
    InventoryItem,
    Judgement,
    Verdict,
    Vulnerability,
)
from openwarp.core.vulns.names import NameKey
from openwarp.core.vulns.nvd import Tri, evaluate
from openwarp.core.vulns.priority import exposure_points, vulnerability_points
from openwarp.core.vulns.rpm import rpm_installed, rpm_streams
from openwarp.core.vulns.scheme_map import purl_scheme
from openwarp.core.vulns.versions import normalise_version

__all__ = ["Finding", "InventoryIndex", "judge_item"]

_NO_VERSION = frozenset({"-", "n/a", "", "unspecified"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One judged (inventory row, vulnerability) pair, ready to show or store."""

    item: InventoryItem
    cve_id: str
    verdict: Verdict
    reason: str
    priority: float
    evidence: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.item.row,
            "org": self.item.org or None,
            "cve": self.cve_id,
            "verdict": str(self.verdict),
            "reason": self.reason,
            "priority": self.priority,
            "product": self.item.label(),
            "evidence": self.evidence,
        }


def _group_key(item: InventoryItem) -> tuple[Any, ...]:
    cpe_rest = item.cpe.values()[4:] if item.cpe is not None else None
    return (
        item.keys,
        normalise_version(item.effective_version),
        item.version_is_na,
        cpe_rest,
        item.cpe.part if item.cpe is not None else None,
        ("purl", purl_scheme(item.purl), registry_type(item.purl)) if item.purl else None,
    )


class InventoryIndex:
    """Inventory rows grouped by identical product and version, indexed by name key."""

    def __init__(self, items: Iterable[InventoryItem]) -> None:
        self.items: list[InventoryItem] = list(items)
        slots: dict[tuple[Any, ...], int] = {}
        self.group_rows: list[list[int]] = []
        self.group_item: list[InventoryItem] = []
        self.by_key: dict[NameKey, list[int]] = defaultdict(list)
        self.by_org: dict[str, list[int]] = defaultdict(list)
        for position, item in enumerate(self.items):
            self.by_org[item.org].append(position)
            key = _group_key(item)
            group = slots.get(key)
            if group is None:
                group = slots[key] = len(self.group_rows)
                self.group_rows.append([])
                self.group_item.append(item)
                for name_key in item.keys:
                    self.by_key[name_key].append(group)
            self.group_rows[group].append(position)

    def _candidates(self, vuln: Vulnerability) -> dict[int, list[AffectedProduct]]:
        found: dict[int, list[AffectedProduct]] = {}
        by_key = self.by_key
        for entry in vuln.affected:
            for key in entry.keys:
                for group in by_key.get(key, ()):
                    bucket = found.setdefault(group, [])
                    if not bucket or bucket[-1] is not entry:
                        bucket.append(entry)
        return found

    def _config_groups(self, vuln: Vulnerability) -> set[int]:
        groups: set[int] = set()
        for config in vuln.configurations:
            for key in config.vulnerable_keys():
                groups.update(self.by_key.get(key, ()))
        return groups

    def judge_groups(self, vuln: Vulnerability) -> Iterator[tuple[int, Judgement | None]]:
        """(group, judgement) for every group the vulnerability names; None means the
        verdict depends on each row's organisation (a "running on" configuration)."""
        per_row = _has_platform_nodes(vuln)
        config_groups = self._config_groups(vuln) if vuln.configurations else set()
        candidates = self._candidates(vuln)
        for group in config_groups | set(candidates):
            if group in config_groups and per_row:
                yield group, None
                continue
            item = self.group_item[group]
            yield (
                group,
                judge_item(
                    vuln,
                    item,
                    candidates.get(group, []),
                    configured=group in config_groups,
                    others=(item,),
                ),
            )

    def match_rows(
        self, vuln: Vulnerability, *, include_not_affected: bool = False
    ) -> Iterator[tuple[int, Judgement, float]]:
        """(row position, judgement, priority) for every row the vulnerability concerns."""
        base = vulnerability_points(vuln).total
        for group, judgement in self.judge_groups(vuln):
            for position in self.group_rows[group]:
                item = self.items[position]
                verdict = judgement or self._judge_in_org(vuln, item)
                if verdict.verdict is Verdict.NOT_AFFECTED and not include_not_affected:
                    continue
                yield (
                    position,
                    verdict,
                    round(base + exposure_points(item.internet_facing, item.criticality), 1),
                )

    def _judge_in_org(self, vuln: Vulnerability, item: InventoryItem) -> Judgement:
        others = [self.items[p] for p in self.by_org[item.org]]
        entries = [e for e in vuln.affected if e.keys & item.keys]
        return judge_item(vuln, item, entries, configured=True, others=others)

    def match(self, vuln: Vulnerability, *, include_not_affected: bool = False) -> list[Finding]:
        """Findings for one vulnerability, highest priority first."""
        out = [
            Finding(self.items[pos], vuln.cve_id, j.verdict, j.reason, prio, j.evidence)
            for pos, j, prio in self.match_rows(vuln, include_not_affected=include_not_affected)
        ]
        out.sort(key=lambda f: (-f.priority, f.item.row))
        return out


def _has_platform_nodes(vuln: Vulnerability) -> bool:
    return any(not m.vulnerable for c in vuln.configurations for n in c.nodes for m in n.matches)


def judge_item(
    vuln: Vulnerability,
    item: InventoryItem,
    entries: list[AffectedProduct],
    *,
    configured: bool,
    others: Iterable[InventoryItem],
) -> Judgement:
    """Verdict for one row: NVD configurations first (analyst-curated, and the only
    source of "running on" conditions), then the CNA's own entries, then ADP ones."""
    if configured:
        judgement = _judge_configurations(vuln, item, list(others))
        if judgement is not None:
            return judgement
    return _judge_entries(item, entries)


def _judge_configurations(
    vuln: Vulnerability, item: InventoryItem, others: list[InventoryItem]
) -> Judgement | None:
    results = []
    for index, config in enumerate(vuln.configurations):
        if not (config.vulnerable_keys() & item.keys):
            continue
        tri, reason = evaluate(config, item, others)
        results.append((tri, reason, index))
    if not results:
        return None
    for wanted, verdict in ((Tri.TRUE, Verdict.AFFECTED), (Tri.UNKNOWN, Verdict.NEEDS_REVIEW)):
        for tri, reason, index in results:
            if tri is wanted:
                return Judgement(verdict, reason, {"source": "nvd", "configuration": index})
    return Judgement(Verdict.NOT_AFFECTED, results[0][1], {"source": "nvd"})


def _judge_entries(item: InventoryItem, entries: list[AffectedProduct]) -> Judgement:
    row_type = registry_type(item.purl)
    if row_type is not None and entries:
        kept = of_registry(entries, row_type)
        if not kept:
            return _other_ecosystem(entries, row_type)
        entries = kept
    by_source: dict[str, list[AffectedProduct]] = {}
    for entry in entries:
        by_source.setdefault(entry.source, []).append(entry)
    order = sorted(by_source, key=_source_rank)
    fallback: Judgement | None = None
    for source in order:
        judgement = _judge_source(item, source, by_source[source])
        if judgement.verdict is not Verdict.NEEDS_REVIEW:
            if fallback is not None:
                judgement.evidence["other_sources"] = fallback.evidence.get("source")
            return judgement
        fallback = fallback or judgement
    if fallback is None:
        return Judgement(Verdict.NOT_AFFECTED, "the record does not name this product", {})
    return fallback


def _other_ecosystem(entries: list[AffectedProduct], row_type: str) -> Judgement:
    """A package of the same name in another registry is another package."""
    entry = next(e for e in entries if e.ecosystem)
    name = entry.package_name or entry.product
    return Judgement(
        Verdict.NOT_AFFECTED,
        f"the record names {name} as a package of {entry.ecosystem}; "
        f"this row's package is from {row_type} ({entry.source})",
        {"source": entry.source, "record_ecosystem": entry.ecosystem, "json_path": entry.json_path},
    )


def _source_rank(source: str) -> tuple[int, str]:
    """The CNA's record first, then the vendor's CSAF advisories, then ADP and KEV."""
    if source == "cna":
        return (0, source)
    return (1 if source.startswith("csaf:") else 2, source)


def _judge_source(item: InventoryItem, source: str, entries: list[AffectedProduct]) -> Judgement:
    judgement = _judge_listed(item, source, entries)
    streams = rpm_streams(item, entries)
    if streams is None or judgement.verdict is not Verdict.NOT_AFFECTED:
        return judgement
    # Cleared by the merged list: every stream must clear the row on its own.
    judged = {name: _judge_listed(item, source, group) for name, group in sorted(streams.items())}
    others = {n: j for n, j in judged.items() if j.verdict is not Verdict.NOT_AFFECTED}
    if not others:
        return judgement
    name, first = next(iter(others.items()))
    return Judgement(
        Verdict.NEEDS_REVIEW,
        f"the record lists this package for {len(judged)} product streams, and under "
        f"{len(others)} of them this build is not cleared ({name}: {first.reason}); "
        "the package URL does not say which stream it is from",
        {**first.evidence, "streams": {n: str(j.verdict) for n, j in judged.items()}},
    )


def _judge_listed(item: InventoryItem, source: str, entries: list[AffectedProduct]) -> Judgement:
    versions = _interpreted(entries)
    # An entry given only as git commits has a default for commit space, not releases.
    defaults = {e.default_status for e in entries if not _git_only(e)}
    default = defaults.pop() if len(defaults) == 1 else "unknown"
    installed = rpm_installed(item, entries)
    evidence: dict[str, Any] = {
        "source": source,
        "record_product": f"{entries[0].vendor} {entries[0].product}".strip(),
        "json_path": entries[0].json_path,
        "matched_on": sorted("/".join(k) for k in (entries[0].keys & item.keys))[:3],
    }
    if entries[0].cpes:
        evidence["record_cpes"] = list(entries[0].cpes[:3])
    if not installed:
        judgement = _judge_without_version(item, entries, [v for e in entries for v in e.versions])
    else:
        judgement = judge_version(
            versions,
            default,
            installed,
            is_purl=item.purl is not None,
            row_scheme=purl_scheme(item.purl),
        )
    evidence.update(judgement.evidence)
    return Judgement(judgement.verdict, f"{judgement.reason} ({source})", evidence)


_CACHE: dict[tuple[int, ...], tuple[list[AffectedProduct], Interpreted]] = {}


def _interpreted(entries: list[AffectedProduct]) -> Interpreted:
    """Interpret the merged versions once per set of entries, not once per group: a
    national inventory holds hundreds of versions of the same appliance."""
    key = tuple(id(e) for e in entries)
    hit = _CACHE.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], entries, strict=True)):
        return hit[1]
    if len(_CACHE) > 4096:
        _CACHE.clear()
    result = interpret([v for e in entries for v in _typed_versions(e)])
    _CACHE[key] = (list(entries), result)
    return result


def _typed_versions(entry: AffectedProduct) -> list[dict[str, Any]]:
    """The entry's versions, each without a `versionType` given its registry's ordering
    (a `collectionURL` of https://pypi.org means PEP 440 versions); Liferay's `maven`
    label is read as Liferay's own release order (`liferay.py`)."""
    if is_liferay(entry.vendor):
        return [_liferay_typed(v) for v in entry.versions]
    scheme = scheme_of_ecosystem(entry.ecosystem)
    if scheme is None:
        return entry.versions
    return [v if v.get("versionType") else {**v, "versionType": scheme} for v in entry.versions]


def _liferay_typed(version: dict[str, Any]) -> dict[str, Any]:
    if str(version.get("versionType", "")).strip().lower() != "maven":
        return version
    out = {**version, "versionType": LIFERAY}
    for bound in ("lessThan", "lessThanOrEqual"):
        if isinstance(out.get(bound), str) and isinstance(out.get("version"), str):
            out[bound] = scoped_bound(out["version"], out[bound])
    return out


def _git_only(entry: AffectedProduct) -> bool:
    return bool(entry.versions) and all(
        str(v.get("versionType", "")).lower() == "git" for v in entry.versions
    )


def _judge_without_version(
    item: InventoryItem, entries: list[AffectedProduct], versions: list[dict[str, Any]]
) -> Judgement:
    unversioned = versions and all(
        str(v.get("version", "")).strip().lower() in _NO_VERSION
        and "lessThan" not in v
        and "lessThanOrEqual" not in v
        for v in versions
    )
    if (
        unversioned
        and all(str(v.get("status")) == "affected" for v in versions)
        and (item.version_is_na or all(e.hardware_only() for e in entries))
    ):
        return Judgement(
            Verdict.AFFECTED, "the record lists this model as affected, without versions", {}
        )
    return Judgement(
        Verdict.NEEDS_REVIEW, "the product matches but the inventory row gives no version", {}
    )
