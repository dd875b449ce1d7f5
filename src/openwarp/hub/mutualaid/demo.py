"""Demo data for mutual aid: rosters for five members and a live request for help.

Amber Valley Borough Council is under a ransomware attack and has asked the region
for an incident lead and Windows/AD recovery. The coordinator has sent two offers:
Derby City Council accepted (its engineer has been on site for two days and has
logged hours), Nottingham University Hospitals has not answered yet. The request is
created through the services as it would be now, then back-dated two days so the
deployment is under way; every rule is still checked on the way in.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from openwarp.hub.incidents.demo import demo_incident
from openwarp.hub.mutualaid.models import AidRequest, Deployment, RosterPerson
from openwarp.hub.mutualaid.services import deployments, offers, requests, roster

REQUESTER = "AMB"
NUH_LOCATION = (52.9436, -1.1857)  # Queen's Medical Centre, Nottingham

#: (org code, title, skills, vetting, languages, max days, location or None for the org's)
PEOPLE: list[tuple[str, str, dict[str, int], str, str, int, tuple[float, float] | None]] = [
    (
        "DER",
        "Senior infrastructure engineer (Windows/AD)",
        {"windows_ad_recovery": 4, "backup_restore": 3},
        "sc",
        "English",
        10,
        None,
    ),
    (
        "DER",
        "Cyber security analyst",
        {"forensic_analyst": 2, "network": 2},
        "bpss",
        "English, Polish",
        5,
        None,
    ),
    ("DER", "Head of digital communications", {"communications": 3}, "none", "English", 5, None),
    (
        "LIN",
        "Information security manager",
        {"incident_lead": 3, "legal_data_protection": 2},
        "sc",
        "English",
        14,
        None,
    ),
    (
        "LIN",
        "Backup and storage engineer",
        {"backup_restore": 4, "cloud": 2},
        "bpss",
        "English",
        10,
        None,
    ),
    ("LIN", "Network architect", {"network": 4, "cloud": 3}, "sc", "English", 7, None),
    (
        "NUH",
        "Cyber incident response lead",
        {"incident_lead": 4, "forensic_analyst": 3},
        "sc",
        "English, Punjabi",
        7,
        NUH_LOCATION,
    ),
    ("NUH", "Digital forensics analyst", {"forensic_analyst": 4}, "dv", "English", 5, NUH_LOCATION),
    (
        "NUH",
        "Data protection officer",
        {"legal_data_protection": 4, "communications": 2},
        "bpss",
        "English",
        3,
        NUH_LOCATION,
    ),
    (
        "NGM",
        "IT service continuity manager",
        {"incident_lead": 2, "backup_restore": 3},
        "sc",
        "English",
        7,
        None,
    ),
    (
        "NGM",
        "Active Directory specialist",
        {"windows_ad_recovery": 3, "cloud": 2},
        "bpss",
        "English, Urdu",
        10,
        None,
    ),
    ("LIN", "Press office manager", {"communications": 4}, "none", "English", 5, None),
    (
        "LIN",
        "Windows server team leader",
        {"windows_ad_recovery": 3, "network": 2},
        "sc",
        "English",
        10,
        None,
    ),
]


def _roster(context: Any) -> dict[str, RosterPerson]:
    now = timezone.now()
    window = [(now - timedelta(days=14), now + timedelta(days=90))]
    made: dict[str, RosterPerson] = {}
    for code, title, skills, vetting, languages, max_days, where in PEOPLE:
        latitude, longitude = where if where else (None, None)
        made[title] = roster.person_save(
            actor=None,
            organisation=context.organisations[code],
            draft=roster.PersonDraft(
                title=title,
                skills=skills,
                vetting=vetting,
                languages=languages,
                max_days=max_days,
                latitude=latitude,
                longitude=longitude,
                windows=window,
            ),
        )
    roster.package_create(
        actor=None,
        organisation=context.organisations["DER"],
        name="Derby AD recovery team",
        day_rate=Decimal("1100.00"),
        people=[
            made["Senior infrastructure engineer (Windows/AD)"],
            made["Cyber security analyst"],
        ],
        description="Rebuild domain controllers and restore from offline backups.",
    )
    roster.capacity_add(
        actor=None,
        organisation=context.organisations["DER"],
        description="Clean-build laptops (Windows 11, Intune-enrolled)",
        quantity=15,
    )
    roster.capacity_add(
        actor=None,
        organisation=context.organisations["LIN"],
        description="Spare firewall appliances, pre-configured",
        quantity=2,
    )
    return made


def _request(context: Any) -> AidRequest:
    return requests.request_create(
        actor=context.people["security.lead@ambervalley.example"],
        organisation=context.organisations[REQUESTER],
        draft=requests.RequestDraft(
            title="Ransomware: domain rebuild and incident leadership",
            starts_at=timezone.now() + timedelta(minutes=5),
            days=7,
            priority=5,
            mode="on_site",
            summary="File servers and Active Directory encrypted overnight; council tax and "
            "benefits systems are down. We need people at Ripley from tomorrow morning.",
            incident_summary="Ransomware (C3 category incident), detected this morning; "
            "NCSC informed.",
            needs=[
                requests.NeedDraft(skill="incident_lead", min_level=3, people=1),
                requests.NeedDraft(
                    skill="windows_ad_recovery", min_level=3, people=2, vetting_required=True
                ),
            ],
        ),
    )


def seed(context: Any) -> None:
    made = _roster(context)
    coordinator = context.people["coordinator@em-warp.example"]
    aid = _request(context)
    incident = demo_incident()
    if incident is not None:
        requests.request_link_incident(
            actor=context.people["security.lead@ambervalley.example"],
            request=aid,
            incident=incident,
        )
    engineer = made["Senior infrastructure engineer (Windows/AD)"]
    needs = list(aid.needs.all())
    accepted = offers.offer_send(actor=coordinator, request=aid, need=needs[1], person=engineer)
    offers.offer_send(
        actor=coordinator, request=aid, need=needs[0], person=made["Cyber incident response lead"]
    )
    deployment = offers.offer_accept(
        actor=context.people["security.lead@derby.example"],
        offer=accepted,
        agreement=offers.Agreement(
            terms="Lent under the East Midlands mutual-aid memorandum; Derby remains the employer.",
            cost_basis="package",
            confidentiality_agreed=True,
            package=engineer.packages.first(),
        ),
    )
    _back_date(aid, deployment, days=2)
    deployment.refresh_from_db()
    # Its first two days, counted from when it began (seeded just before
    # midnight, "two days ago" would be a day before it started).
    first = timezone.localtime(deployment.starts_at).date()
    for day_number, hours, expenses, note in (
        (0, "9.5", "46.80", "Mileage Derby–Ripley; isolated two domain controllers"),
        (1, "11", "0", "Rebuilt the first domain controller from the offline backup"),
    ):
        deployments.time_entry_add(
            actor=context.people["security.lead@derby.example"],
            deployment=deployment,
            day=first + timedelta(days=day_number),
            hours=Decimal(hours),
            expenses=Decimal(expenses),
            note=note,
        )


def _back_date(aid: AidRequest, deployment: Deployment, *, days: int) -> None:
    """Move the request and its deployment into the past so the demo is mid-incident."""
    shift = timedelta(days=days)
    AidRequest.objects.filter(pk=aid.pk).update(
        starts_at=aid.starts_at - shift, created_at=aid.created_at - shift
    )
    Deployment.objects.filter(pk=deployment.pk).update(
        starts_at=deployment.starts_at - shift,
        ends_at=deployment.ends_at - shift,
        agreed_at=deployment.agreed_at - shift,
    )
