"""NVD CVE API 2.0 JSON: reader and evaluation of `configurations`.

NVD's analysts describe applicability as configurations of nodes: OR/AND over
CPE match criteria, each `vulnerable` or not, with version bounds, and `negate`
flags. An AND configuration whose second node is a non-vulnerable platform
means "vulnerable only when running on" that platform (a firmware on one
router model, an app on Windows). Ignoring that node is grype#1349's false
positive; assuming it holds is another. We evaluate with three values (true,
false, unknown): a platform the member's inventory does not mention is
unknown, so the verdict is "needs review", not "affected".
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import orjson

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.cpe import NA, Cpe, Relation, compare_attribute, parse_cpe
from openwarp.core.vulns.cvss import block_score
from openwarp.core.vulns.model import InventoryItem, Vulnerability, cpe_name_keys
from openwarp.core.vulns.names import NameKey
from openwarp.core.vulns.versions import Ordering, compare_versions, split_update

__all__ = [
    "Configuration",
    "CpeMatch",
    "Node",
    "Tri",
    "configurations_from_json",
    "configurations_to_json",
    "evaluate",
    "load_nvd",
]

_OTHER_ATTRS = ("edition", "language", "sw_edition", "target_sw", "target_hw", "other")


class Tri(Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CpeMatch:
    vulnerable: bool
    criteria: Cpe
    text: str
    start_including: str | None = None
    start_excluding: str | None = None
    end_including: str | None = None
    end_excluding: str | None = None

    @property
    def keys(self) -> frozenset[NameKey]:
        return cpe_name_keys(self.criteria)

    def describe(self) -> str:
        bounds = [
            f">= {self.start_including}" if self.start_including else "",
            f"> {self.start_excluding}" if self.start_excluding else "",
            f"<= {self.end_including}" if self.end_including else "",
            f"< {self.end_excluding}" if self.end_excluding else "",
        ]
        extra = " ".join(b for b in bounds if b)
        return f"{self.text} {extra}".strip()


@dataclass(frozen=True, slots=True)
class Node:
    operator: str
    negate: bool
    matches: tuple[CpeMatch, ...]


@dataclass(frozen=True, slots=True)
class Configuration:
    operator: str
    negate: bool
    nodes: tuple[Node, ...]

    def vulnerable_keys(self) -> frozenset[NameKey]:
        return frozenset(k for n in self.nodes for m in n.matches if m.vulnerable for k in m.keys)


# ----------------------------------------------------------------- reading


def load_nvd(paths: Iterable[str | Path]) -> dict[str, Vulnerability]:
    """Read NVD API 2.0 response files (optionally gzip); keyed by CVE id."""
    out: dict[str, Vulnerability] = {}
    for raw in paths:
        path = Path(raw)
        files = sorted(p for p in path.rglob("*.json*")) if path.is_dir() else [path]
        for file in files:
            for vuln in _read_file(file):
                out[vuln.cve_id] = vuln
    return out


def _read_file(file: Path) -> list[Vulnerability]:
    try:
        data = (
            gzip.decompress(file.read_bytes()) if file.name.endswith(".gz") else file.read_bytes()
        )
        doc = orjson.loads(data)
    except OSError as exc:
        raise InvalidInput(f"{file}: cannot read ({exc})", field="nvd") from None
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"{file}: broken JSON ({exc})", field="nvd") from None
    items = doc.get("vulnerabilities") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise InvalidInput(f"{file}: $.vulnerabilities: expected a list", field="nvd")
    return [_vulnerability(item, f"$.vulnerabilities[{i}]", file) for i, item in enumerate(items)]


def _fail(file: Path, path: str, message: str) -> InvalidInput:
    return InvalidInput(f"{file}: {path}: {message}", field="nvd")


def _vulnerability(item: Any, path: str, file: Path) -> Vulnerability:
    cve = item.get("cve") if isinstance(item, dict) else None
    if not isinstance(cve, dict) or not isinstance(cve.get("id"), str):
        raise _fail(file, f"{path}.cve.id", "missing")
    vuln = Vulnerability(cve_id=cve["id"], state=str(cve.get("vulnStatus", "")))
    for text in cve.get("descriptions") or []:
        if isinstance(text, dict) and str(text.get("lang", "")).startswith("en"):
            vuln.description = str(text.get("value", ""))
            break
    configs = cve.get("configurations") or []
    if not isinstance(configs, list):
        raise _fail(file, f"{path}.cve.configurations", "expected a list")
    vuln.configurations = [
        _configuration(c, f"{path}.cve.configurations[{i}]", file) for i, c in enumerate(configs)
    ]
    _nvd_metrics(vuln, cve.get("metrics") or {})
    if cve.get("cisaExploitAdd"):
        vuln.kev = True
        vuln.kev_date_added = str(cve["cisaExploitAdd"])
    return vuln


def _configuration(raw: Any, path: str, file: Path) -> Configuration:
    if not isinstance(raw, dict) or not isinstance(raw.get("nodes"), list):
        raise _fail(file, f"{path}.nodes", "expected a list")
    nodes = []
    for index, node in enumerate(raw["nodes"]):
        where = f"{path}.nodes[{index}]"
        if not isinstance(node, dict) or not isinstance(node.get("cpeMatch"), list):
            raise _fail(file, f"{where}.cpeMatch", "expected a list")
        operator = str(node.get("operator", "OR")).upper()
        if operator not in ("AND", "OR"):
            raise _fail(file, f"{where}.operator", f"{operator!r} is not AND or OR")
        matches = tuple(
            _cpe_match(m, f"{where}.cpeMatch[{j}]", file) for j, m in enumerate(node["cpeMatch"])
        )
        nodes.append(Node(operator, bool(node.get("negate", False)), matches))
    operator = str(raw.get("operator", "OR")).upper()
    return Configuration(operator, bool(raw.get("negate", False)), tuple(nodes))


def _cpe_match(raw: Any, path: str, file: Path) -> CpeMatch:
    if not isinstance(raw, dict) or not isinstance(raw.get("criteria"), str):
        raise _fail(file, f"{path}.criteria", "missing")
    if not isinstance(raw.get("vulnerable"), bool):
        raise _fail(file, f"{path}.vulnerable", "expected true or false")
    try:
        criteria = parse_cpe(raw["criteria"])
    except InvalidInput as exc:
        raise _fail(file, f"{path}.criteria", exc.message) from None
    return CpeMatch(
        vulnerable=raw["vulnerable"],
        criteria=criteria,
        text=raw["criteria"],
        start_including=raw.get("versionStartIncluding"),
        start_excluding=raw.get("versionStartExcluding"),
        end_including=raw.get("versionEndIncluding"),
        end_excluding=raw.get("versionEndExcluding"),
    )


def configurations_to_json(configs: Sequence[Configuration]) -> list[dict[str, Any]]:
    """Configurations back in NVD's own JSON shape, for storing beside a record."""
    bounds = (
        ("versionStartIncluding", "start_including"),
        ("versionStartExcluding", "start_excluding"),
        ("versionEndIncluding", "end_including"),
        ("versionEndExcluding", "end_excluding"),
    )
    out = []
    for config in configs:
        nodes = []
        for node in config.nodes:
            matches = []
            for match in node.matches:
                raw: dict[str, Any] = {"vulnerable": match.vulnerable, "criteria": match.text}
                raw.update({k: getattr(match, a) for k, a in bounds if getattr(match, a)})
                matches.append(raw)
            nodes.append({"operator": node.operator, "negate": node.negate, "cpeMatch": matches})
        out.append({"operator": config.operator, "negate": config.negate, "nodes": nodes})
    return out


