"""Who may reach what: one row per page or API operation, one outcome per role.

The foundation's rows are here; each capability keeps its own rows in
`tests/hub/<app>/matrix_rows.py` (lists `PAGES` and `API`); a row whose
URL needs an object makes it on first use in its `args`/`api_path` (see
`_group_pk`).
`test_permission_matrix.py` fails if any URL pattern or API operation has no
row, and walks every row for every role (and for a visitor not signed in).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openwarp.hub.members.policy import Role

ALLOW, REFUSE = "allow", "refuse"
EVERY_ROLE = tuple(Role)


def allowed(*roles: Role, visitor: bool = False) -> dict[Role | None, str]:
    """Outcomes where exactly `roles` (and the visitor, if said) are let in."""
    outcomes: dict[Role | None, str] = {
        role: ALLOW if role in roles else REFUSE for role in EVERY_ROLE
    }
    outcomes[None] = ALLOW if visitor else REFUSE
    return outcomes


SIGNED_IN = allowed(*EVERY_ROLE)
PUBLIC = allowed(*EVERY_ROLE, visitor=True)
HUB = allowed(Role.COORDINATOR, Role.ADMIN)
ORG_ROLES = (Role.MEMBER, Role.SECURITY_LEAD, Role.EXECUTIVE)
WRITERS = allowed(Role.MEMBER, Role.SECURITY_LEAD, Role.COORDINATOR, Role.ADMIN)
REGION_READERS = allowed(*ORG_ROLES, Role.COORDINATOR, Role.ADMIN)


@dataclass(frozen=True)
class Row:
    """`target` is a URL name (pages) or "METHOD /api/v1/path" (API operations)."""

    target: str
    expect: dict[Role | None, str]
    args: Callable[[Any], list[Any]] = lambda world: []
    method: str = "GET"
    data: Callable[[Any], dict[str, Any]] = lambda world: {}
    note: str = ""
    api_path: Callable[[Any], str] | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)


def _other_token_pk(world: Any) -> list[Any]:
    return [
        world.other_lead.api_tokens.create(
            name="theirs",
            prefix="deadbeef",
            secret_hash="0" * 64,
            expires_at="2099-01-01T00:00:00Z",
        ).pk
    ]


def _group_pk(world: Any) -> list[Any]:
    from openwarp.hub.members.models import SharingGroup

    group, created = SharingGroup.objects.get_or_create(name="Nottinghamshire and Derby")
    if created:
        group.organisations.set([world.own, world.other])
    return [group.pk]


GROUP = {
    "name": "City councils",
    "organisations": ["derby-city-council", "nottingham-city-council"],
}


PAGES: list[Row] = [
    Row("healthz", PUBLIC),
    Row("web:dashboard", SIGNED_IN),
    Row("web:board", allowed(Role.SECURITY_LEAD, Role.EXECUTIVE)),
    Row("members:sign_in", PUBLIC),
    Row(
        "members:sign_in_code",
        allowed(),
        note="sends everyone to sign in when no password check is pending",
    ),
    Row("members:enrol_totp", SIGNED_IN),
    Row("members:password_forgot", PUBLIC),
    Row(
        "members:password_forgot",
        PUBLIC,
        method="POST",
        data=lambda w: {"email": "member@test.example"},
        note="the same answer for every address, known or not",
    ),
    Row(
        "members:password_reset",
        allowed(),
        args=lambda w: ["MQ", "not-a-real-token"],
        note="a forged reset link is refused for everyone",
    ),
    Row("members:sign_out", allowed(), method="POST", note="always ends at the sign-in page"),
    Row(
        "members:accept_invitation",
        allowed(),
        args=lambda w: ["not-a-real-invitation"],
        note="an unknown invitation is refused for everyone",
    ),
    Row("members:account", SIGNED_IN),
    Row(
        "members:token_revoke",
        allowed(),
        method="POST",
        args=_other_token_pk,
        note="nobody revokes another person's token through this page",
    ),
    Row("members:organisation_list", SIGNED_IN),
    Row("members:organisation_new", HUB),
    Row(
        "members:organisation_new",
        HUB,
        method="POST",
        data=lambda w: {"name": "Rutland County Council", "org_type": "unitary"},
    ),
    Row("members:organisation_edit", HUB, args=lambda w: [w.other.slug]),
    Row(
        "members:organisation_edit",
        HUB,
        method="POST",
        args=lambda w: [w.other.slug],
        data=lambda w: {"name": w.other.name, "org_type": "unitary", "is_active": "on"},
    ),
    Row(
        "members:organisation_detail",
        SIGNED_IN,
        args=lambda w: [w.other.slug],
        note="the directory entry; its details are checked separately",
    ),
    Row(
        "members:network_remove",
        HUB,
        method="POST",
        args=lambda w: [w.other.slug, "range", w.other.network_ranges.first().pk],
    ),
    Row(
        "members:people",
        allowed(Role.SECURITY_LEAD, Role.COORDINATOR, Role.ADMIN),
        args=lambda w: [w.own.slug],
    ),
    Row(
        "members:people",
        HUB,
        args=lambda w: [w.other.slug],
        note="a security lead manages only their own organisation",
    ),
    Row(
        "members:person_update",
        allowed(Role.SECURITY_LEAD, Role.COORDINATOR, Role.ADMIN),
        method="POST",
        args=lambda w: [w.own.slug, w.users[Role.MEMBER].pk],
        data=lambda w: {"role": "executive"},
    ),
    Row(
        "members:person_update",
        HUB,
        method="POST",
        args=lambda w: [w.other.slug, w.other_lead.pk],
        data=lambda w: {"role": "member"},
    ),
    Row("members:sharing_groups", SIGNED_IN),
    Row("members:sharing_group_new", HUB),
    Row(
        "members:sharing_group_new",
        HUB,
        method="POST",
        data=lambda w: {"name": "City councils", "organisations": [w.own.pk, w.other.pk]},
    ),
    Row("members:sharing_group_edit", HUB, args=_group_pk),
    Row(
        "members:sharing_group_edit",
        HUB,
        method="POST",
        args=_group_pk,
        data=lambda w: {"name": "Renamed", "organisations": [w.own.pk, w.other.pk]},
    ),
    Row("audit:log", HUB),
    Row("admin:index", allowed(Role.ADMIN)),
    Row("admin:members_organisation_changelist", allowed(Role.ADMIN)),
    Row("admin:audit_auditentry_changelist", allowed(Role.ADMIN)),
]

API: list[Row] = [
    Row("GET /api/v1/openapi.json", PUBLIC),
    Row("GET /api/v1/docs", PUBLIC),
    Row("GET /api/v1/me", SIGNED_IN),
    Row("GET /api/v1/organisations", SIGNED_IN),
    Row(
        "POST /api/v1/organisations",
        HUB,
        data=lambda w: {"name": "Rutland County Council", "org_type": "unitary"},
    ),
    Row(
        "GET /api/v1/organisations/{slug}",
        allowed(*ORG_ROLES, Role.COORDINATOR, Role.ADMIN),
        api_path=lambda w: f"/api/v1/organisations/{w.own.slug}",
    ),
    Row(
        "GET /api/v1/organisations/{slug}",
        HUB,
        api_path=lambda w: f"/api/v1/organisations/{w.other.slug}",
        note="another member's ranges and domains are private to it",
    ),
    Row(
        "PATCH /api/v1/organisations/{slug}",
        HUB,
        api_path=lambda w: f"/api/v1/organisations/{w.other.slug}",
        data=lambda w: {"population": 340000},
    ),
    Row(
        "POST /api/v1/organisations/{slug}/ranges",
        HUB,
        api_path=lambda w: f"/api/v1/organisations/{w.other.slug}/ranges",
        data=lambda w: {"cidr": "203.0.113.0/24"},
    ),
    Row(
        "POST /api/v1/organisations/{slug}/domains",
        HUB,
        api_path=lambda w: f"/api/v1/organisations/{w.other.slug}/domains",
        data=lambda w: {"domain": "notts.example.org"},
    ),
    Row("GET /api/v1/people", allowed(*ORG_ROLES, Role.COORDINATOR, Role.ADMIN)),
    Row("GET /api/v1/audit/entries", HUB),
    Row("GET /api/v1/sharing-groups", SIGNED_IN),
    Row("POST /api/v1/sharing-groups", HUB, data=lambda w: dict(GROUP)),
    Row(
        "PUT /api/v1/sharing-groups/{pk}",
        HUB,
        api_path=lambda w: f"/api/v1/sharing-groups/{_group_pk(w)[0]}",
        data=lambda w: dict(GROUP),
    ),
]

# Django admin has a URL per model and action; the rows above stand for all of
# them because admin access is one decision (the admin role).
COVERED_BY_FAMILY = ("admin:",)


def capability_rows() -> tuple[list[Row], list[Row]]:
    """The foundation's rows plus every capability's `matrix_rows` module."""
    pages, api = list(PAGES), list(API)
    for module in capability_row_modules():
        pages += getattr(module, "PAGES", [])
        api += getattr(module, "API", [])
    return pages, api


def capability_row_modules() -> list[Any]:
    import importlib
    from pathlib import Path

    here = Path(__file__).resolve().parent
    return [
        importlib.import_module(f"tests.hub.{path.parent.name}.matrix_rows")
        for path in sorted(here.glob("*/matrix_rows.py"))
    ]
