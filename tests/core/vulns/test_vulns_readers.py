"""Readers: CVE JSON 5 (files, directories, gzip JSON lines), KEV with history, EPSS."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import orjson
import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.cve5 import load_cve5
from openwarp.core.vulns.feeds import diff_kev, load_epss, load_kev

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "made" / "vulns"


def test_sample_directory_reads_every_record_with_adp_enrichment(shared_data: Path) -> None:
    result = load_cve5([shared_data / "cve5" / "sample"])
    by_id = {v.cve_id: v for v in result.records}
    assert len(by_id) == 20
    mediatek = by_id["CVE-2024-20077"]
    assert mediatek.ssvc_exploitation == "none"
    assert mediatek.ssvc_automatable == "yes"
    adp = [a for a in mediatek.affected if a.source.startswith("adp:CISA")]
    assert adp and adp[0].cpes == ("cpe:2.3:h:mediatek:mt2731:-:*:*:*:*:*:*:*",)
    assert mediatek.cvss_score == 7.5  # only the ADP carries a score here


def test_the_whole_2024_file_loads(shared_data: Path) -> None:
    result = load_cve5([shared_data / "cve5" / "cve5-2024.jsonl.gz"])
    states = [v.state for v in result.records]
    assert len(states) == 23975
    assert states.count("REJECTED") == 69
    kev_flagged = [v for v in result.records if v.kev]
    assert len(kev_flagged) == 87
    active = {v.cve_id for v in result.records if v.ssvc_exploitation == "active"}
    assert "CVE-2024-3400" in active


def _write_lines(path: Path, lines: list[bytes]) -> None:
    with gzip.open(path, "wb") as handle:
        handle.write(b"\n".join(lines) + b"\n")


def test_broken_json_line_is_named_and_nothing_is_loaded(tmp_path: Path, shared_data: Path) -> None:
    good = orjson.dumps(
        orjson.loads((shared_data / "cve5" / "sample" / "CVE-2024-2466.json").read_bytes())
    )
    target = tmp_path / "feed.jsonl.gz"
    _write_lines(target, [good, b'{"dataType": "CVE_RECORD", ', good])
    with pytest.raises(InvalidInput) as caught:
        load_cve5([target])
    assert "line 2" in caught.value.message and "broken JSON" in caught.value.message


def test_schema_invalid_record_gives_its_json_path(tmp_path: Path, shared_data: Path) -> None:
    doc = orjson.loads((shared_data / "cve5" / "sample" / "CVE-2024-3692.json").read_bytes())
    del doc["containers"]["cna"]["affected"][0]["versions"][0]["status"]
    (tmp_path / "bad.json").write_bytes(orjson.dumps(doc))
    shutil.copy(shared_data / "cve5" / "sample" / "CVE-2024-2466.json", tmp_path / "ok.json")
    with pytest.raises(InvalidInput) as caught:
        load_cve5([tmp_path])
    assert "containers.cna.affected[0].versions[0].status: missing" in caught.value.message
    kept = load_cve5([tmp_path], keep_valid=True)
    assert [v.cve_id for v in kept.records] == ["CVE-2024-2466"]
    assert len(kept.errors) == 1 and "bad.json" in kept.errors[0]


def _longest_versions_record(shared_data: Path) -> dict:
    """The 2024 record with the longest CNA `versions` list (a Cisco one)."""
    best, size = b"", 0
    with gzip.open(shared_data / "cve5" / "cve5-2024.jsonl.gz", "rb") as handle:
        for line in handle:
            if line.count(b'"version"') > size:
                best, size = line, line.count(b'"version"')
    return orjson.loads(best)


@pytest.mark.parametrize(
    ("spoil", "named"),
    [
        (
            lambda doc: doc["containers"]["cna"]["affected"][0]["versions"][-1].update(status=3),
            "versions[{last}].status: expected str",
        ),
        (
            lambda doc: doc["containers"]["cna"]["affected"][0]["versions"].append("9.1"),
            "versions[{end}]: expected object, got str",
        ),
        (
            lambda doc: doc["containers"]["cna"]["affected"][0].update(cpes="cpe:2.3:o:x:y"),
            "containers.cna.affected[0].cpes: expected list",
        ),
    ],
)
def test_entries_are_checked_while_loading_even_though_built_on_first_use(
    tmp_path: Path, shared_data: Path, spoil: object, named: str
) -> None:
    doc = _longest_versions_record(shared_data)
    versions = doc["containers"]["cna"]["affected"][0]["versions"]
    assert len(versions) > 100
    where = named.format(last=len(versions) - 1, end=len(versions))
    spoil(doc)  # type: ignore[operator]
    (tmp_path / "bad.json").write_bytes(orjson.dumps(doc))
    with pytest.raises(InvalidInput) as caught:
        load_cve5([tmp_path])
    assert where in caught.value.message and "bad.json" in caught.value.message


def test_entries_built_on_first_use_keep_order_sources_and_paths(shared_data: Path) -> None:
    [record] = load_cve5([shared_data / "cve5" / "sample" / "CVE-2024-20077.json"]).records
    paths = [(e.source.split(":")[0], e.json_path) for e in record.affected]
    assert paths[0] == ("cna", "containers.cna.affected[0]")
    assert paths[-1][0] == "adp" and paths[-1][1].startswith("containers.adp[")
    assert record.affected is record.affected  # built once, then kept


def test_kev_history_diffs_match_the_data_readme(shared_data: Path) -> None:
    kev_dir = shared_data / "kev"
    current = load_kev(kev_dir / "known_exploited_vulnerabilities.json")
    assert len(current.entries) == 1404
    history = sorted((kev_dir / "history").glob("kev-*.json"))
    diffs = [diff_kev(load_kev(h), current) for h in history]
    assert [len(d.added) for d in diffs] == [94, 60, 22]
    assert [[e.cve_id for e in d.removed] for d in diffs] == [[], ["CVE-2025-4664"], []]
    newest_first = diff_kev(load_kev(history[1]), load_kev(history[2]))
    assert "CVE-2025-4664" in {e.cve_id for e in newest_first.removed}


def test_kev_entry_without_due_date_is_rejected_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "kev.json"
    path.write_bytes(
        orjson.dumps(
            {
                "vulnerabilities": [
                    {
                        "cveID": "CVE-2024-3400",
                        "vendorProject": "Palo Alto Networks",
                        "product": "PAN-OS",
                        "dateAdded": "2024-04-12",
                    }
                ]
            }
        )
    )
    with pytest.raises(InvalidInput, match=r"vulnerabilities\[0\]\.dueDate"):
        load_kev(path)


def test_epss_sample_reads_model_line_and_scores() -> None:
    table = load_epss(FIXTURES / "epss_sample.csv")
    assert table.model_version == "v2025.03.14"
    assert table.score_date.startswith("2025-08-25")
    assert table.scores["CVE-2024-3400"].probability == pytest.approx(0.9432)
    assert len(table.scores) == 7


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("cve,epss,percentile\nCVE-2024-1,0.1,0.2\n", "line 3, column cve"),
        ("cve,epss,percentile\nCVE-2024-3400,high,0.2\n", "line 3, column epss"),
        ("cve,epss,percentile\nCVE-2024-3400,1.7,0.2\n", "line 3, column epss"),
        ("cve,score\nCVE-2024-3400,0.1\n", "line 2: expected header"),
    ],
)
def test_bad_epss_rows_are_named(tmp_path: Path, body: str, where: str) -> None:
    path = tmp_path / "epss.csv"
    path.write_text("#model_version:v1,score_date:2025-01-01\n" + body)
    with pytest.raises(InvalidInput, match=where):
        load_epss(path)
