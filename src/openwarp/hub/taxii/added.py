"""When a report joins a TAXII collection, as a plain function of its fields.

Kept apart from the models so the data migration that fills the collection
index computes exactly what the hub computes afterwards.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def joined_at(
    *, published_at: datetime, anonymous: bool, received_at: datetime | None = None
) -> datetime:
    """A received report joined when this version arrived; a local one at its
    publication, except that an anonymous one is held to the next full hour
    after its release, so a listing cannot be lined up with the minute the
    coordinator released it."""
    if received_at is not None:
        return received_at
    if anonymous:
        hour = published_at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        return hour + timedelta(hours=1)
    return published_at
