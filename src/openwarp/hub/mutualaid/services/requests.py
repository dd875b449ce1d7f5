"""Asking the region for help, changing the ask before anyone agrees, and closing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import Conflict, InvalidInput, PermissionDenied
from openwarp.hub.audit.services import audit_record
from openwarp.hub.incidents.models import Incident
from openwarp.hub.members.models import Organisation, User
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.incidents import may_write_incident
from openwarp.hub.members.policy.mutualaid import (
    may_coordinate,
    may_edit_request,
    may_request_aid,
)
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.mutualaid.access import request_facts
from openwarp.hub.mutualaid.models import (
    SKILL_LABELS,
    VETTED,
    AidRequest,
    Mode,
    OfferStatus,
    RequestNeed,
    RequestStatus,
    RosterPerson,
    RosterSkill,
)
from openwarp.hub.mutualaid.services.common import (
    check_location,
    check_skill,
    require,
    viewer_of,
)

#: A start this far in the past is still "now" (a form filled in slowly).
PAST_TOLERANCE = timedelta(minutes=15)
MAX_DAYS = 60
MAX_PEOPLE = 50


@dataclass
class NeedDraft:
    skill: str
    min_level: int
    people: int = 1
    vetting_required: bool = False


@dataclass
class RequestDraft:
    title: str
    starts_at: datetime
    days: int
    priority: int
    needs: list[NeedDraft]
    mode: str = Mode.ON_SITE
    language: str = ""
    summary: str = ""
    incident_summary: str = ""
    latitude: float | None = None
    longitude: float | None = None


def _check(draft: RequestDraft, *, now: datetime) -> None:
    if not draft.title.strip():
        raise InvalidInput("say in a line what you need help with", field="title")
    if draft.starts_at.tzinfo is None:
        raise InvalidInput("the start time needs a time zone", field="starts_at")
    if draft.starts_at < now - PAST_TOLERANCE:
        raise InvalidInput("the start time is in the past", field="starts_at")
    if not 1 <= draft.days <= MAX_DAYS:
        raise InvalidInput(f"days must be from 1 to {MAX_DAYS}", field="days")
    if not 1 <= draft.priority <= 5:
        raise InvalidInput("priority is from 1 (low) to 5 (critical)", field="priority")
    if draft.mode not in Mode.values:
        raise InvalidInput(f"mode is one of {', '.join(Mode.values)}", field="mode")
    if len(draft.language.strip()) > 60:
        raise InvalidInput("name one language, in at most 60 characters", field="language")
    if not draft.needs:
        raise InvalidInput("ask for at least one skill", field="needs")
    for i, need in enumerate(draft.needs):
        check_skill(need.skill, need.min_level, field=f"needs[{i}].skill")
        if not 1 <= need.people <= MAX_PEOPLE:
            raise InvalidInput(f"people must be from 1 to {MAX_PEOPLE}", field=f"needs[{i}].people")


def _check_possible(draft: RequestDraft, organisation: Organisation) -> None:
    """Refuse a need no roster outside the requester could ever fill: a clear error now
    is better than a request nobody can answer. (Availability is judged later, by the
    coordinator's candidates, since windows change.)"""
    for i, need in enumerate(draft.needs):
        holders = RosterSkill.objects.filter(
            skill=need.skill, level__gte=need.min_level, person__is_active=True
        ).exclude(person__organisation=organisation)
        if need.vetting_required:
            holders = holders.filter(person__vetting__in=VETTED)
        if not holders.exists():
            vetted = "vetted " if need.vetting_required else ""
            raise InvalidInput(
                f"impossible request: no {vetted}responder on the hub outside your organisation "
                f"has {SKILL_LABELS[need.skill]} "
                f"at level {need.min_level} or above",
                field=f"needs[{i}].skill",
            )
    language = draft.language.strip().casefold()
    if language:
        speakers = RosterPerson.objects.filter(is_active=True).exclude(organisation=organisation)
        if not any(language in {x.casefold() for x in p.language_list()} for p in speakers):
            raise InvalidInput(
                f"impossible request: nobody on the hub outside your organisation lists "
                f"{draft.language.strip()} among their languages",
                field="language",
            )


def _location(draft: RequestDraft, organisation: Organisation) -> tuple[float, float]:
    if draft.latitude is not None and draft.longitude is not None:
        check_location(draft.latitude, draft.longitude)
        return draft.latitude, draft.longitude
    if organisation.latitude is None or organisation.longitude is None:
        raise InvalidInput("give the location help is needed at", field="latitude")
    return organisation.latitude, organisation.longitude


def _write(request: AidRequest, draft: RequestDraft, organisation: Organisation) -> None:
    request.title = draft.title.strip()
    request.summary = draft.summary.strip()
    request.incident_summary = draft.incident_summary.strip()
    request.mode = draft.mode
    request.language = draft.language.strip()
    request.starts_at = draft.starts_at
    request.days = draft.days
    request.priority = draft.priority
    request.latitude, request.longitude = _location(draft, organisation)
    request.save()
    request.needs.all().delete()
    RequestNeed.objects.bulk_create(
        RequestNeed(
            request=request,
            skill=n.skill,
            min_level=n.min_level,
            people=n.people,
            vetting_required=n.vetting_required,
        )
        for n in draft.needs
    )


@transaction.atomic
def request_create(
    *, actor: User, organisation: Organisation, draft: RequestDraft, viewer: Viewer | None = None
) -> AidRequest:
    """A member under attack asks the region for people."""
    require(
        may_request_aid(viewer_of(actor, viewer), organisation.pk),
        "only your organisation's security lead asks for mutual aid",
    )
    _check(draft, now=timezone.now())
    _check_possible(draft, organisation)
    request = AidRequest(organisation=organisation, created_by=actor)
    _write(request, draft, organisation)
    audit_record(
        actor=actor,
        action="mutualaid.request_create",
        target=request,
        organisation_id=organisation.pk,
        details={"priority": draft.priority, "days": draft.days, "needs": len(draft.needs)},
    )
    return request


def _locked_open(request: AidRequest) -> AidRequest:
    locked = AidRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status == RequestStatus.CLOSED:
        raise Conflict("this request is closed; nothing on it changes now")
    return locked


@transaction.atomic
def request_update(
    *, actor: User, request: AidRequest, draft: RequestDraft, viewer: Viewer | None = None
) -> AidRequest:
    """Change the ask, but only while nobody has agreed to it: an accepted offer is a
    binding agreement on the request as it stood."""
    require(
        may_edit_request(viewer_of(actor, viewer), request_facts(request)),
        "only the requesting organisation's security lead changes this request",
    )
    locked = _locked_open(request)
    if locked.offers.filter(status=OfferStatus.ACCEPTED).exists():
        raise Conflict(
            "a lender has already accepted an offer on this request, so it can no longer be "
            "changed; close it and ask again"
        )
    _check(draft, now=timezone.now())
    _check_possible(draft, locked.organisation)
    locked.offers.filter(status=OfferStatus.PENDING).delete()
    _write(locked, draft, locked.organisation)
    audit_record(
        actor=actor,
        action="mutualaid.request_update",
        target=locked,
        organisation_id=locked.organisation_id,
        details={"priority": draft.priority, "days": draft.days, "needs": len(draft.needs)},
    )
    return locked


@transaction.atomic
def request_set_conflict_avoidance(
    *, actor: User, request: AidRequest, avoid: bool, viewer: Viewer | None = None
) -> AidRequest:
    """The coordinator decides whether the conflict list applies to this request."""
    require(may_coordinate(viewer_of(actor, viewer)), "only coordinators decide this")
    locked = _locked_open(request)
    locked.avoid_conflicts = avoid
    locked.save(update_fields=["avoid_conflicts"])
    audit_record(
        actor=actor,
        action="mutualaid.request_conflicts",
        target=locked,
        organisation_id=locked.organisation_id,
        details={"avoid_conflicts": avoid},
    )
    return locked


@transaction.atomic
def request_close(
    *,
    actor: User,
    request: AidRequest,
    helped: str,
    not_helped: str,
    viewer: Viewer | None = None,
) -> AidRequest:
    """Close with a short review; pending offers lapse and nothing changes afterwards."""
    require(
        may_edit_request(viewer_of(actor, viewer), request_facts(request)),
        "only the requesting organisation's security lead closes this request",
    )
    if not helped.strip() and not not_helped.strip():
        raise InvalidInput("say in a line what helped or what did not", field="helped")
    locked = _locked_open(request)
    lapsed = locked.offers.filter(status=OfferStatus.PENDING).update(
        status=OfferStatus.DECLINED, decline_reason="the request closed", answered_at=timezone.now()
    )
    locked.status = RequestStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.review_helped = helped.strip()
    locked.review_not_helped = not_helped.strip()
    locked.save()
    audit_record(
        actor=actor,
        action="mutualaid.request_close",
        target=locked,
        organisation_id=locked.organisation_id,
        details={"lapsed_offers": lapsed},
    )
    return locked


@transaction.atomic
def request_link_incident(*, actor: User, request: AidRequest, incident: Incident) -> AidRequest:
    """Tie a request to the requester's incident record, so each page leads to the other.

    Only someone who may write the incident links it, and only to a request
    from the same organisation: a link must never show an incident to a
    member who could not open it.
    """
    viewer = viewer_for(actor)
    if incident.organisation_id != request.organisation_id:
        raise InvalidInput("the incident belongs to another organisation", field="incident")
    if not may_write_incident(viewer, owner_organisation_id=incident.organisation_id):
        raise PermissionDenied("only the organisation's own people link its incidents")
    request.incident = incident
    request.save(update_fields=["incident"])
    audit_record(
        actor=actor,
        action="aid_request.link_incident",
        target=request,
        organisation_id=request.organisation_id,
        details={"incident": str(incident.public_id)},
    )
    return request
