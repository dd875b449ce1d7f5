"""``openwarp sweep --hub``: indicators from the hub's cache in, sightings out.

The sweep itself does not know about hubs; this module turns the cache into
indicator rows and a sweep's tallies into the batches the hub records once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openwarp.cli.hub_client import Hub, HubError, IndicatorCache
from openwarp.core.indicators.loaders import Row
from openwarp.core.indicators.markings import tlp_from_name
from openwarp.core.sweep.ledger import Ledger, Mark, mark_of
from openwarp.core.sweep.sightings import (
    Tallies,
    Tally,
    batch_items,
    batch_key,
    batches,
    range_key,
    sample_lines,
)

type Extents = dict[str, tuple[int, int, bool]]

BATCH = 500


def cache_rows(cache: IndicatorCache, *, include_warninglisted: bool) -> tuple[list[Row], int]:
    """Indicator rows for ``build_set`` (report = the hub report's public id),
    and how many warninglisted ones were left out."""
    rows: list[Row] = []
    skipped = 0
    for ident, item in sorted(cache.items.items()):
        if item.get("warninglisted") and not include_warninglisted:
            skipped += 1
            continue
        rows.append(
            (
                cache.path,
                f"hub indicator {ident}",
                item["value"],
                item["report"],
                tlp_from_name(item.get("tlp") or ""),
            )
        )
    return rows, skipped


def hub_ids(cache: IndicatorCache) -> dict[tuple[str, str], str]:
    """(value, report) to the hub's indicator id, to name what was seen."""
    return {(item["value"], item["report"]): ident for ident, item in cache.items.items()}


@dataclass
class ReportOutcome:
    batches: int = 0
    recorded: int = 0  # batches the hub recorded this time
    repeated: int = 0  # batches it already had
    indicators: int = 0
    sightings: int = 0
    held: int = 0  # hits on lines reported by an earlier sweep, not sent again


def _items(
    tallies: list[Tally], ids: dict[tuple[str, str], str], lines: bool
) -> list[dict[str, object]]:
    """One item per value: the hub tallies by value, and a value carried by two
    reports hits each line twice in the sweep, so only one of them is sent."""
    chosen: dict[tuple[str, str], tuple[str, Tally]] = {}
    for tally in tallies:
        ident = ids.get((tally.value, tally.report or ""))
        if ident is not None and (tally.type, tally.value) not in chosen:
            chosen[(tally.type, tally.value)] = (ident, tally)
    pairs = list(chosen.values())
    items = batch_items(pairs)
    if lines:
        for item, (_, tally) in zip(items, pairs, strict=True):
            item["lines"] = sample_lines(tally.samples)
    return items


def ledger_path(cache: IndicatorCache) -> Path:
    """Beside the hub's indicator cache, per hub and token: ``reported-<name>.json``."""
    return cache.path.with_name(cache.path.name.replace("indicators-", "reported-", 1))


class ReportBook:
    """The ledger of reported ranges, seen from one sweep: where each file starts."""

    def __init__(self, ledger: Ledger | None) -> None:
        self.ledger = ledger
        self.resumes: dict[str, Mark] = {}

    def starts(self, file: str) -> tuple[int, int | None]:
        if self.ledger is None or file == "-":
            return 0, None
        first, resume = self.ledger.start(file)
        if resume is None:
            return first, None
        self.resumes[file] = resume
        return first, resume.lines


@dataclass
class _Planned:
    file: str
    mark: Mark | None  # None: compressed, UTF-16 or stdin, keyed by size and mtime
    batches: list[tuple[str, list[dict[str, object]]]]


def _planned(
    tallies: Tallies, cache: IndicatorCache, lines: bool, book: ReportBook, extents: Extents
) -> list[_Planned]:
    ids = hub_ids(cache)
    planned: list[_Planned] = []
    for (file, part), file_tallies in tallies.by_file().items():
        items = _items(file_tallies, ids, lines)
        if not items:
            continue
        first, resume = tallies.range_of(file)
        mark: Mark | None = book.resumes.get(file) if part == 0 else None
        if part == 1:
            newlines, size, streamed = extents.get(file, (0, 0, True))
            mark = None if streamed or book.ledger is None else mark_of(file, newlines, size)
            first = first if resume is None else resume
        key = batch_key(file, items) if mark is None else range_key(mark.as_json(), first, items)
        planned.append(_Planned(file, mark, list(batches(key, items, BATCH))))
    return planned


def send_report(
    hub: Hub,
    cache: IndicatorCache,
    tallies: Tallies,
    *,
    lines: bool,
    book: ReportBook | None = None,
    extents: Extents | None = None,
) -> ReportOutcome:
    """Send the sightings, each file's (and range's) under keys of their own.

    A batch the hub already holds is answered as a repeat, so after a failure
    the same sweep can simply be run again: what arrived is not counted twice
    and the rest is sent. With a ledger, a range is written down as being sent
    before its first batch and as reported after its last, so a growing file
    is reported once per line however often it is swept.
    """
    book = book or ReportBook(None)
    planned = _planned(tallies, cache, lines, book, extents or {})
    total = sum(len(plan.batches) for plan in planned)
    outcome = ReportOutcome(held=sum(tallies.held.values()))
    for plan in planned:
        if plan.mark is not None and book.ledger is not None:
            book.ledger.record(plan.file, plan.mark, sent=False)
        for key, chunk in plan.batches:
            _send(hub, key, chunk, outcome, total)
        if plan.mark is not None and book.ledger is not None:
            book.ledger.record(plan.file, plan.mark, sent=True)
    return outcome


def _send(
    hub: Hub, key: str, chunk: list[dict[str, object]], outcome: ReportOutcome, total: int
) -> None:
    try:
        answer = hub.call("POST", "/sightings/batch", {"key": key, "items": chunk})
    except HubError as exc:
        raise HubError(
            f"{exc} ({outcome.batches} of {total} sighting batches sent; "
            "run the same sweep again to send the rest)"
        ) from None
    outcome.batches += 1
    outcome.indicators += len(chunk)
    outcome.sightings += sum(int(str(item["count"])) for item in chunk)
    if isinstance(answer, dict) and answer.get("duplicate"):
        outcome.repeated += 1
    else:
        outcome.recorded += 1


def describe(outcome: ReportOutcome) -> str:
    before = (
        f"; {outcome.held:,} hit(s) on lines reported before, not sent again"
        if outcome.held
        else ""
    )
    if not outcome.batches:
        return (
            "report: nothing new to send" if outcome.held else "report: nothing seen, nothing sent"
        ) + before
    return (
        f"report: {outcome.sightings:,} sighting(s) of {outcome.indicators:,} indicator(s) "
        f"in {outcome.batches} batch(es): {outcome.recorded} recorded, "
        f"{outcome.repeated} already on the hub" + before
    )
