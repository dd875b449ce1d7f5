"""CSAF 2.0 security advisories: the vendor's own word on which products are hit.

A CSAF document names products once, in its `product_tree` (vendor, product
name and version branches, full product names, and relationships such as
"installed on"), under short product ids; each entry of `vulnerabilities`
then lists those ids under `product_status` (known affected, fixed, known not
affected, ...). We turn every CVE of the advisory into `AffectedProduct`
entries shaped like CVE JSON 5 `versions` (status, version, `lessThan`), so
the matcher reads an advisory exactly as it reads a record, and each entry
carries the advisory id and JSON path as its evidence. CPE and purl come from
`product_identification_helper`; version ranges from `product_version_range`
branches (`vers:` strings, or a bare `<`, `<=`, `>=` bound).

Bad input is named by file and JSON path, and one bad document rejects the load.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.cvss import block_score
from openwarp.core.vulns.ecosystems import registry_type
from openwarp.core.vulns.model import AffectedProduct, Vulnerability
from openwarp.core.vulns.scheme_map import purl_scheme
from openwarp.core.vulns.vers import parse_vers

__all__ = ["CsafProduct", "load_csaf", "read_csaf_document"]

_CVE_ID = re.compile(r"^CVE-\d{4}-\d{4,}$")
# product_status lists, and the version status each gives the product.
_STATUSES = {
    "known_affected": "affected",
    "first_affected": "affected",
    "last_affected": "affected",
    "fixed": "unaffected",
    "first_fixed": "unaffected",
    "known_not_affected": "unaffected",
}
_BARE_RANGE = re.compile(r"^\s*(<=|<|>=|>)\s*(\S.*?)\s*$")


@dataclass(slots=True)
class CsafProduct:
    """What a product id stands for, gathered from the branches above it."""

    product_id: str
    vendor: str = ""
    product: str = ""
    version: str = ""
    version_range: str = ""
    cpe: str = ""
    purl: str = ""
    platform: str = ""
    path: str = ""
    extra: dict[str, str] = field(default_factory=dict)


class _Bad(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")


def load_csaf(paths: Iterable[str | Path]) -> list[Vulnerability]:
    """Read CSAF 2.0 files (optionally gzip) or directories of them; every CVE of
    every advisory becomes one Vulnerability holding the advisory's entries."""
    out: list[Vulnerability] = []
    for file in _files(paths):
        try:
            doc = orjson.loads(_read(file))
        except orjson.JSONDecodeError as exc:
            raise InvalidInput(f"{file}: broken JSON ({exc})", field="csaf") from None
        try:
            out.extend(read_csaf_document(doc))
        except _Bad as exc:
            raise InvalidInput(f"{file}: {exc}", field="csaf") from None
    return out


def _files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.json*") if p.is_file())
        elif path.is_file():
            yield path
        else:
            raise InvalidInput(f"{path}: no such file or directory", field="csaf")


def _read(file: Path) -> bytes:
    try:
        data = file.read_bytes()
        return gzip.decompress(data) if file.name.endswith(".gz") else data
    except (OSError, EOFError) as exc:
        raise InvalidInput(f"{file}: cannot read ({exc})", field="csaf") from None


def _need(obj: Any, key: str, path: str, kind: type) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise _Bad(f"{path}.{key}", "missing")
    if not isinstance(obj[key], kind):
        raise _Bad(f"{path}.{key}", f"expected {'text' if kind is str else kind.__name__}")
    return obj[key]


def read_csaf_document(doc: Any) -> list[Vulnerability]:
    """One parsed CSAF document to Vulnerabilities; raises _Bad with a JSON path."""
    if not isinstance(doc, dict):
        raise _Bad("$", "a CSAF document must be a JSON object")
    document = _need(doc, "document", "$", dict)
    version = _need(document, "csaf_version", "$.document", str)
    if version != "2.0":
        raise _Bad("$.document.csaf_version", f"{version!r} is not 2.0")
    tracking = _need(document, "tracking", "$.document", dict)
    advisory = _need(tracking, "id", "$.document.tracking", str)
    publisher = _need(document, "publisher", "$.document", dict)
    source = f"csaf:{_need(publisher, 'name', '$.document.publisher', str)}"
    products = _product_tree(doc.get("product_tree"))
    vulns = doc.get("vulnerabilities") or []
    if not isinstance(vulns, list):
        raise _Bad("$.vulnerabilities", "expected list")
    out = []
    for index, item in enumerate(vulns):
        vuln = _vulnerability(item, f"$.vulnerabilities[{index}]", products, advisory, source)
        if vuln is not None:
            out.append(vuln)
    return out


# ---------------------------------------------------------------- product tree


