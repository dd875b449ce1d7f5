"""The incident rules as pure functions, role by role (no database)."""

from __future__ import annotations

import pytest

from openwarp.hub.members.policy import Role, Viewer
from openwarp.hub.members.policy import incidents as rules

OWN, OTHER, WARP = 1, 2, 3


def viewer(role: Role, organisation: int | None = OWN, read_only: bool = False) -> Viewer:
    if role in (Role.COORDINATOR, Role.ADMIN):
        organisation = WARP
    if role == Role.NATIONAL_ANALYST:
        organisation = None
    return Viewer(user_id=10, role=role, organisation_id=organisation, read_only=read_only)


@pytest.mark.parametrize(
    ("role", "sees", "writes", "reads_log"),
    [
        (Role.MEMBER, True, True, True),
        (Role.SECURITY_LEAD, True, True, True),
        (Role.EXECUTIVE, True, False, True),
        (Role.COORDINATOR, True, False, False),
        (Role.ADMIN, True, False, False),
        (Role.NATIONAL_ANALYST, False, False, False),
    ],
)
def test_who_sees_writes_and_reads_the_log_of_an_incident(
    role: Role, sees: bool, writes: bool, reads_log: bool
) -> None:
    who = viewer(role)
    assert rules.may_view_incident(who, owner_organisation_id=OWN) is sees
    assert rules.may_write_incident(who, owner_organisation_id=OWN) is writes
    assert rules.may_read_private_log(who, owner_organisation_id=OWN) is reads_log


@pytest.mark.parametrize("role", [Role.MEMBER, Role.SECURITY_LEAD, Role.EXECUTIVE])
def test_another_members_people_see_nothing_of_the_incident(role: Role) -> None:
    stranger = viewer(role, organisation=OTHER)
    assert not rules.may_view_incident(stranger, owner_organisation_id=OWN)
    assert not rules.may_write_incident(stranger, owner_organisation_id=OWN)
    assert not rules.may_read_private_log(stranger, owner_organisation_id=OWN)


def test_a_read_only_token_never_writes() -> None:
    assert not rules.may_write_incident(
        viewer(Role.SECURITY_LEAD, read_only=True), owner_organisation_id=OWN
    )


def test_the_reporter_of_a_post_is_known_only_to_its_organisation_and_the_hub() -> None:
    for role, knows in [
        (Role.MEMBER, False),
        (Role.EXECUTIVE, False),
        (Role.NATIONAL_ANALYST, False),
        (Role.COORDINATOR, True),
        (Role.ADMIN, True),
    ]:
        who = viewer(role, organisation=OTHER)
        assert rules.may_see_post_reporter(who, reporter_organisation_id=OWN) is knows
    assert rules.may_see_post_reporter(viewer(Role.MEMBER), reporter_organisation_id=OWN)


def test_posts_reach_the_region_when_published_and_the_analyst_when_escalated() -> None:
    member = viewer(Role.MEMBER, organisation=OTHER)
    analyst = viewer(Role.NATIONAL_ANALYST)
    held = dict(reporter_organisation_id=OWN, published=False, escalated=False)
    published = dict(held, published=True)
    escalated = dict(published, escalated=True)
    assert not rules.may_view_post(member, **held)
    assert rules.may_view_post(member, **published)
    assert not rules.may_view_post(analyst, **published)
    assert rules.may_view_post(analyst, **escalated)


def test_only_the_hub_sees_unsuppressed_figures() -> None:
    assert rules.regional_figures_exact(viewer(Role.COORDINATOR))
    assert not rules.regional_figures_exact(viewer(Role.NATIONAL_ANALYST))
    assert not rules.regional_figures_exact(viewer(Role.SECURITY_LEAD))
    assert rules.may_view_regional_figures(viewer(Role.MEMBER))
