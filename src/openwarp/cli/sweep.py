"""``openwarp sweep``: hunt an indicator set in local logs, print the hits.

Thin by design: parse options, load the indicator set, call
``core.sweep.sweep_paths``, render. Hits go to stdout (JSON lines, CSV or a
table) so they can be piped; progress, warnings and the summary go to stderr.
Exit code: 0 nothing found, 1 hits found, 2 an error (grep's convention: an
error wins, because a sweep that could not read everything is not a clean bill).
"""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from itertools import batched
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Column, Table

from openwarp.cli.hub_client import Hub, HubError, IndicatorCache, default_cache_dir
from openwarp.cli.hub_client import fetch_indicators as hub_fetch
from openwarp.cli.sweep_hub import ReportBook, cache_rows, describe, ledger_path, send_report
from openwarp.core.errors import InvalidInput, OpenWarpError
from openwarp.core.indicators import LoadReport, load_warninglists
from openwarp.core.indicators.build import BATCH, build_from_batches
from openwarp.core.indicators.loaders import Row, file_batches
from openwarp.core.sweep import Hit, Summary, SweepWarning, sweep_paths
from openwarp.core.sweep.ledger import Ledger
from openwarp.core.sweep.sightings import Tallies

EXIT_CLEAN, EXIT_HITS, EXIT_ERROR = 0, 1, 2
_FIELDS = ("file", "line", "timestamp", "indicator", "type", "matched", "report", "tlp")


class Engine(StrEnum):
    auto = "auto"
    native = "native"
    hyperscan = "hyperscan"
    python = "python"


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    table = "table"


def _record(hit: Hit) -> dict[str, Any]:
    record: dict[str, Any] = {"file": hit.file, "line": hit.line}
    if hit.timestamp is not None:
        record["timestamp"] = hit.timestamp
    record.update(indicator=hit.indicator, type=hit.type, matched=hit.matched)
    if hit.report is not None:
        record["report"] = hit.report
    if hit.tlp is not None:
        record["tlp"] = hit.tlp
    return record


class _Printer:
    """Writes hits as they arrive (a table has to wait for the end)."""

    def __init__(self, fmt: OutputFormat) -> None:
        self.fmt = fmt
        self.rows: list[Hit] = []
        self.csv = csv.DictWriter(sys.stdout, _FIELDS) if fmt is OutputFormat.csv else None
        if self.csv is not None:
            self.csv.writeheader()

    def hit(self, hit: Hit) -> None:
        if self.fmt is OutputFormat.jsonl:
            sys.stdout.write(orjson.dumps(_record(hit)).decode() + "\n")
        elif self.csv is not None:
            self.csv.writerow({name: getattr(hit, name) for name in _FIELDS})
        else:
            self.rows.append(hit)

    def close(self) -> None:
        if self.fmt is not OutputFormat.table:
            sys.stdout.flush()
            return
        table = Table(*(Column(name, overflow="fold") for name in _FIELDS))
        for hit in self.rows:
            table.add_row(*(str(getattr(hit, name) or "") for name in _FIELDS))
        Console().print(table)


def _load(
    indicator_files: list[Path], hub_rows: list[Row], warninglists: Path | None, keep: bool
) -> LoadReport:
    """One set from the local files and the hub's cache (its report ids kept)."""
    lists = None if keep or warninglists is None else load_warninglists(warninglists)

    def batches() -> Iterator[Sequence[Row]]:
        yield from batched(hub_rows, BATCH)
        for path in indicator_files:
            if not path.is_file():
                raise InvalidInput(f"{path}: no such indicator file", field="indicators")
            yield from file_batches(path)

    return build_from_batches(batches(), warninglists=lists)


