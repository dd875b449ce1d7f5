"""The ICO/NIS 72-hour clock: elapsed hours, across zones and UK clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openwarp.core.errors import InvalidInput
from openwarp.core.incidents.clock import REPORTING_WINDOW, deadline_clock

LONDON = ZoneInfo("Europe/London")


def test_aware_at_half_past_midnight_on_the_day_summer_time_starts() -> None:
    # 29 March 2026 is the last Sunday of March: clocks go forward at 01:00 GMT.
    aware = datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)
    clock = deadline_clock(started=aware, now=aware)
    assert clock.deadline - aware == timedelta(hours=72)
    local = clock.deadline_in(LONDON)
    # 72 elapsed hours read as 73 on the wall: 01:30 BST on Wednesday 1 April.
    assert (local.day, local.hour, local.minute, local.tzname()) == (1, 1, 30, "BST")
    assert clock.deadline.astimezone(UTC) == datetime(2026, 4, 1, 0, 30, tzinfo=UTC)


def test_aware_at_half_past_midnight_on_the_day_summer_time_ends() -> None:
    # 25 October 2026 is the last Sunday of October: clocks go back at 02:00 BST.
    aware = datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)
    assert aware.tzname() == "BST"
    clock = deadline_clock(started=aware, now=aware)
    local = clock.deadline_in(LONDON)
    # 72 elapsed hours read as 71 on the wall: 23:30 GMT on Tuesday 27 October.
    assert (local.day, local.hour, local.minute, local.tzname()) == (27, 23, 30, "GMT")
    assert (clock.deadline - aware).total_seconds() == 72 * 3600


def test_the_same_instant_given_in_another_zone_gives_the_same_deadline() -> None:
    in_london = datetime(2026, 7, 1, 9, 0, tzinfo=LONDON)
    in_new_york = in_london.astimezone(ZoneInfo("America/New_York"))
    in_offset = in_london.astimezone(timezone(timedelta(hours=5, minutes=30)))
    deadlines = {
        deadline_clock(started=t, now=t).deadline.astimezone(UTC)
        for t in (in_london, in_new_york, in_offset)
    }
    assert deadlines == {datetime(2026, 7, 4, 8, 0, tzinfo=UTC)}


def test_time_left_counts_down_and_turns_overdue() -> None:
    aware = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    early = deadline_clock(started=aware, now=aware + timedelta(hours=2, minutes=15))
    assert early.time_left == timedelta(hours=69, minutes=45)
    assert not early.overdue
    assert early.describe() == "2 days 21 hours left"
    late = deadline_clock(started=aware, now=aware + timedelta(hours=72, minutes=40))
    assert late.overdue
    assert late.describe() == "overdue by 40 minutes"


def test_reporting_stops_the_clock() -> None:
    aware = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    in_time = deadline_clock(
        started=aware, now=aware + timedelta(days=10), stopped=aware + timedelta(hours=30)
    )
    assert in_time.met and not in_time.overdue
    assert in_time.describe() == "reported in time"
    late = deadline_clock(
        started=aware, now=aware + timedelta(days=10), stopped=aware + timedelta(hours=75)
    )
    assert late.overdue and late.describe() == "reported late by 3 hours"


def test_a_time_without_a_zone_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as raised:
        deadline_clock(started=datetime(2026, 1, 5, 10, 0), now=datetime.now(UTC))
    assert raised.value.field == "aware_at"


ZONES = st.sampled_from(
    [
        LONDON,
        ZoneInfo("Europe/Dublin"),
        ZoneInfo("America/Los_Angeles"),
        ZoneInfo("Asia/Kolkata"),
        UTC,
    ]
)


# No per-example deadline: the shared machine is slow at times, and speed is not the point.
@settings(deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=ZONES
    ),
    zone=ZONES,
)
def test_deadline_is_always_exactly_72_elapsed_hours_after_awareness(moment, zone) -> None:  # type: ignore[no-untyped-def]
    clock = deadline_clock(started=moment, now=moment)
    # Compare as UTC instants: aware-datetime subtraction in one zone is wall-clock.
    elapsed = clock.deadline.astimezone(UTC) - moment.astimezone(UTC)
    assert elapsed == REPORTING_WINDOW
    assert clock.deadline_in(zone).astimezone(UTC) == clock.deadline.astimezone(UTC)
