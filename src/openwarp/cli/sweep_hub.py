"""``openwarp sweep --hub``: indicators from the hub's cache in, sightings out.

The sweep itself does not know about hubs; this module turns the cache into
indicator rows and a sweep's tallies into the batches the hub records once.
"""

from __future__ import annotations

from dataclasses import dataclass

from openwarp.cli.hub_client import Hub, HubError, IndicatorCache
from openwarp.core.indicators.loaders import Row
from openwarp.core.indicators.markings import tlp_from_name
from openwarp.core.sweep.sightings import (
    Tallies,
    Tally,
    batch_items,
    batch_key,
    batches,
    sample_lines,
)

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


def _planned(
    tallies: Tallies, cache: IndicatorCache, lines: bool
) -> list[tuple[str, list[dict[str, object]]]]:
    ids = hub_ids(cache)
    planned: list[tuple[str, list[dict[str, object]]]] = []
    for file, file_tallies in tallies.by_file().items():
        items = _items(file_tallies, ids, lines)
        if items:
            planned += batches(batch_key(file, items), items, BATCH)
    return planned


def send_report(hub: Hub, cache: IndicatorCache, tallies: Tallies, *, lines: bool) -> ReportOutcome:
    """Send the sightings, each file's under keys of its own (``<digest>-<n>``).

    A batch the hub already holds is answered as a repeat, so after a failure
    the same sweep can simply be run again: what arrived is not counted twice
    and the rest is sent.
    """
    planned = _planned(tallies, cache, lines)
    outcome = ReportOutcome()
    for key, chunk in planned:
        try:
            answer = hub.call("POST", "/sightings/batch", {"key": key, "items": chunk})
        except HubError as exc:
            raise HubError(
                f"{exc} ({outcome.batches} of {len(planned)} sighting batches sent; "
                "run the same sweep again to send the rest)"
            ) from None
        outcome.batches += 1
        outcome.indicators += len(chunk)
        outcome.sightings += sum(int(str(item["count"])) for item in chunk)
        if isinstance(answer, dict) and answer.get("duplicate"):
            outcome.repeated += 1
        else:
            outcome.recorded += 1
    return outcome


def describe(outcome: ReportOutcome) -> str:
    if not outcome.batches:
        return "report: nothing seen, nothing sent"
    return (
        f"report: {outcome.sightings:,} sighting(s) of {outcome.indicators:,} indicator(s) "
        f"in {outcome.batches} batch(es): {outcome.recorded} recorded, "
        f"{outcome.repeated} already on the hub"
    )
