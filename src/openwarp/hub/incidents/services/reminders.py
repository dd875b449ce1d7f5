"""E-mailing an organisation's security leads as its ICO deadline nears.

`breach_reminders_send` is the sweep: for every breach not yet reported it asks
the core which reminders (24 h, 6 h left) are due, records each in
`BreachReminder` (a unique row, so a threshold is sent once even if two workers
sweep at the same moment) and e-mails the leads after the commit. The worker runs
the sweep: `breach_record` queues `breach_reminders_task` to run at each
threshold, and the sweep is idempotent, so a task that runs twice or late sends
nothing twice. The recipients are the incident's own organisation's security
leads, who may read the incident (`policy.incidents.may_view_incident`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from openwarp.core.incidents.clock import REPORTING_WINDOW, deadline_clock
from openwarp.core.incidents.reminders import REMINDER_HOURS, reminders_due
from openwarp.hub.incidents.models import Breach, BreachReminder
from openwarp.hub.notify.mail_choices import mail_recipients
from openwarp.hub.notify.models import MailTopic

LONDON = ZoneInfo("Europe/London")


def breach_reminders_send(*, now: datetime | None = None) -> int:
    """Send every reminder that is due; returns the number of e-mails queued."""
    now = now or timezone.now()
    earliest_aware = now - REPORTING_WINDOW
    open_breaches = Breach.objects.filter(
        reported_to_ico_at__isnull=True, aware_at__gt=earliest_aware
    ).select_related("incident__organisation")
    return sum(_remind(breach, now) for breach in open_breaches)


def _remind(breach: Breach, now: datetime) -> int:
    deadline = deadline_clock(started=breach.aware_at, now=now).deadline
    sent = set(
        breach.reminders.filter(aware_at=breach.aware_at).values_list("hours_left", flat=True)
    )
    due = reminders_due(deadline=deadline, now=now, sent=sent)
    if not due:
        return 0
    try:
        with transaction.atomic():
            for hours in due:
                BreachReminder.objects.create(
                    breach=breach, hours_left=hours, aware_at=breach.aware_at, sent_at=now
                )
            transaction.on_commit(partial(_email, breach.pk, now))
    except IntegrityError:  # another worker sent it in the meantime
        return 0
    return 1


def _email(breach_id: int, now: datetime) -> None:
    breach = Breach.objects.select_related("incident__organisation").get(pk=breach_id)
    incident = breach.incident
    leads = mail_recipients(organisation_id=incident.organisation_id, topic=MailTopic.ICO_DEADLINE)
    if not leads:
        return
    clock = deadline_clock(started=breach.aware_at, now=now)
    local = clock.deadline_in(LONDON)
    send_mail(
        subject=f"[{settings.HUB_NAME}] ICO deadline: {clock.describe()} for {incident.title}",
        message=(
            f"The personal-data breach in {incident.title} ({incident.organisation.name}) "
            f"must be reported to the ICO by {local:%A %d %B %Y %H:%M} UK time "
            f"({clock.deadline:%d %b %Y %H:%M} UTC): {clock.describe()}.\n\n"
            "The pre-filled report for the ICO form:\n"
            f"{reverse('incidents:ico_report', args=[incident.public_id])}\n"
            "Record the report on the breach page once it is made; no more reminders are "
            "sent after that.\n"
        ),
        from_email=None,
        recipient_list=leads,
    )


def reminder_times(breach: Breach) -> list[datetime]:
    """When the worker should sweep for this breach: at each threshold before the deadline."""
    deadline = deadline_clock(started=breach.aware_at, now=breach.aware_at).deadline
    return [deadline - timedelta(hours=h) for h in REMINDER_HOURS]


def breach_reminders_schedule(*, breach: Breach) -> None:
    """After the commit, queue the worker's sweep at each threshold still to come (or now)."""
    if breach.reported_to_ico_at is not None:
        return
    from openwarp.hub.incidents.tasks import breach_reminders_task

    def enqueue() -> None:
        now = timezone.now()
        for at in reminder_times(breach):
            breach_reminders_task.using(run_after=max(at, now)).enqueue()

    transaction.on_commit(enqueue)
