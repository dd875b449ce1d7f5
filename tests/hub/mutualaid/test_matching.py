"""Languages and on-site/remote in the coordinator's candidates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from openwarp.core.errors import InvalidInput
from openwarp.core.mutualaid import solve
from openwarp.hub.members.policy import Role
from openwarp.hub.mutualaid.candidates import build_instance, candidate_plan, open_needs
from openwarp.hub.mutualaid.models import AidRequest, Availability, RosterPerson
from openwarp.hub.mutualaid.services import requests
from tests.hub.mutualaid.factories import person, third_org
from tests.world import World

pytestmark = pytest.mark.django_db


def _speaks(who: RosterPerson, languages: str) -> RosterPerson:
    RosterPerson.objects.filter(pk=who.pk).update(languages=languages)
    return RosterPerson.objects.get(pk=who.pk)


def _ask(world: World, **changes: object) -> AidRequest:
    draft = requests.RequestDraft(
        title="Comms help for residents",
        starts_at=timezone.now() + timedelta(hours=1),
        days=2,
        priority=4,
        needs=[requests.NeedDraft(skill="communications", min_level=2)],
    )
    for name, value in changes.items():
        setattr(draft, name, value)
    return requests.request_create(
        actor=world.users[Role.SECURITY_LEAD], organisation=world.own, draft=draft
    )


def test_a_language_need_proposes_only_people_who_speak_it(located: World) -> None:
    leicester, _ = third_org(located)
    _speaks(person(located.other, "Nottingham comms officer", {"communications": 3}), "English")
    welsh = _speaks(
        person(leicester, "Leicester comms officer", {"communications": 3}), "English, Welsh"
    )
    aid = _ask(located, language="welsh")
    plan = candidate_plan(aid)
    assert [c.person for c in plan.candidates] == [welsh]
    page = located.client(Role.COORDINATOR).get(f"/mutual-aid/requests/{aid.pk}/")
    assert "Leicester comms officer" in page.content.decode()
    assert "Nottingham comms officer" not in page.content.decode()


def test_a_language_nobody_lists_is_refused_naming_the_field(located: World) -> None:
    _speaks(person(located.other, "Comms officer", {"communications": 3}), "English")
    with pytest.raises(InvalidInput) as error:
        _ask(located, language="Polish")
    assert error.value.field == "language"
    assert "Polish" in error.value.message


def test_remote_help_is_not_charged_travel_but_on_site_help_is(located: World) -> None:
    person(located.other, "Comms officer", {"communications": 3})
    for mode, charged in (("on_site", True), ("remote", False)):
        aid = _ask(located, mode=mode)
        people = list(RosterPerson.objects.filter(organisation=located.other))
        plan = solve(build_instance(aid, people, open_needs(aid)))
        assert len(plan.assignments) == 1
        assert (plan.travel_km > 10) is charged, mode


def test_a_second_availability_window_is_used(located: World) -> None:
    who = person(located.other, "Comms officer", {"communications": 3}, days_available=1)
    later = timezone.now() + timedelta(days=10)
    Availability.objects.create(person=who, starts_at=later, ends_at=later + timedelta(days=5))
    aid = _ask(located, starts_at=later + timedelta(hours=1))
    assert [c.person for c in candidate_plan(aid).candidates] == [who]
