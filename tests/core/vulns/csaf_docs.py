"""CSAF 2.0 documents for tests, written here in the shape of the standard (no CSAF
sample is in ../shared/data). They speak of real CVEs from the cve5 sample."""

from __future__ import annotations

from typing import Any

WHATSUP_CPE = "cpe:2.3:a:progress:whatsup_gold:*:*:*:*:*:*:*:*"


def _version(name: str, product_id: str, cpe: str = "", purl: str = "") -> dict[str, Any]:
    helper = {k: v for k, v in (("cpe", cpe), ("purl", purl)) if v}
    product: dict[str, Any] = {"product_id": product_id, "name": name}
    if helper:
        product["product_identification_helper"] = helper
    return {"category": "product_version", "name": name.rsplit(" ", 1)[-1], "product": product}


def whatsup_gold_advisory() -> dict[str, Any]:
    """The vendor's advisory for CVE-2024-5009: a range affected, one version fixed,
    an older line not affected, and a product id under a relationship."""
    return {
        "document": {
            "category": "csaf_security_advisory",
            "csaf_version": "2.0",
            "title": "WhatsUp Gold privilege escalation",
            "publisher": {
                "category": "vendor",
                "name": "Progress Software",
                "namespace": "https://www.progress.com",
            },
            "tracking": {
                "id": "PRGS-2024-5009",
                "status": "final",
                "version": "1",
                "initial_release_date": "2024-06-25T00:00:00Z",
                "current_release_date": "2024-06-25T00:00:00Z",
                "revision_history": [
                    {"date": "2024-06-25T00:00:00Z", "number": "1", "summary": "First"}
                ],
            },
        },
        "product_tree": {
            "branches": [
                {
                    "category": "vendor",
                    "name": "Progress Software",
                    "branches": [
                        {
                            "category": "product_name",
                            "name": "WhatsUp Gold",
                            "branches": [
                                {
                                    "category": "product_version_range",
                                    "name": "vers:generic/>=2023.1.0|<2023.1.3",
                                    "product": {
                                        "product_id": "WUG-2023.1-VULN",
                                        "name": "WhatsUp Gold 2023.1.0 to before 2023.1.3",
                                        "product_identification_helper": {"cpe": WHATSUP_CPE},
                                    },
                                },
                                _version("WhatsUp Gold 2023.1.3", "WUG-2023.1.3"),
                                _version("WhatsUp Gold 2022.0.1", "WUG-2022.0.1"),
                            ],
                        }
                    ],
                }
            ],
            "full_product_names": [
                {"product_id": "WINSRV-2019", "name": "Microsoft Windows Server 2019"}
            ],
            "relationships": [
                {
                    "category": "installed_on",
                    "product_reference": "WUG-2023.1.3",
                    "relates_to_product_reference": "WINSRV-2019",
                    "full_product_name": {
                        "product_id": "WUG-2023.1.3-ON-WINSRV",
                        "name": "WhatsUp Gold 2023.1.3 on Windows Server 2019",
                    },
                }
            ],
        },
        "vulnerabilities": [
            {
                "cve": "CVE-2024-5009",
                "title": "Improper access control in SetAdminPassword",
                "product_status": {
                    "known_affected": ["WUG-2023.1-VULN"],
                    "fixed": ["WUG-2023.1.3", "WUG-2023.1.3-ON-WINSRV"],
                    "known_not_affected": ["WUG-2022.0.1"],
                },
                "scores": [
                    {
                        "products": ["WUG-2023.1-VULN"],
                        "cvss_v3": {
                            "version": "3.1",
                            "baseScore": 8.4,
                            "baseSeverity": "HIGH",
                            "vectorString": "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                        },
                    }
                ],
            },
            {
                "title": "A hardening note without a CVE",
                "product_status": {"fixed": ["WUG-2023.1.3"]},
            },
        ],
    }


def distributor_curl_advisory() -> dict[str, Any]:
    """A distributor's advisory for curl's CVE-2024-2466 naming its own package,
    which the CVE record (vendor curl) does not: purl and CPE from the helper."""
    return {
        "document": {
            "category": "csaf_security_advisory",
            "csaf_version": "2.0",
            "title": "curl security update",
            "publisher": {
                "category": "vendor",
                "name": "Example Linux",
                "namespace": "https://linux.example",
            },
            "tracking": {
                "id": "ELSA-2024-0001",
                "status": "final",
                "version": "1",
                "initial_release_date": "2024-03-27T00:00:00Z",
                "current_release_date": "2024-03-27T00:00:00Z",
                "revision_history": [
                    {"date": "2024-03-27T00:00:00Z", "number": "1", "summary": "First"}
                ],
            },
        },
        "product_tree": {
            "branches": [
                {
                    "category": "vendor",
                    "name": "Example Linux",
                    "branches": [
                        {
                            "category": "product_name",
                            "name": "Example Linux curl",
                            "branches": [
                                _version(
                                    "Example Linux curl 8.6.0-1",
                                    "EL-CURL-8.6.0-1",
                                    purl="pkg:rpm/examplelinux/curl@8.6.0-1",
                                ),
                                _version(
                                    "Example Linux curl 8.7.1-1",
                                    "EL-CURL-8.7.1-1",
                                    purl="pkg:rpm/examplelinux/curl@8.7.1-1",
                                ),
                            ],
                        }
                    ],
                }
            ]
        },
        "vulnerabilities": [
            {
                "cve": "CVE-2024-2466",
                "product_status": {
                    "known_affected": ["EL-CURL-8.6.0-1"],
                    "fixed": ["EL-CURL-8.7.1-1"],
                },
            }
        ],
    }