def configurations_from_json(data: Sequence[Any], *, where: str = "stored") -> list[Configuration]:
    """Read configurations stored by `configurations_to_json` (or straight from NVD)."""
    return [_configuration(c, f"configurations[{i}]", Path(where)) for i, c in enumerate(data)]


def _nvd_metrics(vuln: Vulnerability, metrics: dict[str, Any]) -> None:
    for key in ("cvssMetricV40", "cvssMetricV31", "cvssMetricV30", "cvssMetricV2"):
        for metric in metrics.get(key) or []:
            data = metric.get("cvssData") if isinstance(metric, dict) else None
            score = block_score(data) if isinstance(data, dict) else None
            if isinstance(data, dict) and score is not None:
                vuln.cvss_score = score
                vuln.cvss_vector = data.get("vectorString")
                return


# -------------------------------------------------------------- evaluation


def _version_result(match: CpeMatch, item: InventoryItem) -> tuple[Tri, str]:
    wanted = match.criteria.version
    installed = item.effective_version
    if wanted is NA:
        if item.version_is_na:
            return Tri.TRUE, "the record names the product without a version"
        if not installed:
            return (
                Tri.UNKNOWN,
                "the record names the product without a version ('-'); the inventory gives none",
            )
        return Tri.FALSE, f"'-' in the record means no version, which does not cover {installed}"
    if not installed:
        return Tri.UNKNOWN, "the inventory row has no version"
    if isinstance(wanted, str):
        return _exact_version(match, installed)
    return _range_version(match, installed)


