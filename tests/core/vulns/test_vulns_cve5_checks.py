"""The CVE 5 reader's checks, now made while decoding into typed structs: every fault
named by file, line (or array index) and JSON path; nothing returned unless the user
keeps the valid records; the lenient readings of free-form content kept."""

from __future__ import annotations

import copy
import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.cve5 import load_cve5, record_from_json

Doc = dict[str, Any]


def _sample(shared_data: Path, cve: str) -> Doc:
    return orjson.loads((shared_data / "cve5" / "sample" / f"{cve}.json").read_bytes())


def _cna_version(doc: Doc) -> Doc:
    return doc["containers"]["cna"]["affected"][0]["versions"][0]


def _adp_metrics(doc: Doc) -> list[Doc]:
    return doc["containers"]["adp"][1]["metrics"]


SPOILS: list[tuple[Callable[[Doc], Any], str]] = [
    (
        lambda d: _cna_version(d).update(lessThan=9),
        "containers.cna.affected[0].versions[0].lessThan: expected str, got int",
    ),
    (
        lambda d: d["containers"]["cna"]["affected"][0].update(cpes=[7]),
        "containers.cna.affected[0].cpes[0]: expected str, got int",
    ),
    (
        lambda d: _cna_version(d).update(changes=[{"at": "2.0"}]),
        "containers.cna.affected[0].versions[0].changes[0].status: missing",
    ),
    (lambda d: d.pop("cveMetadata"), "cveMetadata: missing"),
    (
        lambda d: d["cveMetadata"].update(cveId="CVE-24-1"),
        "cveMetadata.cveId: 'CVE-24-1' is not a CVE id",
    ),
    (lambda d: d.update(dataType="CVE_RECORD_V4"), "dataType: expected 'CVE_RECORD'"),
    (lambda d: d["containers"].pop("cna"), "containers.cna: missing"),
    (
        lambda d: d["containers"]["adp"].append("CISA"),
        "containers.adp[2]: expected object, got str",
    ),
    (
        lambda d: _adp_metrics(d)[0]["cvssV3_1"].update(baseScore="7.5"),
        "containers.adp[1].metrics[0].cvssV3_1.baseScore: expected number, got str",
    ),
    (
        lambda d: d["containers"]["cna"]["descriptions"].append({"lang": "en"}),
        "containers.cna.descriptions[1].value: missing",
    ),
]


@pytest.mark.parametrize(("spoil", "named"), SPOILS)
def test_a_schema_fault_is_named_by_file_line_and_path_and_nothing_is_loaded(
    tmp_path: Path, shared_data: Path, spoil: Callable[[Doc], Any], named: str
) -> None:
    good = _sample(shared_data, "CVE-2024-20077")
    bad = copy.deepcopy(good)
    spoil(bad)
    feed = tmp_path / "feed.jsonl.gz"
    with gzip.open(feed, "wb") as handle:
        handle.write(b"\n".join(orjson.dumps(d) for d in (good, bad, good)) + b"\n")
    with pytest.raises(InvalidInput) as caught:
        load_cve5([feed])
    assert caught.value.message == f"{feed} line 2: {named}"
    kept = load_cve5([feed], keep_valid=True)
    assert [v.cve_id for v in kept.records] == ["CVE-2024-20077", "CVE-2024-20077"]
    assert kept.errors == [f"{feed} line 2: {named}"]


def test_a_record_that_is_not_an_object_is_named(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b'["CVE-2024-3400"]\n')
    with pytest.raises(InvalidInput) as caught:
        load_cve5([feed])
    assert caught.value.message == f"{feed} line 1: $: a CVE record must be a JSON object, got list"


def test_broken_json_in_a_field_the_reader_skips_is_still_broken_json(
    tmp_path: Path, shared_data: Path
) -> None:
    """The decoder skips `references` without building them, but still reads their syntax;
    broken JSON stops the load even when the valid records are to be kept."""
    good = orjson.dumps(_sample(shared_data, "CVE-2024-2466"))
    broken = good.replace(b'"references":[', b'"references":[,', 1)
    assert broken != good
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(good + b"\n" + broken + b"\n")
    with pytest.raises(InvalidInput) as caught:
        load_cve5([feed], keep_valid=True)
    assert caught.value.message.startswith(f"{feed} line 2: broken JSON (")


