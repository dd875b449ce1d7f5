"""`openwarp exposure match`: match an inventory against vulnerability files, no hub needed.

Thin on purpose: read the files, call the pure-core matcher, print. Bad input is
reported on stderr (file, row, column or JSON path) with exit code 2, so scripts
can tell it from a crash; `--keep-valid` is the user's explicit confirmation
that valid rows and records may be used when some are bad.
"""

from __future__ import annotations

import csv
import io
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import orjson
import typer

from openwarp.cli.django_setup import DataDirOption, errors_as_exit_codes, setup
from openwarp.core.errors import OpenWarpError
from openwarp.core.vulns.csaf import load_csaf
from openwarp.core.vulns.cve5 import load_cve5
from openwarp.core.vulns.feeds import load_epss, load_kev
from openwarp.core.vulns.inventory import read_inventory
from openwarp.core.vulns.matcher import Finding, InventoryIndex
from openwarp.core.vulns.nvd import load_nvd
from openwarp.core.vulns.sources import combine_sources

EXIT_BAD_INPUT = 2

app = typer.Typer(help="Exposure: which of our products are affected by which CVEs.")


class OutputFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    TABLE = "table"


@app.callback()
def exposure() -> None:
    """Exposure: which of our products are affected by which CVEs."""


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


@app.command("match")
def match_command(
    inventory: Annotated[Path, typer.Option("--inventory", help="Inventory .csv or .xlsx.")],
    cve5: Annotated[
        list[Path],
        typer.Option("--cve5", help="CVE JSON 5 record file, JSON-lines (.gz) file or directory."),
    ],
    nvd: Annotated[
        list[Path] | None,
        typer.Option("--nvd", help="NVD CVE API 2.0 JSON file(s) with configurations."),
    ] = None,
    csaf: Annotated[
        list[Path] | None,
        typer.Option("--csaf", help="CSAF 2.0 advisory file(s) or directory."),
    ] = None,
    kev: Annotated[Path | None, typer.Option("--kev", help="CISA KEV JSON file.")] = None,
    epss: Annotated[Path | None, typer.Option("--epss", help="FIRST EPSS CSV file.")] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="json (default), csv or table.")
    ] = OutputFormat.JSON,
    keep_valid: Annotated[
        bool,
        typer.Option("--keep-valid", help="Use the valid rows and records even if some are bad."),
    ] = False,
) -> None:
    """Judge every inventory row against every CVE; print affected and needs-review pairs."""
    try:
        items = read_inventory(inventory, keep_valid=keep_valid)
        records = load_cve5(cve5, keep_valid=keep_valid)
        vulns = combine_sources(
            records.records,
            nvd=load_nvd(nvd) if nvd else None,
            csaf=load_csaf(csaf) if csaf else (),
            kev=load_kev(kev) if kev else None,
            epss=load_epss(epss) if epss else None,
        )
    except OpenWarpError as exc:
        _fail(exc.message)
    for warning in items.errors + records.errors:
        typer.echo(f"skipped: {warning}", err=True)
    index = InventoryIndex(items.items)
    findings = [f for vuln in vulns for f in index.match(vuln)]
    findings.sort(key=lambda f: (-f.priority, f.item.row, f.cve_id))
    _print(findings, output_format)


def _print(findings: list[Finding], output_format: OutputFormat) -> None:
    if output_format is OutputFormat.JSON:
        sys.stdout.write(
            orjson.dumps([f.as_dict() for f in findings], option=orjson.OPT_INDENT_2).decode()
            + "\n"
        )
    elif output_format is OutputFormat.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["row", "cve", "verdict", "priority", "product", "reason", "evidence"])
        for f in findings:
            writer.writerow(
                [
                    f.item.row,
                    f.cve_id,
                    str(f.verdict),
                    f.priority,
                    f.item.label(),
                    f.reason,
                    orjson.dumps(f.evidence).decode(),
                ]
            )
        sys.stdout.write(buffer.getvalue())
    else:
        _print_table(findings)


def _print_table(findings: list[Finding]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(findings)} warnings")
    for column in ("row", "CVE", "verdict", "priority", "product", "reason"):
        table.add_column(column)
    for f in findings:
        table.add_row(
            str(f.item.row), f.cve_id, str(f.verdict), f"{f.priority:.1f}", f.item.label(), f.reason
        )
    Console().print(table)


@app.command("load")
def load_command(
    cve5: Annotated[
        list[Path] | None,
        typer.Option("--cve5", help="CVE JSON 5 record file, JSON-lines (.gz) file or directory."),
    ] = None,
    nvd: Annotated[
        list[Path] | None,
        typer.Option("--nvd", help="NVD CVE API 2.0 JSON file(s) (.gz) or directory."),
    ] = None,
    csaf: Annotated[
        list[Path] | None,
        typer.Option("--csaf", help="CSAF 2.0 advisory file(s) (.gz) or directory."),
    ] = None,
    kev: Annotated[Path | None, typer.Option("--kev", help="CISA KEV JSON file.")] = None,
    epss: Annotated[Path | None, typer.Option("--epss", help="FIRST EPSS CSV file.")] = None,
    match: Annotated[
        bool,
        typer.Option("--match/--queue", help="Re-match now (default) or leave it to the worker."),
    ] = True,
    data_dir: Path | None = DataDirOption,
) -> None:
    """Load vulnerability data into the hub, all or nothing, then re-match members."""
    if not (cve5 or nvd or csaf or kev or epss):
        _fail("give --cve5, --nvd, --csaf, --kev or --epss")
    setup(data_dir)
    from openwarp.hub.exposure.services.alerts import exposure_refresh_after_load
    from openwarp.hub.exposure.services.data import vulnerability_data_load
    from openwarp.hub.exposure.tasks import exposure_after_load_task

    with errors_as_exit_codes():
        load = vulnerability_data_load(
            actor=None,
            cve5_paths=cve5 or [],
            nvd_paths=nvd or [],
            csaf_paths=csaf or [],
            kev_path=kev,
            epss_path=epss,
        )
    typer.echo(
        f"loaded {load.cve_records} CVE records, KEV {load.kev_version or '-'} "
        f"({len(load.kev_added)} added, {len(load.kev_removed)} removed), "
        f"{load.epss_scores} EPSS scores"
    )
    if match:
        alerts = exposure_refresh_after_load(load_id=load.pk)
        typer.echo(f"re-matched; {alerts} KEV alert(s) raised")
    else:
        exposure_after_load_task.enqueue(load_id=load.pk)
        typer.echo("re-match queued for the worker")
