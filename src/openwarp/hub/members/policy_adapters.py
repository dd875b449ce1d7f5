"""Describing database objects in the plain terms the policy understands."""

from __future__ import annotations

from typing import Any

from openwarp.hub.members.backends import account_is_live
from openwarp.hub.members.policy import ANONYMOUS_VISITOR, Role, Viewer


def viewer_for(user: Any, *, read_only: bool = False) -> Viewer:
    """The policy's view of a user (or of an anonymous visitor)."""
    if user is None or not getattr(user, "is_authenticated", False) or not account_is_live(user):
        return ANONYMOUS_VISITOR
    organisation_id = user.organisation_id
    groups: frozenset[int] = frozenset()
    if organisation_id is not None:
        groups = frozenset(user.organisation.sharing_groups.values_list("id", flat=True))
    return Viewer(
        user_id=user.pk,
        role=Role(user.role),
        organisation_id=organisation_id,
        sharing_group_ids=groups,
        read_only=read_only,
    )


def member_viewer(organisation_id: int) -> Viewer:
    """Any ordinary member of this organisation, with its sharing groups: who
    an alert or notification addressed to the organisation may tell things to."""
    from openwarp.hub.members.models import SharingGroup

    groups = SharingGroup.objects.filter(organisations=organisation_id).values_list("id", flat=True)
    return Viewer(
        user_id=-1,
        role=Role.MEMBER,
        organisation_id=organisation_id,
        sharing_group_ids=frozenset(groups),
    )