def _product_tree(tree: Any) -> dict[str, CsafProduct]:
    if tree is None:
        return {}
    if not isinstance(tree, dict):
        raise _Bad("$.product_tree", "expected object")
    found: dict[str, CsafProduct] = {}
    _walk(tree.get("branches") or [], "$.product_tree.branches", CsafProduct(""), found)
    for index, full in enumerate(tree.get("full_product_names") or []):
        _leaf(full, f"$.product_tree.full_product_names[{index}]", CsafProduct(""), found)
    for index, relation in enumerate(tree.get("relationships") or []):
        _relationship(relation, f"$.product_tree.relationships[{index}]", found)
    return found


def _walk(branches: Any, path: str, above: CsafProduct, found: dict[str, CsafProduct]) -> None:
    if not isinstance(branches, list):
        raise _Bad(path, "expected list")
    for index, branch in enumerate(branches):
        where = f"{path}[{index}]"
        category = _need(branch, "category", where, str)
        name = _need(branch, "name", where, str)
        here = CsafProduct("", above.vendor, above.product, above.version, above.version_range)
        if category == "vendor":
            here.vendor = name
        elif category in ("product_name", "product_family"):
            here.product = (
                f"{here.product} {name}".strip() if category == "product_family" else name
            )
        elif category == "product_version":
            here.version = name
        elif category == "product_version_range":
            here.version_range = name
        if "product" in branch:
            _leaf(branch["product"], f"{where}.product", here, found)
        if "branches" in branch:
            _walk(branch["branches"], f"{where}.branches", here, found)


def _leaf(raw: Any, path: str, above: CsafProduct, found: dict[str, CsafProduct]) -> None:
    product_id = _need(raw, "product_id", path, str)
    name = _need(raw, "name", path, str)
    product = CsafProduct(
        product_id,
        above.vendor,
        above.product or name,
        above.version,
        above.version_range,
        path=path,
    )
    helper = raw.get("product_identification_helper") or {}
    if not isinstance(helper, dict):
        raise _Bad(f"{path}.product_identification_helper", "expected object")
    for key in ("cpe", "purl"):
        if key in helper and not isinstance(helper[key], str):
            raise _Bad(f"{path}.product_identification_helper.{key}", "expected text")
    product.cpe, product.purl = helper.get("cpe", ""), helper.get("purl", "")
    _from_cpe(product, named_by_branch=bool(above.product))
    found[product_id] = product


def _from_cpe(product: CsafProduct, *, named_by_branch: bool) -> None:
    """Fill what the branches left blank from a CPE 2.3 name (a full product name
    such as "Cisco IOS XE 17.3.1" is a label; the CPE says vendor and product)."""
    parts = product.cpe.split(":")
    if len(parts) != 13 or parts[:2] != ["cpe", "2.3"] or "\\" in product.cpe:
        return
    if not product.vendor and parts[3] not in ("*", "-"):
        product.vendor = parts[3].replace("_", " ")
    if not named_by_branch and parts[4] not in ("*", "-"):
        product.product = parts[4].replace("_", " ")
    if not product.version and not product.version_range and parts[5] not in ("*", ""):
        product.version = parts[5] if parts[5] != "-" else ""


def _relationship(raw: Any, path: str, found: dict[str, CsafProduct]) -> None:
    """`A installed_on B` (or a component of B) is product A, when running on B."""
    full = _need(raw, "full_product_name", path, dict)
    product_id = _need(full, "product_id", f"{path}.full_product_name", str)
    ref = _need(raw, "product_reference", path, str)
    on = _need(raw, "relates_to_product_reference", path, str)
    if ref not in found:
        raise _Bad(f"{path}.product_reference", f"{ref!r} is not in the product tree")
    base = found[ref]
    platform = found.get(on)
    found[product_id] = CsafProduct(
        product_id,
        base.vendor,
        base.product,
        base.version,
        base.version_range,
        base.cpe,
        base.purl,
        platform=(f"{platform.vendor} {platform.product}".strip() if platform else on),
        path=path,
    )


# ------------------------------------------------------------- vulnerabilities


