"""Incidents for hub tests, recorded through the services as members would."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from openwarp.hub.incidents.models import AnonymousPost, Incident
from openwarp.hub.incidents.services import incidents as services
from openwarp.hub.incidents.services.breach import BreachDraft, breach_record
from openwarp.hub.incidents.services.channel import post_create
from openwarp.hub.members.policy import Role


def record(actor: Any, title: str = "Ransomware on the file servers", **changes: Any) -> Incident:
    now = timezone.now()
    values: dict[str, Any] = dict(
        title=title,
        started_at=now - timedelta(hours=6),
        detected_at=now - timedelta(hours=3),
        ncsc_category="C4",
        description="Files encrypted overnight.",
    )
    draft = services.IncidentDraft(**(values | changes))
    return services.incident_create(actor=actor, draft=draft)


def with_breach(actor: Any, incident: Incident, hours_ago: float = 2) -> Incident:
    breach_record(
        actor=actor,
        incident=incident,
        draft=BreachDraft(
            aware_at=timezone.now() - timedelta(hours=hours_ago),
            nature="Council tax records copied",
            data_subjects_approx=1200,
        ),
    )
    return incident


def own_incident(world: Any) -> Incident:
    """An incident (with a breach) at the world's `own` organisation, made once."""
    if "own_incident" not in world.extras:
        lead = world.users[Role.SECURITY_LEAD]
        incident = with_breach(lead, record(lead))
        services.task_add(actor=lead, incident=incident, title="Restore from backup")
        world.extras["own_incident"] = incident
    return world.extras["own_incident"]


def other_incident(world: Any) -> Incident:
    """An incident at the `other` organisation, which no `own` person may see."""
    if "other_incident" not in world.extras:
        world.extras["other_incident"] = record(world.other_lead, "Nottingham mail outage")
    return world.extras["other_incident"]


def waiting_post(world: Any) -> AnonymousPost:
    if "waiting_post" not in world.extras:
        world.extras["waiting_post"] = post_create(
            actor=world.other_lead,
            threat="Akira ransomware",
            message="VPN appliance exploited; check your logs for the same source.",
        )
    return world.extras["waiting_post"]
