"""A member never sees another member's inventory or warnings, through pages or API."""

from __future__ import annotations

import json

from openwarp.hub.exposure.models import ExposureWarning, InventoryItem
from openwarp.hub.exposure.services.matching import exposure_rematch
from openwarp.hub.members.policy import Role
from tests.hub.exposure.conftest import SAMPLE_ROWS, add_rows
from tests.world import World

SECRET_PRODUCT = "WhatsUp Gold"


def _theirs(world: World) -> ExposureWarning:
    add_rows(world.other, SAMPLE_ROWS)
    exposure_rematch()
    return ExposureWarning.objects.filter(organisation=world.other).first()  # type: ignore[return-value]


def test_pages_keep_another_members_inventory_and_warnings_private(
    world: World, loaded_sample: None
) -> None:
    warning = _theirs(world)
    item = InventoryItem.objects.filter(organisation=world.other).first()
    for role in (Role.MEMBER, Role.SECURITY_LEAD, Role.EXECUTIVE, Role.NATIONAL_ANALYST):
        client = world.client(role)
        for url in (
            f"/exposure/{world.other.slug}/inventory/",
            f"/exposure/{world.other.slug}/warnings/",
            f"/exposure/warnings/{warning.public_id}/",
            f"/exposure/inventory/{item.pk}/",
        ):
            response = client.get(url)
            assert response.status_code in (403, 404), (role, url)
            assert SECRET_PRODUCT not in response.content.decode()
        own = client.get(f"/exposure/{world.own.slug}/warnings/")
        assert SECRET_PRODUCT not in own.content.decode()
    coordinator = world.client(Role.COORDINATOR).get(f"/exposure/{world.other.slug}/warnings/")
    assert SECRET_PRODUCT in coordinator.content.decode()


def test_the_api_keeps_another_members_inventory_and_warnings_private(
    world: World, loaded_sample: None
) -> None:
    warning = _theirs(world)
    item = InventoryItem.objects.filter(organisation=world.other).first()
    for role in (Role.MEMBER, Role.SECURITY_LEAD, Role.EXECUTIVE, Role.NATIONAL_ANALYST):
        api = world.api(role)
        for url in (
            f"/api/v1/exposure/organisations/{world.other.slug}/inventory",
            f"/api/v1/exposure/organisations/{world.other.slug}/warnings",
            f"/api/v1/exposure/warnings/{warning.public_id}",
        ):
            response = api.get(url)
            assert response.status_code in (403, 404), (role, url)
        change = api.post(
            f"/api/v1/exposure/warnings/{warning.public_id}/status",
            json.dumps({"status": "not_applicable", "reason": "not ours"}),
            content_type="application/json",
        )
        assert change.status_code in (403, 404)
        edit = api.post(
            f"/api/v1/exposure/inventory/{item.pk}",
            json.dumps({"vendor": "x", "product": "y"}),
            content_type="application/json",
        )
        assert edit.status_code in (403, 404)
    warning.refresh_from_db()
    assert warning.status == "open"
    assert InventoryItem.objects.filter(organisation=world.other, vendor="x").count() == 0


def test_not_applicable_needs_a_reason(world: World, loaded_sample: None) -> None:
    add_rows(world.own, SAMPLE_ROWS)
    exposure_rematch()
    warning = ExposureWarning.objects.filter(organisation=world.own).first()
    api = world.api(Role.MEMBER)
    url = f"/api/v1/exposure/warnings/{warning.public_id}/status"
    refused = api.post(
        url, json.dumps({"status": "not_applicable"}), content_type="application/json"
    )
    assert refused.status_code == 422 and refused.json()["field"] == "reason"
    done = api.post(
        url,
        json.dumps({"status": "not_applicable", "reason": "feature disabled"}),
        content_type="application/json",
    )
    assert done.json()["status"] == "not_applicable"
