"""Upload previews do not pile up: each lives a day, an organisation keeps its
newest 20, and an expired one can be neither opened nor imported."""

from __future__ import annotations

import json
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from openwarp.core.errors import NotFound
from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.exposure.models import InventoryItem, InventoryUpload
from openwarp.hub.exposure.retention import PREVIEWS_PER_ORGANISATION
from openwarp.hub.exposure.selectors import upload_for_viewer
from openwarp.hub.exposure.services.inventory import (
    inventory_upload_confirm,
    inventory_upload_preview,
)
from openwarp.hub.members.policy import Role
from openwarp.hub.members.policy_adapters import viewer_for
from tests.world import World

CSV = b"vendor,product,version\nFortinet,FortiOS,7.2.5\n"


def _upload(world: World, *, other: bool = False) -> InventoryUpload:
    actor = world.other_lead if other else world.users[Role.SECURITY_LEAD]
    assert actor is not None
    organisation = world.other if other else world.own
    return inventory_upload_preview(
        actor=actor, organisation=organisation, filename="assets.csv", content=CSV
    )


def _age(upload: InventoryUpload, hours: float) -> None:
    InventoryUpload.objects.filter(pk=upload.pk).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )


def test_a_day_old_preview_cannot_be_opened_or_imported_and_the_next_upload_deletes_it(
    world: World,
) -> None:
    stale, imported, fresh = _upload(world), _upload(world), _upload(world)
    inventory_upload_confirm(actor=world.users[Role.SECURITY_LEAD], upload=imported)
    _age(stale, 25)
    _age(imported, 25)
    _age(fresh, 23)
    client = world.client(Role.SECURITY_LEAD)
    page = client.get(f"/exposure/uploads/{stale.public_id}/")
    assert page.status_code == 404 and "upload the file again" in page.content.decode()
    api = world.api(Role.SECURITY_LEAD).post(
        f"/api/v1/exposure/uploads/{stale.public_id}/confirm",
        json.dumps({"replace": True}),
        content_type="application/json",
    )
    assert api.status_code == 404
    assert client.get(f"/exposure/uploads/{fresh.public_id}/").status_code == 200
    assert InventoryItem.objects.filter(organisation=world.own).count() == 1  # from `imported`

    _upload(world, other=True)  # any upload, by any member, tidies up
    left = set(InventoryUpload.objects.values_list("pk", flat=True))
    assert stale.pk not in left and imported.pk not in left and fresh.pk in left
    assert AuditEntry.objects.filter(action="exposure.inventory_import").count() == 1
    assert InventoryItem.objects.filter(organisation=world.own).count() == 1


def test_an_organisation_keeps_only_its_newest_previews(world: World) -> None:
    others = _upload(world, other=True)
    made = [_upload(world) for _ in range(PREVIEWS_PER_ORGANISATION + 5)]
    mine = InventoryUpload.objects.filter(organisation=world.own)
    assert mine.count() == PREVIEWS_PER_ORGANISATION
    assert set(mine.values_list("pk", flat=True)) == {u.pk for u in made[5:]}
    assert InventoryUpload.objects.filter(pk=others.pk).exists()


@override_settings(EXPOSURE_UPLOAD_PREVIEW_HOURS=1)
def test_the_lifetime_is_a_setting(world: World) -> None:
    upload = _upload(world)
    viewer = viewer_for(world.users[Role.SECURITY_LEAD])
    assert upload_for_viewer(viewer=viewer, public_id=upload.public_id) == upload
    _age(upload, 2)
    try:
        upload_for_viewer(viewer=viewer, public_id=upload.public_id)
    except NotFound as error:
        assert "kept for 1 hour:" in error.message
    else:
        raise AssertionError("a two-hour-old preview was still served")
