"""The hub re-match compares versions in their scheme exactly as `openwarp exposure match`.

Real records with `versionType` (python, maven, npm, semver, git) and CSAF
advisories with `vers:` ranges are stored, the rows of the shared case table
are added to one member, and each row's verdict must be the table's and the
offline command's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from typer.testing import CliRunner

from openwarp.cli.main import app
from openwarp.hub.exposure.models import ExposureWarning, Vulnerability
from openwarp.hub.exposure.services.data import vulnerability_data_load
from openwarp.hub.exposure.services.matching import exposure_rematch
from tests.core.vulns.scheme_cases import CSAF_CASES, CVE5_CASES
from tests.core.vulns.test_vulns_scheme_matching import (
    _inventory,
    csaf_vulnerabilities,
    write_records,
)
from tests.hub.exposure.conftest import add_rows
from tests.world import World

CASES = CVE5_CASES + CSAF_CASES


def _load(tmp_path: Path, shared_data: Path) -> tuple[Path, Path]:
    records = tmp_path / "records.jsonl"
    write_records(shared_data, records)
    csaf = tmp_path / "csaf"
    csaf.mkdir()
    csaf_vulnerabilities(csaf)
    vulnerability_data_load(actor=None, cve5_paths=[records], csaf_paths=[csaf])
    return records, csaf


def _hub_verdicts(world: World) -> dict[tuple[int, str], dict[str, Any]]:
    """(inventory row id, CVE) -> that row's verdict and reason in the warnings."""
    out = {}
    for warning in ExposureWarning.objects.filter(organisation=world.own, active=True):
        for row in warning.evidence["rows"]:
            out[(row["id"], warning.cve_id)] = row
    return out


def test_the_hub_rematch_gives_the_table_verdicts(
    world: World, tmp_path: Path, shared_data: Path
) -> None:
    _load(tmp_path, shared_data)
    stored = Vulnerability.objects.get(cve_id="CVE-2024-22243")
    assert stored.affected[0]["ver"][0]["versionType"] == "maven"  # the scheme is stored
    rows = add_rows(world.own, [case.row for case in CASES])
    exposure_rematch()
    found = _hub_verdicts(world)
    for row, case in zip(rows, CASES, strict=True):
        judged = found.get((row.pk, case.cve))
        if case.verdict == "not_affected":
            assert judged is None, (case, judged)
            continue
        assert judged is not None, case
        assert judged["verdict"] == case.verdict, (case, judged["reason"])
        assert case.reason in judged["reason"]
    assert not ExposureWarning.objects.filter(organisation=world.other).exists()


def test_the_hub_and_the_offline_command_agree_row_by_row(
    world: World, tmp_path: Path, shared_data: Path
) -> None:
    records, csaf = _load(tmp_path, shared_data)
    rows = add_rows(world.own, [case.row for case in CASES])
    exposure_rematch()
    hub = {
        (key[0], key[1]): (value["verdict"], value["reason"])
        for key, value in _hub_verdicts(world).items()
    }
    _inventory(tmp_path / "inventory.csv", CASES)
    result = CliRunner().invoke(
        app,
        [
            "exposure", "match", "--inventory", str(tmp_path / "inventory.csv"),
            "--cve5", str(records), "--csaf", str(csaf),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    by_position = {number: row.pk for number, row in enumerate(rows, start=1)}
    offline = {
        (by_position[f["row"]], f["cve"]): (f["verdict"], f["reason"])
        for f in orjson.loads(result.stdout)
    }
    assert offline == hub
    # Every row's own case is judged (rows of one product, such as Liferay DXP, are
    # also judged against the product's other records in the table).
    own = {(row.pk, case.cve) for row, case in zip(rows, CASES, strict=True)}
    judged_own = own & set(offline)
    assert len(judged_own) == sum(case.verdict != "not_affected" for case in CASES)


def test_a_stored_record_keeps_its_registry_and_its_ordering(
    world: World, tmp_path: Path, shared_data: Path
) -> None:
    # CVE-2024-27132 (mlflow at https://pypi.org) with its version labels dropped:
    # the stored entry keeps the registry, so PEP 440 still orders the versions and
    # an npm package of the same name is not this one.
    records = tmp_path / "records.jsonl"
    write_records(shared_data, records)
    [line] = [x for x in records.read_bytes().splitlines() if b'"CVE-2024-27132"' in x]
    doc = orjson.loads(line)
    doc["containers"].pop("adp")
    for entry in doc["containers"]["cna"]["affected"]:
        for version in entry["versions"]:
            version.pop("versionType")
    records.write_bytes(orjson.dumps(doc))
    vulnerability_data_load(actor=None, cve5_paths=[records])
    assert Vulnerability.objects.get(cve_id="CVE-2024-27132").affected[0]["eco"] == "pypi"
    rows = add_rows(
        world.own,
        [{"purl": "pkg:pypi/mlflow@2.9.2c1"}, {"purl": "pkg:npm/mlflow@2.9.2"}],
    )
    exposure_rematch()
    found = _hub_verdicts(world)
    assert found[(rows[0].pk, "CVE-2024-27132")]["verdict"] == "affected"
    assert (rows[1].pk, "CVE-2024-27132") not in found
