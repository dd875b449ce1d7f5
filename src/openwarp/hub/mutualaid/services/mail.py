"""E-mails that keep lenders and requesters in step with offers.

Each is sent once the transaction that changed the offer has committed, to the
organisation's people who want mutual-aid e-mail (`notify.mail_choices`: security
leads unless they opted out).
What a mail may say follows the policy: the lender hears about its own person; the
requester learns who is coming only once the lender has accepted
(`policy.mutualaid.requester_may_know_lender`), so a decline is told without the
person's or the lender's name.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from openwarp.hub.members.policy.mutualaid import requester_may_know_lender
from openwarp.hub.mutualaid.models import Offer, OfferStatus
from openwarp.hub.notify.mail_choices import mail_recipients
from openwarp.hub.notify.models import MailTopic


def mail_on_commit(offer_id: int, event: str) -> None:
    """Queue the e-mail for ``event`` (sent, withdrawn, accepted, declined) after commit."""
    transaction.on_commit(partial(_send, offer_id, event))


def _send(offer_id: int, event: str) -> None:
    offer = Offer.objects.select_related(
        "request__organisation", "person__organisation", "need"
    ).get(pk=offer_id)
    if event in ("sent", "withdrawn"):
        _to_lender(offer, event)
    was_deployed = event == "withdrawn" and hasattr(offer, "deployment")
    if event in ("accepted", "declined") or was_deployed:
        _to_requester(offer, event)


def _mail(organisation_id: int, subject: str, body: str) -> None:
    leads = mail_recipients(organisation_id=organisation_id, topic=MailTopic.MUTUAL_AID)
    if leads:
        send_mail(
            subject=f"[{settings.HUB_NAME}] {subject}",
            message=body,
            from_email=None,
            recipient_list=leads,
        )


def _to_lender(offer: Offer, event: str) -> None:
    aid, person = offer.request, offer.person
    window = f"{aid.starts_at:%d %b %Y %H:%M} UTC for {aid.days} day{'s' if aid.days != 1 else ''}"
    if event == "sent":
        subject = f"Can you lend {person.title} to {aid.organisation.name}?"
        body = (
            f"The regional coordinator asks {person.organisation.name} to lend {person.title} "
            f"to {aid.organisation.name} for: {offer.need}.\n"
            f"Request: {aid.title} ({aid.get_mode_display()}), from {window}.\n\n"
            "Only your security lead can accept or decline this deployment:\n"
            f"{reverse('mutualaid:offer', args=[offer.pk])}\n"
        )
    else:
        subject = f"Offer withdrawn: {person.title} for {aid.organisation.name}"
        body = (
            f"The regional coordinator has withdrawn the offer of {person.title} to "
            f"{aid.organisation.name} ({aid.title}).\nReason: {offer.withdraw_reason}\n\n"
            f"{person.title} is free for other requests from now on.\n"
        )
    _mail(person.organisation_id, subject, body)


def _to_requester(offer: Offer, event: str) -> None:
    aid = offer.request
    status = OfferStatus.ACCEPTED if event in ("accepted", "withdrawn") else OfferStatus.DECLINED
    if requester_may_know_lender(offer_status=status):
        who = f"{offer.person.title} from {offer.person.organisation.name}"
    else:
        who = "A person offered"
    lines = {
        "accepted": (
            f"Help agreed for {aid.title}",
            f"{who} will come for: {offer.need}.\n"
            f"Deployment: {reverse('mutualaid:request', args=[aid.pk])}\n",
        ),
        "declined": (
            f"An offer for {aid.title} was declined",
            f"{who} for {offer.need} cannot come. The coordinator is looking for "
            f"someone else.\n{reverse('mutualaid:request', args=[aid.pk])}\n",
        ),
        "withdrawn": (
            f"A deployment for {aid.title} was withdrawn",
            f"The coordinator withdrew {who} ({offer.need}).\n"
            f"Reason: {offer.withdraw_reason}\n{reverse('mutualaid:request', args=[aid.pk])}\n",
        ),
    }
    subject, body = lines[event]
    _mail(aid.organisation_id, subject, body)
