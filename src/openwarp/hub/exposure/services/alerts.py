"""Immediate alerts when CISA adds to KEV a CVE that a member's inventory has.

After a data load the whole region is re-matched; every active warning for a
CVE that the load newly found in KEV gets one alert (shown on the member's
warnings page and dashboard) and the organisation's security leads get one
e-mail listing them, sent once the transaction has committed (as sharing's
early warnings do), and its webhooks that asked for "kev" get one delivery.
An alert is raised at most once per warning.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from openwarp.hub.exposure.models import DataLoad, ExposureWarning, KevAlert
from openwarp.hub.exposure.services.matching import exposure_rematch
from openwarp.hub.members.models import Organisation
from openwarp.hub.notify.mail_choices import mail_recipients
from openwarp.hub.notify.models import MailTopic, WebhookEvent
from openwarp.hub.notify.services import notify_organisation


@transaction.atomic
def exposure_refresh_after_load(*, load_id: int) -> int:
    """Re-match every organisation, then raise KEV alerts; returns alerts raised."""
    load = DataLoad.objects.get(pk=load_id)
    exposure_rematch()
    return len(kev_alerts_raise(cve_ids=load.kev_added))


@transaction.atomic
def kev_alerts_raise(*, cve_ids: Collection[str]) -> list[KevAlert]:
    if not cve_ids:
        return []
    warnings = ExposureWarning.objects.filter(cve_id__in=list(cve_ids), active=True).exclude(
        kev_alerts__isnull=False
    )
    alerts = [
        KevAlert(organisation_id=w.organisation_id, warning=w, cve_id=w.cve_id) for w in warnings
    ]
    KevAlert.objects.bulk_create(alerts, ignore_conflicts=True)
    by_organisation: dict[int, list[KevAlert]] = defaultdict(list)
    for alert in alerts:
        by_organisation[alert.organisation_id].append(alert)
    for organisation_id, mine in by_organisation.items():
        transaction.on_commit(partial(_email_leads, organisation_id, [a.warning.pk for a in mine]))
        notify_organisation(
            organisation_id=organisation_id,
            event=WebhookEvent.KEV,
            data={"warnings": [_webhook_item(alert.warning) for alert in mine]},
        )
    return alerts


def _webhook_item(warning: ExposureWarning) -> dict[str, object]:
    return {
        "cve": warning.cve_id,
        "product": warning.product_label,
        "priority": warning.priority,
        "due_at": warning.due_at.isoformat(),
        "link": reverse("exposure:warning", args=[warning.public_id]),
    }


def _email_leads(organisation_id: int, warning_ids: list[int]) -> None:
    organisation = Organisation.objects.get(pk=organisation_id)
    leads = mail_recipients(organisation_id=organisation_id, topic=MailTopic.KEV_WARNING)
    if not leads:
        return
    warnings = ExposureWarning.objects.filter(pk__in=warning_ids).order_by("-priority")
    lines = "\n".join(
        f"- {w.cve_id} in {w.product_label}: due {w.due_at:%d %b %Y %H:%M} UTC\n"
        f"  {reverse('exposure:warning', args=[w.public_id])}"
        for w in warnings
    )
    send_mail(
        subject=f"[{settings.HUB_NAME}] Exploited now: {len(warning_ids)} new KEV "
        f"entr{'y' if len(warning_ids) == 1 else 'ies'} affect {organisation.name}",
        message=(
            f"CISA has added to its Known Exploited Vulnerabilities catalogue "
            f"vulnerabilities in products your inventory lists:\n\n{lines}\n"
        ),
        from_email=None,
        recipient_list=leads,
    )
