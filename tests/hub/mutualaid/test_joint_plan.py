"""The coordinator's joint plan over every open request (a national incident)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from openwarp.hub.members.policy import Role
from openwarp.hub.mutualaid.joint import free_spans, joint_plan
from openwarp.hub.mutualaid.models import Offer
from openwarp.hub.mutualaid.services import offers
from tests.hub.mutualaid.factories import accept, ask, ask_elsewhere, offer, person
from tests.world import World

pytestmark = pytest.mark.django_db


def _proposed(plan: object) -> dict[int, list[str]]:
    return {
        item.request.pk: [c.person.title for c in item.candidates]
        for item in plan.requests  # type: ignore[attr-defined]
    }


def test_the_one_scarce_person_goes_to_the_most_urgent_request(located: World) -> None:
    person(located.other, "Only incident lead", {"incident_lead": 3})
    urgent = ask(located)  # priority 5, Derby
    minor = ask_elsewhere(located, starts_at=timezone.now() + timedelta(hours=2))  # priority 3
    proposed = _proposed(joint_plan())
    assert proposed == {urgent.pk: ["Only incident lead"], minor.pk: []}
    assert next(i for i in joint_plan().requests if i.request == minor).short == 1


def test_someone_awaiting_an_answer_is_planned_only_outside_that_window(located: World) -> None:
    busy = person(located.other, "Awaiting answer", {"incident_lead": 3})
    first = ask(located, days=3)
    offer(located, first, busy)
    overlapping = ask_elsewhere(located, starts_at=timezone.now() + timedelta(days=1))
    after = ask_elsewhere(located, starts_at=timezone.now() + timedelta(days=5))
    proposed = _proposed(joint_plan())
    assert proposed[overlapping.pk] == []
    assert proposed[after.pk] == ["Awaiting answer"]
    assert proposed[first.pk] == []  # its need has the pending offer


def test_a_decline_keeps_the_person_off_that_request_only(located: World) -> None:
    who = person(located.other, "Declined once", {"incident_lead": 3})
    first = ask(located)
    offers.offer_decline(actor=located.other_lead, offer=offer(located, first, who))
    second = ask_elsewhere(located, starts_at=timezone.now() + timedelta(hours=3))
    proposed = _proposed(joint_plan())
    assert proposed[first.pk] == []
    assert proposed[second.pk] == ["Declined once"]


def test_a_deployed_person_is_free_for_a_request_after_the_deployment(located: World) -> None:
    who = person(located.other, "Deployed now", {"incident_lead": 3})
    accept(located.other_lead, offer(located, ask(located, days=2), who))
    later = ask_elsewhere(located, starts_at=timezone.now() + timedelta(days=4))
    clash = ask_elsewhere(located, starts_at=timezone.now() + timedelta(days=1))
    proposed = _proposed(joint_plan())
    assert proposed[later.pk] == ["Deployed now"]
    assert proposed[clash.pk] == []


def test_the_coordinator_sends_offers_from_the_joint_plan(located: World) -> None:
    who = person(located.other, "Nottingham incident lead", {"incident_lead": 3})
    aid = ask(located)
    coordinator = located.client(Role.COORDINATOR)
    page = coordinator.get("/mutual-aid/plan/").content.decode()
    assert "Nottingham incident lead" in page and aid.title in page
    response = coordinator.post(
        f"/mutual-aid/requests/{aid.pk}/offers/",
        {"need": aid.needs.first().pk, "person": who.pk, "next": "plan"},
    )
    assert response["Location"] == "/mutual-aid/plan/"
    assert Offer.objects.filter(request=aid, person=who).exists()
    after = coordinator.get("/mutual-aid/plan/").content.decode()
    assert "Every need has an offer out or accepted." in after
    api = located.api(Role.COORDINATOR).get("/api/v1/mutual-aid/plan").json()
    assert api["requests"][0]["request"] == aid.pk and api["requests"][0]["candidates"] == []


def test_free_spans_cut_booked_windows_out() -> None:
    day = datetime(2026, 12, 1, tzinfo=UTC)
    window = (day, day + timedelta(days=10))
    booked = [(day + timedelta(days=2), day + timedelta(days=4)), (day - timedelta(days=5), day)]
    assert free_spans([window], booked) == [
        (day, day + timedelta(days=2)),
        (day + timedelta(days=4), day + timedelta(days=10)),
    ]
    assert free_spans([window], [(day - timedelta(days=1), day + timedelta(days=11))]) == []