def _vulnerability(
    item: Any, path: str, products: dict[str, CsafProduct], advisory: str, source: str
) -> Vulnerability | None:
    if not isinstance(item, dict):
        raise _Bad(path, "expected object")
    cve = item.get("cve")
    if cve is None:
        return None  # advisories may describe flaws without a CVE; we key on CVEs
    if not isinstance(cve, str) or not _CVE_ID.match(cve):
        raise _Bad(f"{path}.cve", f"{cve!r} is not a CVE id")
    status = item.get("product_status") or {}
    if not isinstance(status, dict):
        raise _Bad(f"{path}.product_status", "expected object")
    grouped: dict[tuple[str, str, str], AffectedProduct] = {}
    for key, meaning in _STATUSES.items():
        ids = status.get(key) or []
        where = f"{path}.product_status.{key}"
        if not isinstance(ids, list):
            raise _Bad(where, "expected list")
        for index, product_id in enumerate(ids):
            if not isinstance(product_id, str) or product_id not in products:
                raise _Bad(f"{where}[{index}]", f"{product_id!r} is not in the product tree")
            product = products[product_id]
            entry = _entry_for(grouped, product, source, f"{advisory}: {where}")
            entry.versions.extend(_versions(product, meaning, f"{where}[{index}]"))
    vuln = Vulnerability(cve_id=cve, description=_title(item))
    vuln.affected.extend(grouped.values())
    _scores(vuln, item.get("scores"))
    return vuln


def _entry_for(
    grouped: dict[tuple[str, str, str], AffectedProduct],
    product: CsafProduct,
    source: str,
    json_path: str,
) -> AffectedProduct:
    key = (product.vendor, product.product, product.platform)
    entry = grouped.get(key)
    if entry is None:
        cpe = product.cpe
        generic = ":".join([*cpe.split(":")[:5], *["*"] * 8]) if cpe.count(":") == 12 else cpe
        entry = grouped[key] = AffectedProduct(
            source=source,
            vendor=product.vendor,
            product=product.product,
            versions=[],
            cpes=(generic,) if generic else (),
            package_name=_purl_name(product.purl),
            platforms=(product.platform,) if product.platform else (),
            json_path=json_path,
            ecosystem=registry_type(product.purl),
        )
    return entry


def _purl_name(purl: str) -> str | None:
    if not purl.startswith("pkg:"):
        return None
    return purl.split("@", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1] or None


def _versions(product: CsafProduct, status: str, path: str) -> list[dict[str, Any]]:
    """CVE JSON 5 style version objects for one product id under one status."""
    if product.version_range:
        return _range(product.version_range, status, product.path or path)
    if product.version:
        scheme = purl_scheme(product.purl)  # an exact version is in its purl's scheme too
        typed = {"versionType": scheme} if scheme else {}
        return [{"status": status, "version": product.version, **typed}]
    return [{"status": status, "version": "*"}]  # the product as a whole


def _range(text: str, status: str, path: str) -> list[dict[str, Any]]:
    bare = _BARE_RANGE.match(text)
    if bare and not text.startswith("vers:"):
        op, version = bare.groups()
        return [_bound(op, version, status)]
    try:
        vers = parse_vers(text.strip())
    except InvalidInput as exc:
        raise _Bad(path, f"version range {text!r}: {exc.message}") from None
    out: list[dict[str, Any]] = []
    lower: str | None = None
    # The scheme travels as CVE 5 `versionType`, so the matcher orders in it.
    scheme = {"versionType": vers.scheme}
    for op, version in vers.constraints:
        if op == "*":
            out.append({"status": status, "version": "*", **scheme})
        elif op in (">=", ">"):
            lower = version
            if op == ">" and status == "affected":  # CVE 5 has no exclusive lower bound
                out.append({"status": "unaffected", "version": version, **scheme})
        elif op in ("<", "<="):
            key = "lessThan" if op == "<" else "lessThanOrEqual"
            out.append({"status": status, "version": lower or "0", key: version, **scheme})
            lower = None
        elif op == "=":
            out.append({"status": status, "version": version, **scheme})
        elif op == "!=" and status == "affected":  # an exact version wins over a range
            out.append({"status": "unaffected", "version": version, **scheme})
    if lower is not None:
        out.append({"status": status, "version": lower, "lessThan": "*", **scheme})
    return out


def _bound(op: str, version: str, status: str) -> dict[str, Any]:
    if op == "<":
        return {"status": status, "version": "0", "lessThan": version}
    if op == "<=":
        return {"status": status, "version": "0", "lessThanOrEqual": version}
    return {"status": status, "version": version, "lessThan": "*"}


def _title(item: dict[str, Any]) -> str:
    title = item.get("title")
    if isinstance(title, str):
        return title
    for note in item.get("notes") or []:
        if isinstance(note, dict) and note.get("category") == "description":
            return str(note.get("text", ""))
    return ""


def _scores(vuln: Vulnerability, scores: Any) -> None:
    if not isinstance(scores, list):
        return
    for score in scores:
        if not isinstance(score, dict):
            continue
        for key in ("cvss_v3", "cvss_v2"):
            block = score.get(key)
            value = block_score(block) if isinstance(block, dict) else None
            if isinstance(block, dict) and value is not None:
                vuln.cvss_score = value
                vuln.cvss_vector = block.get("vectorString")
                return
