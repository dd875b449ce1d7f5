"""Describing database objects in the plain terms the policy understands."""

from __future__ import annotations

from typing import Any

from django.db import connection

from openwarp.hub.members.backends import account_is_live
from openwarp.hub.members.policy import ANONYMOUS_VISITOR, Role, Viewer


def viewer_for(user: Any, *, read_only: bool = False) -> Viewer:
    """The policy's view of a user (or of an anonymous visitor)."""
    if user is None or not getattr(user, "is_authenticated", False) or not account_is_live(user):
        return ANONYMOUS_VISITOR
    organisation_id = user.organisation_id
    return Viewer(
        user_id=user.pk,
        role=Role(user.role),
        organisation_id=organisation_id,
        sharing_group_ids=_group_ids(organisation_id) if organisation_id else frozenset(),
        read_only=read_only,
    )


def _group_ids(organisation_id: int) -> frozenset[int]:
    """The sharing groups an organisation is in, straight from the link table
    (asked on every request; the ORM's join costs more to build than to run)."""
    from openwarp.hub.members.models import SharingGroup

    link = SharingGroup.organisations.through._meta  # Django's own link table
    quote = connection.ops.quote_name
    group, member = (quote(f"{name}_id") for name in ("sharinggroup", "organisation"))
    # Only names from the models are formatted in; the value is a parameter.
    sql = f"SELECT {group} FROM {quote(link.db_table)} WHERE {member} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation_id])
        return frozenset(row[0] for row in cursor.fetchall())


def member_viewer(organisation_id: int) -> Viewer:
    """Any ordinary member of this organisation, with its sharing groups: who
    an alert or notification addressed to the organisation may tell things to."""
    return Viewer(
        user_id=-1,
        role=Role.MEMBER,
        organisation_id=organisation_id,
        sharing_group_ids=_group_ids(organisation_id),
    )
