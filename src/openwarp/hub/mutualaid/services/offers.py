"""Offers: the coordinator proposes a person, the lender consents or declines.

Acceptance is where double-booking could happen: two coordinators (or one, twice)
may have offered the same person to overlapping requests, and two security leads
may click Accept at the same moment. The responder's roster row is locked
(`select_for_update`) before the overlap check, so on PostgreSQL the second
acceptance waits for the first and then sees its deployment; SQLite serialises
writers anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import Conflict, InvalidInput
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.models import User
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.mutualaid import (
    may_answer_offer,
    may_coordinate,
    may_withdraw_offer,
)
from openwarp.hub.mutualaid.candidates import eligibility_problem
from openwarp.hub.mutualaid.models import (
    AidRequest,
    CostBasis,
    Deployment,
    Offer,
    OfferStatus,
    RequestNeed,
    RequestStatus,
    RosterPackage,
    RosterPerson,
    window_overlaps,
)
from openwarp.hub.mutualaid.services.common import require, viewer_of
from openwarp.hub.mutualaid.services.mail import mail_on_commit


@transaction.atomic
def offer_send(
    *,
    actor: User,
    request: AidRequest,
    need: RequestNeed,
    person: RosterPerson,
    viewer: Viewer | None = None,
) -> Offer:
    """Ask the person's organisation to lend them to one need of the request."""
    require(may_coordinate(viewer_of(actor, viewer)), "only coordinators send offers")
    request = AidRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == RequestStatus.CLOSED:
        raise Conflict("this request is closed")
    if need.request_id != request.pk:
        raise InvalidInput("that need belongs to another request", field="need")
    if person.organisation_id == request.organisation_id:
        raise InvalidInput("a member cannot be lent its own staff", field="person")
    if Offer.objects.filter(request=request, person=person).exists():
        raise Conflict(f"{person.title} has already been offered for this request", field="person")
    problem = eligibility_problem(request, need, person)
    if problem is not None:
        raise InvalidInput(problem, field="person")
    offer = Offer.objects.create(request=request, need=need, person=person, sent_by=actor)
    audit_record(
        actor=actor,
        action="mutualaid.offer_send",
        target=offer,
        organisation_id=person.organisation_id,
        details={"request": request.pk, "need": need.pk, "person": person.pk},
    )
    mail_on_commit(offer.pk, "sent")
    return offer


@transaction.atomic
def package_offer_send(
    *,
    actor: User,
    request: AidRequest,
    need: RequestNeed,
    package: RosterPackage,
    viewer: Viewer | None = None,
) -> list[Offer]:
    """Offer a whole pre-costed team for one need: one offer per member, all or none."""
    members = list(package.people.order_by("pk"))
    open_places = (
        need.people
        - need.offers.filter(status__in=(OfferStatus.PENDING, OfferStatus.ACCEPTED)).count()
    )
    if len(members) > open_places:
        raise InvalidInput(
            f"the package has {len(members)} people; the need has {open_places} place(s) open",
            field="package",
        )
    return [
        offer_send(actor=actor, request=request, need=need, person=member, viewer=viewer)
        for member in members
    ]


@dataclass
class Agreement:
    """What the lender agrees to when accepting: the terms and how the cost is counted."""

    terms: str
    cost_basis: str
    confidentiality_agreed: bool
    day_rate: Decimal | None = None
    package: RosterPackage | None = None


def _agreed_rate(offer: Offer, agreement: Agreement) -> Decimal:
    if not agreement.terms.strip():
        raise InvalidInput("write the terms you agree to", field="terms")
    if not agreement.confidentiality_agreed:
        raise InvalidInput(
            "the responder must give the confidentiality undertaking", field="confidentiality"
        )
    if agreement.cost_basis == CostBasis.PACKAGE:
        package = agreement.package
        if package is None or not package.people.filter(pk=offer.person_id).exists():
            raise InvalidInput("choose a package this person belongs to", field="package")
        return package.day_rate
    if agreement.cost_basis != CostBasis.DAY_RATE:
        raise InvalidInput("the cost basis is a day rate or a package", field="cost_basis")
    if agreement.day_rate is None or agreement.day_rate < 0:
        raise InvalidInput("give the day rate (0 if lent free of charge)", field="day_rate")
    return agreement.day_rate


def _answerable(actor: User, offer: Offer, viewer: Viewer | None) -> Offer:
    """Lock the responder, then re-read the offer: the order every acceptance takes."""
    require(
        may_answer_offer(viewer_of(actor, viewer), offer.person.organisation_id),
        "only the lending organisation's security lead answers this offer",
    )
    RosterPerson.objects.select_for_update().get(pk=offer.person_id)
    AidRequest.objects.select_for_update().get(pk=offer.request_id)
    locked = Offer.objects.select_related("request", "person", "need").get(pk=offer.pk)
    if locked.status != OfferStatus.PENDING:
        raise Conflict(f"this offer has already been answered ({locked.get_status_display()})")
    if locked.request.status == RequestStatus.CLOSED:
        raise Conflict("this request is closed")
    return locked