def default_warninglists() -> Path | None:
    """``$XDG_DATA_HOME/openwarp/warninglists.jsonl.gz`` (``~/.local/share/...``), if there:
    where an operator leaves MISP warning lists so every sweep skips benign values."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    path = Path(base) / "openwarp" / "warninglists.jsonl.gz"
    return path if path.is_file() else None


def _from_hub(
    console: Console, hub: Hub | None, cache_dir: Path | None, keep: bool
) -> tuple[IndicatorCache | None, list[Row]]:
    """Update the cache from the hub (only what is new) and read it back."""
    if hub is None:
        return None, []
    cache = IndicatorCache.for_hub(cache_dir or default_cache_dir(), hub)
    fresh = hub_fetch(hub, cache)
    rows, skipped = cache_rows(cache, include_warninglisted=keep)
    console.print(
        f"hub: {fresh:,} new indicator(s), {len(cache.items):,} in the cache"
        + (f", {skipped:,} warninglisted skipped" if skipped else "")
    )
    return cache, rows


def _describe_load(
    console: Console, report: LoadReport, warninglists: Path | None, keep: bool
) -> None:
    counts = ", ".join(f"{n:,} {kind}" for kind, n in sorted(report.indicators.counts().items()))
    console.print(f"indicators: {len(report.indicators):,} usable ({counts or 'none'})")
    for reason, count in report.rejected.most_common(5):
        console.print(f"  left out {count:,}: {reason}")
    if report.warninglisted:
        total = sum(report.warninglisted.values())
        console.print(
            f"  skipped {total:,} warninglisted (use --include-warninglisted to keep them)"
        )
    elif warninglists is None and not keep:
        console.print(
            "  no warning lists applied (give --warninglists FILE, or put them at "
            "~/.local/share/openwarp/warninglists.jsonl.gz)"
        )


def _summarise(console: Console, summary: Summary) -> None:
    rate = summary.bytes_read / 1e6 / summary.seconds if summary.seconds else 0.0
    console.print(
        f"swept {summary.files:,} file(s), {summary.lines:,} lines, "
        f"{summary.bytes_read / 1e6:,.1f} MB in {summary.seconds:.1f} s ({rate:,.1f} MB/s): "
        f"{summary.hits:,} hit(s) on {len(summary.by_indicator):,} indicator(s), "
        f"{summary.warnings:,} warning(s); engine: {summary.engine}"
    )
    for (indicator, kind), count in summary.by_indicator.most_common(10):
        console.print(f"  {count:>8,}  {kind:<8} {indicator}")


def sweep_command(
    paths: Annotated[
        list[str],
        typer.Argument(help="Log files, directories (searched recursively), or - for stdin."),
    ],
    indicators: Annotated[
        list[Path] | None,
        typer.Option(
            "--indicators",
            "-i",
            help="Indicator file: plain list, CSV, STIX 2.1 bundle, MISP event/feed JSON, "
            "or maltrail TSV (gzip is fine). Repeat for several.",
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="How hits are printed on stdout.")
    ] = OutputFormat.jsonl,
    warninglists: Annotated[
        Path | None,
        typer.Option(
            "--warninglists",
            envvar="OPENWARP_WARNINGLISTS",
            help="MISP warning lists (JSON lines, gzip) used to skip noisy indicators.",
        ),
    ] = None,
    include_warninglisted: Annotated[
        bool, typer.Option("--include-warninglisted", help="Sweep warninglisted indicators too.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-j", min=1, help="Processes to use (default: cores)."),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal)."),
    ] = None,
    hub_url: Annotated[
        str | None,
        typer.Option("--hub", envvar="OPENWARP_HUB", help="Hub to fetch indicators from."),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option("--token", envvar="OPENWARP_TOKEN", help="API token for --hub."),
    ] = None,
    cache_dir: Annotated[
        Path | None,
        typer.Option("--cache", help="Where hub indicators are cached (~/.cache/openwarp)."),
    ] = None,
    report_back: Annotated[
        bool,
        typer.Option("--report", help="Send sightings (counts, first/last seen) to the hub."),
    ] = False,
    include_lines: Annotated[
        bool,
        typer.Option("--include-lines", help="With --report, also send up to 3 log lines each."),
    ] = False,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help=(
                "Stage 1: native (our C extension, when built), hyperscan (compiled "
                "pre-filter, kept in --cache), python, or auto (native, else hyperscan/python)."
            ),
        ),
    ] = Engine.auto,
) -> None:
    """Sweep local logs for indicators; print one line per hit."""
    console = Console(stderr=True, soft_wrap=True)
    warninglists = warninglists or default_warninglists()
    try:
        hub = _hub_of(hub_url, token, report_back, bool(indicators))
        cache, hub_rows = _from_hub(console, hub, cache_dir, include_warninglisted)
        report = _load(indicators or [], hub_rows, warninglists, include_warninglisted)
    except (OpenWarpError, HubError, OSError, ValueError) as exc:
        console.print(f"[red]error:[/red] cannot load indicators: {exc}", highlight=False)
        raise typer.Exit(EXIT_ERROR) from None
    _describe_load(console, report, warninglists, include_warninglisted)
    if not len(report.indicators):
        console.print("[red]error:[/red] no usable indicators")
        raise typer.Exit(EXIT_ERROR)
    summary = Summary()
    printer = _Printer(output_format)
    book = ReportBook(None if cache is None else Ledger(ledger_path(cache)))
    tallies = Tallies(now=datetime.now(UTC), samples=3 if include_lines else 0, starts=book.starts)
    sink = _Both(printer, tallies) if report_back else printer
    options = _RunOptions(workers, progress, str(engine), cache_dir or default_cache_dir())
    try:
        failed = _run(paths, report, summary, sink, console, options)
    except InvalidInput as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(EXIT_ERROR) from None
    printer.close()
    _summarise(console, summary)
    if report_back and hub is not None and cache is not None:
        failed = _report(console, hub, cache, tallies, include_lines, book, summary) or failed
    raise typer.Exit(EXIT_ERROR if failed else EXIT_HITS if summary.hits else EXIT_CLEAN)


def _hub_of(url: str | None, token: str | None, report_back: bool, local: bool) -> Hub | None:
    if url is None:
        if report_back or token:
            raise HubError("--report and --token need --hub URL")
        if not local:
            raise HubError("give --indicators FILE or --hub URL --token T")
        return None
    if not token:
        raise HubError("--hub needs --token (or OPENWARP_TOKEN)")
    return Hub(url, token)


class _Both:
    """Hits go to the printer and, for --report, into the tallies."""

    def __init__(self, printer: _Printer, tallies: Tallies) -> None:
        self.printer, self.tallies = printer, tallies

    def hit(self, hit: Hit) -> None:
        self.printer.hit(hit)
        self.tallies.add(hit)


def _report(
    console: Console,
    hub: Hub,
    cache: IndicatorCache,
    tallies: Tallies,
    lines: bool,
    book: ReportBook,
    summary: Summary,
) -> bool:
    """Send the sightings; True if that failed (the sweep's exit code says so)."""
    try:
        outcome = send_report(hub, cache, tallies, lines=lines, book=book, extents=summary.extents)
    except (HubError, OSError) as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        return True
    console.print(describe(outcome), highlight=False)
    return False


@dataclass(frozen=True)
class _RunOptions:
    workers: int | None
    progress: bool | None
    engine: str
    cache_dir: Path


def _run(
    paths: list[str],
    report: LoadReport,
    summary: Summary,
    printer: _Printer | _Both,
    console: Console,
    options: _RunOptions,
) -> bool:
    """Stream the sweep into the printer; True if any input could not be read."""
    show = console.is_terminal if options.progress is None else options.progress
    columns = (BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
    failed = False
    with Progress(*columns, console=console, disable=not show, transient=True) as bar:
        task = bar.add_task("sweep", total=None)
        items = sweep_paths(
            paths,
            report.indicators,
            summary,
            workers=options.workers,
            on_plan=lambda total: bar.update(task, total=total),
            on_progress=lambda size: bar.advance(task, size),
            engine=options.engine,
            cache_dir=options.cache_dir,
        )
        for item in items:
            if isinstance(item, SweepWarning):
                failed = failed or item.error
                console.print(f"[yellow]warning:[/yellow] {item}", highlight=False)
            else:
                printer.hit(item)
    return failed
