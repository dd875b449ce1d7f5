"""Changing an organisation's inventory: two-step uploads and row edits.

An upload is read by the core reader (the same one `openwarp exposure match`
uses) into a preview that lists every bad row by row and column. Nothing is
written to the inventory until the person confirms "import the N valid rows";
the import then replaces the inventory (or adds to it) in one transaction.
Every change queues a re-match of the organisation.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import Conflict, InvalidInput, PermissionDenied
from openwarp.core.vulns.inventory import COLUMNS, make_item, read_inventory
from openwarp.core.vulns.model import InventoryItem as CoreItem
from openwarp.core.vulns.suggest import CpeSuggestion
from openwarp.hub.audit.services import audit_record
from openwarp.hub.exposure.models import CpeName, InventoryItem, InventoryUpload
from openwarp.hub.exposure.retention import PREVIEWS_PER_ORGANISATION, upload_preview_lifetime
from openwarp.hub.members.models import Organisation, User
from openwarp.hub.members.policy.exposure import may_edit_inventory
from openwarp.hub.members.policy_adapters import viewer_for

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
FIELDS = (
    "vendor",
    "product",
    "version",
    "cpe",
    "purl",
    "count",
    "owner",
    "criticality",
    "internet_facing",
)


def _require_editor(actor: User, organisation_id: int) -> None:
    if not may_edit_inventory(viewer_for(actor), organisation_id):
        raise PermissionDenied("only the organisation's own staff change its inventory")


def _stored_fields(item: CoreItem) -> dict[str, Any]:
    return {
        "vendor": item.vendor[:200],
        "product": item.product[:200],
        "version": item.version[:100],
        "cpe": item.cpe.to_fs() if item.cpe else "",
        "purl": (item.purl or "")[:500],
        "count": item.count,
        "owner": item.owner[:200],
        "criticality": item.criticality or "",
        "internet_facing": item.internet_facing,
    }


def _queue_rematch(organisation_id: int) -> None:
    from openwarp.hub.exposure.tasks import exposure_rematch_task

    transaction.on_commit(
        partial(exposure_rematch_task.enqueue, organisation_ids=[organisation_id])
    )


@transaction.atomic
def inventory_upload_preview(
    *, actor: User, organisation: Organisation, filename: str, content: bytes
) -> InventoryUpload:
    """Step one: read the file, keep what was read, write nothing to the inventory."""
    _require_editor(actor, organisation.pk)
    name = Path(filename).name or "inventory.csv"
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput(
            f"{name}: larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB", field="file"
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            result = read_inventory(path, keep_valid=True)
        except InvalidInput as error:
            raise InvalidInput(error.message.replace(str(path), name), field="file") from None
    errors = [e.replace(str(path), name) for e in result.errors]
    rows = [{"row": i.row, **_stored_fields(i)} for i in result.items]
    inventory_uploads_purge(organisation_id=organisation.pk)
    upload = InventoryUpload.objects.create(
        organisation=organisation, uploaded_by=actor, filename=name, rows=rows, errors=errors
    )
    audit_record(
        actor=actor,
        action="exposure.inventory_upload",
        target=upload,
        organisation_id=organisation.pk,
        details={"filename": name, "valid": len(rows), "errors": len(errors)},
    )
    return upload


@transaction.atomic
def inventory_uploads_purge(*, organisation_id: int | None = None) -> int:
    """Delete previews past their lifetime, imported or not (an imported one is only
    a receipt, and the audit log keeps what was imported), and an organisation's
    previews beyond its newest few, so repeated uploads cannot pile up copies."""
    expired = InventoryUpload.objects.filter(
        created_at__lt=timezone.now() - upload_preview_lifetime()
    )
    deleted = expired.delete()[0]
    if organisation_id is not None:
        keep = PREVIEWS_PER_ORGANISATION - 1  # room for the one being made
        newest = InventoryUpload.objects.filter(organisation_id=organisation_id).order_by(
            "-created_at", "-pk"
        )
        extra = list(newest.values_list("pk", flat=True)[keep:])
        deleted += InventoryUpload.objects.filter(pk__in=extra).delete()[0]
    return deleted


@transaction.atomic
def inventory_upload_confirm(*, actor: User, upload: InventoryUpload, replace: bool = True) -> int:
    """Step two: import the valid rows of a preview, all or nothing."""
    upload = InventoryUpload.objects.select_for_update().get(pk=upload.pk)
    _require_editor(actor, upload.organisation_id)
    if upload.imported_at is not None:
        raise Conflict("this upload has already been imported")
    if not upload.rows:
        raise InvalidInput("the file has no valid rows to import", field="file")
    if replace:
        InventoryItem.objects.filter(organisation_id=upload.organisation_id).delete()
    now = timezone.now()
    InventoryItem.objects.bulk_create(
        [
            InventoryItem(
                organisation_id=upload.organisation_id,
                created_at=now,
                updated_at=now,
                **{k: v for k, v in row.items() if k != "row"},
            )
            for row in upload.rows
        ]
    )
    upload.imported_at = now
    upload.save(update_fields=["imported_at"])
    audit_record(
        actor=actor,
        action="exposure.inventory_import",
        target=upload,
        organisation_id=upload.organisation_id,
        details={"rows": len(upload.rows), "skipped": len(upload.errors), "replace": replace},
    )
    _queue_rematch(upload.organisation_id)
    return len(upload.rows)


@dataclass(frozen=True, slots=True)
class RowInput:
    vendor: str = ""
    product: str = ""
    version: str = ""
    cpe: str = ""
    purl: str = ""
    count: int | None = None
    owner: str = ""
    criticality: str = ""
    internet_facing: bool | None = None

    def record(self) -> dict[str, str]:
        flag = "" if self.internet_facing is None else ("yes" if self.internet_facing else "no")
        values = {f: str(getattr(self, f) or "") for f in FIELDS}
        values.update(internet_facing=flag, count="" if self.count is None else str(self.count))
        return {c: values.get(c, "") for c in COLUMNS}


def _validated(data: RowInput) -> dict[str, Any]:
    """The core reader's rules, with its "row 1, column x" turned into the field name."""
    try:
        item = make_item(1, data.record())
    except InvalidInput as error:
        message = error.message.removeprefix("row 1, ").removeprefix("row 1: ")
        column = message.split(":", 1)[0].removeprefix("column ").strip()
        raise InvalidInput(message, field=column if column in FIELDS else "vendor") from None
    return _stored_fields(item)