def _exact_version(match: CpeMatch, installed: str) -> tuple[Tri, str]:
    wanted, update = str(match.criteria.version), match.criteria.update
    base, _hotfix = split_update(installed)
    if isinstance(update, str):
        candidates = [(installed, f"{wanted}-{update}")]
    elif update is NA:
        candidates = [(installed, wanted)]
    else:
        candidates = [(installed, wanted), (base, wanted)]
    orders = [compare_versions(a, b) for a, b in candidates]
    if Ordering.EQUAL in orders:
        return Tri.TRUE, f"{installed} is {match.describe()}"
    if all(o is Ordering.INCOMPARABLE for o in orders):
        return Tri.UNKNOWN, f"cannot compare {installed} with {match.describe()}"
    return Tri.FALSE, f"{installed} is not {match.describe()}"


def _range_version(match: CpeMatch, installed: str) -> tuple[Tri, str]:
    checks = (
        (match.start_including, (Ordering.GREATER, Ordering.EQUAL)),
        (match.start_excluding, (Ordering.GREATER,)),
        (match.end_including, (Ordering.LESS, Ordering.EQUAL)),
        (match.end_excluding, (Ordering.LESS,)),
    )
    for bound, allowed in checks:
        if bound is None:
            continue
        order = compare_versions(installed, bound)
        if order is Ordering.INCOMPARABLE:
            return Tri.UNKNOWN, f"cannot compare {installed} with {bound} in {match.describe()}"
        if order not in allowed:
            return Tri.FALSE, f"{installed} is outside {match.describe()}"
    return Tri.TRUE, f"{installed} is within {match.describe()}"


def match_item(match: CpeMatch, item: InventoryItem) -> tuple[Tri, str]:
    """Does one match criterion cover one inventory row?"""
    differs = _other_product(match, item)
    return differs if differs is not None else _version_result(match, item)


def _other_product(match: CpeMatch, item: InventoryItem) -> tuple[Tri, str] | None:
    """Why the row is another product than the criterion names, or None if it is not."""
    if not (match.keys & item.keys):
        return Tri.FALSE, "different product"
    if item.cpe is not None:
        relation = compare_attribute(match.criteria.part, item.cpe.part)
        if relation is Relation.DISJOINT:
            return Tri.FALSE, "different CPE part"
        for attr in _OTHER_ATTRS:
            if (
                compare_attribute(getattr(match.criteria, attr), getattr(item.cpe, attr))
                is Relation.DISJOINT
            ):
                return Tri.FALSE, f"{attr} differs from {match.text}"
    return None


def _combine(operator: str, results: Sequence[tuple[Tri, str]]) -> tuple[Tri, str]:
    decisive = Tri.TRUE if operator == "OR" else Tri.FALSE
    for result in results:
        if result[0] is decisive:
            return result
    unknown = [r for r in results if r[0] is Tri.UNKNOWN]
    if unknown:
        return unknown[0]
    if operator == "AND" and results:
        return Tri.TRUE, "; ".join(r[1] for r in results if r[1])
    return results[-1] if results else (Tri.FALSE, "empty node")


def _negate(result: tuple[Tri, str], negate: bool) -> tuple[Tri, str]:
    if not negate or result[0] is Tri.UNKNOWN:
        return result
    flipped = Tri.FALSE if result[0] is Tri.TRUE else Tri.TRUE
    return flipped, f"not ({result[1]})"


def _platform(match: CpeMatch, others: Sequence[InventoryItem]) -> tuple[Tri, str]:
    """A non-vulnerable criterion is satisfied by any row of the same organisation."""
    relevant = [o for o in others if match.keys & o.keys]
    if not relevant:
        return Tri.UNKNOWN, f"running on {match.describe()}: platform not in the inventory"
    if match.criteria.version is NA:
        # A platform named without versions (`windows_server_2019:-`, a router model
        # `catalyst_9300:-`) is the product itself: any row of it, whatever version
        # or build it gives, is that platform.
        results = [_other_product(match, o) or (Tri.TRUE, "") for o in relevant]
    else:
        results = [match_item(match, o) for o in relevant]
    best = _combine("OR", results)
    if best[0] is Tri.TRUE:
        return Tri.TRUE, f"running on {match.describe()} (inventory row {relevant[0].row})"
    return best[0], f"running on {match.describe()}: {best[1]}"


def evaluate(
    config: Configuration, item: InventoryItem, others: Sequence[InventoryItem]
) -> tuple[Tri, str]:
    """Evaluate one configuration for `item`, with `others` (the same organisation's rows)
    standing in for the platform it runs on."""
    node_results = []
    for node in config.nodes:
        results = [
            match_item(m, item) if m.vulnerable else _platform(m, others) for m in node.matches
        ]
        node_results.append(_negate(_combine(node.operator, results), node.negate))
    return _negate(_combine(config.operator, node_results), config.negate)
