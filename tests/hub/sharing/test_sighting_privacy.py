"""Sighting tallies answer only for values the asker can see, and never give
away one member's own count."""

from __future__ import annotations

from typing import Any

from openwarp.hub.members.models import SharingGroup
from openwarp.hub.members.policy import Role
from openwarp.hub.members.services.organisations import organisation_create
from openwarp.hub.sharing.services.reports import ReportDraft, report_create
from openwarp.hub.sharing.services.sightings import sighting_record
from tests.world import World, make_user


def _correlation(client: Any, kind: str, value: str) -> dict[str, Any]:
    response = client.get("/api/v1/correlation", {"kind": kind, "value": value})
    assert response.status_code == 200, response.content
    return response.json()


def _sight_by_new_members(
    world: World, indicator: Any, how_many: int, group: SharingGroup | None = None
) -> None:
    """New district councils (in ``group``, if given) each sight the value."""
    for number in range(how_many):
        member = organisation_create(
            actor=None, name=f"Sighting District {number}", org_type="district", region=world.region
        )
        if group is not None:
            group.organisations.add(member)
        person = make_user(f"soc{number}@district.example", Role.MEMBER, member)
        sighting_record(actor=person, indicator=indicator, count=10 + number)


def _group_only_report(world: World, value: str) -> tuple[Any, SharingGroup]:
    """An AMBER report of Nottingham's that only its sharing group may see."""
    group = SharingGroup.objects.create(name="Nottingham only")
    group.organisations.add(world.other)
    report, _ = report_create(
        actor=world.other_lead,
        draft=ReportDraft(
            title="Internal C2 seen at Nottingham",
            threat_type="malware",
            tlp="amber",
            distribution="sharing_group",
            sharing_group=group,
            indicators_text=value,
        ),
    )
    return report, group


def test_values_hidden_from_the_asker_read_like_values_nobody_has(world: World) -> None:
    hidden, _ = _group_only_report(world, "c2-quiet.example")
    sighting_record(actor=world.other_lead, indicator=hidden.indicators.get(), count=7)

    derby = world.api(Role.MEMBER)
    probed = _correlation(derby, "domain", "c2-quiet.example")
    unknown = _correlation(derby, "domain", "nobody-has-this.example")
    assert {k: v for k, v in probed.items() if k != "value"} == {
        k: v for k, v in unknown.items() if k != "value"
    }
    assert probed["members_seen"] == 0 and probed["reports"] == []
    page = world.client(Role.MEMBER).get("/indicators/domain/c2-quiet.example/").content.decode()
    assert "Seen by 0 members" in page

    # Nottingham can see its own report, so it learns the region's member count.
    nottingham = world.client(None)
    nottingham.force_login(world.other_lead)
    own_view = nottingham.get("/api/v1/correlation?kind=domain&value=c2-quiet.example").json()
    assert own_view["members_seen"] == 1


def test_totals_are_withheld_until_five_members_have_seen_a_value(world: World) -> None:
    indicator = world.green_report.indicators.get(kind="ipv4")
    sighting_record(actor=world.users[Role.MEMBER], indicator=indicator, count=3)
    _sight_by_new_members(world, indicator, 3)

    four = _correlation(world.api(Role.MEMBER), "ipv4", "203.0.113.77")
    assert four["members_seen"] == 4 and four["sightings"] is None
    page = world.client(Role.MEMBER).get("/indicators/ipv4/203.0.113.77/").content.decode()
    assert "Seen by 4 members" in page and "sightings in all" not in page
    # The hub's coordinator may see the total at any size.
    coordinator = _correlation(world.api(Role.COORDINATOR), "ipv4", "203.0.113.77")
    assert coordinator["sightings"] == 3 + 10 + 11 + 12

    sighting_record(actor=world.other_lead, indicator=indicator, count=1)
    five = _correlation(world.api(Role.MEMBER), "ipv4", "203.0.113.77")
    assert five["members_seen"] == 5 and five["sightings"] == 3 + 10 + 11 + 12 + 1


def test_a_campaign_on_a_value_hidden_from_the_member_is_not_shown_to_it(world: World) -> None:
    hidden, group = _group_only_report(world, "quiet-campaign.example")
    _sight_by_new_members(world, hidden.indicators.get(), 3, group)
    derby = world.client(Role.MEMBER).get("/reports/").content.decode()
    assert "quiet-campaign.example" not in derby
    inside = world.client(None)
    inside.force_login(world.other_lead)
    assert "quiet-campaign.example" in inside.get("/reports/").content.decode()
