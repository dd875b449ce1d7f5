"""Which incident times make sense: nothing in the future, nothing out of order."""

from __future__ import annotations

from datetime import datetime, timedelta

from openwarp.core.errors import InvalidInput
from openwarp.core.incidents.clock import require_aware

# Clocks on members' machines drift; a minute's grace stops a time typed as
# "now" being refused for being a few seconds ahead of the hub.
CLOCK_SKEW = timedelta(minutes=1)


def check_not_future(value: datetime | None, *, field: str, now: datetime) -> None:
    if value is None:
        return
    require_aware(value, field)
    if value > now + CLOCK_SKEW:
        raise InvalidInput("this time is in the future", field=field)


def check_incident_times(*, started_at: datetime, detected_at: datetime, now: datetime) -> None:
    """An incident cannot be detected before it started, nor either happen later than now."""
    check_not_future(started_at, field="started_at", now=now)
    check_not_future(detected_at, field="detected_at", now=now)
    if detected_at < started_at:
        raise InvalidInput("detected before it started: check both times", field="detected_at")


def check_breach_times(
    *,
    aware_at: datetime,
    started_at: datetime,
    now: datetime,
    reported_to_ico_at: datetime | None = None,
    subjects_told_at: datetime | None = None,
) -> None:
    """Awareness comes after the incident began; reports and notices after awareness."""
    check_not_future(aware_at, field="aware_at", now=now)
    if aware_at < started_at:
        raise InvalidInput("aware of the breach before the incident started", field="aware_at")
    for field, value in (
        ("reported_to_ico_at", reported_to_ico_at),
        ("subjects_told_at", subjects_told_at),
    ):
        check_not_future(value, field=field, now=now)
        if value is not None and value < aware_at:
            raise InvalidInput("this is before the organisation became aware", field=field)
