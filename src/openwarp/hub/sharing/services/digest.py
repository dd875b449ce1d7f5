"""The daily digest: each member organisation's people who want it (security
leads unless they chose otherwise) get one e-mail listing the TLP:GREEN and
CLEAR reports of a day that reached them (AMBER+ ones were told at once).
The worker sends it once a day at `DIGEST_AT` (`hub/jobs/daily.py`);
`openwarp notify digest` sends a day by hand.

The list is ordered by threat and title, not by time, so an anonymous
report's place in it says nothing about when it was released.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from openwarp.core.tlp import TLP
from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy import may_view
from openwarp.hub.members.policy_adapters import member_viewer
from openwarp.hub.notify.mail_choices import mail_recipients
from openwarp.hub.notify.models import DigestSent, MailTopic
from openwarp.hub.sharing.access import shareable, source_label
from openwarp.hub.sharing.models import Report, ReportState

IN_DIGEST = (TLP.CLEAR, TLP.GREEN)


@dataclass
class DigestRun:
    day: date
    sent: int = 0  # organisations mailed this run
    already: int = 0  # mailed by an earlier run of the same day
    reports: int = 0  # reports published that day that a digest may carry


def _day_reports(day: date) -> list[Report]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return list(
        Report.objects.filter(
            state=ReportState.PUBLISHED,
            tlp__in=[t.value for t in IN_DIGEST],
            published_at__gte=start,
            published_at__lt=start + timedelta(days=1),
        )
        .select_related("owner_organisation__region")
        .order_by("threat_type", "title", "public_id")
    )


def _body(organisation: Organisation, day: date, lines: list[str]) -> str:
    return (
        f"Reports shared with {organisation.name} on {settings.HUB_NAME} on "
        f"{day:%A %-d %B %Y} (UTC):\n\n" + "\n\n".join(lines) + "\n"
    )


def digest_send(*, day: date) -> DigestRun:
    """Mail each organisation its digest of ``day``, once."""
    run = DigestRun(day)
    reports = _day_reports(day)
    run.reports = len(reports)
    for organisation in Organisation.objects.filter(is_active=True).order_by("name"):
        viewer = member_viewer(organisation.pk)
        theirs = [
            r
            for r in reports
            if r.owner_organisation_id != organisation.pk and may_view(viewer, shareable(r))
        ]
        recipients = (
            mail_recipients(organisation_id=organisation.pk, topic=MailTopic.DAILY_DIGEST)
            if theirs
            else []
        )
        if not recipients:
            continue
        lines = [
            f"[TLP:{r.tlp.upper()}] {r.title} ({source_label(viewer, r)})\n"
            f"{r.summary}\n{reverse('sharing:report', args=[r.public_id])}".replace("\n\n", "\n")
            for r in theirs
        ]
        with transaction.atomic():
            _, created = DigestSent.objects.get_or_create(
                organisation=organisation, day=day, defaults={"reports": len(theirs)}
            )
            if not created:
                run.already += 1
                continue
            send_mail(
                subject=f"[{settings.HUB_NAME}] {len(theirs)} report"
                f"{'s' if len(theirs) != 1 else ''} shared on {day:%-d %B}",
                message=_body(organisation, day, lines),
                from_email=None,
                recipient_list=recipients,
            )
        run.sent += 1
    return run
