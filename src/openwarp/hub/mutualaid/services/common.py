"""Checks the mutual-aid services share."""

from __future__ import annotations

from openwarp.core.errors import InvalidInput, PermissionDenied
from openwarp.hub.members.models import User
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.mutualaid.models import MAX_LEVEL, SKILL_LABELS


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def viewer_of(actor: User, viewer: Viewer | None) -> Viewer:
    """The caller's viewer when it has one (an API token's scope), else the actor's."""
    return viewer if viewer is not None else viewer_for(actor)


def check_skill(skill: str, level: int, *, field: str) -> None:
    if skill not in SKILL_LABELS:
        raise InvalidInput(
            f"unknown skill {skill!r}; use one of: {', '.join(SKILL_LABELS)}", field=field
        )
    if not 1 <= level <= MAX_LEVEL:
        raise InvalidInput(f"a level is from 1 to {MAX_LEVEL}, not {level}", field=field)


def check_location(latitude: float, longitude: float) -> None:
    if not -90 <= latitude <= 90:
        raise InvalidInput("latitude must be between -90 and 90", field="latitude")
    if not -180 <= longitude <= 180:
        raise InvalidInput("longitude must be between -180 and 180", field="longitude")
