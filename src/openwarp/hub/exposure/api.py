"""Exposure API under /api/v1/exposure: inventories, uploads, warnings, region, advisories.

Writes use POST (also for changing and removing a row) so that every
operation is one call a council's scripts can make with a write token.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from ninja import Router, Schema, Status

from openwarp.core.errors import InvalidInput
from openwarp.core.vulns.suggest import CpeSuggestion
from openwarp.hub.exposure import selectors
from openwarp.hub.exposure.models import ExposureWarning, InventoryItem, InventoryUpload
from openwarp.hub.exposure.regional import regional_exposure
from openwarp.hub.exposure.services.inventory import (
    RowInput,
    inventory_item_accept_cpe,
    inventory_item_delete,
    inventory_item_save,
    inventory_upload_confirm,
    inventory_upload_preview,
)
from openwarp.hub.exposure.services.warnings import advisory_create, warning_set_status
from openwarp.hub.web.decorators import MemberRequest

API_PREFIX = "/exposure"
router = Router(tags=["exposure"])


class ItemIn(Schema):
    vendor: str = ""
    product: str = ""
    version: str = ""
    cpe: str = ""
    purl: str = ""
    count: int | None = None
    owner: str = ""
    criticality: str = ""
    internet_facing: bool | None = None


class SuggestionOut(Schema):
    cpe: str
    part: str
    vendor: str
    product: str
    score: float


class ItemOut(ItemIn):
    id: int
    identified: bool = True
    suggestions: list[SuggestionOut] = []


class CpeChoiceIn(Schema):
    part: str
    vendor: str
    product: str


class UploadIn(Schema):
    filename: str
    content: str = ""
    content_base64: str = ""


class UploadOut(Schema):
    id: UUID
    filename: str
    valid_rows: int
    errors: list[str]
    imported: bool


class ConfirmIn(Schema):
    replace: bool = True


class WarningOut(Schema):
    id: UUID
    organisation: str
    cve: str
    product: str
    verdict: str
    reason: str
    priority: float
    kev: bool
    internet_facing: bool | None
    action: str
    due_at: datetime
    status: str
    status_reason: str
    evidence: dict[str, object]


class StatusIn(Schema):
    status: str
    reason: str = ""


class RegionalRowOut(Schema):
    cve: str
    kev: bool
    exposed: int | None
    by_type: dict[str, int | None]
    resolved: int | None
    median_hours: float | None
    p90_hours: float | None


class RegionalOut(Schema):
    detail: str
    rows: list[RegionalRowOut]


class AdvisoryIn(Schema):
    title: str
    body: str
    cve_id: str = ""
    vendor: str = ""
    product: str = ""


class AdvisoryOut(AdvisoryIn):
    id: UUID
    created_at: datetime


def _item_out(
    item: InventoryItem, identified: bool = True, suggestions: Sequence[CpeSuggestion] = ()
) -> dict[str, object]:
    fields = {f: getattr(item, f) for f in ItemIn.model_fields}
    offered = [
        {"cpe": s.cpe, "part": s.part, "vendor": s.vendor, "product": s.product, "score": s.score}
        for s in suggestions
    ]
    return {"id": item.pk, "identified": identified, "suggestions": offered, **fields}


def _upload_out(upload: InventoryUpload) -> dict[str, object]:
    return {
        "id": upload.public_id,
        "filename": upload.filename,
        "valid_rows": len(upload.rows),
        "errors": upload.errors,
        "imported": upload.imported_at is not None,
    }


def _warning_out(warning: ExposureWarning) -> dict[str, object]:
    return {
        "id": warning.public_id,
        "organisation": warning.organisation.slug,
        "cve": warning.cve_id,
        "product": warning.product_label,
        "verdict": warning.verdict,
        "reason": warning.reason,
        "priority": warning.priority,
        "kev": warning.kev,
        "internet_facing": warning.internet_facing,
        "action": warning.action,
        "due_at": warning.due_at,
        "status": warning.status,
        "status_reason": warning.status_reason,
        "evidence": warning.evidence,
    }


@router.get("/organisations/{slug}/inventory", response=list[ItemOut])
def inventory(request: MemberRequest, slug: str) -> list[dict[str, object]]:
    organisation = selectors.organisation_for_inventory(viewer=request.viewer, slug=slug)
    rows = selectors.inventory_rows(viewer=request.viewer, organisation=organisation)
    return [_item_out(r.item, r.identified, r.suggestions) for r in rows]


@router.post("/organisations/{slug}/inventory", response={201: ItemOut})
def item_create(request: MemberRequest, slug: str, payload: ItemIn) -> Status:
    organisation = selectors.organisation_for_inventory(viewer=request.viewer, slug=slug)
    item = inventory_item_save(
        actor=request.user, organisation=organisation, data=RowInput(**payload.dict())
    )
    return Status(201, _item_out(item))


@router.post("/inventory/{item_id}", response=ItemOut)
def item_update(request: MemberRequest, item_id: int, payload: ItemIn) -> dict[str, object]:
    item = selectors.inventory_item_for_viewer(viewer=request.viewer, pk=item_id)
    item = inventory_item_save(
        actor=request.user,
        organisation=item.organisation,
        data=RowInput(**payload.dict()),
        item=item,
    )
    return _item_out(item)


@router.post("/inventory/{item_id}/cpe", response=ItemOut)
def item_cpe(request: MemberRequest, item_id: int, payload: CpeChoiceIn) -> dict[str, object]:
    """Accept a suggested CPE name (from the row's `suggestions`) for a free-text row."""
    item = selectors.inventory_item_for_viewer(viewer=request.viewer, pk=item_id)
    return _item_out(inventory_item_accept_cpe(actor=request.user, item=item, **payload.dict()))


@router.post("/inventory/{item_id}/delete", response={204: None})
def item_delete(request: MemberRequest, item_id: int) -> Status:
    item = selectors.inventory_item_for_viewer(viewer=request.viewer, pk=item_id)
    inventory_item_delete(actor=request.user, item=item)
    return Status(204, None)


@router.post("/organisations/{slug}/uploads", response={201: UploadOut})
def upload_create(request: MemberRequest, slug: str, payload: UploadIn) -> Status:
    """Step one: CSV text in `content`, or an XLSX (or CSV) file in `content_base64`."""
    organisation = selectors.organisation_for_inventory(viewer=request.viewer, slug=slug)
    if payload.content_base64:
        try:
            content = base64.b64decode(payload.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput("content_base64 is not base64", field="content_base64") from None
    else:
        content = payload.content.encode("utf-8")
    upload = inventory_upload_preview(
        actor=request.user, organisation=organisation, filename=payload.filename, content=content
    )
    return Status(201, _upload_out(upload))


@router.post("/uploads/{upload_id}/confirm", response=UploadOut)
def upload_confirm(
    request: MemberRequest, upload_id: UUID, payload: ConfirmIn
) -> dict[str, object]:
    """Step two: import the valid rows of the preview."""
    upload = selectors.upload_for_viewer(viewer=request.viewer, public_id=upload_id)
    inventory_upload_confirm(actor=request.user, upload=upload, replace=payload.replace)
    upload.refresh_from_db()
    return _upload_out(upload)


@router.get("/organisations/{slug}/warnings", response=list[WarningOut])
def warnings(request: MemberRequest, slug: str, status: str = "") -> list[dict[str, object]]:
    organisation = selectors.organisation_for_inventory(viewer=request.viewer, slug=slug)
    rows = selectors.warnings_for_viewer(
        viewer=request.viewer, organisation=organisation, status=status
    )
    return [_warning_out(w) for w in rows[:2000]]


@router.get("/warnings/{warning_id}", response=WarningOut)
def warning(request: MemberRequest, warning_id: UUID) -> dict[str, object]:
    return _warning_out(selectors.warning_for_viewer(viewer=request.viewer, public_id=warning_id))


@router.post("/warnings/{warning_id}/status", response=WarningOut)
def warning_status(
    request: MemberRequest, warning_id: UUID, payload: StatusIn
) -> dict[str, object]:
    found = selectors.warning_for_viewer(viewer=request.viewer, public_id=warning_id)
    return _warning_out(
        warning_set_status(
            actor=request.user, warning=found, status=payload.status, reason=payload.reason
        )
    )


@router.get("/region", response=RegionalOut)
def region(request: MemberRequest) -> dict[str, object]:
    view = regional_exposure(viewer=request.viewer)
    return {
        "detail": str(view.detail),
        "rows": [
            {
                "cve": r.cve_id,
                "kev": r.kev,
                "exposed": r.exposed,
                "by_type": r.by_type,
                "resolved": r.resolved,
                "median_hours": r.median_hours,
                "p90_hours": r.p90_hours,
            }
            for r in view.rows
        ],
    }


@router.get("/advisories", response=list[AdvisoryOut])
def advisories(request: MemberRequest) -> list[dict[str, object]]:
    return [_advisory_out(a) for a in selectors.advisories_for_viewer(viewer=request.viewer)]


@router.post("/advisories", response={201: AdvisoryOut})
def advisory_new(request: MemberRequest, payload: AdvisoryIn) -> Status:
    return Status(201, _advisory_out(advisory_create(actor=request.user, **payload.dict())))


def _advisory_out(advisory: object) -> dict[str, object]:
    fields = ("title", "body", "cve_id", "vendor", "product", "created_at")
    return {"id": advisory.public_id, **{f: getattr(advisory, f) for f in fields}}  # type: ignore[attr-defined]
