"""The regional exposure view: counts by organisation type, remediation times,
and small cells suppressed for everyone but the hub's coordinators."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from openwarp.hub.exposure.models import ExposureWarning
from openwarp.hub.exposure.regional import _row, regional_exposure
from openwarp.hub.exposure.services.matching import exposure_rematch
from openwarp.hub.exposure.services.warnings import warning_set_status
from openwarp.hub.members.policy import Role
from openwarp.hub.members.policy.exposure import RegionalDetail
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.members.services.organisations import organisation_create
from tests.hub.exposure.conftest import add_rows
from tests.world import World, make_user

CURL = [{"vendor": "curl", "product": "curl", "version": "8.6.0"}]


def _region(world: World) -> None:
    """Seven unitary authorities (two in the world already) and two districts run curl
    8.6.0; four of the unitaries patched it, 10, 20, 30 and 40 hours after the warning."""
    orgs = [world.own, world.other]
    for n in range(5):
        orgs.append(
            organisation_create(
                actor=None, name=f"Unitary {n}", org_type="unitary", region=world.region
            )
        )
    for n in range(2):
        orgs.append(
            organisation_create(
                actor=None, name=f"District {n}", org_type="district", region=world.region
            )
        )
    for organisation in orgs:
        add_rows(organisation, CURL)
    exposure_rematch()
    now = timezone.now()
    for hours, organisation in zip((10, 20, 30, 40), orgs[2:6], strict=True):
        warning = ExposureWarning.objects.get(organisation=organisation, cve_id="CVE-2024-2466")
        ExposureWarning.objects.filter(pk=warning.pk).update(
            first_seen_at=now - timedelta(hours=hours)
        )
        warning.refresh_from_db()
        lead = make_user(f"lead{organisation.pk}@example.org", Role.SECURITY_LEAD, organisation)
        warning_set_status(actor=lead, warning=warning, status="patched")


def _curl_row(world: World, role: Role):  # type: ignore[no-untyped-def]
    view = regional_exposure(viewer=viewer_for(world.users[role]))
    return view, next(r for r in view.rows if r.cve_id == "CVE-2024-2466")


def test_coordinators_see_every_count_and_the_remediation_times(
    world: World, loaded_sample: None
) -> None:
    _region(world)
    view, row = _curl_row(world, Role.COORDINATOR)
    assert view.detail == "full"
    assert row.exposed == 5
    assert row.by_type == {"unitary": 3, "district": 2}
    assert (row.resolved, row.median_hours, row.p90_hours) == (4, 25.0, 40.0)


def test_executives_and_national_analysts_see_small_cells_suppressed(
    world: World, loaded_sample: None
) -> None:
    _region(world)
    for role in (Role.EXECUTIVE, Role.NATIONAL_ANALYST):
        view, row = _curl_row(world, role)
        assert view.detail == "suppressed"
        assert row.exposed == 5
        assert row.by_type == {"unitary": None, "district": None}
        assert row.median_hours is None and row.resolved is None  # only 4 fixed


def test_members_do_not_get_the_regional_view(world: World, loaded_sample: None) -> None:
    _region(world)
    for role in (Role.MEMBER, Role.SECURITY_LEAD):
        assert world.client(role).get("/exposure/region/").status_code == 403
        assert world.api(role).get("/api/v1/exposure/region").status_code == 403
    page = world.client(Role.EXECUTIVE).get("/exposure/region/").content.decode()
    assert "Unitary 1" not in page and "Derby" not in page
    assert "suppressed" in page


def test_a_total_is_hidden_when_it_would_give_hidden_cells_away() -> None:
    """District 6 shown, unitary and county 1 each hidden: a total of 8 beside them
    would tell everyone both hidden cells are 1."""
    by_type = {"district": set(range(6)), "unitary": {10}, "county": {20}}
    row = _row("CVE-2024-2466", by_type, {}, False, RegionalDetail.SUPPRESSED)
    assert row.by_type == {"district": 6, "unitary": None, "county": None}
    assert row.exposed is None
    full = _row("CVE-2024-2466", by_type, {}, False, RegionalDetail.FULL)
    assert full.exposed == 8
