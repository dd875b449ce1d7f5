"""When an anonymous report may first be seen beyond the hub's own staff.

Everything that lists or announces reports (TAXII collections, the indicator
export, the MISP feed, mails and webhooks) holds an anonymous report until the
first full hour after its release, so no listing, poll or message can be lined
up with the minute the coordinator released it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def hour_start(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def anonymous_shown_from(released_at: datetime) -> datetime:
    """The first full hour after the release."""
    return hour_start(released_at) + timedelta(hours=1)
