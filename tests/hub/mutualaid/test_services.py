"""Mutual-aid services: validation, the request → offer → deployment → close
transitions, and that a refused change leaves nothing behind."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from openwarp.core.errors import Conflict, InvalidInput, PermissionDenied
from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.members.policy import Role
from openwarp.hub.mutualaid.candidates import candidate_plan
from openwarp.hub.mutualaid.models import (
    AidRequest,
    Deployment,
    Offer,
    OfferStatus,
    RosterPerson,
    TimeEntry,
)
from openwarp.hub.mutualaid.services import deployments, offers, requests, roster
from tests.hub.mutualaid.factories import (
    AGREEMENT,
    accept,
    ask,
    ask_elsewhere,
    back_date,
    offer,
    person,
)
from tests.world import World

pytestmark = pytest.mark.django_db


def test_a_person_without_a_location_takes_the_organisations(located: World) -> None:
    made = person(located.other)
    assert (made.latitude, made.longitude) == (
        located.other.latitude,
        located.other.longitude,
    )
    assert {s.skill: s.level for s in made.skills.all()} == {
        "incident_lead": 3,
        "windows_ad_recovery": 3,
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"skills": {"hacking": 3}}, "skills.hacking"),
        ({"skills": {"cloud": 9}}, "skills.cloud"),
        ({"title": " "}, "title"),
        ({"max_days": 0}, "max_days"),
        ({"vetting": "top-secret"}, "vetting"),
    ],
)
def test_bad_roster_entries_name_the_field_and_save_nothing(
    located: World, change: dict[str, object], field: str
) -> None:
    draft = roster.PersonDraft(title="Analyst", skills={"cloud": 2})
    for name, value in change.items():
        setattr(draft, name, value)
    with pytest.raises(InvalidInput) as error:
        roster.person_save(actor=None, organisation=located.other, draft=draft)
    assert error.value.field == field
    assert not RosterPerson.objects.exists()


def test_a_member_cannot_edit_another_organisations_roster(located: World) -> None:
    with pytest.raises(PermissionDenied):
        roster.person_save(
            actor=located.users[Role.SECURITY_LEAD],
            organisation=located.other,
            draft=roster.PersonDraft(title="Spy", skills={"cloud": 2}),
        )
    with pytest.raises(PermissionDenied):
        roster.person_save(
            actor=located.users[Role.MEMBER],
            organisation=located.own,
            draft=roster.PersonDraft(title="Self-nominated", skills={"cloud": 2}),
        )


def test_an_impossible_request_is_refused_with_the_skill_named(located: World) -> None:
    person(located.other, skills={"incident_lead": 2})
    with pytest.raises(InvalidInput) as error:
        ask(located, skill="incident_lead", level=3)
    assert error.value.field == "needs[0].skill"
    assert "Incident lead at level 3" in error.value.message
    # The requester's own staff do not count: nobody lends to themselves.
    person(located.own, skills={"cloud": 4})
    with pytest.raises(InvalidInput, match="Cloud"):
        ask(located, skill="cloud", level=2)
    assert not AidRequest.objects.exists()


def test_vetting_required_needs_a_vetted_responder(located: World) -> None:
    person(located.other, vetting="bpss")
    with pytest.raises(InvalidInput, match="no vetted responder"):
        ask(located, vetting=True)
    person(located.other, "Vetted lead", vetting="sc")
    assert ask(located, vetting=True).needs.get().vetting_required


def test_a_start_in_the_past_is_refused_but_a_few_minutes_is_tolerated(located: World) -> None:
    person(located.other)
    with pytest.raises(InvalidInput) as error:
        ask(located, start_in=-timedelta(hours=2))
    assert error.value.field == "starts_at"
    assert ask(located, start_in=-timedelta(minutes=5)).pk


def test_request_to_deployment_to_close(located: World) -> None:
    responder = person(located.other)
    aid = ask(located, start_in=timedelta(minutes=1))
    sent = offer(located, aid, responder)
    assert sent.status == OfferStatus.PENDING
    deployment = back_date(accept(located.other_lead, sent))
    assert deployment.day_rate == Decimal("450.00")
    assert deployment.ends_at - deployment.starts_at == timedelta(days=3)
    entry = deployments.time_entry_add(
        actor=located.other_lead,
        deployment=deployment,
        day=timezone.localdate(),
        hours=Decimal("7.5"),
        expenses=Decimal("23.40"),
        note="Mileage",
    )
    assert entry.hours == Decimal("7.5")
    closed = requests.request_close(
        actor=located.users[Role.SECURITY_LEAD],
        request=aid,
        helped="The AD rebuild",
        not_helped="Slow VPN access for the responder",
    )
    assert closed.status == "closed"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"mutualaid.offer_accept", "mutualaid.time_entry_add", "mutualaid.request_close"} <= (
        actions
    )
    # After the review nothing changes.
    with pytest.raises(Conflict):
        deployments.time_entry_add(
            actor=located.other_lead,
            deployment=deployment,
            day=timezone.localdate(),
            hours=Decimal(1),
        )
    with pytest.raises(Conflict):
        requests.request_close(
            actor=located.users[Role.SECURITY_LEAD], request=aid, helped="again", not_helped=""
        )


def test_an_accepted_request_cannot_be_edited(located: World) -> None:
    responder = person(located.other)
    aid = ask(located)
    accept(located.other_lead, offer(located, aid, responder))
    draft = requests.RequestDraft(
        title="Changed",
        starts_at=aid.starts_at,
        days=9,
        priority=1,
        needs=[requests.NeedDraft(skill="incident_lead", min_level=1)],
    )
    with pytest.raises(Conflict, match="already accepted"):
        requests.request_update(actor=located.users[Role.SECURITY_LEAD], request=aid, draft=draft)
    aid.refresh_from_db()
    assert (aid.title, aid.days) == ("Ransomware on our file servers", 3)


def test_editing_before_acceptance_withdraws_pending_offers(located: World) -> None:
    responder = person(located.other)
    aid = ask(located)
    offer(located, aid, responder)
    draft = requests.RequestDraft(
        title="Two days will do",
        starts_at=aid.starts_at,
        days=2,
        priority=4,
        needs=[requests.NeedDraft(skill="incident_lead", min_level=2)],
    )
    requests.request_update(actor=located.users[Role.SECURITY_LEAD], request=aid, draft=draft)
    assert not Offer.objects.filter(request=aid).exists()


def test_overlapping_deployments_of_one_person_are_refused(located: World) -> None:
    responder = person(located.other)
    first = ask(located)
    accept(located.other_lead, offer(located, first, responder))
    second = ask_elsewhere(located, first.starts_at + timedelta(days=1))
    # The coordinator cannot even offer someone already deployed then ...
    with pytest.raises(InvalidInput, match="deployed at the same time"):
        offer(located, second, responder)
    # ... and an offer made before the first acceptance cannot be accepted after it.
    early = Offer.objects.create(
        request=second,
        need=second.needs.get(),
        person=responder,
        sent_by=located.users[Role.COORDINATOR],
    )
    with pytest.raises(Conflict, match="already deployed"):
        accept(located.other_lead, early)
    assert Deployment.objects.filter(person=responder).count() == 1
    early.refresh_from_db()
    assert early.status == OfferStatus.PENDING


def test_acceptance_needs_the_confidentiality_undertaking_and_terms(located: World) -> None:
    responder = person(located.other)
    sent = offer(located, ask(located), responder)
    for change, field in (
        ({"confidentiality_agreed": False}, "confidentiality"),
        ({"terms": ""}, "terms"),
        ({"cost_basis": "package"}, "package"),
    ):
        agreement = offers.Agreement(**{**AGREEMENT.__dict__, **change})
        with pytest.raises(InvalidInput) as error:
            offers.offer_accept(actor=located.other_lead, offer=sent, agreement=agreement)
        assert error.value.field == field
    assert not Deployment.objects.exists()
    sent.refresh_from_db()
    assert sent.status == OfferStatus.PENDING


def test_only_the_lender_consents_and_a_declined_offer_stays_declined(located: World) -> None:
    responder = person(located.other)
    sent = offer(located, ask(located), responder)
    for actor in (located.users[Role.COORDINATOR], located.users[Role.SECURITY_LEAD]):
        with pytest.raises(PermissionDenied):
            accept(actor, sent)
    offers.offer_decline(actor=located.other_lead, offer=sent, reason="On leave")
    with pytest.raises(Conflict, match="already been answered"):
        accept(located.other_lead, sent)
    with pytest.raises(Conflict, match="already been offered"):
        offer(located, sent.request, responder)


def test_a_filled_need_takes_no_more_acceptances(located: World) -> None:
    first, second = person(located.other, "A"), person(located.other, "B")
    aid = ask(located)
    offer_a, offer_b = offer(located, aid, first), offer(located, aid, second)
    accept(located.other_lead, offer_a)
    with pytest.raises(Conflict, match="already filled"):
        accept(located.other_lead, offer_b)


@pytest.mark.parametrize(
    ("day_offset", "hours", "field"),
    [(1, "8", "day"), (-5, "8", "day"), (0, "25", "hours"), (0, "0", "hours")],
)
def test_time_entries_outside_the_deployment_or_the_day_are_refused(
    located: World, day_offset: int, hours: str, field: str
) -> None:
    responder = person(located.other)
    deployment = back_date(
        accept(located.other_lead, offer(located, ask(located, start_in=timedelta(0)), responder))
    )
    with pytest.raises(InvalidInput) as error:
        deployments.time_entry_add(
            actor=located.other_lead,
            deployment=deployment,
            day=timezone.localdate() + timedelta(days=day_offset),
            hours=Decimal(hours),
        )
    assert error.value.field == field
    assert not TimeEntry.objects.exists()


def test_a_person_taken_off_lending_is_not_proposed(located: World) -> None:
    responder = person(located.other)
    aid = ask(located)
    assert [c.person for c in candidate_plan(aid).candidates] == [responder]
    draft = roster.PersonDraft(title=responder.title, skills={"incident_lead": 3}, is_active=False)
    roster.person_save(
        actor=located.other_lead, organisation=located.other, draft=draft, person=responder
    )
    plan = candidate_plan(aid)
    assert plan.candidates == [] and "impossible request" in plan.warnings[0]


def test_the_conflict_list_keeps_staff_apart_until_the_pair_is_removed(located: World) -> None:
    person(located.other)
    aid = ask(located)
    coordinator = located.users[Role.COORDINATOR]
    pair = roster.conflict_add(actor=coordinator, org_a=located.other, org_b=located.own)
    with pytest.raises(Conflict):
        roster.conflict_add(actor=coordinator, org_a=located.own, org_b=located.other)
    assert candidate_plan(aid).candidates == []
    aid = requests.request_set_conflict_avoidance(actor=coordinator, request=aid, avoid=False)
    assert len(candidate_plan(aid).candidates) == 1
    aid = requests.request_set_conflict_avoidance(actor=coordinator, request=aid, avoid=True)
    with pytest.raises(PermissionDenied):
        roster.conflict_remove(actor=located.users[Role.SECURITY_LEAD], pair=pair)
    roster.conflict_remove(actor=coordinator, pair=pair)
    assert len(candidate_plan(aid).candidates) == 1
