"""Reads for exposure, each filtered by the policy in members/policy/exposure.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from openwarp.core.errors import InvalidInput, NotFound, PermissionDenied
from openwarp.core.vulns.suggest import CpeSuggestion
from openwarp.hub.exposure.models import (
    Advisory,
    ExposureWarning,
    InventoryItem,
    InventoryUpload,
    KevAlert,
    KevEntry,
    ProductKey,
    Status,
)
from openwarp.hub.exposure.records import chunks, core_item, item_keys, kev_entry_keys
from openwarp.hub.exposure.retention import upload_preview_lifetime
from openwarp.hub.exposure.suggestions import cpe_suggestions, wants_suggestions
from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.exposure import (
    may_read_advisories,
    may_view_inventory,
    may_view_warnings,
    warning_organisations_filter,
)

UNRESOLVED = (Status.OPEN, Status.ACKNOWLEDGED)
DUE_SOON = timedelta(days=7)


def organisation_for_inventory(*, viewer: Viewer, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise NotFound("no such organisation")
    if not may_view_inventory(viewer, organisation.pk):
        raise PermissionDenied("an organisation's inventory is private to it")
    return organisation


@dataclass(frozen=True, slots=True)
class InventoryRow:
    item: InventoryItem
    identified: bool
    suggestions: tuple[CpeSuggestion, ...] = ()


def inventory_rows(*, viewer: Viewer, organisation: Organisation) -> list[InventoryRow]:
    """The rows, each flagged when no loaded record or KEV entry names its product:
    a misspelt vendor would otherwise silently never warn."""
    if not may_view_inventory(viewer, organisation.pk):
        raise PermissionDenied("an organisation's inventory is private to it")
    items = list(InventoryItem.objects.filter(organisation=organisation))
    cores = {}
    for item in items:
        try:
            cores[item.pk] = core_item(item)
        except InvalidInput:
            continue
    known = _known_keys(item_keys(cores.values()))
    return [
        InventoryRow(
            item,
            item.pk in cores and bool(item_keys([cores[item.pk]]) & known),
            tuple(cpe_suggestions(vendor=item.vendor, product=item.product))
            if wants_suggestions(item)
            else (),
        )
        for item in items
    ]


def _known_keys(keys: set[str]) -> set[str]:
    known: set[str] = set()
    for chunk in chunks(sorted(keys)):
        known.update(ProductKey.objects.filter(key__in=chunk).values_list("key", flat=True))
    for vendor, product in KevEntry.objects.values_list("vendor_project", "product"):
        known |= kev_entry_keys(vendor, product) & keys
    return known


def inventory_item_for_viewer(*, viewer: Viewer, pk: int) -> InventoryItem:
    item = InventoryItem.objects.filter(pk=pk).select_related("organisation").first()
    if item is None or not may_view_inventory(viewer, item.organisation_id):
        raise NotFound("no such inventory row")
    return item


def upload_for_viewer(*, viewer: Viewer, public_id: Any) -> InventoryUpload:
    """A preview the viewer may see and that has not expired (expired ones are
    deleted at the next upload, and until then are treated as gone)."""
    lifetime = upload_preview_lifetime()
    upload = (
        InventoryUpload.objects.filter(
            public_id=public_id, created_at__gte=timezone.now() - lifetime
        )
        .select_related("organisation")
        .first()
    )
    if upload is None or not may_view_inventory(viewer, upload.organisation_id):
        hours = round(lifetime.total_seconds() / 3600)
        hours_text = "1 hour" if hours == 1 else f"{hours} hours"
        raise NotFound(
            f"no such upload (a preview is kept for {hours_text}: upload the file again)"
        )
    return upload


def warnings_for_viewer(
    *, viewer: Viewer, organisation: Organisation | None = None, status: str = ""
) -> QuerySet[ExposureWarning]:
    """Active warnings the viewer may see, highest priority first."""
    scope = warning_organisations_filter(viewer)
    query = ExposureWarning.objects.filter(active=True).select_related("organisation")
    if scope is False:
        return query.none()
    if scope is not None:
        query = query.filter(organisation_id=scope)
    if organisation is not None:
        if not may_view_warnings(viewer, organisation.pk):
            raise PermissionDenied("an organisation's warnings are private to it")
        query = query.filter(organisation=organisation)
    if status == "unresolved":
        query = query.filter(status__in=UNRESOLVED)
    elif status:
        query = query.filter(status=status)
    return query.order_by("-priority", "due_at", "cve_id")


def warning_for_viewer(*, viewer: Viewer, public_id: Any) -> ExposureWarning:
    warning = (
        ExposureWarning.objects.filter(public_id=public_id).select_related("organisation").first()
    )
    if warning is None or not may_view_warnings(viewer, warning.organisation_id):
        raise NotFound("no such warning")
    return warning


def advisories_for_warning(*, viewer: Viewer, warning: ExposureWarning) -> list[Advisory]:
    """Advice on the warning's CVE, and on its product under any alias."""
    if not may_read_advisories(viewer):
        return []
    keys = set(warning.evidence.get("keys", [])) | {warning.product_key}
    found = []
    for advisory in Advisory.objects.all():
        if advisory.cve_id == warning.cve_id or keys & set(advisory.product_keys):
            found.append(advisory)
    return found


def advisories_for_viewer(*, viewer: Viewer) -> QuerySet[Advisory]:
    if not may_read_advisories(viewer):
        raise PermissionDenied("advisories are for the hub's members")
    return Advisory.objects.all()


def kev_alerts_for_viewer(
    *, viewer: Viewer, organisation: Organisation | None = None
) -> QuerySet[KevAlert]:
    """Alerts whose warning is still open: acting on the warning closes the alert."""
    warnings = warnings_for_viewer(viewer=viewer, organisation=organisation, status=Status.OPEN)
    return KevAlert.objects.filter(warning__in=warnings).select_related("warning")


def due_summary(*, viewer: Viewer, organisation: Organisation) -> dict[str, int]:
    """Unresolved warnings overdue, due within a week, and KEV on internet-facing systems."""
    now = timezone.now()
    open_ = warnings_for_viewer(viewer=viewer, organisation=organisation, status="unresolved")
    return {
        "overdue": open_.filter(due_at__lt=now).count(),
        "due_soon": open_.filter(due_at__gte=now, due_at__lt=now + DUE_SOON).count(),
        "kev_internet_facing": open_.filter(kev=True, internet_facing=True).count(),
    }


def status_counts(*, viewer: Viewer, organisation: Organisation) -> list[tuple[str, int]]:
    """(status label, number of active warnings) in the order of the status list."""
    query = warnings_for_viewer(viewer=viewer, organisation=organisation)
    counts = {s.value: 0 for s in Status}
    for value in query.values_list("status", flat=True):
        counts[value] += 1
    return [(Status(value).label, count) for value, count in counts.items()]
