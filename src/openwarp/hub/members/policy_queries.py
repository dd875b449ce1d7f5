"""The access policy in database form, for selectors that list many items.

`visible_q` states `policy.may_view` as a Django Q over any model that carries
the shareable fields; tests check the two agree item by item, so the rules are
still decided in one place (`policy`) and only translated here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from openwarp.core.tlp import TLP
from openwarp.hub.members.policy import Distribution, Role, Viewer


@dataclass(frozen=True)
class ShareableFields:
    """Where a model keeps what `policy.Shareable` describes."""

    released: Q
    named_user: str = "named_recipients"
    tlp: str = "tlp"
    distribution: str = "distribution"
    sharing_group: str = "sharing_group_id"
    owner: str = "owner_organisation_id"
    author: str = "author_id"
    from_federation: str = "from_federation"


def _is(field: str, value: object) -> Q:
    return Q(**{field: value})


def _in(field: str, values: object) -> Q:
    return Q(**{f"{field}__in": values})


def public_q(f: ShareableFields) -> Q:
    return (
        _is(f.tlp, TLP.CLEAR)
        & f.released
        & _in(f.distribution, [Distribution.REGION, Distribution.FEDERATION])
    )


def all_hubs_q(f: ShareableFields) -> Q:
    return (
        _is(f.distribution, Distribution.FEDERATION)
        & _in(f.tlp, [TLP.CLEAR, TLP.GREEN])
        & f.released
    )


def federable_q(f: ShareableFields) -> Q:
    return all_hubs_q(f) & _is(f.from_federation, False)


def _reaches_q(viewer: Viewer, f: ShareableFields) -> Q:
    reach = _is(f.distribution, Distribution.FEDERATION)
    if viewer.sharing_group_ids:
        reach |= _is(f.distribution, Distribution.SHARING_GROUP) & _in(
            f.sharing_group, sorted(viewer.sharing_group_ids)
        )
    if viewer.organisation_id is not None or viewer.runs_hub:
        reach |= _is(f.distribution, Distribution.REGION)
    return reach


def _red_q(viewer: Viewer, f: ShareableFields) -> Q:
    if viewer.user_id is None:
        return Q(pk__in=[])
    return _is(f.author, viewer.user_id) | (f.released & _is(f.named_user, viewer.user_id))


def _not_red_q(viewer: Viewer, f: ShareableFields) -> Q:
    if not viewer.signed_in:
        return public_q(f)
    if viewer.role == Role.NATIONAL_ANALYST:
        return all_hubs_q(f)
    owner_side = _is(f.author, viewer.user_id)
    if viewer.organisation_id is not None:
        owner_side |= _is(f.owner, viewer.organisation_id)
    held = ~f.released
    if viewer.runs_hub:
        held_seen = held & ~_is(f.distribution, Distribution.ORGANISATION)
    else:
        held_seen = Q(pk__in=[])
    return owner_side | held_seen | (f.released & _reaches_q(viewer, f))


def visible_q(viewer: Viewer, fields: ShareableFields) -> Q:
    """Items `viewer` may see; use with `.filter(...).distinct()` (RED joins names)."""
    if viewer.peer_hub:
        return federable_q(fields)
    return (_is(fields.tlp, TLP.RED) & _red_q(viewer, fields)) | (
        ~_is(fields.tlp, TLP.RED) & _not_red_q(viewer, fields)
    )
