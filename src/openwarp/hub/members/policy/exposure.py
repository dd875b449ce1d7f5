"""Who may see and change inventories, exposure warnings and the regional view.

An inventory says what a member runs, and a warning says where it is weak:
both are private to the organisation (and the people who run the hub). Other
members never learn which member is exposed; the regional view shows counts,
in full to coordinators and with small cells suppressed to everyone else who
may see it.
"""

from __future__ import annotations

from enum import StrEnum

from openwarp.hub.members.policy import Action, Role, Viewer, may

# Roles of a member organisation who change its inventory and warning statuses.
_EDITORS = frozenset({Role.MEMBER, Role.SECURITY_LEAD})


class RegionalDetail(StrEnum):
    FULL = "full"
    SUPPRESSED = "suppressed"


def may_view_inventory(viewer: Viewer, organisation_id: int) -> bool:
    """The organisation's own people and the hub's coordinators and admins."""
    if not viewer.signed_in:
        return False
    if viewer.runs_hub:
        return True
    return viewer.role in (_EDITORS | {Role.EXECUTIVE}) and (
        viewer.organisation_id == organisation_id
    )


def may_edit_inventory(viewer: Viewer, organisation_id: int) -> bool:
    """Members and security leads of the organisation, and the hub; never executives
    (the board view is read-only) nor a read-only token."""
    if not may_view_inventory(viewer, organisation_id):
        return False
    if not (viewer.runs_hub or viewer.role in _EDITORS):
        return False
    return may(viewer, Action.WRITE_CONTENT, organisation_id=organisation_id)


def may_view_warnings(viewer: Viewer, organisation_id: int) -> bool:
    """Warnings reveal weaknesses: the same people as the inventory."""
    return may_view_inventory(viewer, organisation_id)


def may_set_warning_status(viewer: Viewer, organisation_id: int) -> bool:
    return may_edit_inventory(viewer, organisation_id)


def may_load_vulnerability_data(viewer: Viewer) -> bool:
    """Feeds change every member's warnings: coordinators and admins only."""
    return viewer.runs_hub and may(viewer, Action.WRITE_CONTENT)


def may_write_advisory(viewer: Viewer) -> bool:
    return may_load_vulnerability_data(viewer)


def may_read_advisories(viewer: Viewer) -> bool:
    """Advice is written for the members; anyone signed in on the hub reads it."""
    return viewer.signed_in and (viewer.organisation_id is not None or viewer.runs_hub)


def regional_detail(viewer: Viewer) -> RegionalDetail | None:
    """Coordinators see full counts; executives and national analysts see only
    suppressed aggregates; other members do not see the regional view."""
    if not viewer.signed_in:
        return None
    if viewer.runs_hub:
        return RegionalDetail.FULL
    if viewer.role in (Role.EXECUTIVE, Role.NATIONAL_ANALYST):
        return RegionalDetail.SUPPRESSED
    return None


def warning_organisations_filter(viewer: Viewer) -> int | bool | None:
    """The organisation whose warnings a list may show: its id, None for every
    organisation (the hub), or False for none."""
    if not viewer.signed_in:
        return False
    if viewer.runs_hub:
        return None
    if viewer.organisation_id is None or viewer.role not in (_EDITORS | {Role.EXECUTIVE}):
        return False
    return viewer.organisation_id
