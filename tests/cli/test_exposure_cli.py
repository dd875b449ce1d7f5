"""`openwarp exposure match`, run offline over the shared sample records."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import orjson
from typer.testing import CliRunner

from openwarp.cli.exposure import EXIT_BAD_INPUT, app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "made" / "vulns"
INVENTORY = (
    "vendor,product,version,cpe,purl,internet_facing,criticality\n"
    "curl,curl,8.6.0,,,yes,high\n"
    "Progress Software Corporation,WhatsUp Gold,2023.1.0,,,no,medium\n"
    "curl,libcurl,8.9.1,,,no,low\n"
    "Apple,macOS,,,,no,low\n"
    ",,,cpe:2.3:o:axis:axis_os:11.11:*:*:*:*:*:*:*,,yes,\n"
)


def _run(
    tmp_path: Path, shared_data: Path, *extra: str, inventory: str = INVENTORY
) -> tuple[int, str, str]:
    path = tmp_path / "inventory.csv"
    path.write_text(inventory)
    result = CliRunner().invoke(
        app,
        ["match", "--inventory", str(path), "--cve5", str(shared_data / "cve5" / "sample"), *extra],
    )
    return result.exit_code, result.stdout, result.stderr


def test_json_output_lists_affected_and_needs_review_pairs(
    tmp_path: Path, shared_data: Path
) -> None:
    code, out, _ = _run(
        tmp_path,
        shared_data,
        "--kev",
        str(shared_data / "kev" / "known_exploited_vulnerabilities.json"),
        "--epss",
        str(FIXTURES / "epss_sample.csv"),
    )
    assert code == 0
    findings = orjson.loads(out)
    pairs = {(f["row"], f["cve"]): f["verdict"] for f in findings}
    assert pairs[(1, "CVE-2024-2466")] == "affected"
    assert pairs[(2, "CVE-2024-5009")] == "affected"
    assert pairs[(4, "CVE-2024-44178")] == "needs_review"  # no version in the row
    assert pairs[(5, "CVE-2024-6979")] == "affected"  # by CPE, ADP entry
    assert (3, "CVE-2024-2466") not in pairs  # 8.9.1 is fixed
    assert all(f["verdict"] != "not_affected" for f in findings)
    first = findings[0]
    assert set(first) >= {"row", "cve", "verdict", "reason", "priority", "evidence"}
    assert [f["priority"] for f in findings] == sorted(
        (f["priority"] for f in findings), reverse=True
    )


def test_csv_and_table_formats(tmp_path: Path, shared_data: Path) -> None:
    code, out, _ = _run(tmp_path, shared_data, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"row", "cve", "verdict", "priority", "reason", "evidence"} <= set(rows[0])
    assert any(r["cve"] == "CVE-2024-2466" and r["row"] == "1" for r in rows)
    code, out, _ = _run(tmp_path, shared_data, "--format", "table")
    assert code == 0 and "CVE-2024-2466" in out


def test_bad_inventory_row_exits_2_naming_row_and_column(tmp_path: Path, shared_data: Path) -> None:
    code, out, err = _run(
        tmp_path,
        shared_data,
        inventory="vendor,product,version,internet_facing\ncurl,curl,8.6.0,perhaps\n",
    )
    assert code == EXIT_BAD_INPUT
    assert "row 1, column internet_facing" in err
    assert out == ""


def test_keep_valid_uses_the_good_rows_and_says_what_was_skipped(
    tmp_path: Path, shared_data: Path
) -> None:
    code, out, err = _run(
        tmp_path,
        shared_data,
        "--keep-valid",
        inventory="vendor,product,version,criticality\n"
        "curl,curl,8.6.0,\n"
        "curl,curl,8.6.0,sky-high\n",
    )
    assert code == 0
    assert "skipped" in err and "row 2, column criticality" in err
    assert {f["row"] for f in orjson.loads(out)} == {1}
