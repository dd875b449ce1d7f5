"""The coordinator withdraws offers; lenders and requesters hear about offers by e-mail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from openwarp.core.errors import Conflict, InvalidInput, PermissionDenied
from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.members.policy import Role
from openwarp.hub.mutualaid.candidates import candidate_plan, proposable_people
from openwarp.hub.mutualaid.models import Deployment, OfferStatus
from openwarp.hub.mutualaid.services import offers
from openwarp.hub.notify.mail_choices import mail_choices_set
from openwarp.hub.notify.models import MailTopic
from tests.hub.mutualaid.factories import accept, ask, ask_elsewhere, back_date, offer, person
from tests.world import World

pytestmark = pytest.mark.django_db

OWN_LEAD = "security_lead@test.example"
OTHER_LEAD = "lead@nottingham.example"


def _withdraw(world: World, sent: Any, reason: str = "The requester found help locally") -> Any:
    return offers.offer_withdraw(actor=world.users[Role.COORDINATOR], offer=sent, reason=reason)


def test_sending_an_offer_mails_the_lenders_security_leads(
    located: World, django_capture_on_commit_callbacks: Any
) -> None:
    responder = person(located.other, "Nottingham incident lead")
    aid = ask(located)
    with django_capture_on_commit_callbacks(execute=True):
        sent = offer(located, aid, responder)
    assert [m.to for m in mail.outbox] == [[OTHER_LEAD]]
    message = mail.outbox[0]
    assert "Nottingham incident lead" in message.subject
    assert "Derby City Council" in message.subject
    assert f"/mutual-aid/offers/{sent.pk}/" in message.body


def test_a_decline_tells_the_requester_without_naming_the_person_or_lender(
    located: World, django_capture_on_commit_callbacks: Any
) -> None:
    responder = person(located.other, "Nottingham incident lead")
    aid = ask(located)
    sent = offer(located, aid, responder)
    with django_capture_on_commit_callbacks(execute=True):
        offers.offer_decline(actor=located.other_lead, offer=sent, reason="On leave")
    assert [m.to for m in mail.outbox] == [[OWN_LEAD]]
    text = mail.outbox[0].subject + mail.outbox[0].body
    assert "declined" in text
    assert "Nottingham" not in text
    assert "incident lead" not in mail.outbox[0].subject.lower()


def test_an_acceptance_tells_the_requester_who_is_coming(
    located: World, django_capture_on_commit_callbacks: Any
) -> None:
    responder = person(located.other, "Nottingham incident lead")
    sent = offer(located, ask(located), responder)
    with django_capture_on_commit_callbacks(execute=True):
        accept(located.other_lead, sent)
    assert [m.to for m in mail.outbox] == [[OWN_LEAD]]
    assert "Nottingham incident lead from Nottingham City Council" in mail.outbox[0].body


def test_withdrawing_a_pending_offer_tells_the_lender_and_frees_the_need(
    located: World, django_capture_on_commit_callbacks: Any
) -> None:
    first = person(located.other, "First choice")
    second = person(located.other, "Second choice")
    aid = ask(located)
    sent = offer(located, aid, first)
    assert candidate_plan(aid).open_needs == []
    with django_capture_on_commit_callbacks(execute=True):
        _withdraw(located, sent)
    sent.refresh_from_db()
    assert sent.status == OfferStatus.WITHDRAWN
    assert sent.withdraw_reason == "The requester found help locally"
    assert [m.to for m in mail.outbox] == [[OTHER_LEAD]]
    assert "withdrawn" in mail.outbox[0].subject.lower()
    assert "The requester found help locally" in mail.outbox[0].body
    # The place is open again and the next person is proposed, not the withdrawn one.
    plan = candidate_plan(aid)
    assert [c.person for c in plan.candidates] == [second]
    with pytest.raises(Conflict):
        offers.offer_accept(
            actor=located.other_lead,
            offer=sent,
            agreement=offers.Agreement(
                terms="x", cost_basis="day_rate", confidentiality_agreed=True, day_rate=0
            ),
        )
    assert AuditEntry.objects.filter(action="mutualaid.offer_withdraw").count() == 1


def test_withdrawing_after_acceptance_frees_the_person_and_keeps_the_hours(
    located: World, django_capture_on_commit_callbacks: Any
) -> None:
    responder = person(located.other, "Nottingham incident lead")
    aid = ask(located, days=5)
    deployment = back_date(accept(located.other_lead, offer(located, aid, responder)), days=2)
    later = ask_elsewhere(located, starts_at=timezone.now() + timedelta(hours=2))
    assert responder not in proposable_people(later)
    with django_capture_on_commit_callbacks(execute=True):
        _withdraw(located, deployment.offer, reason="Needed back home")
    deployment = Deployment.objects.get(pk=deployment.pk)
    assert deployment.withdrawn_at is not None
    assert deployment.ends_at <= timezone.now()
    assert deployment.ends_at > deployment.starts_at  # two days already worked still count
    assert responder in proposable_people(later)
    assert sorted(m.to[0] for m in mail.outbox) == [OTHER_LEAD, OWN_LEAD]
    assert all("Needed back home" in m.body for m in mail.outbox)


def test_withdrawing_needs_a_reason_a_coordinator_and_a_live_offer(located: World) -> None:
    who = person(located.other)
    sent = offer(located, ask(located), who)
    with pytest.raises(InvalidInput) as error:
        _withdraw(located, sent, reason="  ")
    assert error.value.field == "reason"
    for role in (Role.SECURITY_LEAD, Role.MEMBER):
        with pytest.raises(PermissionDenied):
            offers.offer_withdraw(actor=located.users[role], offer=sent, reason="no")
    with pytest.raises(PermissionDenied):
        offers.offer_withdraw(actor=located.other_lead, offer=sent, reason="no")
    offers.offer_decline(actor=located.other_lead, offer=sent)
    with pytest.raises(Conflict):
        _withdraw(located, sent)


def test_the_withdraw_button_on_the_request_page(located: World) -> None:
    who = person(located.other, "Nottingham incident lead")
    aid = ask(located)
    sent = offer(located, aid, who)
    coordinator = located.client(Role.COORDINATOR)
    page = coordinator.get(f"/mutual-aid/requests/{aid.pk}/").content.decode()
    assert f"/mutual-aid/requests/{aid.pk}/offers/{sent.pk}/withdraw/" in page
    lead_page = located.client(Role.SECURITY_LEAD).get(f"/mutual-aid/requests/{aid.pk}/")
    assert "withdraw/" not in lead_page.content.decode()
    response = coordinator.post(
        f"/mutual-aid/requests/{aid.pk}/offers/{sent.pk}/withdraw/",
        {"reason": "Wrong skill"},
        follow=True,
    )
    assert "Nottingham City Council has been told" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == OfferStatus.WITHDRAWN


def test_the_api_withdraws_and_refuses_a_member(located: World) -> None:
    who = person(located.other)
    sent = offer(located, ask(located), who)
    path = f"/api/v1/mutual-aid/offers/{sent.pk}/withdraw"
    refused = located.api(Role.SECURITY_LEAD).post(
        path, {"reason": "no"}, content_type="application/json"
    )
    assert refused.status_code == 404  # the offer names Nottingham's person
    empty = located.api(Role.COORDINATOR).post(
        path, {"reason": ""}, content_type="application/json"
    )
    assert empty.status_code == 422
    done = located.api(Role.COORDINATOR).post(
        path, {"reason": "Found locally"}, content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["status"] == "withdrawn"
    assert done.json()["withdraw_reason"] == "Found locally"


def test_mutual_aid_mail_follows_each_persons_choice(
    located: World, django_capture_on_commit_callbacks: Any
) -> None:
    colleague = located.users[Role.MEMBER]
    mail_choices_set(actor=located.users[Role.SECURITY_LEAD], choices={MailTopic.MUTUAL_AID: False})
    mail_choices_set(actor=colleague, choices={MailTopic.MUTUAL_AID: True})
    responder = person(located.other, "Nottingham incident lead")
    sent = offer(located, ask(located), responder)
    with django_capture_on_commit_callbacks(execute=True):
        offers.offer_decline(actor=located.other_lead, offer=sent, reason="On leave")
    assert [m.to for m in mail.outbox] == [[colleague.email]]
