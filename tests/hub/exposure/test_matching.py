"""Loading real CVE records into the hub and matching inventories against them."""

from __future__ import annotations

from pathlib import Path

import pytest

from openwarp.core.errors import InvalidInput
from openwarp.hub.exposure.models import (
    DataLoad,
    ExposureWarning,
    ProductKey,
    Status,
    Vulnerability,
)
from openwarp.hub.exposure.services.data import vulnerability_data_load
from openwarp.hub.exposure.services.matching import exposure_rematch
from openwarp.hub.exposure.services.warnings import warning_set_status
from openwarp.hub.members.policy import Role
from tests.hub.exposure.conftest import SAMPLE_ROWS, add_rows
from tests.world import World


def _warnings(world: World) -> dict[str, ExposureWarning]:
    return {
        w.cve_id: w for w in ExposureWarning.objects.filter(organisation=world.own, active=True)
    }


def test_loading_the_sample_stores_each_published_record_and_its_product_keys(
    db: None, sample_dir: Path
) -> None:
    load = vulnerability_data_load(actor=None, cve5_paths=[sample_dir])
    assert load.cve_records == Vulnerability.objects.count() == 20
    assert ProductKey.objects.filter(cve_id="CVE-2024-21236", key__contains="mysql").exists()


def test_a_broken_file_names_its_path_and_changes_nothing(
    db: None, sample_dir: Path, tmp_path: Path
) -> None:
    vulnerability_data_load(actor=None, cve5_paths=[sample_dir])
    broken = tmp_path / "broken.jsonl"
    good = (sample_dir / "CVE-2024-2466.json").read_text().replace("\n", " ")
    broken.write_text(good + "\n{not json\n")
    with pytest.raises(InvalidInput, match=r"broken\.jsonl line 2"):
        vulnerability_data_load(actor=None, cve5_paths=[broken])
    assert DataLoad.objects.count() == 1
    assert Vulnerability.objects.count() == 20


def test_real_records_give_the_verdicts_an_analyst_would(world: World, loaded_sample: None) -> None:
    add_rows(world.own, SAMPLE_ROWS)
    exposure_rematch()
    found = _warnings(world)
    assert found["CVE-2024-21236"].verdict == "affected"  # MySQL 8.0.36 <= 8.0.39
    assert [r["label"] for r in found["CVE-2024-21236"].evidence["rows"]] == [
        "Oracle MySQL Server 8.0.36"
    ]  # 8.0.40 is past the fix
    assert found["CVE-2024-2466"].verdict == "affected"
    assert found["CVE-2024-5009"].verdict == "affected"
    assert found["CVE-2024-20449"].verdict == "needs_review"  # no version given
    assert "gives no version" in found["CVE-2024-20449"].reason
    assert not ExposureWarning.objects.filter(organisation=world.other).exists()


def test_warnings_sort_by_priority_and_get_due_dates_from_the_rules(
    world: World, loaded_sample: None
) -> None:
    add_rows(world.own, SAMPLE_ROWS)
    exposure_rematch()
    found = _warnings(world)
    facing = found["CVE-2024-5009"]
    assert facing.internet_facing is True and facing.due_rule == "other"
    hours = (facing.due_at - facing.first_seen_at).total_seconds() / 3600
    assert hours == 30 * 24
    # internet-facing, SSVC "poc" WhatsUp Gold outranks internal MySQL
    assert facing.priority > found["CVE-2024-21236"].priority


def test_one_warning_per_product_however_many_rows(world: World, loaded_sample: None) -> None:
    add_rows(
        world.own,
        [
            {"vendor": "curl", "product": "curl", "version": "8.6.0"},
            {"vendor": "curl", "product": "curl", "version": "8.5.0"},
        ],
    )
    exposure_rematch()
    warning = ExposureWarning.objects.get(organisation=world.own, cve_id="CVE-2024-2466")
    assert len(warning.evidence["rows"]) == 2


def test_re_matching_keeps_the_status_a_member_set(world: World, loaded_sample: None) -> None:
    add_rows(world.own, SAMPLE_ROWS)
    exposure_rematch()
    warning = _warnings(world)["CVE-2024-2466"]
    warning_set_status(
        actor=world.users[Role.MEMBER],
        warning=warning,
        status=Status.MITIGATED,
        reason="curl removed from the web tier",
    )
    exposure_rematch()
    exposure_rematch(organisation_ids=[world.own.pk])
    warning.refresh_from_db()
    assert warning.status == Status.MITIGATED
    assert warning.resolved_at is not None
    assert (
        ExposureWarning.objects.filter(cve_id="CVE-2024-2466", organisation=world.own).count() == 1
    )


def test_a_removed_row_makes_its_warning_inactive_not_lost(
    world: World, loaded_sample: None
) -> None:
    rows = add_rows(world.own, SAMPLE_ROWS)
    exposure_rematch()
    rows[2].delete()  # curl
    result = exposure_rematch(organisation_ids=[world.own.pk])
    assert result.deactivated == 1
    assert ExposureWarning.objects.get(cve_id="CVE-2024-2466").active is False


def test_re_matching_one_cve_gives_the_same_warnings_as_a_full_re_match(
    world: World, loaded_sample: None
) -> None:
    add_rows(world.own, SAMPLE_ROWS)
    add_rows(world.other, [{"cpe": "cpe:2.3:a:oracle:mysql_server:8.0.30:*:*:*:*:*:*:*"}])
    result = exposure_rematch(cve_ids=["CVE-2024-21236"])
    assert {(w.organisation_id, w.cve_id) for w in result.created} == {
        (world.own.pk, "CVE-2024-21236"),
        (world.other.pk, "CVE-2024-21236"),
    }
    full = exposure_rematch()
    # the two MySQL warnings were already right, so nothing is rewritten
    assert full.updated == 0 and full.deactivated == 0
    assert {w.cve_id for w in full.created} == {"CVE-2024-2466", "CVE-2024-5009", "CVE-2024-20449"}
