"""Permission-matrix rows for exposure (see tests/hub/permission_matrix.py).

Objects are made on first use and kept in `world.extras`: an inventory row, an
upload awaiting confirmation and a warning for each of the two member
organisations, so every row can ask "own" and "another member's".
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from openwarp.hub.exposure.models import (
    CpeName,
    ExposureWarning,
    FeedSource,
    InventoryItem,
    InventoryUpload,
)
from openwarp.hub.members.policy import Role
from tests.hub.permission_matrix import HUB, REGION_READERS, SIGNED_IN, WRITERS, Row, allowed

OWN_AND_HUB = REGION_READERS  # the organisation's three roles, coordinators and admins
REGIONAL = allowed(Role.EXECUTIVE, Role.NATIONAL_ANALYST, Role.COORDINATOR, Role.ADMIN)
ROW = {"vendor": "Fortinet", "product": "FortiOS", "version": "7.2.5", "internet_facing": "yes"}
CPE_CHOICE = {"part": "o", "vendor": "fortinet", "product": "fortios"}
ADVISORY = {
    "title": "Patch FortiOS SSL VPN now",
    "body": "Upgrade to **7.2.7**.",
    "cve_id": "CVE-2024-21762",
}


def _objects(world: Any, side: str) -> dict[str, Any]:
    """The inventory row, upload and warning of "own" or "other", made once."""
    key = f"exposure:{side}"
    if key not in world.extras:
        organisation = world.own if side == "own" else world.other
        uploader = world.users[Role.MEMBER] if side == "own" else world.other_lead
        item = InventoryItem.objects.create(
            organisation=organisation, vendor="Fortinet", product="FortiOS", version="7.2.5"
        )
        upload = InventoryUpload.objects.create(
            organisation=organisation,
            uploaded_by=uploader,
            filename="assets.csv",
            rows=[{"row": 1, "vendor": "Cisco", "product": "ASA", "version": "9.16"}],
        )
        warning = ExposureWarning.objects.create(
            organisation=organisation,
            cve_id="CVE-2024-21762",
            product_key="fortinet/fortios",
            product_label="Fortinet FortiOS",
            verdict="affected",
            reason="7.2.5 < 7.2.7",
            priority=90.0,
            kev=True,
            internet_facing=True,
            due_rule="kev_internet_facing",
            due_at=timezone.now() + timedelta(hours=48),
        )
        CpeName.objects.get_or_create(**CPE_CHOICE)  # a name the loaded data uses
        world.extras[key] = {"item": item, "upload": upload, "warning": warning}
    return world.extras[key]


def _feed_source(world: Any) -> list[Any]:
    source, _ = FeedSource.objects.get_or_create(
        feed="kev", defaults={"url": "https://kev.example/known_exploited_vulnerabilities.json"}
    )
    return [source.pk]


def _slug(side: str):  # type: ignore[no-untyped-def]
    return lambda w: [(w.own if side == "own" else w.other).slug]


def _pk(side: str, name: str, attr: str = "pk"):  # type: ignore[no-untyped-def]
    return lambda w: [getattr(_objects(w, side)[name], attr)]


PAGES: list[Row] = [
    Row("exposure:home", SIGNED_IN, note="sends each role to its own view"),
    Row("exposure:region", REGIONAL),
    Row("exposure:advisories", REGION_READERS),
    Row("exposure:advisories", HUB, method="POST", data=lambda w: dict(ADVISORY)),
    Row("exposure:feeds", HUB),
    Row("exposure:feeds", HUB, method="POST", note="no file chosen: the form says so"),
    Row("exposure:feed_source", HUB, method="POST", note="nothing given: the page says so"),
    Row("exposure:feed_run", HUB, method="POST", args=_feed_source),
    Row("exposure:inventory", OWN_AND_HUB, args=_slug("own")),
    Row("exposure:inventory", HUB, args=_slug("other"), note="another member's"),
    Row("exposure:item_new", WRITERS, args=_slug("own")),
    Row("exposure:item_new", WRITERS, method="POST", args=_slug("own"), data=lambda w: ROW),
    Row(
        "exposure:item_new",
        HUB,
        method="POST",
        args=_slug("other"),
        data=lambda w: ROW,
        note="another member's",
    ),
    Row("exposure:upload", WRITERS, args=_slug("own")),
    Row("exposure:upload", HUB, args=_slug("other"), note="another member's"),
    Row("exposure:warnings", OWN_AND_HUB, args=_slug("own")),
    Row("exposure:warnings", HUB, args=_slug("other"), note="another member's"),
    Row("exposure:item_edit", WRITERS, args=_pk("own", "item")),
    Row("exposure:item_edit", HUB, args=_pk("other", "item"), note="another member's"),
    Row(
        "exposure:item_edit",
        HUB,
        method="POST",
        args=_pk("other", "item"),
        data=lambda w: ROW,
        note="another member's",
    ),
    Row("exposure:item_delete", WRITERS, method="POST", args=_pk("own", "item")),
    Row(
        "exposure:item_delete",
        HUB,
        method="POST",
        args=_pk("other", "item"),
        note="another member's",
    ),
    Row(
        "exposure:item_cpe",
        WRITERS,
        method="POST",
        args=_pk("own", "item"),
        data=lambda w: CPE_CHOICE,
    ),
    Row(
        "exposure:item_cpe",
        HUB,
        method="POST",
        args=_pk("other", "item"),
        data=lambda w: CPE_CHOICE,
        note="another member's",
    ),
    Row("exposure:upload_preview", WRITERS, args=_pk("own", "upload", "public_id")),
    Row(
        "exposure:upload_preview",
        WRITERS,
        method="POST",
        args=_pk("own", "upload", "public_id"),
        data=lambda w: {"mode": "add"},
    ),
    Row(
        "exposure:upload_preview",
        HUB,
        args=_pk("other", "upload", "public_id"),
        note="another member's",
    ),
    Row("exposure:warning", OWN_AND_HUB, args=_pk("own", "warning", "public_id")),
    Row(
        "exposure:warning", HUB, args=_pk("other", "warning", "public_id"), note="another member's"
    ),
    Row(
        "exposure:warning",
        WRITERS,
        method="POST",
        args=_pk("own", "warning", "public_id"),
        data=lambda w: {"status": "acknowledged"},
    ),
    Row(
        "exposure:warning",
        HUB,
        method="POST",
        args=_pk("other", "warning", "public_id"),
        data=lambda w: {"status": "acknowledged"},
        note="another member's",
    ),
]


def _path(template: str, side: str, name: str = "", attr: str = "pk"):  # type: ignore[no-untyped-def]
    def build(w: Any) -> str:
        value = (
            getattr(_objects(w, side)[name], attr)
            if name
            else (w.own if side == "own" else w.other).slug
        )
        return template.format(value)

    return build


BASE = "/api/v1/exposure"
API: list[Row] = [
    Row(
        f"GET {BASE}/organisations/{{slug}}/inventory",
        OWN_AND_HUB,
        api_path=_path(BASE + "/organisations/{}/inventory", "own"),
    ),
    Row(
        f"GET {BASE}/organisations/{{slug}}/inventory",
        HUB,
        api_path=_path(BASE + "/organisations/{}/inventory", "other"),
        note="another member's",
    ),
    Row(
        f"POST {BASE}/organisations/{{slug}}/inventory",
        WRITERS,
        api_path=_path(BASE + "/organisations/{}/inventory", "own"),
        data=lambda w: {"vendor": "Fortinet", "product": "FortiOS", "version": "7.2.5"},
    ),
    Row(
        f"POST {BASE}/organisations/{{slug}}/inventory",
        HUB,
        api_path=_path(BASE + "/organisations/{}/inventory", "other"),
        data=lambda w: {"vendor": "Fortinet", "product": "FortiOS"},
        note="another member's",
    ),
    Row(
        f"POST {BASE}/inventory/{{item_id}}",
        WRITERS,
        api_path=_path(BASE + "/inventory/{}", "own", "item"),
        data=lambda w: {"vendor": "Fortinet", "product": "FortiOS", "version": "7.2.8"},
    ),
    Row(
        f"POST {BASE}/inventory/{{item_id}}",
        HUB,
        api_path=_path(BASE + "/inventory/{}", "other", "item"),
        data=lambda w: {"vendor": "Fortinet", "product": "FortiOS"},
        note="another member's",
    ),
    Row(
        f"POST {BASE}/inventory/{{item_id}}/cpe",
        WRITERS,
        api_path=_path(BASE + "/inventory/{}/cpe", "own", "item"),
        data=lambda w: CPE_CHOICE,
    ),
    Row(
        f"POST {BASE}/inventory/{{item_id}}/cpe",
        HUB,
        api_path=_path(BASE + "/inventory/{}/cpe", "other", "item"),
        data=lambda w: CPE_CHOICE,
        note="another member's",
    ),
    Row(
        f"POST {BASE}/inventory/{{item_id}}/delete",
        WRITERS,
        api_path=_path(BASE + "/inventory/{}/delete", "own", "item"),
    ),
    Row(
        f"POST {BASE}/inventory/{{item_id}}/delete",
        HUB,
        api_path=_path(BASE + "/inventory/{}/delete", "other", "item"),
        note="another member's",
    ),
    Row(
        f"POST {BASE}/organisations/{{slug}}/uploads",
        WRITERS,
        api_path=_path(BASE + "/organisations/{}/uploads", "own"),
        data=lambda w: {"filename": "a.csv", "content": "vendor,product\nCisco,ASA\n"},
    ),
    Row(
        f"POST {BASE}/uploads/{{upload_id}}/confirm",
        WRITERS,
        api_path=_path(BASE + "/uploads/{}/confirm", "own", "upload", "public_id"),
    ),
    Row(
        f"POST {BASE}/uploads/{{upload_id}}/confirm",
        HUB,
        api_path=_path(BASE + "/uploads/{}/confirm", "other", "upload", "public_id"),
        note="another member's",
    ),
    Row(
        f"GET {BASE}/organisations/{{slug}}/warnings",
        OWN_AND_HUB,
        api_path=_path(BASE + "/organisations/{}/warnings", "own"),
    ),
    Row(
        f"GET {BASE}/organisations/{{slug}}/warnings",
        HUB,
        api_path=_path(BASE + "/organisations/{}/warnings", "other"),
        note="another member's",
    ),
    Row(
        f"GET {BASE}/warnings/{{warning_id}}",
        OWN_AND_HUB,
        api_path=_path(BASE + "/warnings/{}", "own", "warning", "public_id"),
    ),
    Row(
        f"GET {BASE}/warnings/{{warning_id}}",
        HUB,
        api_path=_path(BASE + "/warnings/{}", "other", "warning", "public_id"),
        note="another member's",
    ),
    Row(
        f"POST {BASE}/warnings/{{warning_id}}/status",
        WRITERS,
        api_path=_path(BASE + "/warnings/{}/status", "own", "warning", "public_id"),
        data=lambda w: {"status": "patched"},
    ),
    Row(
        f"POST {BASE}/warnings/{{warning_id}}/status",
        HUB,
        api_path=_path(BASE + "/warnings/{}/status", "other", "warning", "public_id"),
        data=lambda w: {"status": "patched"},
        note="another member's",
    ),
    Row(f"GET {BASE}/region", REGIONAL),
    Row(f"GET {BASE}/advisories", REGION_READERS),
    Row(f"POST {BASE}/advisories", HUB, data=lambda w: dict(ADVISORY)),
]
