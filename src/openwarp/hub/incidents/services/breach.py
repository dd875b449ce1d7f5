"""Flagging an incident as a personal-data breach and keeping the ICO answers."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import InvalidInput
from openwarp.core.incidents.times import check_breach_times
from openwarp.hub.incidents.models import Breach, Incident, SubjectsTold
from openwarp.hub.incidents.services.incidents import audit_incident, require_writer
from openwarp.hub.incidents.services.reminders import breach_reminders_schedule
from openwarp.hub.members.models import User


@dataclass
class BreachDraft:
    aware_at: datetime
    nature: str = ""
    data_subject_categories: str = ""
    data_subjects_approx: int | None = None
    record_categories: str = ""
    records_approx: int | None = None
    likely_consequences: str = ""
    measures_taken: str = ""
    subjects_told: str = SubjectsTold.NOT_YET
    subjects_told_at: datetime | None = None
    subjects_not_told_reason: str = ""
    dpo_contact: str = ""
    reported_to_ico_at: datetime | None = None


def _check(draft: BreachDraft, incident: Incident) -> None:
    check_breach_times(
        aware_at=draft.aware_at,
        started_at=incident.started_at,
        now=timezone.now(),
        reported_to_ico_at=draft.reported_to_ico_at,
        subjects_told_at=draft.subjects_told_at,
    )
    if draft.subjects_told not in SubjectsTold.values:
        raise InvalidInput(
            f"{draft.subjects_told!r} is not one of: {', '.join(SubjectsTold.values)}",
            field="subjects_told",
        )
    if draft.subjects_told == SubjectsTold.NO and not draft.subjects_not_told_reason.strip():
        raise InvalidInput(
            "say why the people affected will not be told", field="subjects_not_told_reason"
        )
    for name in ("data_subjects_approx", "records_approx"):
        value = getattr(draft, name)
        if value is not None and value < 0:
            raise InvalidInput("a number of zero or more", field=name)


@transaction.atomic
def breach_record(*, actor: User, incident: Incident, draft: BreachDraft) -> Breach:
    """Create or update the breach record; the 72-hour clock follows `aware_at`."""
    require_writer(actor, incident)
    _check(draft, incident)
    values = {f.name: getattr(draft, f.name) for f in fields(draft)}
    values["updated_at"] = timezone.now()
    breach, created = Breach.objects.update_or_create(incident=incident, defaults=values)
    breach_reminders_schedule(breach=breach)
    audit_incident(
        actor,
        "incident.breach_flag" if created else "incident.breach_update",
        incident,
        reported_to_ico=draft.reported_to_ico_at is not None,
    )
    return breach
