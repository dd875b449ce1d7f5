"""Who may see and change incidents, their private logs and the regional figures.

- An incident belongs to one organisation. Its people (members, security
  leads, executives) and the people who run the hub see it; nobody at
  another member does, and the national analyst sees only aggregates.
- Members and security leads write their organisation's incidents;
  executives read them; the hub's coordinators read but do not write a
  member's record.
- The private log is the organisation's alone: not even coordinators read it.
- The anonymous channel: a post's reporter is known to its own organisation
  and the coordinators; the region sees published posts by category only;
  the national analyst sees escalated posts, also by category.
- Regional figures: the people who run the hub see exact counts (they can
  open every incident anyway); everyone else, the national analyst included,
  sees counts suppressed below k organisations per cell.
"""

from __future__ import annotations

from openwarp.hub.members.policy import ORGANISATION_ROLES, Action, Role, Viewer, may


def _own_people(viewer: Viewer, owner_organisation_id: int) -> bool:
    return (
        viewer.signed_in
        and viewer.role in ORGANISATION_ROLES
        and viewer.organisation_id == owner_organisation_id
    )


def may_view_incident(viewer: Viewer, *, owner_organisation_id: int) -> bool:
    return _own_people(viewer, owner_organisation_id) or (viewer.signed_in and viewer.runs_hub)


def may_write_incident(viewer: Viewer, *, owner_organisation_id: int) -> bool:
    """Record or change an incident: the organisation's writers only."""
    return _own_people(viewer, owner_organisation_id) and may(
        viewer, Action.WRITE_CONTENT, organisation_id=owner_organisation_id
    )


def may_record_incidents(viewer: Viewer) -> bool:
    """Whether to offer "Record an incident" at all."""
    return (
        viewer.organisation_id is not None
        and viewer.role in ORGANISATION_ROLES
        and may(viewer, Action.WRITE_CONTENT)
    )


def may_read_private_log(viewer: Viewer, *, owner_organisation_id: int) -> bool:
    return _own_people(viewer, owner_organisation_id)


def may_list_incidents(viewer: Viewer) -> bool:
    """The incident list: an organisation's people, or the hub's."""
    return viewer.signed_in and (
        (viewer.role in ORGANISATION_ROLES and viewer.organisation_id is not None)
        or viewer.runs_hub
    )


def may_post_anonymously(viewer: Viewer) -> bool:
    return may_record_incidents(viewer)


def may_see_post_reporter(viewer: Viewer, *, reporter_organisation_id: int) -> bool:
    return _own_people(viewer, reporter_organisation_id) or (viewer.signed_in and viewer.runs_hub)


def may_view_post(
    viewer: Viewer, *, reporter_organisation_id: int, published: bool, escalated: bool
) -> bool:
    if may_see_post_reporter(viewer, reporter_organisation_id=reporter_organisation_id):
        return True
    if viewer.role == Role.NATIONAL_ANALYST:
        return escalated
    return published and viewer.signed_in and viewer.organisation_id is not None


def may_view_regional_figures(viewer: Viewer) -> bool:
    return viewer.signed_in


def regional_figures_exact(viewer: Viewer) -> bool:
    """Unsuppressed counts for the people who run the hub; suppressed for all others."""
    return viewer.signed_in and viewer.runs_hub
