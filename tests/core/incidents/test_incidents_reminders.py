"""The ICO deadline reminders: 24 hours and 6 hours before, once each, never after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.incidents.reminders import reminders_due

DEADLINE = datetime(2026, 10, 26, 0, 30, tzinfo=UTC)  # 72 h after 00:30 BST, 23 Oct


@pytest.mark.parametrize(
    ("left", "sent", "due"),
    [
        (timedelta(hours=30), (), []),
        (timedelta(hours=24, seconds=1), (), []),
        (timedelta(hours=24), (), [24]),
        (timedelta(hours=23), (24,), []),
        (timedelta(hours=6), (24,), [6]),
        (timedelta(hours=5), (), [24, 6]),  # recorded late: both thresholds at once
        (timedelta(hours=1), (24, 6), []),
        (timedelta(0), (), []),  # the deadline has come: too late to remind
        (-timedelta(hours=2), (), []),
    ],
)
def test_which_reminders_are_due(left: timedelta, sent: tuple[int, ...], due: list[int]) -> None:
    assert reminders_due(deadline=DEADLINE, now=DEADLINE - left, sent=sent) == due


def test_a_reported_breach_gets_no_reminder() -> None:
    now = DEADLINE - timedelta(hours=3)
    assert reminders_due(deadline=DEADLINE, now=now, sent=(), reported=True) == []


def test_the_zone_of_now_does_not_matter() -> None:
    london = (DEADLINE - timedelta(hours=23)).astimezone(ZoneInfo("Europe/London"))
    assert reminders_due(deadline=DEADLINE, now=london, sent=()) == [24]


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        reminders_due(deadline=DEADLINE, now=datetime(2026, 10, 25, 12, 0), sent=())
    assert error.value.field == "now"