def test_an_array_file_names_the_bad_item_by_index_and_keeps_the_others_on_request(
    tmp_path: Path, shared_data: Path
) -> None:
    good = _sample(shared_data, "CVE-2024-2466")
    bad = copy.deepcopy(good)
    _cna_version(bad)["status"] = None
    target = tmp_path / "records.json"
    target.write_bytes(orjson.dumps([good, bad]))
    with pytest.raises(InvalidInput) as caught:
        load_cve5([target])
    where = f"{target} [1]: containers.cna.affected[0].versions[0].status: expected str, got null"
    assert caught.value.message == where
    kept = load_cve5([target], keep_valid=True)
    assert [v.cve_id for v in kept.records] == ["CVE-2024-2466"] and kept.errors == [where]


def test_decoded_entries_keep_the_records_own_version_objects(shared_data: Path) -> None:
    doc = _sample(shared_data, "CVE-2024-2466")
    [record] = load_cve5([shared_data / "cve5" / "sample" / "CVE-2024-2466.json"]).records
    cna = record.affected[0]
    assert (cna.vendor, cna.product, cna.default_status) == ("curl", "curl", "unaffected")
    assert cna.versions == doc["containers"]["cna"]["affected"][0]["versions"]
    assert [list(v) for v in cna.versions] == [
        list(v) for v in doc["containers"]["cna"]["affected"][0]["versions"]
    ]  # same keys in the record's own order (the hub stores them as they came)


def _ssvc(doc: Doc) -> Doc:
    return _adp_metrics(doc)[1]["other"]["content"]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            [{"Exploitation": "none"}, {"Automatable": "yes"}, {"Technical Impact": "partial"}],
            ("none", "yes", "partial"),
        ),
        (
            [{"Exploitation": "Active"}, {"Automatable": "No"}, {"Technical Impact": "Total"}],
            ("active", "no", "total"),
        ),  # 2024 records capitalise some values
        (
            [{"exploitation": "PoC"}, {"AUTOMATABLE": " yes "}, {"technical impact": "total"}],
            ("poc", "yes", "total"),
        ),  # other letters in the names: read as before
        ([{"Exploitation": "poc", "Automatable": "no"}, "n/a"], ("poc", "no", None)),
    ],
)
def test_ssvc_decision_points_are_read_in_any_letters(
    shared_data: Path, options: list[Any], expected: tuple[str | None, ...]
) -> None:
    doc = _sample(shared_data, "CVE-2024-20077")
    _ssvc(doc)["options"] = options
    vuln = record_from_json(orjson.dumps(doc))
    assert (vuln.ssvc_exploitation, vuln.ssvc_automatable, vuln.ssvc_technical_impact) == expected


def test_free_form_other_content_of_another_shape_is_not_a_fault(shared_data: Path) -> None:
    doc = _sample(shared_data, "CVE-2024-20077")
    _adp_metrics(doc)[1]["other"]["content"] = {"options": "see the advisory"}
    _adp_metrics(doc).append({"other": {"type": "kev", "content": {"dateAdded": "2024-07-02"}}})
    _adp_metrics(doc).append({"other": {"type": "Red Hat severity rating", "content": [1]}})
    vuln = record_from_json(orjson.dumps(doc))
    assert vuln.ssvc_exploitation is None
    assert vuln.kev and vuln.kev_date_added == "2024-07-02"


def test_one_record_from_its_json_names_a_fault_by_path(shared_data: Path) -> None:
    doc = _sample(shared_data, "CVE-2024-2466")
    _cna_version(doc)["version"] = 8.6
    with pytest.raises(InvalidInput) as caught:
        record_from_json(orjson.dumps(doc))
    assert (
        caught.value.message
        == "containers.cna.affected[0].versions[0].version: expected str, got number"
    )
    with pytest.raises(InvalidInput) as caught:
        record_from_json(b'{"dataType": "CVE_RECORD", ')
    assert caught.value.message.startswith("broken JSON (")
