"""Hours and expenses on a deployment, for reimbursement."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import Conflict, InvalidInput
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.models import User
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.mutualaid import may_log_time
from openwarp.hub.mutualaid.models import AidRequest, Deployment, RequestStatus, TimeEntry
from openwarp.hub.mutualaid.services.common import require, viewer_of


@transaction.atomic
def time_entry_add(
    *,
    actor: User,
    deployment: Deployment,
    day: date,
    hours: Decimal,
    expenses: Decimal = Decimal(0),
    note: str = "",
    viewer: Viewer | None = None,
) -> TimeEntry:
    """Log a day's hours and expenses; days outside the deployment or still to come are refused."""
    require(
        may_log_time(viewer_of(actor, viewer), lender_id=deployment.person.organisation_id),
        "only the lending organisation logs this deployment's time",
    )
    request = AidRequest.objects.select_for_update().get(pk=deployment.request_id)
    if request.status == RequestStatus.CLOSED:
        raise Conflict("this request is closed; its time sheet is final")
    today = timezone.localdate()
    if day > today:
        raise InvalidInput("that day has not happened yet", field="day")
    first = timezone.localtime(deployment.starts_at).date()
    last = timezone.localtime(deployment.ends_at - timedelta(microseconds=1)).date()
    if not first <= day <= last:
        raise InvalidInput(
            f"the deployment runs from {first:%d %b %Y} to {last:%d %b %Y}", field="day"
        )
    if not Decimal(0) < hours <= Decimal(24):
        raise InvalidInput("hours are more than 0 and at most 24", field="hours")
    if expenses < 0:
        raise InvalidInput("expenses cannot be negative", field="expenses")
    logged = sum((e.hours for e in deployment.entries.filter(day=day)), Decimal(0))
    if logged + hours > 24:
        raise InvalidInput(f"{logged} hours are already logged on that day", field="hours")
    entry = TimeEntry.objects.create(
        deployment=deployment,
        day=day,
        hours=hours,
        expenses=expenses,
        note=note.strip()[:300],
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="mutualaid.time_entry_add",
        target=entry,
        organisation_id=deployment.person.organisation_id,
        details={"deployment": deployment.pk, "hours": str(hours), "expenses": str(expenses)},
    )
    return entry
