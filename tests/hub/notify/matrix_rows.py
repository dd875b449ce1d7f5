"""Permission-matrix rows for webhooks (see tests/hub/permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from openwarp.hub.members.policy import Role
from tests.hub.permission_matrix import ORG_ROLES, Row, allowed

LEADS = allowed(Role.SECURITY_LEAD)
LEADS_AND_HUB = allowed(Role.SECURITY_LEAD, Role.COORDINATOR, Role.ADMIN)
ORGANISATION_PEOPLE = allowed(*ORG_ROLES)


def _webhook(world: Any) -> Any:
    from openwarp.hub.notify.models import Webhook

    hook, _ = Webhook.objects.get_or_create(
        organisation=world.own,
        url="https://hooks.derby.example/openwarp",
        defaults={"secret": "whsec_matrix", "events": ["early_warning"]},
    )
    return hook.public_id


PAGES: list[Row] = [
    Row("notify:webhooks", LEADS_AND_HUB, args=lambda w: [w.own.slug]),
    Row(
        "notify:webhooks",
        LEADS,
        args=lambda w: [w.own.slug],
        method="POST",
        data=lambda w: {"url": "https://hooks.derby.example/new", "events": ["report"]},
    ),
    Row(
        "notify:webhooks",
        allowed(Role.COORDINATOR, Role.ADMIN),
        args=lambda w: [w.other.slug],
        note="another member's: the hub's people only",
    ),
    Row(
        "notify:webhook",
        LEADS,
        args=lambda w: [_webhook(w)],
        method="POST",
        data=lambda w: {"action": "test"},
    ),
    Row("notify:mail", ORGANISATION_PEOPLE, note="one's own e-mail choices"),
    Row(
        "notify:mail",
        ORGANISATION_PEOPLE,
        method="POST",
        data=lambda w: {"topics": ["daily_digest"]},
    ),
]

API: list[Row] = [
    Row("GET /api/v1/webhooks", LEADS_AND_HUB),
    Row(
        "POST /api/v1/webhooks",
        LEADS,
        data=lambda w: {"url": "https://hooks.derby.example/api", "events": ["early_warning"]},
    ),
    Row(
        "POST /api/v1/webhooks/{webhook_id}/test",
        LEADS,
        api_path=lambda w: f"/api/v1/webhooks/{_webhook(w)}/test",
    ),
    Row(
        "DELETE /api/v1/webhooks/{webhook_id}",
        LEADS_AND_HUB,
        api_path=lambda w: f"/api/v1/webhooks/{_webhook(w)}",
    ),
    Row("GET /api/v1/mail-choices", ORGANISATION_PEOPLE),
    Row(
        "PUT /api/v1/mail-choices",
        allowed(Role.MEMBER, Role.SECURITY_LEAD),
        data=lambda w: {"daily_digest": True},
        note="executives hold read tokens only: they choose on the page",
    ),
]
