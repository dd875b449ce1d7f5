"""Demo data for exposure: inventories for several members and live warnings.

Vulnerability data comes from the team's real files in ../shared/data beside
the checkout (or OPENWARP_SHARED_DATA): the 2024 CVE JSON 5 records that name
a demo product, and two KEV catalogues, the July 2025 one first and the
current one second, so the 22 entries CISA added in between raise live KEV
alerts (Derby runs Citrix Session Recording). Without those files the
inventories are still seeded and a note says how to load data later: we do
not ship a copy of vulnerability records of our own.
"""

from __future__ import annotations

import os
import tomllib
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from django.utils import timezone

from openwarp.core.vulns.cve5 import load_cve5
from openwarp.core.vulns.feeds import load_kev
from openwarp.hub.exposure.models import ExposureWarning, InventoryItem, Status
from openwarp.hub.exposure.records import core_item, item_keys, record_keys
from openwarp.hub.exposure.services.alerts import exposure_refresh_after_load
from openwarp.hub.exposure.services.data import vulnerability_data_store
from openwarp.hub.exposure.services.matching import exposure_rematch
from openwarp.hub.exposure.services.warnings import warning_set_status
from openwarp.hub.members.models import User
from openwarp.hub.members.policy import Role

KEV_BASELINE = "kev/history/kev-2025-07-20.json"
KEV_CURRENT = "kev/known_exploited_vulnerabilities.json"
CVE_RECORDS = "cve5/cve5-2024.jsonl.gz"
# Hours after the warning that the first members patched Windows Server, for the
# regional view's remediation times.
PATCH_HOURS = (20, 30, 44, 70, 96, 150)


def shared_data() -> Path:
    default = Path(__file__).resolve().parents[4].parent / "shared" / "data"
    return Path(os.environ.get("OPENWARP_SHARED_DATA") or default)


def _seed_inventories(context: Any) -> list[InventoryItem]:
    text = (
        resources.files("openwarp.hub.exposure.seed")
        .joinpath("demo_inventories.toml")
        .read_text("utf-8")
    )
    data = tomllib.loads(text)
    rows: list[tuple[str, dict[str, Any]]] = []
    for entry in data.get("estate", []):
        fields = {k: v for k, v in entry.items() if k != "shared_by"}
        rows += [(code, fields) for code in entry["shared_by"]]
    rows += [
        (e["organisation"], {k: v for k, v in e.items() if k != "organisation"})
        for e in data.get("row", [])
    ]
    return [
        InventoryItem.objects.create(organisation=context.organisations[code], **fields)
        for code, fields in rows
    ]


def seed(context: Any) -> None:
    items = _seed_inventories(context)
    folder = shared_data()
    if not (folder / CVE_RECORDS).is_file():
        print(
            f"exposure demo: no vulnerability data at {folder}; inventories seeded without "
            "warnings (load some with `openwarp exposure load`)"
        )
        return
    keys = item_keys(core_item(i) for i in items)
    records = [
        r
        for r in load_cve5([folder / CVE_RECORDS]).records
        if r.state == "PUBLISHED" and record_keys(r) & keys
    ]
    vulnerability_data_store(
        actor=None,
        records=records,
        kev=load_kev(folder / KEV_BASELINE),
        sources=[str(folder / CVE_RECORDS), str(folder / KEV_BASELINE)],
    )
    exposure_rematch()
    load = vulnerability_data_store(
        actor=None, kev=load_kev(folder / KEV_CURRENT), sources=[str(folder / KEV_CURRENT)]
    )
    exposure_refresh_after_load(load_id=load.pk)
    _patch_windows(context)


def _patch_windows(context: Any) -> None:
    """Six members patched the top Windows Server warning, at different speeds."""
    top = (
        ExposureWarning.objects.filter(product_label__contains="Windows Server", kev=True)
        .order_by("-priority", "cve_id")
        .first()
    )
    if top is None:
        return
    coordinator = context.people["coordinator@em-warp.example"]
    now = timezone.now()
    warnings = ExposureWarning.objects.filter(cve_id=top.cve_id).order_by("organisation__name")
    for hours, warning in zip(PATCH_HOURS, warnings, strict=False):
        started = now - timedelta(hours=hours + 24)
        ExposureWarning.objects.filter(pk=warning.pk).update(first_seen_at=started)
        warning.refresh_from_db()
        lead = User.objects.filter(
            organisation_id=warning.organisation_id, role=Role.SECURITY_LEAD
        ).first()
        warning_set_status(
            actor=lead or coordinator,
            warning=warning,
            status=Status.PATCHED,
            reason="February cumulative update installed",
        )
        warning.events.update(at=started + timedelta(hours=hours))
        ExposureWarning.objects.filter(pk=warning.pk).update(
            resolved_at=started + timedelta(hours=hours),
            status_changed_at=started + timedelta(hours=hours),
        )
