"""Incidents API: records, timeline, breach and ICO report, the anonymous channel."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.utils import timezone
from ninja import Router, Schema, Status

from openwarp.core.errors import InvalidInput, NotFound, PermissionDenied
from openwarp.core.incidents.clock import DeadlineClock
from openwarp.core.incidents.ico_report import ico_json
from openwarp.hub.incidents.exports import breach_facts
from openwarp.hub.incidents.models import AnonymousPost, Incident
from openwarp.hub.incidents.selectors import channel as channel_selectors
from openwarp.hub.incidents.selectors import incidents as selectors
from openwarp.hub.incidents.selectors.figures import regional_figures
from openwarp.hub.incidents.services import incidents as services
from openwarp.hub.incidents.services.breach import BreachDraft, breach_record
from openwarp.hub.incidents.services.channel import post_create, post_escalate, post_review
from openwarp.hub.incidents.services.indicators import incident_indicators_add
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.incidents import may_write_incident
from openwarp.hub.web.decorators import MemberRequest

router = Router(tags=["incidents"])


class ClockOut(Schema):
    deadline: datetime
    overdue: bool
    time_left_seconds: int
    reported_at: datetime | None
    summary: str


class IncidentOut(Schema):
    id: UUID
    title: str
    organisation: str
    ncsc_category: str
    status: str
    started_at: datetime
    detected_at: datetime
    personal_data_breach: bool
    ico_clock: ClockOut | None
    nis_clock: ClockOut | None


class TimelineOut(Schema):
    at: datetime
    text: str
    author: str | None


class TaskOut(Schema):
    id: int
    title: str
    owner: str
    done: bool


class LinkedIndicatorOut(Schema):
    kind: str
    value: str
    tlp: str
    report: UUID


class IncidentDetailOut(IncidentOut):
    description: str
    services_affected: str
    impact: str
    timeline: list[TimelineOut]
    tasks: list[TaskOut]
    related_reports: list[UUID]
    indicators: list[LinkedIndicatorOut] = []


class IndicatorsIn(Schema):
    text: str
    tlp: str = "amber"
    distribution: str = "region"


class IndicatorsLinkedOut(Schema):
    linked_from_reports: int
    shared: int
    report: UUID | None


class IncidentIn(Schema):
    title: str
    started_at: datetime
    detected_at: datetime
    ncsc_category: str
    description: str = ""
    services_affected: str = ""
    impact: str = ""


class TimelineIn(Schema):
    at: datetime
    text: str


class BreachIn(Schema):
    aware_at: datetime
    nature: str = ""
    data_subject_categories: str = ""
    data_subjects_approx: int | None = None
    record_categories: str = ""
    records_approx: int | None = None
    likely_consequences: str = ""
    measures_taken: str = ""
    subjects_told: str = "not_yet"
    subjects_told_at: datetime | None = None
    subjects_not_told_reason: str = ""
    dpo_contact: str = ""
    reported_to_ico_at: datetime | None = None


class PostIn(Schema):
    threat: str
    message: str


class PostOut(Schema):
    id: UUID
    source: str
    threat: str
    message: str
    state: str
    published_on: date | None
    escalated: bool


def clock_out(clock: DeadlineClock | None) -> dict[str, object] | None:
    if clock is None:
        return None
    return {
        "deadline": clock.deadline,
        "overdue": clock.overdue,
        "time_left_seconds": int(clock.time_left.total_seconds()),
        "reported_at": clock.stopped,
        "summary": clock.describe(),
    }


def incident_out(incident: Incident) -> dict[str, object]:
    clocks = selectors.clocks_for(incident)
    return {
        "id": incident.public_id,
        "title": incident.title,
        "organisation": incident.organisation.slug,
        "ncsc_category": incident.ncsc_category,
        "status": incident.status,
        "started_at": incident.started_at,
        "detected_at": incident.detected_at,
        "personal_data_breach": clocks.ico is not None,
        "ico_clock": clock_out(clocks.ico),
        "nis_clock": clock_out(clocks.nis),
    }


def _detail(viewer: Viewer, incident: Incident) -> dict[str, object]:
    return {
        **incident_out(incident),
        "description": incident.description,
        "services_affected": incident.services_affected,
        "impact": incident.impact,
        "timeline": [
            {"at": e.at, "text": e.text, "author": e.author.full_name if e.author else None}
            for e in incident.timeline.select_related("author")
        ],
        "tasks": [
            {"id": t.pk, "title": t.title, "owner": t.owner, "done": t.done}
            for t in incident.tasks.all()
        ],
        "related_reports": [
            r.public_id for r, _ in selectors.related_reports(viewer=viewer, incident=incident)
        ],
        "indicators": [
            {
                "kind": link.indicator.kind,
                "value": link.indicator.value,
                "tlp": link.indicator.report.tlp,
                "report": link.indicator.report.public_id,
            }
            for link in selectors.linked_indicators(viewer=viewer, incident=incident)
        ],
    }


def _writable(request: MemberRequest, incident_id: UUID) -> Incident:
    incident = selectors.incident_for_viewer(viewer=request.viewer, public_id=incident_id)
    if not may_write_incident(request.viewer, owner_organisation_id=incident.organisation_id):
        raise PermissionDenied("only the organisation's members change its incidents")
    return incident


@router.get("/incidents", response=list[IncidentOut])
def incident_list(request: MemberRequest, status: str = "") -> list[dict[str, object]]:
    return [incident_out(i) for i in selectors.incident_list(viewer=request.viewer, status=status)]


@router.post("/incidents", response={201: IncidentDetailOut})
def incident_create(request: MemberRequest, payload: IncidentIn) -> Status:
    incident = services.incident_create(
        actor=request.user, draft=services.IncidentDraft(**payload.dict())
    )
    return Status(201, _detail(request.viewer, incident))


@router.get("/incidents/region", response=dict[str, Any])
def figures(request: MemberRequest) -> dict[str, Any]:
    """Open incidents by category and type; breaches by type and year (suppressed below k)."""
    found = regional_figures(viewer=request.viewer)
    return {
        "exact": found.exact,
        "categories": found.categories,
        "open": [{"type": r.label, "counts": r.cells} for r in found.open_rows],
        "years": found.years,
        "breaches": [
            {"type": r.label, "counts": [n for n, _ in r.cells], "per_org": [x for _, x in r.cells]}
            for r in found.breach_rows
        ],
    }


def post_out(viewer: Viewer, post: AnonymousPost) -> dict[str, object]:
    """A post as the viewer may know it: no reporter field, no time of day, ever."""
    return {
        "id": post.public_id,
        "source": channel_selectors.post_source(viewer, post),
        "threat": post.threat,
        "message": post.message,
        "state": post.state,
        "published_on": post.published_on,
        "escalated": post.escalated_on is not None,
    }


@router.get("/incidents/anonymous", response=list[PostOut])
def channel(request: MemberRequest) -> list[dict[str, object]]:
    viewer = request.viewer
    return [post_out(viewer, p) for p in channel_selectors.channel_feed(viewer=viewer)]


@router.post("/incidents/anonymous", response={201: PostOut})
def channel_post(request: MemberRequest, payload: PostIn) -> Status:
    post = post_create(actor=request.user, threat=payload.threat, message=payload.message)
    return Status(201, post_out(request.viewer, post))


class ReviewIn(Schema):
    decision: str  # "publish", "withhold" or "escalate"
    message: str | None = None


@router.post("/incidents/anonymous/{post_id}/review", response=PostOut)
def channel_review(request: MemberRequest, post_id: UUID, payload: ReviewIn) -> dict[str, object]:
    """The coordinator publishes, withholds or escalates a post to the national hub."""
    post = channel_selectors.post_for_viewer(viewer=request.viewer, public_id=post_id)
    if payload.decision == "escalate":
        post_escalate(actor=request.user, post=post)
    elif payload.decision in ("publish", "withhold"):
        post_review(
            actor=request.user,
            post=post,
            publish=payload.decision == "publish",
            message=payload.message,
        )
    else:
        raise InvalidInput("decide publish, withhold or escalate", field="decision")
    return post_out(request.viewer, post)


@router.get("/incidents/{incident_id}", response=IncidentDetailOut)
def incident_detail(request: MemberRequest, incident_id: UUID) -> dict[str, object]:
    incident = selectors.incident_for_viewer(viewer=request.viewer, public_id=incident_id)
    return _detail(request.viewer, incident)


@router.post("/incidents/{incident_id}/timeline", response={201: TimelineOut})
def timeline_add(request: MemberRequest, incident_id: UUID, payload: TimelineIn) -> Status:
    incident = _writable(request, incident_id)
    entry = services.timeline_add(
        actor=request.user, incident=incident, at=payload.at, text=payload.text
    )
    return Status(201, {"at": entry.at, "text": entry.text, "author": request.user.full_name})


@router.post("/incidents/{incident_id}/indicators", response={201: IndicatorsLinkedOut})
def indicators_add(request: MemberRequest, incident_id: UUID, payload: IndicatorsIn) -> Status:
    """Link values; those in no related report are shared as a new report with this marking."""
    incident = _writable(request, incident_id)
    done = incident_indicators_add(
        actor=request.user,
        incident=incident,
        text=payload.text,
        tlp=payload.tlp,
        distribution=payload.distribution,
    )
    return Status(
        201,
        {
            "linked_from_reports": done.from_reports,
            "shared": done.shared,
            "report": done.report.public_id if done.report else None,
        },
    )


@router.post("/incidents/{incident_id}/breach", response=IncidentOut)
def breach(request: MemberRequest, incident_id: UUID, payload: BreachIn) -> dict[str, object]:
    incident = _writable(request, incident_id)
    breach_record(actor=request.user, incident=incident, draft=BreachDraft(**payload.dict()))
    incident.refresh_from_db()
    return incident_out(incident)


@router.get("/incidents/{incident_id}/ico-report", response=dict[str, Any])
def ico_report(request: MemberRequest, incident_id: UUID) -> dict[str, object]:
    """The pre-filled ICO report: the facts, the computed deadline, and the form's questions."""
    incident = selectors.incident_for_viewer(viewer=request.viewer, public_id=incident_id)
    found = selectors.breach_of(incident)
    if found is None:
        raise NotFound("this incident is not flagged as a personal-data breach")
    return ico_json(
        breach_facts(incident, found), now=timezone.now(), zone=timezone.get_current_timezone()
    )
