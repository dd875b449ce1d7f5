"""Real CVE records for the matcher tests, read once from the shared data set."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import orjson
import pytest
from tests.core.vulns.scheme_cases import CVE5_IDS

from openwarp.core.vulns.cve5 import record_to_vulnerability
from openwarp.core.vulns.model import Vulnerability

_CVE_ID = re.compile(rb'"cveId":"(CVE-[0-9]+-[0-9]+)"')
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "made" / "vulns"

# The records the table-driven tests use; each is named in a test's case table.
WANTED = (
    "CVE-2024-3400",
    "CVE-2024-5491",
    "CVE-2024-6235",
    "CVE-2024-44178",
    "CVE-2024-38063",
    "CVE-2024-20353",
    "CVE-2024-20399",
    "CVE-2024-21762",
    "CVE-2024-40766",
    "CVE-2024-21888",
    "CVE-2024-46754",
    "CVE-2024-20077",
    "CVE-2024-2466",
    "CVE-2024-38476",
    "CVE-2024-21236",
    "CVE-2024-4320",
    "CVE-2024-3757",
    "CVE-2024-1394",
    "CVE-2024-6387",
    *CVE5_IDS,
)


@pytest.fixture(scope="session")
def real_documents(shared_data: Path) -> dict[str, Any]:
    """The WANTED records' JSON, as in the 2024 JSON-lines file."""
    wanted = {w.encode() for w in WANTED}
    found: dict[str, Any] = {}
    with gzip.open(shared_data / "cve5" / "cve5-2024.jsonl.gz", "rb") as handle:
        for line in handle:
            match = _CVE_ID.search(line)
            if match and match.group(1) in wanted:
                found[match.group(1).decode()] = orjson.loads(line)
    missing = set(WANTED) - set(found)
    assert not missing, f"records not in the shared data: {missing}"
    return found


@pytest.fixture(scope="session")
def real_records(real_documents: dict[str, Any]) -> dict[str, Vulnerability]:
    """The WANTED records, parsed by our reader."""
    return {cve: record_to_vulnerability(doc) for cve, doc in real_documents.items()}
