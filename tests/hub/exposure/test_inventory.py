"""Two-step inventory uploads and row edits, through the pages and the API."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from openwarp.core.errors import PermissionDenied
from openwarp.core.vulns.inventory import MAX_ROWS
from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.exposure.models import InventoryItem, InventoryUpload
from openwarp.hub.exposure.services.inventory import (
    RowInput,
    inventory_item_save,
    inventory_upload_confirm,
    inventory_upload_preview,
)
from openwarp.hub.members.policy import Role
from tests.core.vulns.hostile_xlsx import row as _row
from tests.core.vulns.hostile_xlsx import sheet as _sheet
from tests.core.vulns.hostile_xlsx import workbook as _workbook
from tests.world import World

CSV_WITH_A_BAD_ROW = (
    "vendor,product,version,internet_facing,criticality\n"
    "Fortinet,FortiOS,7.2.5,yes,high\n"
    "Microsoft,Windows Server 2019,10.0.17763.5400,maybe,high\n"
    "Apache Software Foundation,Apache HTTP Server,2.4.58,yes,medium\n"
)


def test_a_bad_row_is_named_and_nothing_changes_until_the_member_confirms(world: World) -> None:
    InventoryItem.objects.create(organisation=world.own, vendor="Old", product="Thing")
    member = world.users[Role.MEMBER]
    upload = inventory_upload_preview(
        actor=member,
        organisation=world.own,
        filename="assets.csv",
        content=CSV_WITH_A_BAD_ROW.encode(),
    )
    assert upload.errors == ["assets.csv: row 2, column internet_facing: 'maybe' is not yes or no"]
    assert len(upload.rows) == 2
    assert list(
        InventoryItem.objects.filter(organisation=world.own).values_list("vendor", flat=True)
    ) == ["Old"]
    assert inventory_upload_confirm(actor=member, upload=upload) == 2
    assert sorted(
        InventoryItem.objects.filter(organisation=world.own).values_list("product", flat=True)
    ) == ["Apache HTTP Server", "FortiOS"]
    assert AuditEntry.objects.filter(action="exposure.inventory_import").count() == 1


def test_an_unknown_column_rejects_the_whole_file_with_its_name(world: World) -> None:
    client = world.client(Role.MEMBER)
    file = io.BytesIO(b"vendor,product,colour\nFortinet,FortiOS,red\n")
    file.name = "assets.csv"
    response = client.post(f"/exposure/{world.own.slug}/inventory/upload/", {"file": file})
    assert response.status_code == 200
    assert "assets.csv: column 3 &#x27;colour&#x27; is not known" in response.content.decode()
    assert not InventoryUpload.objects.exists()


def test_the_two_step_upload_through_the_pages(world: World) -> None:
    client = world.client(Role.SECURITY_LEAD)
    file = io.BytesIO(CSV_WITH_A_BAD_ROW.encode())
    file.name = "assets.csv"
    response = client.post(f"/exposure/{world.own.slug}/inventory/upload/", {"file": file})
    preview = client.get(response["Location"]).content.decode()
    assert "row 2, column internet_facing" in preview
    assert "Import the 2 valid rows" in preview
    assert not InventoryItem.objects.exists()
    client.post(response["Location"], {"mode": "replace"})
    assert InventoryItem.objects.filter(organisation=world.own).count() == 2
    again = client.post(response["Location"], {"mode": "add"}, follow=True)
    assert "already been imported" in again.content.decode()
    assert InventoryItem.objects.count() == 2


def test_a_file_over_the_limit_is_refused_by_its_size_and_nothing_is_kept(
    world: World,
) -> None:
    client = world.client(Role.SECURITY_LEAD)
    file = io.BytesIO(b"vendor,product,version\n" + b"x" * (6 * 1024 * 1024))
    file.name = "huge.csv"
    response = client.post(f"/exposure/{world.own.slug}/inventory/upload/", {"file": file})
    assert response.status_code == 200
    assert "huge.csv: larger than 5 MB" in response.content.decode()
    assert not InventoryUpload.objects.exists()


def test_an_excel_upload_through_the_api(world: World) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["vendor", "product", "version", "internet_facing"])
    sheet.append(["Palo Alto Networks", "PAN-OS", "10.2.9", "yes"])
    sheet.append(["Citrix", "NetScaler ADC", "13.1-49.15", "yes"])
    buffer = io.BytesIO()
    book.save(buffer)
    api = world.api(Role.MEMBER)
    created = api.post(
        f"/api/v1/exposure/organisations/{world.own.slug}/uploads",
        json.dumps(
            {
                "filename": "estate.xlsx",
                "content_base64": base64.b64encode(buffer.getvalue()).decode(),
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["valid_rows"] == 2 and body["errors"] == [] and not body["imported"]
    confirmed = api.post(
        f"/api/v1/exposure/uploads/{body['id']}/confirm", "{}", content_type="application/json"
    )
    assert confirmed.json()["imported"] is True
    rows = api.get(f"/api/v1/exposure/organisations/{world.own.slug}/inventory").json()
    assert {r["product"] for r in rows} == {"PAN-OS", "NetScaler ADC"}
    assert all(r["identified"] is False for r in rows)  # no vulnerability data loaded yet


def test_a_row_edit_is_checked_by_the_same_rules_as_a_file(world: World) -> None:
    api = world.api(Role.MEMBER)
    url = f"/api/v1/exposure/organisations/{world.own.slug}/inventory"
    bad = api.post(
        url,
        json.dumps({"vendor": "Fortinet", "product": "FortiOS", "criticality": "extreme"}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["field"] == "criticality"
    good = api.post(
        url,
        json.dumps(
            {"cpe": "cpe:2.3:o:fortinet:fortios:7.2.5:*:*:*:*:*:*:*", "internet_facing": True}
        ),
        content_type="application/json",
    )
    assert good.status_code == 201
    item_id = good.json()["id"]
    changed = api.post(
        f"/api/v1/exposure/inventory/{item_id}",
        json.dumps({"vendor": "Fortinet", "product": "FortiOS", "version": "7.2.8"}),
        content_type="application/json",
    )
    assert changed.json()["version"] == "7.2.8"
    api.post(f"/api/v1/exposure/inventory/{item_id}/delete")
    assert not InventoryItem.objects.exists()


def test_executives_read_but_do_not_change_the_inventory(world: World) -> None:
    InventoryItem.objects.create(organisation=world.own, vendor="Fortinet", product="FortiOS")
    executive = world.users[Role.EXECUTIVE]
    page = world.client(Role.EXECUTIVE).get(f"/exposure/{world.own.slug}/inventory/")
    assert page.status_code == 200 and "FortiOS" in page.content.decode()
    assert "Add a product" not in page.content.decode()
    with pytest.raises(PermissionDenied):
        inventory_item_save(
            actor=executive, organisation=world.own, data=RowInput(vendor="Cisco", product="ASA")
        )


def test_a_hostile_workbook_is_refused_on_the_page_and_nothing_is_kept(
    world: World, tmp_path: Path
) -> None:
    rows = [_row(1, ["vendor", "product"])]
    rows += [_row(n, ["Cisco", "ASA"]) for n in range(2, MAX_ROWS + 5)]
    path = _workbook(tmp_path / "estate.xlsx", _sheet(rows))
    client = world.client(Role.SECURITY_LEAD)
    with path.open("rb") as file:
        response = client.post(f"/exposure/{world.own.slug}/inventory/upload/", {"file": file})
    assert response.status_code == 200
    assert f"estate.xlsx: more than {MAX_ROWS:,} rows (the limit)" in response.content.decode()
    assert not InventoryUpload.objects.exists() and not InventoryItem.objects.exists()
