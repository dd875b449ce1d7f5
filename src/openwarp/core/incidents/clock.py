"""The 72-hour reporting clocks, computed from when the organisation became aware.

UK GDPR asks a controller to report a personal-data breach to the ICO within
72 hours of becoming aware of it; the NIS Regulations give operators of
essential services the same 72 hours to tell their competent authority.
Hours here are elapsed hours: the deadline is the instant 72 hours after
awareness, whatever the clocks on the wall did in between (a deadline that
crosses the end of British Summer Time reads 71 hours later on the wall).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from openwarp.core.errors import InvalidInput

REPORTING_WINDOW = timedelta(hours=72)


def require_aware(value: datetime, field: str) -> datetime:
    """A time without a zone cannot be put on the clock; say so, naming the field."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput("give the time with its time zone (e.g. +00:00)", field=field)
    return value


@dataclass(frozen=True, slots=True)
class DeadlineClock:
    """Where one 72-hour clock stands at the moment `now`."""

    started: datetime
    deadline: datetime
    now: datetime
    stopped: datetime | None = None

    @property
    def met(self) -> bool:
        """Reported in time (the clock stopped before the deadline)."""
        return self.stopped is not None and self.stopped <= self.deadline

    @property
    def overdue(self) -> bool:
        end = self.stopped if self.stopped is not None else self.now
        return end > self.deadline

    @property
    def time_left(self) -> timedelta:
        """Negative once the deadline has passed; frozen once reported."""
        end = self.stopped if self.stopped is not None else self.now
        return self.deadline - end

    def deadline_in(self, zone: tzinfo) -> datetime:
        return self.deadline.astimezone(zone)

    def describe(self) -> str:
        """ "2 days 3 hours left", "overdue by 40 minutes", "reported in time"."""
        if self.stopped is not None:
            return "reported in time" if self.met else "reported late by " + _span(-self.time_left)
        if self.overdue:
            return "overdue by " + _span(-self.time_left)
        return _span(self.time_left) + " left"


def deadline_clock(
    *, started: datetime, now: datetime, stopped: datetime | None = None
) -> DeadlineClock:
    """The clock for something that became known at `started`.

    Everything is turned into UTC first: adding hours to a datetime in a zone
    such as Europe/London adds wall-clock hours, which across a clock change
    is one hour too many or too few.
    """
    started = require_aware(started, "aware_at").astimezone(UTC)
    now = require_aware(now, "now").astimezone(UTC)
    if stopped is not None:
        stopped = require_aware(stopped, "reported_at").astimezone(UTC)
    return DeadlineClock(
        started=started, deadline=started + REPORTING_WINDOW, now=now, stopped=stopped
    )


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if not days and (minutes or not hours):
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)
