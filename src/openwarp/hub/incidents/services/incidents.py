"""Recording an incident and keeping it up to date: timeline, tasks, log, links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import InvalidInput, NotFound, PermissionDenied
from openwarp.core.incidents.categories import parse_category
from openwarp.core.incidents.times import check_incident_times, check_not_future
from openwarp.hub.audit.services import audit_record
from openwarp.hub.incidents.models import Incident, LogNote, Status, Task, TimelineEntry
from openwarp.hub.members.models import User
from openwarp.hub.members.policy.incidents import may_record_incidents, may_write_incident
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.sharing.selectors import report_for_viewer


@dataclass
class IncidentDraft:
    title: str
    started_at: datetime
    detected_at: datetime
    ncsc_category: str
    description: str = ""
    services_affected: str = ""
    impact: str = ""


def _required(value: str, field: str) -> str:
    if not value.strip():
        raise InvalidInput("this is required", field=field)
    return value.strip()


def require_writer(actor: User, incident: Incident) -> None:
    if not may_write_incident(viewer_for(actor), owner_organisation_id=incident.organisation_id):
        raise PermissionDenied("only your organisation's members change its incidents")


def audit_incident(actor: User, action: str, incident: Incident, **details: object) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=incident,
        organisation_id=incident.organisation_id,
        details={"incident": str(incident.public_id), **details},
    )


@transaction.atomic
def incident_create(*, actor: User, draft: IncidentDraft) -> Incident:
    """Record an incident for the actor's own organisation."""
    if not may_record_incidents(viewer_for(actor)) or actor.organisation is None:
        raise PermissionDenied("only members of an organisation record its incidents")
    title = _required(draft.title, "title")
    category = parse_category(draft.ncsc_category)
    check_incident_times(
        started_at=draft.started_at, detected_at=draft.detected_at, now=timezone.now()
    )
    incident = Incident.objects.create(
        organisation=actor.organisation,
        title=title[:200],
        description=draft.description,
        started_at=draft.started_at,
        detected_at=draft.detected_at,
        services_affected=draft.services_affected.strip()[:500],
        ncsc_category=category.value,
        impact=draft.impact,
        created_by=actor,
    )
    audit_incident(actor, "incident.create", incident, category=category.value)
    return incident


@transaction.atomic
def incident_update(*, actor: User, incident: Incident, draft: IncidentDraft) -> Incident:
    """Correct what was recorded; the same checks as when it was first written."""
    require_writer(actor, incident)
    category = parse_category(draft.ncsc_category)
    check_incident_times(
        started_at=draft.started_at, detected_at=draft.detected_at, now=timezone.now()
    )
    breach = getattr(incident, "breach", None)  # the reverse one-to-one raises AttributeError
    if breach is not None and breach.aware_at < draft.started_at:
        raise InvalidInput(
            "the breach's awareness would then come before the start", field="started_at"
        )
    values = {
        "title": _required(draft.title, "title")[:200],
        "description": draft.description,
        "started_at": draft.started_at,
        "detected_at": draft.detected_at,
        "services_affected": draft.services_affected.strip()[:500],
        "ncsc_category": category.value,
        "impact": draft.impact,
    }
    changed = [name for name, value in values.items() if getattr(incident, name) != value]
    for name in changed:
        setattr(incident, name, values[name])
    if changed:
        incident.save(update_fields=changed)
        audit_incident(actor, "incident.update", incident, fields=changed)
    return incident


@transaction.atomic
def incident_set_status(*, actor: User, incident: Incident, status: str) -> Incident:
    require_writer(actor, incident)
    if status not in Status.values:
        raise InvalidInput(f"{status!r} is not one of: {', '.join(Status.values)}", field="status")
    before = incident.status
    incident.status = status
    incident.closed_at = timezone.now() if status == Status.CLOSED else None
    incident.save(update_fields=["status", "closed_at"])
    audit_incident(actor, "incident.status", incident, before=before, after=status)
    return incident


@transaction.atomic
def timeline_add(*, actor: User, incident: Incident, at: datetime, text: str) -> TimelineEntry:
    require_writer(actor, incident)
    check_not_future(at, field="at", now=timezone.now())
    entry = TimelineEntry.objects.create(
        incident=incident, at=at, text=_required(text, "text"), author=actor
    )
    audit_incident(actor, "incident.timeline_add", incident, entry=entry.pk)
    return entry


@transaction.atomic
def task_add(*, actor: User, incident: Incident, title: str, owner: str = "") -> Task:
    require_writer(actor, incident)
    task = Task.objects.create(
        incident=incident, title=_required(title, "title")[:200], owner=owner.strip()[:200]
    )
    audit_incident(actor, "incident.task_add", incident, task=task.pk)
    return task


@transaction.atomic
def task_set_done(*, actor: User, task: Task, done: bool) -> Task:
    require_writer(actor, task.incident)
    task.done = done
    task.save(update_fields=["done"])
    audit_incident(actor, "incident.task_done" if done else "incident.task_reopen", task.incident)
    return task


@transaction.atomic
def log_add(*, actor: User, incident: Incident, text: str) -> LogNote:
    """A private note; the audit entry records that one was written, not what."""
    require_writer(actor, incident)
    note = LogNote.objects.create(incident=incident, text=_required(text, "text"), author=actor)
    audit_incident(actor, "incident.log_add", incident)
    return note


@transaction.atomic
def report_link(*, actor: User, incident: Incident, report_public_id: str) -> None:
    """Link a sharing report the actor can see (by its public id) to the incident."""
    require_writer(actor, incident)
    try:
        report = report_for_viewer(viewer=viewer_for(actor), public_id=report_public_id.strip())
    except (NotFound, ValidationError, ValueError) as error:  # unknown, malformed, hidden: alike
        raise InvalidInput("no report you can see has that id", field="report") from error
    incident.related_reports.add(report)
    audit_incident(actor, "incident.report_link", incident, report=str(report.public_id))
