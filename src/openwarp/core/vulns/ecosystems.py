"""Which package ecosystem a record's entry and an inventory row belong to.

A package URL row (`pkg:npm/mlflow@2.9.2`) names its ecosystem by its type. A
CVE JSON 5 entry names one by its `collectionURL` (`https://pypi.org`,
`https://repo.maven.apache.org/maven2`), or, failing that, by a `versionType`
that is one ecosystem's own ordering (`python`, `maven`, `npm`, `nuget`,
`golang`, `cargo`); a CSAF product by its purl. Package names are not unique
across ecosystems (`mlflow` on PyPI is not `mlflow` on npm), so the matcher
judges a package-URL row only by entries of its own ecosystem, or by entries
that name none: most records describe a product, not a package, and a careful
analyst reads a name match there as for a typed row. `generic`, `github` and
the other source-hosting types say nothing about a registry and are never
kept apart.

An ecosystem's ordering (`scheme_map`) also applies to an entry whose versions
carry no `versionType` but whose `collectionURL` names the ecosystem.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from openwarp.core.vulns.model import AffectedProduct
from openwarp.core.vulns.scheme_map import purl_scheme

__all__ = [
    "ecosystem_from_url",
    "entry_ecosystem",
    "of_registry",
    "registry_type",
    "scheme_of_ecosystem",
]

# Registry hosts, as CNAs write them in `collectionURL`, to package-URL types.
_HOSTS = {
    "pypi.org": "pypi",
    "pypi.python.org": "pypi",
    "files.pythonhosted.org": "pypi",
    "registry.npmjs.org": "npm",
    "npmjs.com": "npm",
    "npmjs.org": "npm",
    "repo.maven.apache.org": "maven",
    "repo1.maven.org": "maven",
    "search.maven.org": "maven",
    "central.sonatype.com": "maven",
    "nuget.org": "nuget",
    "api.nuget.org": "nuget",
    "pkg.go.dev": "golang",
    "proxy.golang.org": "golang",
    "crates.io": "cargo",
    "rubygems.org": "gem",
    "packagist.org": "composer",
    "hex.pm": "hex",
    "pub.dev": "pub",
}
# `versionType` labels that are one ecosystem's ordering (not `semver`: many use it).
_VERSION_TYPES = {
    "python": "pypi",
    "pypi": "pypi",
    "pep440": "pypi",
    "maven": "maven",
    "npm": "npm",
    "nuget": "nuget",
    "golang": "golang",
    "go": "golang",
    "cargo": "cargo",
}
# Package-URL types that name where the code lives, not a package registry.
_NEUTRAL = frozenset({"generic", "github", "gitlab", "bitbucket"})


def ecosystem_from_url(url: str | None) -> str | None:
    """The package-URL type of a registry URL (`https://www.npmjs.com` is npm)."""
    if not url:
        return None
    host = (urlsplit(url.strip()).hostname or "").lower().removeprefix("www.")
    return _HOSTS.get(host)


def entry_ecosystem(collection_url: str | None, versions: Iterable[dict[str, Any]]) -> str | None:
    """The ecosystem an entry names: its registry URL, else one ecosystem's version
    type shared by all its version objects (git and unlabelled ones aside)."""
    found = ecosystem_from_url(collection_url)
    if found is not None:
        return found
    named = set()
    for version in versions:
        label = str(version.get("versionType") or "").strip().lower()
        if label and label != "git":
            named.add(_VERSION_TYPES.get(label))
    return named.pop() if len(named) == 1 else None


def registry_type(purl: str | None) -> str | None:
    """The registry a package URL names (`pkg:npm/ws@8.17.0` is npm); None for a
    type that names only where the source lives (`pkg:github/...`, `pkg:generic/...`)."""
    if not purl or not purl.lower().startswith("pkg:"):
        return None
    kind = purl[4:].lstrip("/").split("/", 1)[0].lower()
    return None if not kind or kind in _NEUTRAL else kind


def of_registry(entries: list[AffectedProduct], row_type: str) -> list[AffectedProduct]:
    """The entries that may describe a `row_type` package. When the record names no
    registry for any of them, all (the name decides, as for a typed row); when it
    names the row's, those and the ones naming none (an ADP's CPE for the same
    package); when it names only others, none: the record means another package."""
    named = {e.ecosystem for e in entries if e.ecosystem}
    if not named:
        return entries
    if row_type not in named:
        return []
    return [e for e in entries if e.ecosystem in (None, row_type)]


def scheme_of_ecosystem(ecosystem: str | None) -> str | None:
    """The vers scheme an ecosystem's versions follow, when we order it."""
    return purl_scheme(f"pkg:{ecosystem}/") if ecosystem else None