@transaction.atomic
def offer_accept(
    *, actor: User, offer: Offer, agreement: Agreement, viewer: Viewer | None = None
) -> Deployment:
    """Consent to this one deployment: record the agreement and book the person."""
    locked = _answerable(actor, offer, viewer)
    rate = _agreed_rate(locked, agreement)
    request = locked.request
    filled = locked.need.offers.filter(status=OfferStatus.ACCEPTED).count()
    if filled >= locked.need.people:
        raise Conflict(f"the request's need for {locked.need} is already filled")
    clash = (
        Deployment.objects.filter(person=locked.person)
        .filter(window_overlaps(request.starts_at, request.ends_at))
        .select_related("request")
        .first()
    )
    if clash is not None:
        raise Conflict(
            f"{locked.person.title} is already deployed from "
            f"{clash.starts_at:%d %b %Y %H:%M} to {clash.ends_at:%d %b %Y %H:%M}, "
            "which overlaps this request"
        )
    now = timezone.now()
    locked.status, locked.answered_by, locked.answered_at = OfferStatus.ACCEPTED, actor, now
    locked.save(update_fields=["status", "answered_by", "answered_at"])
    deployment = Deployment.objects.create(
        offer=locked,
        person=locked.person,
        request=request,
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        terms=agreement.terms.strip(),
        cost_basis=agreement.cost_basis,
        day_rate=rate,
        package=agreement.package if agreement.cost_basis == CostBasis.PACKAGE else None,
        confidentiality_agreed=True,
        agreed_by=actor,
        agreed_at=now,
    )
    audit_record(
        actor=actor,
        action="mutualaid.offer_accept",
        target=locked,
        organisation_id=locked.person.organisation_id,
        details={
            "deployment": deployment.pk,
            "cost_basis": agreement.cost_basis,
            "rate": str(rate),
        },
    )
    mail_on_commit(locked.pk, "accepted")
    return deployment


@transaction.atomic
def offer_decline(
    *, actor: User, offer: Offer, reason: str = "", viewer: Viewer | None = None
) -> Offer:
    """Say no to this deployment; the person is not proposed for this request again."""
    locked = _answerable(actor, offer, viewer)
    locked.status, locked.answered_by, locked.answered_at = (
        OfferStatus.DECLINED,
        actor,
        timezone.now(),
    )
    locked.decline_reason = reason.strip()[:300]
    locked.save(update_fields=["status", "answered_by", "answered_at", "decline_reason"])
    audit_record(
        actor=actor,
        action="mutualaid.offer_decline",
        target=locked,
        organisation_id=locked.person.organisation_id,
        details={"reason": locked.decline_reason},
    )
    mail_on_commit(locked.pk, "declined")
    return locked


@transaction.atomic
def offer_withdraw(
    *, actor: User, offer: Offer, reason: str, viewer: Viewer | None = None
) -> Offer:
    """Take an offer back, before or after the lender accepted it.

    After acceptance the deployment's window is cut back to now (or to its start, if
    it has not begun), so the person is free again for other requests while hours
    already worked stay on the time sheet for reimbursement. The person is not
    proposed for this request again.
    """
    require(may_withdraw_offer(viewer_of(actor, viewer)), "only coordinators withdraw offers")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("say why the offer is withdrawn; the lender is told", field="reason")
    RosterPerson.objects.select_for_update().get(pk=offer.person_id)
    AidRequest.objects.select_for_update().get(pk=offer.request_id)
    locked = Offer.objects.select_related("request", "person").get(pk=offer.pk)
    if locked.status not in (OfferStatus.PENDING, OfferStatus.ACCEPTED):
        raise Conflict(f"this offer cannot be withdrawn ({locked.get_status_display()})")
    if locked.request.status == RequestStatus.CLOSED:
        raise Conflict("this request is closed")
    now = timezone.now()
    deployment = Deployment.objects.filter(offer=locked).first()
    if deployment is not None:
        deployment.ends_at = min(deployment.ends_at, max(deployment.starts_at, now))
        deployment.withdrawn_at = now
        deployment.save(update_fields=["ends_at", "withdrawn_at"])
    locked.status, locked.withdrawn_by, locked.withdrawn_at = OfferStatus.WITHDRAWN, actor, now
    locked.withdraw_reason = reason[:300]
    locked.save(update_fields=["status", "withdrawn_by", "withdrawn_at", "withdraw_reason"])
    audit_record(
        actor=actor,
        action="mutualaid.offer_withdraw",
        target=locked,
        organisation_id=locked.person.organisation_id,
        details={"reason": locked.withdraw_reason, "was_accepted": deployment is not None},
    )
    mail_on_commit(locked.pk, "withdrawn")
    return locked
