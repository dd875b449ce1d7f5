"""When a report joins a TAXII collection, as a plain function of its fields.

Kept apart from the models so the data migration that fills the collection
index computes exactly what the hub computes afterwards.
"""

from __future__ import annotations

from datetime import datetime

from openwarp.hub.members.policy.release import anonymous_shown_from


def joined_at(
    *,
    published_at: datetime,
    anonymous: bool,
    received_at: datetime | None = None,
    modified_at: datetime | None = None,
) -> datetime:
    """A received report joined when this version arrived; a local one at its
    publication or, once values were added to it, at that latest change (its
    new version). An anonymous one is held to the next full hour after that
    moment, so a listing cannot be lined up with the minute the coordinator
    released it or the author added to it; until then it is not listed."""
    if received_at is not None:
        return received_at
    moment = max(published_at, modified_at or published_at)
    if anonymous:
        return anonymous_shown_from(moment)
    return moment
