"""A small region for hub tests: two member organisations and one person per role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from openwarp.hub.members.models import Organisation, Region, User
from openwarp.hub.members.policy import Role
from openwarp.hub.members.services import organisations as org_services
from openwarp.hub.members.services.second_factor import totp_new_secret
from openwarp.hub.members.services.tokens import token_create
from openwarp.hub.sharing.services.reports import ReportDraft, report_create

PASSWORD = "correct-horse-battery-staple"
ROLE_ORGANISATION = {
    Role.MEMBER: "own",
    Role.SECURITY_LEAD: "own",
    Role.EXECUTIVE: "own",
    Role.COORDINATOR: "warp",
    Role.ADMIN: "warp",
    Role.NATIONAL_ANALYST: None,
}


@dataclass
class World:
    region: Region
    own: Organisation
    other: Organisation
    warp: Organisation
    users: dict[Role, User] = field(default_factory=dict)
    tokens: dict[Role, str] = field(default_factory=dict)
    other_lead: User | None = None
    green_report: Any = None
    held_report: Any = None
    # Objects that capabilities' matrix rows point at (see permission_matrix.py).
    extras: dict[str, Any] = field(default_factory=dict)

    def client(self, role: Role | None) -> Client:
        client = Client()
        if role is not None:
            client.force_login(self.users[role])
        return client

    def api(self, role: Role | None) -> Client:
        if role is None:
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {self.tokens[role]}")


def make_user(email: str, role: Role, organisation: Organisation | None) -> User:
    user = User.objects.create_user(
        email,
        PASSWORD,
        full_name=email.split("@")[0].title(),
        role=role,
        organisation=organisation,
        is_superuser=role == Role.ADMIN,
    )
    if role in (Role.COORDINATOR, Role.ADMIN):
        user.totp_secret = totp_new_secret()
        user.totp_confirmed_at = timezone.now()
        user.save()
    return user


@pytest.fixture
def world(db: None) -> World:
    region = org_services.region_get_or_create(name="East Midlands")
    create = org_services.organisation_create
    own = create(
        actor=None, name="Derby City Council", org_type="unitary", region=region, population=256814
    )
    other = create(
        actor=None,
        name="Nottingham City Council",
        org_type="unitary",
        region=region,
        population=337098,
    )
    warp = create(actor=None, name="East Midlands WARP", org_type="other", region=region)
    org_services.network_range_add(actor=None, organisation=other, cidr="198.51.100.0/24")
    org_services.domain_add(actor=None, organisation=other, name="nottinghamcity.gov.uk")
    world = World(region=region, own=own, other=other, warp=warp)
    for role, where in ROLE_ORGANISATION.items():
        organisation = {"own": own, "warp": warp, None: None}[where]
        world.users[role] = make_user(f"{role.value}@test.example", role, organisation)
        scope = "read" if role in (Role.EXECUTIVE, Role.NATIONAL_ANALYST) else "write"
        world.tokens[role] = token_create(
            actor=None, user=world.users[role], name="test", scope=scope
        ).secret
    world.other_lead = make_user("lead@nottingham.example", Role.SECURITY_LEAD, other)
    world.green_report, _ = report_create(
        actor=world.other_lead,
        draft=ReportDraft(
            title="Invoice phishing from a spoofed supplier",
            threat_type="phishing",
            tlp="green",
            distribution="region",
            indicators_text="hxxps://invoices-portal[.]example/login\n203.0.113.77",
        ),
    )
    world.held_report, _ = report_create(
        actor=world.other_lead,
        draft=ReportDraft(
            title="Ransomware negotiator contacted us",
            threat_type="ransomware",
            tlp="amber",
            distribution="region",
            anonymous=True,
            indicators_text="negotiate@leak-site.example",
        ),
    )
    return world
