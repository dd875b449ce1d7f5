"""How long the hub keeps inventory upload previews.

A preview holds a copy of every row a member uploaded (up to 20,000), kept
only until they choose to import it. Keeping previews for ever would pile up
copies of members' inventories that nobody reads, so each one lives for a day
(setting `EXPOSURE_UPLOAD_PREVIEW_HOURS`), an organisation keeps at most its
newest few, and an expired one is neither shown nor imported even before the
next upload deletes it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

PREVIEW_HOURS = 24
PREVIEWS_PER_ORGANISATION = 20


def upload_preview_lifetime() -> timedelta:
    return timedelta(hours=getattr(settings, "EXPOSURE_UPLOAD_PREVIEW_HOURS", PREVIEW_HOURS))
