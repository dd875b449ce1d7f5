"""Who may change a report after writing it."""

from __future__ import annotations

from openwarp.hub.members.policy import Action, Role, Shareable, Viewer, may


def may_add_indicators(viewer: Viewer, item: Shareable) -> bool:
    """Its author, or a security lead of the publishing organisation, may add
    values to a report; nobody adds to a report another hub sent. Nor to an
    anonymous report once released: the coordinator reviewed what it says
    before anyone saw it, and later values would skip that review (a value
    can name its reporter as surely as a signature)."""
    if item.from_federation or not may(viewer, Action.WRITE_CONTENT):
        return False
    if item.anonymous and item.released:
        return False
    if viewer.user_id is not None and viewer.user_id == item.author_user_id:
        return True
    return (
        viewer.role == Role.SECURITY_LEAD and viewer.organisation_id == item.owner_organisation_id
    )
