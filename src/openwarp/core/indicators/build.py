"""Turn rows read from indicator files into an indicator set, fast.

Every value is classified as ``classify`` says, kept once per (value, report,
TLP), and counted with a reason when it is left out. A million-line feed is
mostly values already in normal form, so rows are taken in batches: one call
of ``canonical_kinds`` recognises those, and a batch of one kind from one
report (a plain list) is added with dictionary and list operations done in C.
The result is the same set, in the same order, as adding the rows one by one.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import batched, count, repeat
from operator import itemgetter
from typing import Any

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators.canonical import KIND_TYPES, canonical, canonical_kinds
from openwarp.core.indicators.model import Indicator, IndicatorSet, ids_of
from openwarp.core.indicators.normalise import classify
from openwarp.core.indicators.warninglists import Warninglists

# (file, where, value, report, tlp): ``where`` is a line number or JSON path,
# kept apart from the file name so no message is built unless it is needed.
type Row = tuple[object, object, str, str | None, str | None]
MAX_EXAMPLES = 20
BATCH = 50_000  # rows per batch when rows come one at a time
_QUOTED_RE = re.compile(r"'[^']*'|\"[^\"]*\"")
_new_tuple: Any = tuple.__new__
_SOURCE, _TLP = itemgetter(3), itemgetter(4)
_RUN_RE = re.compile(rb"([\x01-\x06])\1{63,}")  # 64 or more rows of one canonical kind


@dataclass
class LoadReport:
    """The indicator set plus an account of everything that was left out."""

    indicators: IndicatorSet = field(default_factory=IndicatorSet)
    rejected: Counter[str] = field(default_factory=Counter)
    warninglisted: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def reject(self, where: str, reason: str) -> None:
        """Count by the kind of fault (value left out) and keep a few full examples."""
        self.rejected[_QUOTED_RE.sub("value", reason.split(" (", 1)[0])] += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(f"{where}: {reason}")


def make_indicator(
    value: str, source: str | None, tlp: str | None
) -> tuple[Indicator, bytes | None]:
    """The indicator for one value and, when it is canonical, its table key."""
    fast = canonical(value)
    if fast is not None:
        return Indicator(value, fast[0], value, source, tlp), fast[1]
    kind, key = classify(value)
    return Indicator(value, kind, value if key == value else key, source, tlp), None


def build_set(rows: Iterable[Row], *, warninglists: Warninglists | None = None) -> LoadReport:
    """Classify every row into an indicator set, keeping count of what was left out."""
    return build_from_batches(batched(rows, BATCH), warninglists=warninglists)


def build_from_batches(
    batches: Iterable[Sequence[Row]], *, warninglists: Warninglists | None = None
) -> LoadReport:
    """``build_set`` for rows already in batches (the file readers make them).

    The cyclic garbage collector is paused meanwhile: the million tuples made
    here hold no cycles, and it would only walk them again and again. One full
    collection at the end files them with the old objects; left young, the
    first collection in each forked sweep worker would walk them all (its CPU,
    and copy-on-write copies of every page they are on).
    """
    report = LoadReport()
    builder = _Builder(report, warninglists)
    collecting = gc.isenabled()
    gc.disable()
    try:
        for batch in batches:
            if batch:
                builder.add(batch)
        report.indicators.freeze()
    finally:
        if collecting:
            gc.enable()
            if len(report.indicators) >= BATCH:  # small sets: the usual thresholds do
                gc.collect()
    return report


class _Builder:
    """Adds batches of rows to a report's set, in order, as one by one."""

    def __init__(self, report: LoadReport, warninglists: Warninglists | None) -> None:
        self.report, self.warninglists = report, warninglists
        self.shared: dict[str | None, str | None] = {}
        self.tables = {code: report.indicators.table(kind) for code, kind in KIND_TYPES.items()}

    def add(self, batch: Sequence[Row]) -> None:
        """Long runs of one canonical kind in bulk, the rest row by row, in order."""
        values = [row[2].strip() for row in batch]
        codes = canonical_kinds(values)
        start = 0  # the first row not added yet
        for run in _RUN_RE.finditer(codes):
            low, high = run.span()
            if start < low:
                self._add_each(batch, values, codes, start, low)
            if not self._add_uniform(batch[low:high], values[low:high], codes[low]):
                self._add_each(batch, values, codes, low, high)
            start = high
        if start < len(batch):
            self._add_each(batch, values, codes, start, len(batch))

    def _add_uniform(self, batch: Sequence[Row], values: list[str], code: int) -> bool:
        """Add rows of one canonical kind from one report and TLP in bulk; False
        (and nothing added) when they are from several, or warning lists apply."""
        _, _, _, source, tlp = batch[0]
        if self.warninglists is not None:
            return False
        sources, tlps = list(map(_SOURCE, batch)), list(map(_TLP, batch))
        if sources.count(source) != len(sources) or tlps.count(tlp) != len(tlps):
            return False
        kind, table = KIND_TYPES[code], self.tables[code]
        items = self.report.indicators.indicators
        keys = dict.fromkeys(map(str.encode, values))  # a repeat is the same indicator
        if table and not table.keys().isdisjoint(keys):
            for key in [key for key in keys if key in table]:
                value = key.decode()
                held = (items[i] for i in ids_of(table[key]))
                if Indicator(value, kind, value, source, tlp) not in held:
                    return False  # held from another report or TLP: one by one
                del keys[key]
        texts = values if len(keys) == len(values) else list(map(bytes.decode, keys))
        source = self.shared.setdefault(source, source)
        table.update(zip(keys, count(len(items))))
        fields = zip(texts, repeat(kind), texts, repeat(source), repeat(tlp))
        items.extend(map(_new_tuple, repeat(Indicator), fields))
        return True

    def _add_each(
        self, batch: Sequence[Row], values: list[str], codes: bytes, low: int, high: int
    ) -> None:
        report, lists, shared, tables = self.report, self.warninglists, self.shared, self.tables
        indicators = report.indicators
        items, add, add_keyed = indicators.indicators, indicators.add, indicators.add_keyed
        for index in range(low, high):
            _, _, _, source, tlp = batch[index]
            code = codes[index]
            value = values[index]
            source = shared.setdefault(source, source)
            lookup: bytes | None
            if code:
                indicator, lookup = Indicator(value, KIND_TYPES[code], value, source, tlp), None
            else:
                try:
                    indicator, lookup = make_indicator(value, source, tlp)
                except (InvalidInput, ValueError) as exc:
                    where = f"{batch[index][0]}:{batch[index][1]}"
                    report.reject(where, str(getattr(exc, "message", exc)))
                    continue
            if lists is not None:
                listed = lists.reason(indicator)
                if listed is not None:
                    report.warninglisted[listed] += 1
                    continue
            if code:
                key = value.encode()
                table = tables[code]
                if key not in table:
                    table[key] = len(items)
                    items.append(indicator)
                else:
                    add_keyed(indicator, key)
            elif lookup is None:
                add(indicator)
            else:
                add_keyed(indicator, lookup)
