"""Recording sightings: a tally per member and value, merged on repeat."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from openwarp.core.errors import InvalidInput, PermissionDenied
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.models import User
from openwarp.hub.members.policy import Action, may
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.sharing.access import report_visible
from openwarp.hub.sharing.models import Indicator, Sighting, SightingKind


def sighting_record(
    *,
    actor: User,
    indicator: Indicator,
    sighting: str = SightingKind.SEEN,
    count: int = 1,
    first_seen: datetime | None = None,
    last_seen: datetime | None = None,
) -> Sighting:
    """Add to this member's tally for the value. Times in the future are refused."""
    if not may(viewer_for(actor), Action.WRITE_CONTENT) or actor.organisation is None:
        raise PermissionDenied("only members of an organisation record sightings")
    if not report_visible(viewer_for(actor), indicator.report):
        raise PermissionDenied("you cannot see that indicator")
    if sighting not in SightingKind.values:
        raise InvalidInput(f"unknown sighting {sighting!r}", field="sighting")
    if count < 1:
        raise InvalidInput("count must be at least 1", field="count")
    now = timezone.now()
    first, last = first_seen or now, last_seen or first_seen or now
    if first > now or last > now:
        raise InvalidInput("a sighting cannot be in the future", field="last_seen")
    if first > last:
        raise InvalidInput("first seen is after last seen", field="first_seen")
    key = {
        "organisation": actor.organisation,
        "kind": indicator.kind,
        "value": indicator.value,
        "sighting": sighting,
    }
    with transaction.atomic():
        try:
            with transaction.atomic():
                tally = Sighting.objects.create(
                    **key, count=count, first_seen=first, last_seen=last
                )
        except IntegrityError:
            tally = Sighting.objects.select_for_update().get(**key)
            tally.count = F("count") + count
            tally.first_seen = min(tally.first_seen, first)
            tally.last_seen = max(tally.last_seen, last)
            tally.save(update_fields=["count", "first_seen", "last_seen"])
            tally.refresh_from_db()
        audit_record(
            actor=actor,
            action="sighting.record",
            target=tally,
            organisation_id=actor.organisation_id,
            details={
                "kind": indicator.kind,
                "value": indicator.value,
                "sighting": sighting,
                "count": count,
            },
        )
    return tally
