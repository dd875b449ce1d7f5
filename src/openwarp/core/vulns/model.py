"""The value objects shared by the readers and the matcher.

Readers keep the record's own version entries (CVE JSON 5 `versions` objects)
as they came, and the matcher interprets them when a product name matches:
loading 24,000 records then costs little more than parsing their JSON, and
interpretation happens only for the few entries that concern a member.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.cpe import Cpe, Logical, parse_cpe
from openwarp.core.vulns.names import NameKey, name_keys, squash

__all__ = [
    "AffectedProduct",
    "InventoryItem",
    "Judgement",
    "Verdict",
    "Vulnerability",
    "cpe_name_keys",
    "package_key",
]

PACKAGE_VENDOR = "~package"


class Verdict(StrEnum):
    AFFECTED = "affected"
    NOT_AFFECTED = "not_affected"
    NEEDS_REVIEW = "needs_review"


@dataclass(frozen=True, slots=True)
class Judgement:
    """A verdict with the plain-words reason and the evidence a reviewer would check."""

    verdict: Verdict
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)


def package_key(name: str) -> NameKey:
    """Key for package names (purl name, CNA `packageName`), which lack a vendor."""
    tail = name.replace(":", "/").rstrip("/").rsplit("/", 1)[-1]
    return (PACKAGE_VENDOR, squash(tail))


def cpe_name_keys(cpe: Cpe) -> frozenset[NameKey]:
    """Keys for a CPE's vendor and product; none when either is a wildcard or logical."""
    if isinstance(cpe.vendor, str) and isinstance(cpe.product, str):
        return name_keys(cpe.vendor.replace("_", " "), cpe.product.replace("_", " "))
    return frozenset()


@dataclass(slots=True)
class AffectedProduct:
    """One `affected` entry of a CVE record (from the CNA or an ADP container)."""

    source: str
    vendor: str
    product: str
    versions: list[dict[str, Any]]
    default_status: str = "unknown"
    cpes: tuple[str, ...] = ()
    package_name: str | None = None
    platforms: tuple[str, ...] = ()
    json_path: str = ""
    ecosystem: str | None = None  # the package registry the entry names (purl type)
    _keys: frozenset[NameKey] | None = None
    _parsed_cpes: tuple[Cpe, ...] | None = None

    @property
    def parsed_cpes(self) -> tuple[Cpe, ...]:
        """The entry's CPEs; a malformed one is skipped (CNAs send both 2.2 and 2.3)."""
        if self._parsed_cpes is None:
            out = []
            for text in self.cpes:
                try:
                    out.append(parse_cpe(text))
                except InvalidInput:
                    continue
            self._parsed_cpes = tuple(out)
        return self._parsed_cpes

    @property
    def keys(self) -> frozenset[NameKey]:
        if self._keys is None:
            keys = set(name_keys(self.vendor, self.product))
            for cpe in self.parsed_cpes:
                keys |= cpe_name_keys(cpe)
            if self.package_name:
                keys.add(package_key(self.package_name))
            self._keys = frozenset(keys)
        return self._keys

    def hardware_only(self) -> bool:
        """True when every CPE names hardware (part `h`), whose versions are usually `-`."""
        cpes = self.parsed_cpes
        return bool(cpes) and all(c.part == "h" for c in cpes)


@dataclass(slots=True)
class Vulnerability:
    """What the matcher and the priority score need to know about one CVE.

    `affected` may be built on first use: the CVE 5 reader checks a record's
    entries while loading but leaves turning them into `AffectedProduct`s to
    whoever reads them first, since most of 24,000 records are never read
    for a given inventory (see `defer_affected`)."""

    cve_id: str
    state: str = "PUBLISHED"
    description: str = ""
    configurations: list[Any] = field(default_factory=list)
    cvss_score: float | None = None
    cvss_vector: str | None = None
    ssvc_exploitation: str | None = None
    ssvc_automatable: str | None = None
    ssvc_technical_impact: str | None = None
    kev: bool = False
    kev_date_added: str | None = None
    epss: float | None = None
    epss_percentile: float | None = None
    _affected: list[AffectedProduct] | None = field(default=None, repr=False, compare=False)
    _build: Callable[[], list[AffectedProduct]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def affected(self) -> list[AffectedProduct]:
        entries = self._affected
        if entries is None:
            build, self._build = self._build, None
            entries = self._affected = build() if build is not None else []
        return entries

    @affected.setter
    def affected(self, entries: list[AffectedProduct]) -> None:
        self._affected, self._build = entries, None

    def defer_affected(self, build: Callable[[], list[AffectedProduct]]) -> None:
        """Have `affected` built by `build` when first read (the reader has already
        checked what `build` reads, so it cannot fail)."""
        self._affected, self._build = None, build


@dataclass(frozen=True, slots=True)
class InventoryItem:
    """One inventory row: a product a member runs, as typed or as CPE / purl."""

    row: int
    vendor: str = ""
    product: str = ""
    version: str = ""
    cpe: Cpe | None = None
    purl: str | None = None
    internet_facing: bool | None = None
    criticality: str | None = None
    count: int | None = None
    owner: str = ""
    org: str = ""
    keys: frozenset[NameKey] = frozenset()

    @property
    def effective_version(self) -> str:
        """The version to compare: typed, else from the CPE (version plus update)."""
        if self.version.strip():
            return self.version.strip()
        if self.cpe is not None and isinstance(self.cpe.version, str):
            update = self.cpe.update
            if isinstance(update, str) and update:
                return f"{self.cpe.version}-{update}"
            return self.cpe.version
        return ""

    @property
    def version_is_na(self) -> bool:
        """The row says explicitly that the product has no version (CPE `-`)."""
        return self.cpe is not None and self.cpe.version is Logical.NA and not self.version

    def label(self) -> str:
        if self.cpe is not None and not (self.vendor or self.product):
            return self.cpe.to_fs()
        if self.purl and not (self.vendor or self.product):
            return self.purl
        return " ".join(p for p in (self.vendor, self.product, self.effective_version) if p)
