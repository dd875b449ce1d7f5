"""Telling members at once about reports marked TLP:AMBER or stricter that
reach them, by e-mail to those of their people who want it (security leads
unless they chose otherwise, see `notify.mail_choices`) and by webhook.

An anonymous report is told about at the first full hour after its release,
as the exports do, so the moment of a mail or a webhook cannot time it.
GREEN and CLEAR reports wait for the feed (and a digest, when there is one).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from openwarp.core.tlp import TLP
from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy import Viewer, may_view
from openwarp.hub.members.policy.release import anonymous_shown_from
from openwarp.hub.members.policy_adapters import member_viewer
from openwarp.hub.notify.mail_choices import mail_recipients
from openwarp.hub.notify.models import MailTopic, WebhookEvent
from openwarp.hub.notify.services import notify_organisation
from openwarp.hub.sharing.access import shareable, source_label
from openwarp.hub.sharing.models import Report, ReportState

TOLD_AT_ONCE = {TLP.AMBER, TLP.AMBER_STRICT}


def told_after(report: Report) -> datetime | None:
    """When news of this report may go out: now, or for an anonymous one the
    next full hour."""
    if not report.anonymous:
        return None
    return anonymous_shown_from(report.published_at or timezone.now())


def report_published_notify(*, report: Report) -> None:
    """Called once a report is published (made, or released by the coordinator)."""
    if TLP(report.tlp) not in TOLD_AT_ONCE:
        return
    run_after = told_after(report)
    transaction.on_commit(
        lambda: report_delivered_task.using(run_after=run_after).enqueue(report_id=report.pk)
    )


def _readers(report: Report) -> list[tuple[Organisation, Viewer]]:
    """Member organisations, other than the publisher, that may read it, each
    with the viewer that stands for its members."""
    item = shareable(report)
    others = Organisation.objects.filter(is_active=True).exclude(pk=report.owner_organisation_id)
    viewers = [(organisation, member_viewer(organisation.pk)) for organisation in others]
    return [(organisation, viewer) for organisation, viewer in viewers if may_view(viewer, item)]


def report_delivered(*, report_id: int) -> int:
    """Mail each reading organisation's recipients and queue its webhooks; returns
    how many organisations were told."""
    report = Report.objects.select_related("owner_organisation__region").get(pk=report_id)
    if report.state != ReportState.PUBLISHED:
        return 0
    link = reverse("sharing:report", args=[report.public_id])
    readers = _readers(report)
    for organisation, viewer in readers:
        source = source_label(viewer, report)
        notify_organisation(
            organisation_id=organisation.pk,
            event=WebhookEvent.REPORT,
            data={
                "report": str(report.public_id),
                "title": report.title,
                "tlp": report.tlp,
                "threat_type": report.threat_type,
                "source": source,
                "link": link,
            },
        )
        recipients = mail_recipients(organisation_id=organisation.pk, topic=MailTopic.AMBER_REPORT)
        if recipients:
            send_mail(
                subject=f"[{settings.HUB_NAME}] TLP:{report.tlp.upper()} report: {report.title}",
                message=(
                    f"{source} shared a TLP:{report.tlp.upper()} report with "
                    f"{organisation.name}:\n\n{report.title}\n{report.summary}\n\n"
                    f"Read it: {link}\n"
                ),
                from_email=None,
                recipient_list=recipients,
            )
    return len(readers)


@task()
def report_delivered_task(*, report_id: int) -> int:
    return report_delivered(report_id=report_id)
