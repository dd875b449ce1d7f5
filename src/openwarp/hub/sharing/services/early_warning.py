"""Early warning: tell a member when a shared report mentions its own
registered ranges or domains (the job NCSC's Early Warning used to do).

Only members that may see the report are told, so an alert never reveals a
report its reader could not open; coordinators see every match.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from openwarp.core.errors import PermissionDenied
from openwarp.core.sharing.early_warning import address_bounds, domain_suffixes, host_of
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.models import Domain, NetworkRange, Organisation, User
from openwarp.hub.members.policy import Action, may, may_view
from openwarp.hub.members.policy_adapters import member_viewer, viewer_for
from openwarp.hub.notify.mail_choices import mail_recipients
from openwarp.hub.notify.models import MailTopic, WebhookEvent
from openwarp.hub.notify.services import notify_organisation
from openwarp.hub.sharing.access import shareable
from openwarp.hub.sharing.models import Alert, Indicator, Report
from openwarp.hub.sharing.services.notifications import told_after


def _holders(indicator: Indicator) -> list[tuple[int, str]]:
    """(organisation id, why) for every member whose registration covers the value."""
    found: list[tuple[int, str]] = []
    bounds = address_bounds(indicator.kind, indicator.value)
    if bounds is not None:
        version, first, last = bounds
        for network in NetworkRange.objects.filter(
            version=version, first_key__lte=last, last_key__gte=first
        ):
            found.append(
                (network.organisation_id, f"{indicator.value} is in your range {network.cidr}")
            )
    host = host_of(indicator.kind, indicator.value)
    if host:
        for domain in Domain.objects.filter(name__in=domain_suffixes(host)):
            found.append(
                (domain.organisation_id, f"{indicator.value} is under your domain {domain.name}")
            )
    return found


@transaction.atomic
def early_warning_for_report(*, report: Report) -> list[Alert]:
    """Create (once) an alert for each member the report's values touch."""
    item = shareable(report)
    alerts = []
    readable: dict[int, bool] = {}  # per organisation: asked once, not once per value
    for indicator in report.indicators.all():
        for organisation_id, reason in _holders(indicator):
            if organisation_id not in readable:
                readable[organisation_id] = may_view(member_viewer(organisation_id), item)
            if not readable[organisation_id]:
                continue
            alert, created = Alert.objects.get_or_create(
                organisation_id=organisation_id,
                indicator=indicator,
                defaults={"report": report, "reason": reason},
            )
            if created:
                alerts.append(alert)
    for organisation_id in {alert.organisation_id for alert in alerts}:
        mine = [a for a in alerts if a.organisation_id == organisation_id]
        transaction.on_commit(partial(_email_recipients, mine))
        notify_organisation(
            organisation_id=organisation_id,
            event=WebhookEvent.EARLY_WARNING,
            data={
                "report": str(report.public_id),
                "title": report.title,
                "tlp": report.tlp,
                "reasons": [alert.reason for alert in mine],
                "link": reverse("sharing:report", args=[report.public_id]),
            },
            not_before=told_after(report),
        )
    return alerts


def _email_recipients(alerts: list[Alert]) -> None:
    organisation: Organisation = alerts[0].organisation
    recipients = mail_recipients(organisation_id=organisation.pk, topic=MailTopic.EARLY_WARNING)
    if not recipients:
        return
    report = alerts[0].report
    lines = "\n".join(f"- {alert.reason}" for alert in alerts)
    send_mail(
        subject=f"[{settings.HUB_NAME}] Early warning for {organisation.name} "
        f"(TLP:{report.tlp.upper()})",
        message=(
            f"A report shared on {settings.HUB_NAME} mentions your organisation's "
            f"internet presence:\n\n{lines}\n\nRead it: "
            f"{reverse('sharing:report', args=[report.public_id])}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert) -> Alert:
    if not may(viewer_for(actor), Action.WRITE_CONTENT, organisation_id=alert.organisation_id):
        raise PermissionDenied("only the member's own staff acknowledge its warnings")
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["acknowledged_at"])
    audit_record(
        actor=actor,
        action="alert.acknowledge",
        target=alert,
        organisation_id=alert.organisation_id,
        details={"reason": alert.reason},
    )
    return alert
