"""Due dates for warnings and remediation statistics: small pure rules.

Default due times follow NHS England's "Respond to a cyber alert" practice
(acknowledge and act on the most serious within 48 hours) and CISA's
two-to-three-week KEV deadlines; the hub overrides them with the setting
`EXPOSURE_DUE_HOURS`, e.g. `{"kev_internet_facing": 24}`.

| rule | applies to | default |
|---|---|---|
| `kev_internet_facing` | in KEV, on an internet-facing system | 48 hours |
| `kev` | in KEV, other systems | 14 days |
| `other` | everything else | 30 days |
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_DUE_HOURS: dict[str, int] = {
    "kev_internet_facing": 48,
    "kev": 14 * 24,
    "other": 30 * 24,
}


def due_rule(*, kev: bool, internet_facing: bool | None) -> str:
    if kev:
        return "kev_internet_facing" if internet_facing else "kev"
    return "other"


def due_hours(rule: str, overrides: Mapping[str, int] | None = None) -> int:
    hours = {**DEFAULT_DUE_HOURS, **(overrides or {})}
    return int(hours[rule])


def due_at(
    *,
    rule: str,
    first_seen: datetime,
    now: datetime,
    previous_rule: str | None,
    previous_due: datetime | None,
    overrides: Mapping[str, int] | None = None,
) -> datetime:
    """A new warning is due `hours` after it was first seen. When a later match puts
    it under a stricter rule (its CVE was added to KEV), the clock for the new rule
    starts now, and the due date never moves later than it was."""
    hours = timedelta(hours=due_hours(rule, overrides))
    if previous_due is None or previous_rule is None:
        return first_seen + hours
    if previous_rule == rule:
        return previous_due
    return min(previous_due, max(first_seen, now) + hours)


@dataclass(frozen=True, slots=True)
class Remediation:
    count: int
    median_hours: float | None
    p90_hours: float | None


def _nearest_rank(ordered: Sequence[float], fraction: float) -> float:
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def remediation(hours: Sequence[float]) -> Remediation:
    """Median and 90th percentile (nearest rank) of remediation times in hours."""
    if not hours:
        return Remediation(0, None, None)
    ordered = sorted(hours)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return Remediation(len(ordered), round(median, 1), round(_nearest_rank(ordered, 0.9), 1))
