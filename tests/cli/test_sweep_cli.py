"""``openwarp sweep`` as a user drives it: output contract and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from openwarp.cli.sweep import sweep_command
from openwarp.core.sweep import native, prefilter
from openwarp.core.sweep.prefilter import unavailable

LOG = (
    "1700000000.123    245 10.20.1.17 TCP_MISS/200 5120 GET http://www.Evil.com/j.js - "
    "HIER_DIRECT/203.0.113.9 text/html\n"
    "1700000001.123    245 10.20.1.17 TCP_MISS/200 5120 GET http://notevil.com/ - "
    "HIER_DIRECT/198.51.100.1 text/html\n"
)


@pytest.fixture(autouse=True)
def _no_default_warninglists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a warning list file an operator left on this machine out of these tests."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # compiled pre-filters


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer()
    application.command()(sweep_command)
    return application


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "logs").mkdir()
    log = tmp_path / "logs" / "proxy.log"
    log.write_text(LOG)
    iocs = tmp_path / "iocs.csv"
    iocs.write_text(
        "value,report,tlp\nevil[.]com,Op Fog,TLP:AMBER\n198.51.100.99,Op Fog,TLP:GREEN\n"
    )
    return log, iocs


def test_jsonl_hits_follow_the_output_contract(app: typer.Typer, files: tuple[Path, Path]) -> None:
    log, iocs = files
    result = CliRunner().invoke(app, ["--indicators", str(iocs), str(log)])
    assert result.exit_code == 1, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records == [
        {
            "file": str(log),
            "line": 1,
            "timestamp": "2023-11-14T22:13:20.123Z",
            "indicator": "evil[.]com",
            "type": "domain",
            "matched": "www.Evil.com",
            "report": "Op Fog",
            "tlp": "amber",
        }
    ]
    assert "1 hit(s)" in result.stderr


def test_nothing_found_exits_zero(
    app: typer.Typer, files: tuple[Path, Path], tmp_path: Path
) -> None:
    _, iocs = files
    clean = tmp_path / "clean.log"
    clean.write_text("nothing to see on notevil.com\n")
    result = CliRunner().invoke(app, ["-i", str(iocs), str(clean)])
    assert result.exit_code == 0 and result.stdout == ""


def test_csv_and_table_formats(app: typer.Typer, files: tuple[Path, Path]) -> None:
    log, iocs = files
    as_csv = CliRunner().invoke(app, ["-i", str(iocs), "--format", "csv", str(log)])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(r["line"], r["indicator"], r["matched"], r["tlp"]) for r in rows] == [
        ("1", "evil[.]com", "www.Evil.com", "amber")
    ]
    table = CliRunner().invoke(app, ["-i", str(iocs), "-f", "table", str(log)])
    assert table.exit_code == 1 and "www.Evil" in table.stdout and "amber" in table.stdout


def test_stdin_and_directories(app: typer.Typer, files: tuple[Path, Path]) -> None:
    log, iocs = files
    result = CliRunner().invoke(app, ["-i", str(iocs), "-", str(log.parent)], input=LOG)
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(h["file"], h["line"]) for h in hits] == [("-", 1), (str(log), 1)]


def test_errors_exit_two_and_say_why(
    app: typer.Typer, files: tuple[Path, Path], tmp_path: Path
) -> None:
    log, iocs = files
    missing_log = CliRunner().invoke(app, ["-i", str(iocs), str(log), str(tmp_path / "nope.log")])
    assert missing_log.exit_code == 2
    assert "nope.log: cannot read" in missing_log.stderr
    assert json.loads(missing_log.stdout.splitlines()[0])["line"] == 1  # hits still printed
    missing_iocs = CliRunner().invoke(app, ["-i", str(tmp_path / "none.txt"), str(log)])
    assert missing_iocs.exit_code == 2 and "cannot load indicators" in missing_iocs.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("/only/a/path\n")
    no_usable = CliRunner().invoke(app, ["-i", str(empty), str(log)])
    assert no_usable.exit_code == 2 and "no usable indicators" in no_usable.stderr


def test_warninglisted_indicators_are_skipped_unless_asked(
    app: typer.Typer, tmp_path: Path, shared_data: Path
) -> None:
    log = tmp_path / "dns.log"
    log.write_text("Nov 14 10:00:00 gw dnsmasq[1]: query[A] www.google.com from 10.0.0.5\n")
    iocs = tmp_path / "iocs.txt"
    iocs.write_text("google.com\n")
    lists = str(shared_data / "warninglists" / "warninglists.jsonl.gz")
    skipped = CliRunner().invoke(app, ["-i", str(iocs), "--warninglists", lists, str(log)])
    assert skipped.exit_code == 2 and "warninglisted" in skipped.stderr  # nothing usable left
    kept = CliRunner().invoke(
        app, ["-i", str(iocs), "--warninglists", lists, "--include-warninglisted", str(log)]
    )
    assert kept.exit_code == 1 and "www.google.com" in kept.stdout
    default = tmp_path / "data" / "openwarp" / "warninglists.jsonl.gz"
    default.parent.mkdir(parents=True)
    default.symlink_to(lists)  # where an operator leaves them; read in place
    found = CliRunner().invoke(app, ["-i", str(iocs), str(log)])
    assert found.exit_code == 2 and "skipped 1 warninglisted" in found.stderr


def test_progress_bar_only_when_asked_or_on_a_terminal(
    app: typer.Typer, files: tuple[Path, Path]
) -> None:
    log, iocs = files
    quiet = CliRunner().invoke(app, ["-i", str(iocs), str(log)])
    assert "MB/s" not in quiet.stderr.split("swept")[0]


@pytest.mark.skipif(unavailable() is not None, reason=str(unavailable()))
def test_each_engine_prints_the_same_hits_and_the_compiled_one_is_cached(
    app: typer.Typer, files: tuple[Path, Path], tmp_path: Path
) -> None:
    log, iocs = files
    outputs = {}
    for engine in ("python", "hyperscan", "auto"):
        result = CliRunner().invoke(app, ["-i", str(iocs), "--engine", engine, str(log)])
        assert result.exit_code == 1, result.output
        outputs[engine] = result.stdout
    assert outputs["python"] == outputs["hyperscan"] == outputs["auto"]
    result = CliRunner().invoke(app, ["-i", str(iocs), "--engine", "hyperscan", str(log)])
    assert "engine: hyperscan (2 literals loaded from the cache" in result.stderr
    assert len(list((tmp_path / "cache" / "openwarp").glob("prefilter-*.hsdb"))) == 1


def test_without_hyperscan_asking_for_it_is_one_error_line_and_auto_still_sweeps(
    app: typer.Typer, files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    log, iocs = files
    monkeypatch.setattr(prefilter, "hyperscan", None)  # as on a machine without the wheel
    monkeypatch.setattr(native, "_WHY", "the native extension is not built (test)")
    refused = CliRunner().invoke(app, ["-i", str(iocs), "--engine", "hyperscan", str(log)])
    assert refused.exit_code == 2
    assert "error: engine: --engine hyperscan: hyperscan is not installed" in refused.stderr
    fallback = CliRunner().invoke(app, ["-i", str(iocs), str(log)])
    assert fallback.exit_code == 1 and "www.Evil.com" in fallback.stdout
    assert "engine: python (hyperscan is not installed); the native extension is not built" in (
        fallback.stderr
    )


@pytest.mark.skipif(native.unavailable() is not None, reason=str(native.unavailable()))
def test_native_engine_prints_what_python_prints_and_auto_prefers_it(
    app: typer.Typer, files: tuple[Path, Path]
) -> None:
    log, iocs = files
    outputs = {}
    for engine in ("python", "native", "auto"):
        result = CliRunner().invoke(app, ["-i", str(iocs), "--engine", engine, str(log)])
        assert result.exit_code == 1, result.output
        outputs[engine] = result.stdout
        assert "www.Evil.com" in result.stdout
    assert outputs["python"] == outputs["native"] == outputs["auto"]
    assert "engine: native (2 texts hashed in" in result.stderr


def test_without_the_extension_native_is_one_error_line_and_auto_still_sweeps(
    app: typer.Typer, files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    log, iocs = files
    monkeypatch.setattr(native, "_WHY", "the native extension is not built (test)")
    refused = CliRunner().invoke(app, ["-i", str(iocs), "--engine", "native", str(log)])
    assert refused.exit_code == 2
    assert "error: engine: --engine native: the native extension is not built" in refused.stderr
    fallback = CliRunner().invoke(app, ["-i", str(iocs), str(log)])
    assert fallback.exit_code == 1 and "www.Evil.com" in fallback.stdout
    assert "; the native extension is not built (test)" in fallback.stderr
