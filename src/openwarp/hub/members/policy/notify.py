"""Who manages an organisation's webhooks (its own security leads), and who
chooses which of its e-mails to receive."""

from __future__ import annotations

from openwarp.hub.members.policy import ORGANISATION_ROLES, Role, Viewer


def may_manage_webhooks(viewer: Viewer, organisation_id: int) -> bool:
    return viewer.role == Role.SECURITY_LEAD and viewer.organisation_id == organisation_id


def may_see_webhooks(viewer: Viewer, organisation_id: int) -> bool:
    """Leads manage them; the hub's people may look (to help, and to stop abuse)."""
    return may_manage_webhooks(viewer, organisation_id) or viewer.runs_hub


def may_choose_mail(viewer: Viewer) -> bool:
    """People of a member organisation choose their own e-mails (the hub's
    staff get none of an organisation's)."""
    return viewer.organisation_id is not None and viewer.role in ORGANISATION_ROLES
