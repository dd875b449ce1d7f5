"""Who manages an organisation's webhooks: its own security leads."""

from __future__ import annotations

from openwarp.hub.members.policy import Role, Viewer


def may_manage_webhooks(viewer: Viewer, organisation_id: int) -> bool:
    return viewer.role == Role.SECURITY_LEAD and viewer.organisation_id == organisation_id


def may_see_webhooks(viewer: Viewer, organisation_id: int) -> bool:
    """Leads manage them; the hub's people may look (to help, and to stop abuse)."""
    return may_manage_webhooks(viewer, organisation_id) or viewer.runs_hub
