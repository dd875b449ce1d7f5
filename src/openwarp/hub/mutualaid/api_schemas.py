"""Shapes of the mutual-aid API, and how each object is shown to the viewer."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema

from openwarp.hub.mutualaid.models import (
    AidRequest,
    Deployment,
    Offer,
    RosterPerson,
)


class WindowIn(Schema):
    starts_at: datetime
    ends_at: datetime


class PersonIn(Schema):
    title: str
    skills: dict[str, int]
    is_active: bool = True
    vetting: str = "none"
    languages: str = "English"
    max_days: int = 5
    latitude: float | None = None
    longitude: float | None = None
    windows: list[WindowIn] = []


class PersonOut(Schema):
    id: int
    title: str
    skills: dict[str, int]
    vetting: str
    vetted: bool
    languages: str
    max_days: int
    location: tuple[float, float]
    windows: list[WindowIn]


class PackageIn(Schema):
    name: str
    day_rate: Decimal
    people: list[int]
    description: str = ""


class PackageOut(Schema):
    id: int
    name: str
    day_rate: Decimal
    people: list[int]


class CapacityIn(Schema):
    description: str
    quantity: int = 1


class CapacityOut(Schema):
    id: int
    description: str
    quantity: int


class RosterOut(Schema):
    organisation: str
    people: list[PersonOut]
    packages: list[PackageOut]
    capacity: list[CapacityOut]


class NeedIn(Schema):
    skill: str
    min_level: int
    people: int = 1
    vetting_required: bool = False


class RequestIn(Schema):
    title: str
    starts_at: datetime
    days: int
    priority: int
    needs: list[NeedIn]
    mode: str = "on_site"
    language: str = ""
    summary: str = ""
    incident_summary: str = ""
    latitude: float | None = None
    longitude: float | None = None


class NeedOut(NeedIn):
    id: int


class RequestOut(Schema):
    id: int
    organisation: str
    title: str
    summary: str
    incident_summary: str
    mode: str
    language: str = ""
    starts_at: datetime
    ends_at: datetime
    days: int
    priority: int
    status: str
    location: tuple[float, float]
    needs: list[NeedOut]
    review_helped: str
    review_not_helped: str


class CandidateOut(Schema):
    need: int
    person: int
    title: str
    organisation: str
    distance_km: float


class CandidatesOut(Schema):
    candidates: list[CandidateOut]
    warnings: list[str]
    notes: list[str]


class JointRequestOut(Schema):
    request: int
    priority: int
    candidates: list[CandidateOut]
    unfilled: int


class JointPlanOut(Schema):
    requests: list[JointRequestOut]
    coverage: int
    travel_km: float
    notes: list[str]


class OfferIn(Schema):
    need: int
    person: int


class OfferOut(Schema):
    id: int
    request: int
    need: int
    person: int
    person_title: str
    lender: str
    status: str
    sent_at: datetime
    decline_reason: str
    withdraw_reason: str = ""


class AcceptIn(Schema):
    terms: str
    cost_basis: str
    confidentiality_agreed: bool
    day_rate: Decimal | None = None
    package: int | None = None


class DeclineIn(Schema):
    reason: str = ""


class WithdrawIn(Schema):
    reason: str


class CloseIn(Schema):
    helped: str = ""
    not_helped: str = ""


class EntryIn(Schema):
    day: date
    hours: Decimal
    expenses: Decimal = Decimal(0)
    note: str = ""


class EntryOut(EntryIn):
    id: int


class DeploymentOut(Schema):
    id: int
    request: int
    person_title: str
    lender: str
    starts_at: datetime
    ends_at: datetime
    terms: str
    cost_basis: str
    day_rate: Decimal
    entries: list[EntryOut]
    total_hours: Decimal
    total_expenses: Decimal


class ConflictIn(Schema):
    org_a: str
    org_b: str
    reason: str = ""


class ConflictOut(Schema):
    id: int
    org_a: str
    org_b: str
    reason: str


def person_out(person: RosterPerson) -> dict[str, object]:
    return {
        "id": person.pk,
        "title": person.title,
        "skills": {s.skill: s.level for s in person.skills.all()},
        "vetting": person.vetting,
        "vetted": person.vetted,
        "languages": person.languages,
        "max_days": person.max_days,
        "location": (person.latitude, person.longitude),
        "windows": [{"starts_at": w.starts_at, "ends_at": w.ends_at} for w in person.windows.all()],
    }


def request_out(request: AidRequest) -> dict[str, object]:
    return {
        "id": request.pk,
        "organisation": request.organisation.slug,
        "title": request.title,
        "summary": request.summary,
        "incident_summary": request.incident_summary,
        "mode": request.mode,
        "language": request.language,
        "starts_at": request.starts_at,
        "ends_at": request.ends_at,
        "days": request.days,
        "priority": request.priority,
        "status": request.status,
        "location": (request.latitude, request.longitude),
        "needs": [
            {
                "id": n.pk,
                "skill": n.skill,
                "min_level": n.min_level,
                "people": n.people,
                "vetting_required": n.vetting_required,
            }
            for n in request.needs.all()
        ],
        "review_helped": request.review_helped,
        "review_not_helped": request.review_not_helped,
    }


def offer_out(offer: Offer) -> dict[str, object]:
    return {
        "id": offer.pk,
        "request": offer.request_id,
        "need": offer.need_id,
        "person": offer.person_id,
        "person_title": offer.person.title,
        "lender": offer.person.organisation.slug,
        "status": offer.status,
        "sent_at": offer.sent_at,
        "decline_reason": offer.decline_reason,
        "withdraw_reason": offer.withdraw_reason,
    }


def deployment_out(deployment: Deployment) -> dict[str, object]:
    entries = list(deployment.entries.all())
    return {
        "id": deployment.pk,
        "request": deployment.request_id,
        "person_title": deployment.person.title,
        "lender": deployment.person.organisation.slug,
        "starts_at": deployment.starts_at,
        "ends_at": deployment.ends_at,
        "terms": deployment.terms,
        "cost_basis": deployment.cost_basis,
        "day_rate": deployment.day_rate,
        "entries": [
            {"id": e.pk, "day": e.day, "hours": e.hours, "expenses": e.expenses, "note": e.note}
            for e in entries
        ],
        "total_hours": sum((e.hours for e in entries), Decimal(0)),
        "total_expenses": sum((e.expenses for e in entries), Decimal(0)),
    }
