"""CVSS 3.x base scores from the vector alone, checked against the scores CNAs
published in the real 2024 records (../shared/data/cve5)."""

from __future__ import annotations

import gzip
import math
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.cve5 import record_to_vulnerability
from openwarp.core.vulns.cvss import base_score, block_score

# Records whose published score and vector we compare, each for one corner of the
# equations: scope changed with no privileges (10.0), scope changed with low
# privileges (the larger PR weight), a score from CISA's ADP container, and a
# vector carrying temporal metrics after the base ones.
NAMED = ("CVE-2024-3400", "CVE-2024-0093", "CVE-2024-2466", "CVE-2024-38063")
# FIRST's temporal weights, to recognise a temporal score published as the base one.
_TEMPORAL = {
    "E": {"X": 1.0, "H": 1.0, "F": 0.97, "P": 0.94, "U": 0.91},
    "RL": {"X": 1.0, "U": 1.0, "W": 0.97, "T": 0.96, "O": 0.95},
    "RC": {"X": 1.0, "C": 1.0, "R": 0.96, "U": 0.92},
}


def _published(shared_data: Path) -> Iterator[tuple[str, str, str, float]]:
    """(CVE, CVSS key, vector, published base score) of every 3.x block in 2024."""
    with gzip.open(shared_data / "cve5" / "cve5-2024.jsonl.gz", "rb") as handle:
        for line in handle:
            doc = orjson.loads(line)
            containers = doc["containers"]
            for container in [containers.get("cna", {}), *containers.get("adp", [])]:
                for metric in container.get("metrics") or []:
                    for key in ("cvssV3_1", "cvssV3_0"):
                        block = metric.get(key)
                        if isinstance(block, dict):
                            yield (
                                doc["cveMetadata"]["cveId"],
                                key,
                                block["vectorString"],
                                float(block["baseScore"]),
                            )


@pytest.fixture(scope="module")
def published(shared_data: Path) -> list[tuple[str, str, str, float]]:
    return list(_published(shared_data))


def test_named_records_score_as_published(published: list[tuple[str, str, str, float]]) -> None:
    seen = {cve: (vector, score) for cve, _, vector, score in published if cve in NAMED}
    assert set(seen) == set(NAMED)
    for cve, (vector, score) in seen.items():
        assert base_score(vector) == score, (cve, vector)
    assert any(key == "cvssV3_0" for _, key, _, _ in published)
    for _, key, vector, score in published:
        if key == "cvssV3_0":
            assert base_score(vector) == score, vector
            break


def _temporal(vector: str) -> float:
    metrics = dict(part.split(":") for part in vector.split("/")[1:])
    value = base_score(vector)
    for name, weights in _TEMPORAL.items():
        value *= weights[metrics.get(name, "X")]
    return math.ceil(round(value * 100_000) / 10_000) / 10


def test_nearly_every_published_3x_score_is_what_the_vector_gives(
    published: list[tuple[str, str, str, float]],
) -> None:
    """The few that differ are mostly the publishers' own: a temporal score put where
    the base score goes (Fortinet), or an environmental one."""
    differ = [(cve, v, s) for cve, _, v, s in published if base_score(v) != s]
    assert len(published) > 20_000
    assert len(differ) / len(published) < 0.01
    temporal = [(v, s) for _, v, s in differ if "/E:" in v]
    assert len(temporal) > 20
    assert sum(_temporal(v) == s for v, s in temporal) / len(temporal) > 0.9


def test_a_record_with_a_vector_but_no_score_gets_the_computed_one(shared_data: Path) -> None:
    path = shared_data / "cve5" / "sample" / "CVE-2024-2466.json"
    doc = orjson.loads(path.read_bytes())
    published = record_to_vulnerability(doc).cvss_score
    for container in [doc["containers"]["cna"], *doc["containers"].get("adp", [])]:
        for metric in container.get("metrics") or []:
            for block in metric.values():
                if isinstance(block, dict):
                    block.pop("baseScore", None)
    computed = record_to_vulnerability(doc)
    assert published is not None and computed.cvss_score == published
    assert computed.cvss_vector and computed.cvss_vector.startswith("CVSS:3.1/")


@pytest.mark.parametrize(
    ("vector", "said"),
    [
        ("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "not a CVSS 3.0 or 3.1 vector"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "missing A"),
        ("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV cannot be 'Q'"),
        ("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV is given twice"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1", "unknown metric 'ZZ:1'"),
    ],
)
def test_a_bad_vector_is_named(vector: str, said: str) -> None:
    with pytest.raises(InvalidInput, match=said):
        base_score(vector)
    assert block_score({"vectorString": vector}) is None  # not relied on, not fatal


def test_no_impact_scores_zero_whatever_the_reach() -> None:
    assert base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N") == 0.0
    assert base_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N") == 0.0
