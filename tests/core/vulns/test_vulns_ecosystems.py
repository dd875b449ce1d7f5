"""Package URLs are judged only by records of their own registry, and a registry's
`collectionURL` gives its ordering to versions that carry no `versionType`.

Real records from ../shared/data/cve5. No 2024 record gives a registry
`collectionURL` without a `versionType`, so those cases take a real record and
drop its labels (and its ADP container), as a CNA that leaves them out writes it.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from tests.core.vulns.scheme_cases import Case

from openwarp.core.vulns.cve5 import record_to_vulnerability
from openwarp.core.vulns.ecosystems import ecosystem_from_url, registry_type
from openwarp.core.vulns.inventory import make_item
from openwarp.core.vulns.matcher import InventoryIndex
from openwarp.core.vulns.model import Vulnerability

# collectionURL values exactly as 2024 CNAs wrote them.
URLS = [
    ("https://pypi.org/project/pip", "pypi"),
    ("https://pypi.python.org", "pypi"),
    ("https://repo.maven.apache.org/maven2", "maven"),
    ("https://repo.maven.apache.org/maven2/", "maven"),
    ("https://www.npmjs.com", "npm"),
    ("https://pkg.go.dev", "golang"),
    ("https://packagist.org", "composer"),
    ("https://github.com/keycloak/keycloak", None),
    ("https://wordpress.org/plugins", None),
    ("https://access.redhat.com/downloads/content/package-browser/", None),
    ("", None),
]


@pytest.mark.parametrize(("url", "ecosystem"), URLS)
def test_registry_urls_name_their_ecosystem(url: str, ecosystem: str | None) -> None:
    assert ecosystem_from_url(url) == ecosystem


def test_package_url_types_that_name_no_registry() -> None:
    assert registry_type("pkg:npm/ws@8.17.0") == "npm"
    assert registry_type("pkg:github/mlflow/mlflow@2.9.2") is None
    assert registry_type("pkg:generic/openssl@3.0.13") is None
    assert registry_type(None) is None


def test_real_entries_carry_the_registry_they_name(
    real_records: dict[str, Vulnerability],
) -> None:
    mlflow = real_records["CVE-2024-27132"].affected
    assert [e.ecosystem for e in mlflow] == ["pypi", "pypi"]  # URL; ADP: versionType python
    libxmljs = real_records["CVE-2024-34391"].affected
    assert [e.ecosystem for e in libxmljs] == ["npm", None]  # ADP: a CPE and semver
    keycloak = real_records["CVE-2024-1132"].affected
    assert keycloak[0].ecosystem is None  # a GitHub repository is not a registry


def _unlabelled(doc: dict[str, Any], *, keep_url: bool = True) -> Vulnerability:
    doc = copy.deepcopy(doc)
    doc["containers"].pop("adp", None)
    for entry in doc["containers"]["cna"]["affected"]:
        for version in entry.get("versions", []):
            version.pop("versionType", None)
        if not keep_url:
            entry.pop("collectionURL", None)
    return record_to_vulnerability(doc)


MIME4J = {"vendor": "Apache Software Foundation", "product": "Apache James Mime4J"}
UNLABELLED = [
    # PEP 440 reads c1 as a release candidate of 2.9.2 (<= 2.9.2).
    Case("CVE-2024-27132", {"purl": "pkg:pypi/mlflow@2.9.2c1"}, "affected", "pypi"),
    Case("CVE-2024-27132", {"purl": "pkg:pypi/mlflow@2.9.3"}, "not_affected", "pypi"),
    Case(
        "CVE-2024-21742",
        {"purl": "pkg:maven/org.apache.james/apache-mime4j-dom@0.8.9.Final"},
        "affected",
        "maven",
    ),
    Case(
        "CVE-2024-21742",
        {**MIME4J, "version": "0.8.9.Final"},
        "needs_review",
        "maven",
        "maven and the vendor's numbering order 0.8.9.Final and 0.8.9 differently",
    ),
    Case("CVE-2024-34391", {"purl": "pkg:npm/libxmljs@1.0.11-rc.1"}, "affected", "npm"),
    Case(
        "CVE-2024-34391",
        {"purl": "pkg:npm/libxmljs@1.0"},
        "needs_review",
        "npm",
        "1.0 is not a valid npm (SemVer) version",
    ),
    # A GitHub collectionURL names no registry: the vendor comparator, as before.
    Case("CVE-2024-1132", {"purl": "pkg:maven/org.keycloak/keycloak@22.0.9"}, "affected", None),
]


def _judge(vuln: Vulnerability, row: dict[str, str]) -> Any:
    [finding] = InventoryIndex([make_item(1, row)]).match(vuln, include_not_affected=True)
    return finding


@pytest.mark.parametrize("case", UNLABELLED, ids=lambda c: next(iter(c.row.values())))
def test_a_registry_url_gives_unlabelled_versions_its_ordering(
    real_documents: dict[str, Any], case: Case
) -> None:
    finding = _judge(_unlabelled(real_documents[case.cve]), case.row)
    assert str(finding.verdict) == case.verdict, finding.reason
    assert finding.evidence.get("version_scheme") == case.scheme
    assert case.reason in finding.reason


def test_without_the_url_the_vendor_reading_stands(real_documents: dict[str, Any]) -> None:
    # The same record with neither label nor URL: 2.9.2c1 reads as after 2.9.2.
    vuln = _unlabelled(real_documents["CVE-2024-27132"], keep_url=False)
    finding = _judge(vuln, {"purl": "pkg:pypi/mlflow@2.9.2c1"})
    assert str(finding.verdict) == "not_affected"
    assert "version_scheme" not in finding.evidence
