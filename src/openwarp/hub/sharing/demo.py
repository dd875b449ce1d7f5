"""Demo data for sharing: a realistic week in the East Midlands.

A phishing campaign reported by two members and sighted by four, ransomware
precursors from an NHS trust, an anonymous extortion report released by the
coordinator, and a CLEAR advisory from the WARP itself.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from openwarp.hub.sharing.models import Report
from openwarp.hub.sharing.services.reports import ReportDraft, report_create, report_release
from openwarp.hub.sharing.services.sightings import sighting_record

PHISHING_DOMAIN = "derbys-supplier-payments.example"

REPORTS: list[dict[str, Any]] = [
    {
        "author": "security.lead@derby.example",
        "days_ago": 6,
        "draft": dict(
            title="Invoice fraud e-mails impersonating a county supplier",
            threat_type="phishing",
            tlp="green",
            distribution="region",
            confidence="confirmed",
            summary="Payment-change requests from a look-alike domain; three staff replied.",
            description="Messages ask accounts payable to change bank details for a highways "
            "contractor. **Block the domain** and check recent payment changes.",
            indicators_text=f"hxxps://{PHISHING_DOMAIN}/remittance\naccounts@{PHISHING_DOMAIN}\n"
            "185.100.87.41",
        ),
    },
    {
        "author": "security.lead@ambervalley.example",
        "days_ago": 5,
        "draft": dict(
            title="Same supplier phishing reached our finance team",
            threat_type="phishing",
            tlp="green",
            distribution="region",
            confidence="probable",
            indicators_text=f"{PHISHING_DOMAIN}\n185.100.87.41\nremittance-advice.pdf.html",
        ),
    },
    {
        "author": "security.lead@nuh.example",
        "days_ago": 4,
        "draft": dict(
            title="Loader activity ahead of ransomware",
            threat_type="ransomware",
            tlp="amber",
            distribution="region",
            confidence="probable",
            summary="Beaconing to known loader infrastructure from two clinical workstations.",
            # 192.0.2.14 is in Derby City Council's registered range: an early warning.
            indicators_text="193.142.146.212\n45.61.139.0/24\n192.0.2.14\n"
            "d8e8fca2dc0f896fd7cb4cb0031ba249\ncdn-update-check.example",
        ),
    },
    {
        "author": "security.lead@lincolnshire.example",
        "days_ago": 3,
        "anonymous": True,
        "draft": dict(
            title="Extortion demand after data theft from a file server",
            threat_type="data_breach",
            tlp="amber",
            distribution="region",
            confidence="confirmed",
            summary="Actor claims HR records; contact came through a public mailbox.",
            indicators_text="support@leak-negotiation.example\n91.215.85.0/24",
        ),
    },
    {
        "author": "coordinator@em-warp.example",
        "days_ago": 2,
        "draft": dict(
            title="Patch Ivanti Connect Secure now",
            threat_type="exploitation",
            tlp="clear",
            distribution="federation",
            confidence="confirmed",
            summary="Exploited in the wild; on CISA's KEV list. Apply the vendor fix today.",
            indicators_text="CVE-2024-21887\nCVE-2023-46805",
        ),
    },
]

SIGHTINGS = [
    ("security.lead@derby.example", 14),
    ("security.lead@ambervalley.example", 6),
    ("security.lead@nuh.example", 2),
    ("security.lead@lincolnshire.example", 1),
]


def seed(context: Any) -> None:
    now = timezone.now()
    for entry in REPORTS:
        author = context.people[entry["author"]]
        draft = ReportDraft(**entry["draft"], anonymous=entry.get("anonymous", False))
        report, _ = report_create(actor=author, draft=draft)
        if report.anonymous:
            report_release(
                actor=context.people["coordinator@em-warp.example"], report=report, release=True
            )
        when = now - timedelta(days=entry["days_ago"], hours=3)
        Report.objects.filter(pk=report.pk).update(created_at=when, published_at=when)
    campaign = Report.objects.filter(indicators__value=PHISHING_DOMAIN).first()
    assert campaign is not None
    indicator = campaign.indicators.get(value=PHISHING_DOMAIN)
    for email, count in SIGHTINGS:
        sighting_record(
            actor=context.people[email],
            indicator=indicator,
            count=count,
            first_seen=now - timedelta(days=5),
            last_seen=now - timedelta(hours=2),
        )
