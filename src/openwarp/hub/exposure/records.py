"""Translating between the pure core's objects and what the hub stores.

The core keeps each CVE's `affected` entries as they came; the hub stores the
same entries as compact JSON and rebuilds them for the matcher, so a stored
record judges exactly as the file it came from (`openwarp exposure match`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from openwarp.core.vulns.ecosystems import entry_ecosystem
from openwarp.core.vulns.inventory import make_item
from openwarp.core.vulns.model import AffectedProduct, Vulnerability, cpe_name_keys, package_key
from openwarp.core.vulns.model import InventoryItem as CoreItem
from openwarp.core.vulns.names import NameKey, name_keys

KEY_LENGTH = 300


def chunks(values: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    """Slices short enough for an `IN (...)` on any database we run on."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def key_text(key: NameKey) -> str:
    return "/".join(key)


def entry_to_json(entry: AffectedProduct) -> dict[str, Any]:
    """Only the fields the matcher reads; empty ones are left out to save space."""
    data: dict[str, Any] = {"s": entry.source, "v": entry.vendor, "p": entry.product}
    if entry.versions:
        data["ver"] = entry.versions
    if entry.default_status != "unknown":
        data["d"] = entry.default_status
    if entry.cpes:
        data["cpes"] = list(entry.cpes)
    if entry.package_name:
        data["pkg"] = entry.package_name
    if entry.platforms:
        data["pl"] = list(entry.platforms)
    if entry.ecosystem:
        data["eco"] = entry.ecosystem
    data["jp"] = entry.json_path
    return data


def entry_from_json(data: dict[str, Any]) -> AffectedProduct:
    return AffectedProduct(
        source=data["s"],
        vendor=data["v"],
        product=data["p"],
        versions=data.get("ver", []),
        default_status=data.get("d", "unknown"),
        cpes=tuple(data.get("cpes", ())),
        package_name=data.get("pkg"),
        platforms=tuple(data.get("pl", ())),
        json_path=data.get("jp", ""),
        # Records stored before the ecosystem was kept: what their versions still say.
        ecosystem=data["eco"] if "eco" in data else entry_ecosystem(None, data.get("ver", ())),
    )


def record_keys(vuln: Vulnerability) -> set[str]:
    """The index keys of a record: every alias of every product it names.

    The same keys as the core's `AffectedProduct.keys`, but a plain CPE 2.3 name
    is split rather than fully parsed: parsing every CPE of 24,000 records was
    most of the time a load took, and only vendor and product matter here."""
    keys: set[str] = set()
    for entry in vuln.affected:
        found = set(name_keys(entry.vendor, entry.product))
        unusual = False
        for text in entry.cpes:
            simple = _simple_cpe_keys(text)
            if simple is None:
                unusual = True
            else:
                found |= simple
        if unusual:  # escaped or old-style names: the core's full parser, once per entry
            for cpe in entry.parsed_cpes:
                found |= cpe_name_keys(cpe)
        if entry.package_name:
            found.add(package_key(entry.package_name))
        keys |= {key_text(k) for k in found}
    for config in vuln.configurations:
        keys |= {key_text(k) for k in config.vulnerable_keys()}
    return {k for k in keys if len(k) <= KEY_LENGTH}


def record_cpe_names(vuln: Vulnerability) -> set[tuple[str, str, str]]:
    """(part, vendor, product) of every plain CPE 2.3 name the record gives (its
    entries' CPEs and NVD's match criteria): the names suggestions are drawn from."""
    texts = [c for e in vuln.affected for c in e.cpes]
    texts += [m.text for c in vuln.configurations for n in c.nodes for m in n.matches]
    out = set()
    for text in texts:
        parts = text.split(":")
        if len(parts) != 13 or parts[:2] != ["cpe", "2.3"] or "\\" in text:
            continue
        part, vendor, product = parts[2], parts[3], parts[4]
        usable = vendor not in ("*", "-", "") and product not in ("*", "-", "")
        if part in ("a", "o", "h") and usable and max(len(vendor), len(product)) <= 200:
            out.add((part, vendor, product))
    return out


def _simple_cpe_keys(text: str) -> frozenset[NameKey] | None:
    """Keys of a plain CPE 2.3 name, or None when it needs the full parser."""
    parts = text.split(":")
    if len(parts) != 13 or parts[:2] != ["cpe", "2.3"] or "\\" in text:
        return None
    vendor, product = parts[3], parts[4]
    if vendor in ("*", "-", "") or product in ("*", "-", ""):
        return frozenset()
    return name_keys(vendor.replace("_", " "), product.replace("_", " "))


def kev_entry_keys(vendor_project: str, product: str) -> set[str]:
    return {key_text(k) for k in name_keys(vendor_project, product)}


def item_record(row: Any) -> dict[str, str]:
    """An inventory row as the text columns the core reader validates."""
    flag = "" if row.internet_facing is None else ("yes" if row.internet_facing else "no")
    return {
        "vendor": row.vendor,
        "product": row.product,
        "version": row.version,
        "cpe": row.cpe,
        "purl": row.purl,
        "internet_facing": flag,
        "criticality": row.criticality,
        "count": "" if row.count is None else str(row.count),
        "owner": row.owner,
        "org": "",
    }


def core_item(row: Any) -> CoreItem:
    """The matcher's view of a stored row: `row` is its primary key and `org` its
    organisation, so findings lead straight back to both."""
    item = make_item(row.pk, item_record(row))
    return CoreItem(
        row=row.pk,
        vendor=item.vendor,
        product=item.product,
        version=item.version,
        cpe=item.cpe,
        purl=item.purl,
        internet_facing=item.internet_facing,
        criticality=item.criticality,
        count=item.count,
        owner=item.owner,
        org=str(row.organisation_id),
        keys=item.keys,
    )


def may_name(row: Any, keys: set[str]) -> bool:
    """Cheap test before building the core item: can this row's product be one of
    `keys`? True when unsure (package URLs, unusual CPE names), so it never drops a
    row the matcher would match; it only spares parsing rows that cannot."""
    if row.purl:
        return True
    found = set(name_keys(row.vendor, row.product)) if row.vendor and row.product else set()
    if row.cpe:
        simple = _simple_cpe_keys(row.cpe)
        if simple is None:
            return True
        found |= simple
    return any(key_text(k) in keys for k in found)


def item_keys(items: Iterable[CoreItem]) -> set[str]:
    return {key_text(k) for item in items for k in item.keys}


def product_key(item: CoreItem) -> str:
    """One stable key per product, so rows of one product share one warning."""
    return key_text(min(item.keys))[:KEY_LENGTH]


def product_label(item: CoreItem) -> str:
    if item.vendor or item.product:
        return f"{item.vendor} {item.product}".strip()
    if item.cpe is not None:
        return f"{item.cpe.vendor} {item.cpe.product}"
    return item.purl or item.label()
