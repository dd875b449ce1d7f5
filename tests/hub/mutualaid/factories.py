"""Small mutual-aid scenes on top of the test world, built through the services."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy import Role
from openwarp.hub.members.services import organisations as org_services
from openwarp.hub.mutualaid.models import AidRequest, Deployment, Offer, RosterPerson
from openwarp.hub.mutualaid.services import offers, requests, roster
from tests.world import World, make_user

DERBY = (52.9125, -1.4683)
NOTTINGHAM = (52.9606, -1.1765)
LEICESTER = (52.6369, -1.1398)


def locate(world: World) -> None:
    for organisation, (lat, lon) in ((world.own, DERBY), (world.other, NOTTINGHAM)):
        organisation.latitude, organisation.longitude = lat, lon
        organisation.save(update_fields=["latitude", "longitude"])


def third_org(world: World) -> tuple[Organisation, Any]:
    """Leicester City Council and its security lead, a second possible lender."""
    if "third" not in world.extras:
        org = org_services.organisation_create(
            actor=None, name="Leicester City Council", org_type="unitary", region=world.region
        )
        org.latitude, org.longitude = LEICESTER
        org.save(update_fields=["latitude", "longitude"])
        lead = make_user("lead@leicester.example", Role.SECURITY_LEAD, org)
        world.extras["third"] = (org, lead)
    return world.extras["third"]


def person(
    organisation: Organisation,
    title: str = "Incident responder",
    skills: dict[str, int] | None = None,
    *,
    vetting: str = "sc",
    max_days: int = 10,
    days_available: int = 60,
) -> RosterPerson:
    now = timezone.now()
    return roster.person_save(
        actor=None,
        organisation=organisation,
        draft=roster.PersonDraft(
            title=title,
            skills=skills or {"incident_lead": 3, "windows_ad_recovery": 3},
            vetting=vetting,
            max_days=max_days,
            windows=[(now - timedelta(days=1), now + timedelta(days=days_available))],
        ),
    )


def ask(
    world: World,
    *,
    skill: str = "incident_lead",
    level: int = 2,
    people: int = 1,
    days: int = 3,
    start_in: timedelta = timedelta(hours=1),
    vetting: bool = False,
) -> AidRequest:
    return requests.request_create(
        actor=world.users[Role.SECURITY_LEAD],
        organisation=world.own,
        draft=requests.RequestDraft(
            title="Ransomware on our file servers",
            starts_at=timezone.now() + start_in,
            days=days,
            priority=5,
            needs=[
                requests.NeedDraft(
                    skill=skill, min_level=level, people=people, vetting_required=vetting
                )
            ],
        ),
    )


def ask_elsewhere(world: World, starts_at: datetime, days: int = 2) -> AidRequest:
    """A request from Leicester, the third organisation (for overlapping windows)."""
    org, lead = third_org(world)
    return requests.request_create(
        actor=lead,
        organisation=org,
        draft=requests.RequestDraft(
            title="Also hit",
            starts_at=starts_at,
            days=days,
            priority=3,
            needs=[requests.NeedDraft(skill="incident_lead", min_level=1)],
        ),
    )


def offer(world: World, aid: AidRequest, who: RosterPerson) -> Offer:
    return offers.offer_send(
        actor=world.users[Role.COORDINATOR], request=aid, need=aid.needs.first(), person=who
    )


AGREEMENT = offers.Agreement(
    terms="Lent under the regional memorandum.",
    cost_basis="day_rate",
    confidentiality_agreed=True,
    day_rate=Decimal("450.00"),
)


def accept(lead: Any, sent: Offer) -> Deployment:
    return offers.offer_accept(actor=lead, offer=sent, agreement=AGREEMENT)


def back_date(deployment: Deployment, days: int = 1) -> Deployment:
    """Move a deployment (and its request) into the past, so today is inside it."""
    shift = timedelta(days=days)
    AidRequest.objects.filter(pk=deployment.request_id).update(
        starts_at=deployment.request.starts_at - shift
    )
    Deployment.objects.filter(pk=deployment.pk).update(
        starts_at=deployment.starts_at - shift, ends_at=deployment.ends_at - shift
    )
    return Deployment.objects.select_related("request", "person").get(pk=deployment.pk)


def reverse_scene(world: World) -> dict[str, Any]:
    """Nottingham asks; Derby's roster has someone; an offer awaits Derby's security lead."""
    if "reverse" not in world.extras:
        locate(world)
        derby_person = person(world.own, "Derby AD engineer", {"windows_ad_recovery": 3})
        aid = requests.request_create(
            actor=world.other_lead,
            organisation=world.other,
            draft=requests.RequestDraft(
                title="Domain controllers encrypted",
                starts_at=timezone.now() + timedelta(hours=2),
                days=2,
                priority=4,
                needs=[requests.NeedDraft(skill="windows_ad_recovery", min_level=2)],
            ),
        )
        world.extras["reverse"] = {
            "person": derby_person,
            "request": aid,
            "offer": offer(world, aid, derby_person),
        }
    return world.extras["reverse"]


def scene(world: World) -> dict[str, Any]:
    """Derby asks; Nottingham lends one person: a pending offer, and an accepted one with a
    deployment on a second request. Built once per world."""
    if "scene" not in world.extras:
        locate(world)
        responder = person(world.other)
        second = person(world.other, "Backup engineer", {"backup_restore": 3})
        aid = ask(world)
        pending = offer(world, aid, responder)
        other_aid = ask(world, skill="backup_restore", start_in=timedelta(minutes=1))
        deployment = back_date(accept(world.other_lead, offer(world, other_aid, second)))
        world.extras["scene"] = {
            "responder": responder,
            "request": aid,
            "offer": pending,
            "deployment": deployment,
            "deployed_request": other_aid,
        }
    return world.extras["scene"]
