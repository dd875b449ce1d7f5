"""Regional figures: exact for the hub, suppressed below k organisations for everyone else."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from openwarp.hub.incidents.selectors.figures import open_by_category, regional_figures
from openwarp.hub.incidents.services import incidents as services
from openwarp.hub.incidents.services.breach import BreachDraft, breach_record
from openwarp.hub.members.models import User
from openwarp.hub.members.policy import Role
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.members.services import organisations as org_services
from tests.hub.incidents.factories import record
from tests.world import World, make_user

pytestmark = pytest.mark.django_db


def _member(world: World, name: str, org_type: str) -> User:
    organisation = org_services.organisation_create(
        actor=None, name=name, org_type=org_type, region=world.region
    )
    return make_user(f"lead@{organisation.slug}.example", Role.SECURITY_LEAD, organisation)


def _breach(lead: User, when: datetime) -> None:
    incident = services.incident_create(
        actor=lead,
        draft=services.IncidentDraft(
            title="Lost laptop", started_at=when, detected_at=when, ncsc_category="C6"
        ),
    )
    breach_record(actor=lead, incident=incident, draft=BreachDraft(aware_at=when))
    services.incident_set_status(actor=lead, incident=incident, status="closed")


@pytest.fixture
def breaches(world: World) -> World:
    """Six districts with a breach each in 2026, five of them also in 2025; one county."""
    districts = [_member(world, f"District {n}", "district") for n in range(6)]
    for n, lead in enumerate(districts):
        _breach(lead, datetime(2026, 2, 1 + n, 9, tzinfo=UTC))
        if n < 5:
            _breach(lead, datetime(2025, 5, 1 + n, 9, tzinfo=UTC))
    _breach(_member(world, "Shire County Council", "county"), datetime(2025, 7, 1, 9, tzinfo=UTC))
    return world


def _cells(world: World, role: Role) -> dict[str, list]:
    found = regional_figures(viewer=viewer_for(world.users[role]))
    return {row.label.split(" (")[0]: row.cells for row in found.breach_rows}, found.years  # type: ignore[return-value]


def test_the_hub_sees_exact_breach_counts_and_rates(breaches: World) -> None:
    rows, years = _cells(breaches, Role.COORDINATOR)
    assert years == [2025, 2026]
    assert rows["District council"] == [(5, 0.83), (6, 1.0)]
    assert rows["County council"] == [(1, 1.0), (0, 0.0)]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXECUTIVE, Role.NATIONAL_ANALYST])
def test_others_see_small_cells_suppressed_and_one_more_to_protect_them(
    breaches: World, role: Role
) -> None:
    rows, _ = _cells(breaches, role)
    # The lone county is hidden; so is the smallest other cell (districts 2025,
    # five members), or the county could be worked out from a total.
    assert rows["County council"][0] == (None, None)
    assert rows["District council"] == [(None, None), (6, 1.0)]


def test_open_incidents_by_category_are_suppressed_for_members(world: World) -> None:
    lead = world.users[Role.SECURITY_LEAD]
    now = datetime.now(UTC)
    services.incident_create(
        actor=lead,
        draft=services.IncidentDraft(
            title="Ransomware",
            started_at=now - timedelta(hours=2),
            detected_at=now - timedelta(hours=1),
            ncsc_category="C3",
        ),
    )
    assert open_by_category(viewer=viewer_for(world.users[Role.COORDINATOR])) == [("C3", 1)]
    assert open_by_category(viewer=viewer_for(lead)) == [("C3", None)]
    page = world.client(Role.MEMBER).get("/incidents/region/").content.decode()
    assert "suppressed" in page and "Ransomware" not in page


def test_the_figures_api_suppresses_for_the_national_analyst(breaches: World) -> None:
    body = json.loads(breaches.api(Role.NATIONAL_ANALYST).get("/api/v1/incidents/region").content)
    assert body["exact"] is False
    county = next(row for row in body["breaches"] if row["type"].startswith("County"))
    assert county["counts"][0] is None


def test_category_totals_never_give_away_a_hidden_cell(world: World) -> None:
    """C4: six districts (shown) and one unitary (hidden); C3: one district (hidden)
    and five counties (shown). Totals of 7 and 6 beside that table would reveal both
    hidden cells, so members see neither; the coordinator sees both."""

    def lead_of(name: str, org_type: str) -> User:
        organisation = org_services.organisation_create(
            actor=None, name=name, org_type=org_type, region=world.region
        )
        return make_user(f"lead@{organisation.slug}.example", Role.SECURITY_LEAD, organisation)

    districts = [lead_of(f"District {n}", "district") for n in range(6)]
    for lead in districts:
        record(lead, ncsc_category="C4")
    record(districts[0], ncsc_category="C3")
    record(lead_of("Unitary A", "unitary"), ncsc_category="C4")
    for n in range(5):
        record(lead_of(f"County {n}", "county"), ncsc_category="C3")
    coordinator = dict(open_by_category(viewer=viewer_for(world.users[Role.COORDINATOR])))
    assert coordinator == {"C3": 6, "C4": 7}
    member = dict(open_by_category(viewer=viewer_for(world.users[Role.MEMBER])))
    assert member == {"C3": None, "C4": None}
