"""Demo data for incidents: a live ransomware attack on a council, and a history.

Amber Valley Borough Council is a few hours into a ransomware attack that has exposed
residents' data, so its ICO clock is running when the demo starts. Other
members' closed incidents across 2025 and 2026 give the regional figures
something to count, and one anonymous post is published and escalated.

The mutual-aid demo links its request to the live incident: find it with
`demo_incident()` (by its organisation and the stable `LIVE_TITLE`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone

from openwarp.hub.incidents.models import Incident, Status
from openwarp.hub.incidents.services import incidents as services
from openwarp.hub.incidents.services.breach import BreachDraft, breach_record
from openwarp.hub.incidents.services.channel import post_create, post_escalate, post_review

LIVE_AUTHOR = "security.lead@ambervalley.example"
LIVE_TITLE = "Ransomware on Amber Valley Borough Council file and revenues servers"
COORDINATOR = "coordinator@em-warp.example"


def demo_incident() -> Incident | None:
    """The live demo incident, for other capabilities' demo data to link to."""
    return (
        Incident.objects.filter(title=LIVE_TITLE, status__in=[Status.OPEN, Status.CONTAINED])
        .order_by("-detected_at")
        .first()
    )


def _live(context: Any, now: datetime) -> None:
    lead = context.people[LIVE_AUTHOR]
    started, detected = now - timedelta(hours=9), now - timedelta(hours=4)
    incident = services.incident_create(
        actor=lead,
        draft=services.IncidentDraft(
            title=LIVE_TITLE,
            started_at=started,
            detected_at=detected,
            ncsc_category="C3",
            description="Staff found files renamed with a `.lockbit` extension and a ransom "
            "note on the shared drives at 06:10. The revenues and benefits system is down; "
            "the attacker claims to have copied council tax records.\n\n"
            "**Do not** reconnect any server to the network until the forensic team clears it.",
            services_affected="Council tax and benefits, file shares, staff e-mail",
            impact="Residents cannot pay council tax or claim benefits online; "
            "about 2,000 staff without file shares.",
        ),
    )
    steps = [
        (8, "First encrypted files, per file-server logs (found later)."),
        (4, "Service desk reports ransom note on the shared drives; incident declared."),
        (3, "File servers and the revenues system isolated from the network."),
        (2, "Leak-site post claims council tax data; DPO informed; breach assessed."),
    ]
    for hours_ago, text in steps:
        services.timeline_add(
            actor=lead, incident=incident, at=now - timedelta(hours=hours_ago), text=text
        )
    for title, owner in [
        ("Confirm which backups are clean", "Infrastructure lead"),
        ("Report to the ICO", "Data protection officer"),
        ("Tell the NCSC and Action Fraud", "Security lead"),
        ("Brief the chief executive and leader", "Head of IT"),
    ]:
        services.task_add(actor=lead, incident=incident, title=title, owner=owner)
    services.log_add(
        actor=lead,
        incident=incident,
        text="Insurer's breach coach engaged; do not discuss payment on open channels.",
    )
    breach_record(
        actor=lead,
        incident=incident,
        draft=BreachDraft(
            aware_at=now - timedelta(hours=2),
            nature="Copying of council tax and benefits records by a ransomware group.",
            data_subject_categories="Council tax payers, benefit claimants",
            data_subjects_approx=48_000,
            record_categories="Names, addresses, bank details, benefit circumstances",
            records_approx=120_000,
            likely_consequences="Fraud and phishing aimed at residents; distress.",
            measures_taken="Servers isolated; passwords reset; leak site monitored.",
            dpo_contact="Data Protection Officer, dpo@ambervalley.example",
        ),
    )
    services.incident_set_status(actor=lead, incident=incident, status=Status.CONTAINED)


HISTORY = [
    # (author, title, category, detected (UTC), breach?)
    (
        "security.lead@derby.example",
        "Mailbox takeover of a planning officer",
        "C5",
        datetime(2025, 3, 12, 9, 40, tzinfo=UTC),
        True,
    ),
    (
        "security.lead@nuh.example",
        "Phishing wave against clinical staff",
        "C4",
        datetime(2025, 9, 2, 14, 5, tzinfo=UTC),
        True,
    ),
    (
        "security.lead@lincolnshire.example",
        "Supplier portal exposed school records",
        "C4",
        datetime(2026, 2, 17, 11, 30, tzinfo=UTC),
        True,
    ),
    (
        "security.lead@derby.example",
        "Denial of service on the council website",
        "C6",
        datetime(2026, 6, 8, 8, 15, tzinfo=UTC),
        False,
    ),
]


def _history(people: dict[str, Any]) -> None:
    for author, title, category, detected, breach in HISTORY:
        actor = people[author]
        incident = services.incident_create(
            actor=actor,
            draft=services.IncidentDraft(
                title=title,
                started_at=detected - timedelta(hours=6),
                detected_at=detected,
                ncsc_category=category,
            ),
        )
        if breach:
            breach_record(
                actor=actor,
                incident=incident,
                draft=BreachDraft(
                    aware_at=detected + timedelta(hours=1),
                    reported_to_ico_at=detected + timedelta(hours=30),
                    nature=title,
                ),
            )
        services.incident_set_status(actor=actor, incident=incident, status=Status.CLOSED)
        # Closed when it was, not when the demo was seeded.
        Incident.objects.filter(pk=incident.pk).update(
            created_at=detected, closed_at=detected + timedelta(days=12)
        )


def seed(context: Any) -> None:
    now = timezone.now()
    _live(context, now)
    _history(context.people)
    post = post_create(
        actor=context.people["security.lead@nuh.example"],
        threat="a ransomware group's affiliate",
        message="Remote-access VPN accounts of former staff used to log in overnight; "
        "check for dormant VPN accounts and enforce MFA on them today.",
    )
    coordinator = context.people[COORDINATOR]
    post_review(actor=coordinator, post=post, publish=True)
    post_escalate(actor=coordinator, post=post)