@transaction.atomic
def inventory_item_save(
    *, actor: User, organisation: Organisation, data: RowInput, item: InventoryItem | None = None
) -> InventoryItem:
    """Add a row, or change one (`item`) of the same organisation."""
    _require_editor(actor, organisation.pk)
    if item is not None and item.organisation_id != organisation.pk:
        raise PermissionDenied("that row belongs to another organisation")
    fields = _validated(data)
    if item is None:
        item = InventoryItem(organisation=organisation)
    for name, value in fields.items():
        setattr(item, name, value)
    item.updated_at = timezone.now()
    item.save()
    audit_record(
        actor=actor,
        action="exposure.inventory_item_save",
        target=item,
        organisation_id=organisation.pk,
        details={"item": str(item)},
    )
    _queue_rematch(organisation.pk)
    return item


@transaction.atomic
def inventory_item_delete(*, actor: User, item: InventoryItem) -> None:
    _require_editor(actor, item.organisation_id)
    organisation_id, label = item.organisation_id, str(item)
    audit_record(
        actor=actor,
        action="exposure.inventory_item_delete",
        target=item,
        organisation_id=organisation_id,
        details={"item": label},
    )
    item.delete()
    _queue_rematch(organisation_id)


@transaction.atomic
def inventory_item_accept_cpe(
    *, actor: User, item: InventoryItem, part: str, vendor: str, product: str
) -> InventoryItem:
    """Give a free-text row the CPE name a member chose from the suggestions; only
    names the loaded data uses are accepted (part `*` when it files them under two)."""
    _require_editor(actor, item.organisation_id)
    known = CpeName.objects.filter(vendor=vendor, product=product)
    if part != "*":
        known = known.filter(part=part)
    if not known.exists():
        raise InvalidInput(
            f"{vendor}:{product} is not a CPE name in the loaded vulnerability data", field="cpe"
        )
    cpe = CpeSuggestion(part, vendor, product, 0.0).cpe
    fields = _validated(RowInput(**{f: getattr(item, f) for f in FIELDS if f != "cpe"}, cpe=cpe))
    for name, value in fields.items():
        setattr(item, name, value)
    item.updated_at = timezone.now()
    item.save()
    audit_record(
        actor=actor,
        action="exposure.inventory_item_cpe",
        target=item,
        organisation_id=item.organisation_id,
        details={"item": str(item), "cpe": cpe},
    )
    _queue_rematch(item.organisation_id)
    return item
