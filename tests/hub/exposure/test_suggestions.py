"""CPE suggestions for free-text inventory rows, on the inventory page and in the API."""

from __future__ import annotations

import json
from pathlib import Path

import orjson

from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.exposure.models import ExposureWarning, InventoryItem
from openwarp.hub.exposure.services.data import vulnerability_data_load
from openwarp.hub.exposure.services.matching import exposure_rematch
from openwarp.hub.members.policy import Role
from tests.hub.exposure.conftest import add_rows
from tests.hub.exposure.test_sources import nvd_response
from tests.world import World

TYPO = {"vendor": "Progres", "product": "Whats Up Gold", "version": "2023.1.2"}
UNKNOWN = {"vendor": "Acme Widgets", "product": "Doesnotexist Suite", "version": "1.0"}


def _load(sample_dir: Path, tmp_path: Path) -> None:
    nvd = tmp_path / "nvd.json"
    nvd.write_bytes(orjson.dumps(nvd_response()))
    vulnerability_data_load(actor=None, cve5_paths=[sample_dir], nvd_paths=[nvd])


def test_a_misspelt_row_gets_a_suggestion_and_accepting_it_raises_the_warning(
    world: World, sample_dir: Path, tmp_path: Path
) -> None:
    _load(sample_dir, tmp_path)
    typo, _unknown = add_rows(world.own, [TYPO, UNKNOWN])
    client = world.client(Role.SECURITY_LEAD)
    page = client.get(f"/exposure/{world.own.slug}/inventory/").content.decode()
    assert "<code>progress:whatsup_gold</code>" in page
    assert "Rows the hub cannot identify" in page
    assert "<li>Acme Widgets Doesnotexist Suite 1.0" in page
    exposure_rematch(organisation_ids=[world.own.pk])
    assert not ExposureWarning.objects.filter(organisation=world.own).exists()
    response = client.post(
        f"/exposure/inventory/{typo.pk}/cpe/",
        {"part": "a", "vendor": "progress", "product": "whatsup_gold"},
        follow=True,
    )
    assert "is now cpe:2.3:a:progress:whatsup_gold:*" in response.content.decode()
    typo.refresh_from_db()
    assert typo.cpe == "cpe:2.3:a:progress:whatsup_gold:*:*:*:*:*:*:*:*"
    assert typo.vendor == "Progres" and typo.version == "2023.1.2"  # the member's text stays
    assert AuditEntry.objects.filter(action="exposure.inventory_item_cpe").count() == 1
    exposure_rematch(organisation_ids=[world.own.pk])
    warning = ExposureWarning.objects.get(organisation=world.own, cve_id="CVE-2024-5009")
    assert warning.active and warning.verdict in ("affected", "needs_review")


def test_the_api_lists_suggestions_and_accepts_only_names_the_data_uses(
    world: World, sample_dir: Path, tmp_path: Path
) -> None:
    _load(sample_dir, tmp_path)
    [typo] = add_rows(world.own, [TYPO])
    api = world.api(Role.MEMBER)
    rows = api.get(f"/api/v1/exposure/organisations/{world.own.slug}/inventory").json()
    [row] = rows
    assert row["identified"] is False
    assert row["suggestions"][0]["cpe"] == "cpe:2.3:a:progress:whatsup_gold:*:*:*:*:*:*:*:*"
    assert 0.6 <= row["suggestions"][0]["score"] <= 1.0
    url = f"/api/v1/exposure/inventory/{typo.pk}/cpe"
    made_up = {"part": "a", "vendor": "progress", "product": "whatsdown_gold"}
    refused = api.post(url, json.dumps(made_up), content_type="application/json")
    assert refused.status_code == 422 and refused.json()["field"] == "cpe"
    assert InventoryItem.objects.get(pk=typo.pk).cpe == ""
    choice = {k: row["suggestions"][0][k] for k in ("part", "vendor", "product")}
    accepted = api.post(url, json.dumps(choice), content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["cpe"].startswith("cpe:2.3:a:progress")
    again = api.get(f"/api/v1/exposure/organisations/{world.own.slug}/inventory").json()
    assert again[0]["identified"] is True and again[0]["suggestions"] == []


def test_an_executive_sees_suggestions_but_cannot_accept_them(
    world: World, sample_dir: Path, tmp_path: Path
) -> None:
    _load(sample_dir, tmp_path)
    [typo] = add_rows(world.own, [TYPO])
    client = world.client(Role.EXECUTIVE)
    page = client.get(f"/exposure/{world.own.slug}/inventory/").content.decode()
    assert "<code>progress:whatsup_gold</code>" in page and "Use progress:whatsup_gold" not in page
    response = client.post(
        f"/exposure/inventory/{typo.pk}/cpe/",
        {"part": "a", "vendor": "progress", "product": "whatsup_gold"},
    )
    assert response.status_code in (403, 404)
    assert InventoryItem.objects.get(pk=typo.pk).cpe == ""
