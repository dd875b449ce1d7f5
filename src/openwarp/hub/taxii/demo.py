"""Demo data: the TAXII collection index of the demo's reports.

The sharing seeder backdates its reports with a queryset update, which
`save()` signals do not see; this seeder runs after it (INSTALLED_APPS
order) and writes the index from the reports as they now are.
"""

from __future__ import annotations

from typing import Any

from openwarp.hub.taxii.entries import collection_entries_sync


def seed(context: Any) -> None:
    collection_entries_sync()
