"""Pre-costed packages offered whole from the coordinator's candidates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openwarp.core.errors import InvalidInput
from openwarp.hub.members.policy import Role
from openwarp.hub.mutualaid.candidates import candidate_plan
from openwarp.hub.mutualaid.models import Offer, RosterPackage
from openwarp.hub.mutualaid.services import offers, roster
from tests.hub.mutualaid.factories import ask, person
from tests.world import World

pytestmark = pytest.mark.django_db


def _team(world: World, size: int = 2) -> RosterPackage:
    members = [
        person(world.other, f"AD engineer {n}", {"windows_ad_recovery": 3}) for n in range(size)
    ]
    return roster.package_create(
        actor=None,
        organisation=world.other,
        name="AD rebuild team",
        day_rate=Decimal("1100"),
        people=members,
    )


def test_a_package_that_fits_a_need_is_offered_whole(located: World) -> None:
    team = _team(located)
    aid = ask(located, skill="windows_ad_recovery", people=2)
    plan = candidate_plan(aid)
    assert [(o.package, o.people) for o in plan.packages] == [(team, 2)]
    coordinator = located.client(Role.COORDINATOR)
    page = coordinator.get(f"/mutual-aid/requests/{aid.pk}/").content.decode()
    assert "AD rebuild team from Nottingham City Council (2 people" in page
    response = coordinator.post(
        f"/mutual-aid/requests/{aid.pk}/package-offers/",
        {"need": aid.needs.first().pk, "package": team.pk},
        follow=True,
    )
    assert "2 offers sent to Nottingham City Council" in response.content.decode()
    assert set(Offer.objects.filter(request=aid).values_list("person__title", flat=True)) == {
        "AD engineer 0",
        "AD engineer 1",
    }
    assert candidate_plan(aid).packages == ()


def test_a_package_bigger_than_the_places_left_is_refused_and_sends_nothing(
    located: World,
) -> None:
    team = _team(located, size=3)
    aid = ask(located, skill="windows_ad_recovery", people=2)
    assert candidate_plan(aid).packages == ()
    with pytest.raises(InvalidInput) as error:
        offers.package_offer_send(
            actor=located.users[Role.COORDINATOR], request=aid, need=aid.needs.first(), package=team
        )
    assert error.value.field == "package"
    assert not Offer.objects.exists()


def test_a_package_with_a_member_already_offered_is_not_proposed(located: World) -> None:
    team = _team(located)
    aid = ask(located, skill="windows_ad_recovery", people=3)
    offers.offer_send(
        actor=located.users[Role.COORDINATOR],
        request=aid,
        need=aid.needs.first(),
        person=team.people.first(),
    )
    assert candidate_plan(aid).packages == ()
