"""`openwarp exposure load`: the coordinator's offline import, run in-process."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from openwarp.cli.main import app
from openwarp.hub.exposure.models import DataLoad, EpssScore, ExposureWarning, Vulnerability
from tests.hub.exposure.conftest import SAMPLE_ROWS, add_rows
from tests.world import World

EPSS = (
    "#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z\n"
    "cve,epss,percentile\n"
    "CVE-2024-5009,0.91,0.99\n"
    "CVE-2024-2466,0.002,0.4\n"
)


def test_load_imports_records_and_scores_then_re_matches(
    world: World, sample_dir: Path, tmp_path: Path
) -> None:
    add_rows(world.own, SAMPLE_ROWS)
    epss = tmp_path / "epss.csv"
    epss.write_text(EPSS)
    result = CliRunner().invoke(
        app, ["exposure", "load", "--cve5", str(sample_dir), "--epss", str(epss)]
    )
    assert result.exit_code == 0, result.output
    assert "loaded 20 CVE records" in result.output and "2 EPSS scores" in result.output
    whatsup = ExposureWarning.objects.get(organisation=world.own, cve_id="CVE-2024-5009")
    assert whatsup.evidence["epss"] == 0.91
    assert EpssScore.objects.count() == 2


def test_a_bad_epss_line_is_named_and_nothing_is_loaded(
    db: None, sample_dir: Path, tmp_path: Path
) -> None:
    epss = tmp_path / "epss.csv"
    epss.write_text(EPSS.replace("0.91", "1.91"))
    result = CliRunner().invoke(
        app, ["exposure", "load", "--cve5", str(sample_dir), "--epss", str(epss)]
    )
    assert result.exit_code == 2
    assert "epss.csv line 3, column epss: 1.91 is outside 0..1" in result.output
    assert not Vulnerability.objects.exists() and not DataLoad.objects.exists()


def test_load_without_files_says_what_to_give(db: None) -> None:
    result = CliRunner().invoke(app, ["exposure", "load"])
    assert result.exit_code == 2 and "give --cve5, --nvd, --csaf, --kev or --epss" in result.output
