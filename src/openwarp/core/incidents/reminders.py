"""When to remind an organisation that its ICO deadline is near.

A reminder goes out when the time left first falls to 24 hours, and again at 6
hours; each once. A clock that has stopped (reported) or run out sends nothing: a
late reminder is no use, and the overdue clock is shown on every page anyway. If
both thresholds have passed before the first check (a breach recorded late), one
e-mail covers both.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from openwarp.core.incidents.clock import require_aware

#: Hours left at which the security leads are e-mailed, largest first.
REMINDER_HOURS: tuple[int, ...] = (24, 6)


def reminders_due(
    *,
    deadline: datetime,
    now: datetime,
    sent: Collection[int],
    reported: bool = False,
    hours: tuple[int, ...] = REMINDER_HOURS,
) -> list[int]:
    """The thresholds (hours left) passed by ``now`` and not yet sent, largest first."""
    require_aware(deadline, "deadline")
    require_aware(now, "now")
    if reported or now >= deadline:
        return []
    left = deadline - now
    return [h for h in hours if left <= timedelta(hours=h) and h not in sent]
