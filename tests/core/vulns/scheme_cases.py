"""Version-scheme cases shared by the core, CLI and hub tests.

Real CVE records from ../shared/data/cve5 whose version objects carry a
`versionType`, inventory rows typed or given as package URLs, and the verdict a
careful analyst would give. CSAF advisories are written here around real CVEs
(no CSAF sample is in ../shared/data) with `vers:` ranges in three ecosystems.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from tests.core.vulns.liferay_cases import LIFERAY_ROWS


class Case(NamedTuple):
    cve: str
    row: dict[str, str]
    verdict: str
    scheme: str | None  # the ordering named in the evidence, None: vendor comparator
    reason: str = ""  # a fragment the reason must contain


CPYTHON = {"vendor": "Python Software Foundation", "product": "CPython"}
TOMCAT = {"vendor": "Apache Software Foundation", "product": "Apache Tomcat"}

CVE5_CASES = [
    # CVE-2024-3219 (versionType python): 3.13.0a1 up to 3.13.0rc1, PEP 440 order.
    Case("CVE-2024-3219", {**CPYTHON, "version": "3.13.0b4"}, "affected", "pypi"),
    Case("CVE-2024-3219", {**CPYTHON, "version": "3.13.0rc1"}, "not_affected", "pypi"),
    Case("CVE-2024-3219", {**CPYTHON, "version": "3.12.4"}, "affected", "pypi"),
    Case(
        "CVE-2024-3219",
        {**CPYTHON, "version": "3.12.x"},
        "needs_review",
        "pypi",
        "3.12.x is not a valid PEP 440 (pypi) version",
    ),
    # CVE-2024-27132 mlflow (python, packageName mlflow): <= 2.9.2.
    Case("CVE-2024-27132", {"purl": "pkg:pypi/mlflow@2.9.2rc1"}, "affected", "pypi"),
    Case("CVE-2024-27132", {"purl": "pkg:pypi/mlflow@2.9.2.post1"}, "not_affected", "pypi"),
    # PEP 440 reads `c1` as a release candidate (before 2.9.2); the vendor comparator
    # would read a trailing letter as a later patch letter.
    Case("CVE-2024-27132", {"purl": "pkg:pypi/mlflow@2.9.2c1"}, "affected", "pypi"),
    Case(
        "CVE-2024-27132",
        {"purl": "pkg:pypi/mlflow@latest-dev"},
        "needs_review",
        "pypi",
        "latest-dev is not a valid PEP 440 (pypi) version",
    ),
    # CVE-2024-23680 (maven): 2.0.0 <= v < 2.2.0 and v < 1.9.0.
    Case(
        "CVE-2024-23680",
        {"purl": "pkg:maven/com.amazonaws/aws-encryption-sdk-java@2.1.0"},
        "affected",
        "maven",
    ),
    Case(
        "CVE-2024-23680",
        {"purl": "pkg:maven/com.amazonaws/aws-encryption-sdk-java@2.2.0"},
        "not_affected",
        "maven",
    ),
    Case(
        "CVE-2024-23680",
        {"purl": "pkg:maven/com.amazonaws/aws-encryption-sdk-java@1.9.0"},
        "not_affected",
        "maven",
    ),
    # CVE-2024-21742 (maven): <= 0.8.9; Maven reads `.Final` as the release itself.
    Case(
        "CVE-2024-21742",
        {"purl": "pkg:maven/org.apache.james/apache-mime4j-dom@0.8.9.Final"},
        "affected",
        "maven",
    ),
    Case(
        "CVE-2024-21742",
        {"purl": "pkg:maven/org.apache.james/apache-mime4j-dom@0.8.10"},
        "not_affected",
        "maven",
    ),
    # CVE-2024-9148 (npm): < 2.0.0; a pre-release of 2.0.0 comes before it.
    Case("CVE-2024-9148", {"purl": "pkg:npm/flowise-embed@2.0.0-rc.1"}, "affected", "npm"),
    Case("CVE-2024-9148", {"purl": "pkg:npm/flowise-embed@2.0.0"}, "not_affected", "npm"),
    Case(
        "CVE-2024-9148",
        {"purl": "pkg:npm/flowise-embed@1.3"},
        "needs_review",
        "npm",
        "1.3 is not a valid npm (SemVer) version",
    ),
    # CVE-2024-23672 Tomcat, labelled semver: milestones are Tomcat's numbering
    # (M5 before M16), not SemVer's text order, so the vendor reading decides.
    Case("CVE-2024-23672", {**TOMCAT, "version": "11.0.0-M5"}, "affected", "semver"),
    Case("CVE-2024-23672", {**TOMCAT, "version": "10.1.19"}, "not_affected", "semver"),
    Case("CVE-2024-23672", {**TOMCAT, "version": "8.5.98"}, "affected", "semver"),
    # Liferay DXP (versionType maven) is read in Liferay's own release order: the
    # table is `liferay_cases.py` (added below).
    # CVE-2024-21586 Junos, labelled semver with `22.2R3-S4.11`: not SemVer at all.
    Case(
        "CVE-2024-21586",
        {"vendor": "Juniper Networks", "product": "Junos OS", "version": "22.2R3-S2"},
        "affected",
        None,
    ),
    # CVE-2024-0006: the CNA labels its ranges git (never compared as versions);
    # CISA's ADP entry gives the same ranges as custom, and decides.
    Case(
        "CVE-2024-0006",
        {"vendor": "yugabyte", "product": "yugabytedb", "version": "2.18.5.0"},
        "affected",
        None,
    ),
    Case(
        "CVE-2024-0006",
        {"vendor": "YugabyteDB", "product": "YugabyteDB Anywhere", "version": "2.18.5.0"},
        "needs_review",
        None,
        "only source-code commit ranges",
    ),
    # Package names are per registry. CVE-2024-27132 names mlflow at https://pypi.org
    # (and both its entries label versions python): an npm mlflow is another package.
    Case(
        "CVE-2024-27132",
        {"purl": "pkg:npm/mlflow@2.9.2"},
        "not_affected",
        None,
        "names mlflow as a package of pypi; this row's package is from npm",
    ),
    # pkg:github says where the source lives, not which registry: judged by name.
    Case("CVE-2024-27132", {"purl": "pkg:github/mlflow/mlflow@2.9.2"}, "affected", None),
    # CVE-2024-34391 libxmljs at https://www.npmjs.com; the ADP's CPE entry names no
    # registry and is the same package, so it does not make a PyPI libxmljs affected.
    Case(
        "CVE-2024-34391",
        {"purl": "pkg:pypi/libxmljs@1.0.11"},
        "not_affected",
        None,
        "names libxmljs as a package of npm",
    ),
    Case("CVE-2024-34391", {"purl": "pkg:npm/libxmljs@1.0.11"}, "affected", "semver"),
    # CVE-2024-21742: org.apache.james:apache-mime4j-dom at repo.maven.apache.org.
    Case("CVE-2024-21742", {"purl": "pkg:npm/apache-mime4j-dom@0.8.9"}, "not_affected", None),
    # CVE-2024-47050: mautic/core at https://packagist.org (composer).
    Case("CVE-2024-47050", {"purl": "pkg:composer/mautic/core@4.4.12"}, "affected", None),
    Case("CVE-2024-47050", {"purl": "pkg:npm/core@4.4.12"}, "not_affected", None),
    # CVE-2024-1132 keycloak names only its GitHub repository: no registry, so a
    # package of that name in any registry is judged by name, as a typed row is.
    Case("CVE-2024-1132", {"purl": "pkg:maven/org.keycloak/keycloak@22.0.9"}, "affected", None),
    Case("CVE-2024-1132", {"purl": "pkg:npm/keycloak@22.0.10"}, "not_affected", "semver"),
]

CVE5_CASES += [Case(*row) for row in LIFERAY_ROWS]
CVE5_IDS = sorted({case.cve for case in CVE5_CASES})


def _tracking(advisory: str) -> dict[str, Any]:
    return {
        "id": advisory,
        "status": "final",
        "version": "1",
        "initial_release_date": "2024-06-01T00:00:00Z",
        "current_release_date": "2024-06-01T00:00:00Z",
        "revision_history": [{"date": "2024-06-01T00:00:00Z", "number": "1", "summary": "First"}],
    }


def package_advisory(
    *, advisory: str, cve: str, vendor: str, product: str, purl: str, affected: str, fixed: str
) -> dict[str, Any]:
    """A CSAF 2.0 advisory for one package: a `vers:` range (or one version) affected,
    one version fixed."""
    helper = {"purl": purl}
    kind = "product_version_range" if affected.startswith("vers:") else "product_version"
    return {
        "document": {
            "category": "csaf_security_advisory",
            "csaf_version": "2.0",
            "title": f"{product} {cve}",
            "publisher": {
                "category": "coordinator",
                "name": "Example Coordinator",
                "namespace": "https://coordinator.example",
            },
            "tracking": _tracking(advisory),
        },
        "product_tree": {
            "branches": [
                {
                    "category": "vendor",
                    "name": vendor,
                    "branches": [
                        {
                            "category": "product_name",
                            "name": product,
                            "branches": [
                                {
                                    "category": kind,
                                    "name": affected,
                                    "product": {
                                        "product_id": f"{advisory}-VULN",
                                        "name": f"{product} {affected}",
                                        "product_identification_helper": helper,
                                    },
                                },
                                {
                                    "category": "product_version",
                                    "name": fixed,
                                    "product": {
                                        "product_id": f"{advisory}-FIXED",
                                        "name": f"{product} {fixed}",
                                        "product_identification_helper": helper,
                                    },
                                },
                            ],
                        }
                    ],
                }
            ]
        },
        "vulnerabilities": [
            {
                "cve": cve,
                "product_status": {
                    "known_affected": [f"{advisory}-VULN"],
                    "fixed": [f"{advisory}-FIXED"],
                },
            }
        ],
    }


# Real CVEs (Django CVE-2024-42005, Spring Framework CVE-2024-22243, the npm `ws`
# package CVE-2024-37890), advisories written around them with vers ranges.
CSAF_DOCS = {
    "django.json": package_advisory(
        advisory="EXC-2024-0001",
        cve="CVE-2024-42005",
        vendor="Django Software Foundation",
        product="Django",
        purl="pkg:pypi/django",
        affected="vers:pypi/>=4.2|<4.2.15",
        fixed="4.2.15",
    ),
    "spring.json": package_advisory(
        advisory="EXC-2024-0002",
        cve="CVE-2024-22243",
        vendor="VMware",
        product="Spring Framework",
        purl="pkg:maven/org.springframework/spring-web",
        affected="vers:maven/>=6.1.0|<6.1.4",
        fixed="6.1.4",
    ),
    "ws.json": package_advisory(
        advisory="EXC-2024-0003",
        cve="CVE-2024-37890",
        vendor="websockets",
        product="ws",
        purl="pkg:npm/ws",
        affected="vers:npm/>=8.0.0|<8.17.1",
        fixed="8.17.1",
    ),
    # Spring Framework CVE-2024-22259 with one exact version affected.
    "spring-exact.json": package_advisory(
        advisory="EXC-2024-0004",
        cve="CVE-2024-22259",
        vendor="VMware",
        product="Spring Framework",
        purl="pkg:maven/org.springframework/spring-web",
        affected="5.3.32",
        fixed="5.3.33",
    ),
}

CSAF_CASES = [
    # PEP 440: 4.2rc1 is before 4.2, so outside >=4.2; 4.2.15rc1 is before the fix.
    Case("CVE-2024-42005", {"purl": "pkg:pypi/django@4.2.14"}, "affected", "pypi"),
    Case("CVE-2024-42005", {"purl": "pkg:pypi/django@4.2rc1"}, "not_affected", "pypi"),
    Case("CVE-2024-42005", {"purl": "pkg:pypi/django@4.2.15rc1"}, "affected", "pypi"),
    Case("CVE-2024-42005", {"purl": "pkg:pypi/django@4.2.15"}, "not_affected", "pypi"),
    # Maven: 6.1.0-M1 is a milestone before 6.1.0; 6.1.3 is inside.
    Case(
        "CVE-2024-22243",
        {"purl": "pkg:maven/org.springframework/spring-web@6.1.3"},
        "affected",
        "maven",
    ),
    Case(
        "CVE-2024-22243",
        {"purl": "pkg:maven/org.springframework/spring-web@6.1.0-M1"},
        "not_affected",
        "maven",
    ),
    Case(
        "CVE-2024-22243",
        {"purl": "pkg:maven/org.springframework/spring-web@6.1.4"},
        "not_affected",
        "maven",
    ),
    # npm: 8.17.1-beta.1 is a pre-release before the fix; "8.x" is not a version.
    Case("CVE-2024-37890", {"purl": "pkg:npm/ws@8.17.0"}, "affected", "npm"),
    Case("CVE-2024-37890", {"purl": "pkg:npm/ws@8.17.1-beta.1"}, "affected", "npm"),
    Case("CVE-2024-37890", {"purl": "pkg:npm/ws@8.17.1"}, "not_affected", "npm"),
    Case(
        "CVE-2024-37890",
        {"purl": "pkg:npm/ws@8.x"},
        "needs_review",
        "npm",
        "8.x is not a valid npm (SemVer) version",
    ),
    # An exact version is in its purl's scheme too: Maven reads `.RELEASE` as the
    # release itself (Spring's own spelling up to 5.2); the vendor reading puts it after.
    Case(
        "CVE-2024-22259",
        {"purl": "pkg:maven/org.springframework/spring-web@5.3.32.RELEASE"},
        "affected",
        "maven",
    ),
    Case(
        "CVE-2024-22259",
        {"purl": "pkg:maven/org.springframework/spring-web@5.3.33"},
        "not_affected",
        "maven",
    ),
]
