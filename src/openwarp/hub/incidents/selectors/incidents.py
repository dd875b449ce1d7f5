"""Incidents as the viewer may see them, with their computed 72-hour clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from openwarp.core.errors import NotFound, PermissionDenied
from openwarp.core.incidents.categories import nis_in_scope
from openwarp.core.incidents.clock import DeadlineClock, deadline_clock
from openwarp.hub.incidents.models import Breach, Incident, IncidentIndicator, LogNote, Status
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.incidents import (
    may_list_incidents,
    may_read_private_log,
    may_view_incident,
)
from openwarp.hub.sharing.access import reports_visible, source_label
from openwarp.hub.sharing.models import Report


def incidents_visible(viewer: Viewer) -> QuerySet[Incident]:
    """The hub's people see every incident; an organisation's people only their own."""
    incidents = Incident.objects.select_related("organisation", "breach")
    if not may_list_incidents(viewer):
        return incidents.none()
    if viewer.runs_hub or viewer.organisation_id is None:
        return incidents if viewer.runs_hub else incidents.none()
    return incidents.filter(organisation_id=viewer.organisation_id)


def incident_list(*, viewer: Viewer, status: str = "") -> list[Incident]:
    if not may_list_incidents(viewer):
        raise PermissionDenied("incidents belong to member organisations")
    incidents = incidents_visible(viewer)
    if status == "open":
        incidents = incidents.exclude(status=Status.CLOSED)
    elif status:
        incidents = incidents.filter(status=status)
    return list(incidents[:500])


def incident_for_viewer(*, viewer: Viewer, public_id: UUID | str) -> Incident:
    """Not found and not allowed look the same, so ids cannot be probed."""
    try:
        incident = incidents_visible(viewer).filter(public_id=public_id).first()
    except ValidationError:
        incident = None
    if incident is None or not may_view_incident(
        viewer, owner_organisation_id=incident.organisation_id
    ):
        raise NotFound("no such incident")
    return incident


def private_log(*, viewer: Viewer, incident: Incident) -> list[LogNote]:
    if not may_read_private_log(viewer, owner_organisation_id=incident.organisation_id):
        raise PermissionDenied("the private log is for the organisation's own people")
    return list(incident.log.select_related("author"))


def related_reports(*, viewer: Viewer, incident: Incident) -> list[tuple[Report, str]]:
    """Linked reports the viewer may see, each with its source as the viewer may know it."""
    reports = incident.related_reports.filter(
        pk__in=reports_visible(viewer).values("pk")
    ).select_related("owner_organisation__region")
    return [(report, source_label(viewer, report)) for report in reports]


def linked_indicators(*, viewer: Viewer, incident: Incident) -> list[IncidentIndicator]:
    """Indicators linked to the incident whose report (and so marking) the viewer may see."""
    return list(
        incident.indicators.filter(
            indicator__report__in=reports_visible(viewer).values("pk")
        ).select_related("indicator__report")
    )


def breach_of(incident: Incident) -> Breach | None:
    try:
        return incident.breach
    except Breach.DoesNotExist:
        return None


@dataclass(frozen=True)
class Clocks:
    """The incident's reporting clocks at one moment; either may be absent."""

    ico: DeadlineClock | None
    nis: DeadlineClock | None


def clocks_for(incident: Incident, now: datetime | None = None) -> Clocks:
    """ICO: 72 h from awareness of the breach. NIS: 72 h from detection, if in scope."""
    now = now or timezone.now()
    breach = breach_of(incident)
    ico = None
    if breach is not None:
        ico = deadline_clock(started=breach.aware_at, now=now, stopped=breach.reported_to_ico_at)
    nis = None
    if nis_in_scope(incident.organisation.org_type):
        nis = deadline_clock(started=incident.detected_at, now=now)
    return Clocks(ico=ico, nis=nis)


def open_with_clocks(*, viewer: Viewer, organisation_id: int) -> list[tuple[Incident, Clocks]]:
    """The organisation's open incidents, each with its clocks, for its dashboard."""
    incidents = incidents_visible(viewer).filter(organisation_id=organisation_id)
    now = timezone.now()
    return [(i, clocks_for(i, now)) for i in incidents.exclude(status=Status.CLOSED)[:50]]
