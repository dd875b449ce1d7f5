"""The mutual-aid rules as pure functions: no database, every role."""

from __future__ import annotations

import pytest

from openwarp.hub.members.policy import Role, Viewer
from openwarp.hub.members.policy.mutualaid import (
    RequestFacts,
    may_answer_offer,
    may_coordinate,
    may_edit_request,
    may_edit_roster,
    may_log_time,
    may_read_roster,
    may_request_aid,
    may_see_offer,
    may_view_deployment,
    may_view_request,
)

OWN, OTHER, THIRD = 1, 2, 3


def viewer(role: Role, organisation: int | None = OWN, read_only: bool = False) -> Viewer:
    hub = role in (Role.COORDINATOR, Role.ADMIN, Role.NATIONAL_ANALYST)
    return Viewer(
        user_id=10, role=role, organisation_id=None if hub else organisation, read_only=read_only
    )


@pytest.mark.parametrize("role", [Role.MEMBER, Role.SECURITY_LEAD, Role.EXECUTIVE])
def test_members_never_read_another_organisations_roster(role: Role) -> None:
    assert may_read_roster(viewer(role), OWN)
    assert not may_read_roster(viewer(role), OTHER)
    assert not may_edit_roster(viewer(role), OTHER)


def test_only_the_security_lead_and_the_hub_edit_a_roster() -> None:
    editors = {role for role in Role if may_edit_roster(viewer(role), OWN)}
    assert editors == {Role.SECURITY_LEAD, Role.COORDINATOR, Role.ADMIN}
    assert not may_read_roster(viewer(Role.NATIONAL_ANALYST), OWN)
    assert not may_edit_roster(viewer(Role.SECURITY_LEAD, read_only=True), OWN)


def test_a_request_is_seen_by_the_requester_the_hub_and_orgs_offered_on_it() -> None:
    facts = RequestFacts(requester_id=OWN, lender_ids=frozenset({OTHER}))
    assert may_view_request(viewer(Role.MEMBER, OWN), facts)
    assert may_view_request(viewer(Role.EXECUTIVE, OTHER), facts)
    assert not may_view_request(viewer(Role.SECURITY_LEAD, THIRD), facts)
    assert may_view_request(viewer(Role.COORDINATOR), facts)
    assert not may_view_request(viewer(Role.NATIONAL_ANALYST), facts)


def test_a_lender_sees_the_request_but_cannot_edit_or_close_it() -> None:
    facts = RequestFacts(requester_id=OWN, lender_ids=frozenset({OTHER}))
    assert not may_edit_request(viewer(Role.SECURITY_LEAD, OTHER), facts)
    assert may_edit_request(viewer(Role.SECURITY_LEAD, OWN), facts)
    assert not may_edit_request(viewer(Role.MEMBER, OWN), facts)


def test_only_a_security_lead_asks_for_help_for_their_own_organisation() -> None:
    askers = {role for role in Role if may_request_aid(viewer(role), OWN)}
    assert askers == {Role.SECURITY_LEAD}
    assert not may_request_aid(viewer(Role.SECURITY_LEAD, OTHER), OWN)


def test_consent_comes_from_the_lender_alone_not_the_hub() -> None:
    answerers = {role for role in Role if may_answer_offer(viewer(role, OTHER), OTHER)}
    assert answerers == {Role.SECURITY_LEAD}
    assert not may_answer_offer(viewer(Role.SECURITY_LEAD, OWN), OTHER)
    assert may_coordinate(viewer(Role.COORDINATOR))
    assert not may_coordinate(viewer(Role.COORDINATOR, read_only=True))


def test_an_offer_naming_a_person_stays_with_the_lender_and_the_hub() -> None:
    assert may_see_offer(viewer(Role.EXECUTIVE, OTHER), OTHER)
    assert not may_see_offer(viewer(Role.SECURITY_LEAD, OWN), OTHER)
    assert may_see_offer(viewer(Role.ADMIN), OTHER)


def test_both_sides_see_a_deployment_and_the_lender_logs_its_time() -> None:
    for org in (OWN, OTHER):
        assert may_view_deployment(viewer(Role.MEMBER, org), requester_id=OWN, lender_id=OTHER)
    assert not may_view_deployment(viewer(Role.MEMBER, THIRD), requester_id=OWN, lender_id=OTHER)
    assert may_log_time(viewer(Role.MEMBER, OTHER), lender_id=OTHER)
    assert not may_log_time(viewer(Role.SECURITY_LEAD, OWN), lender_id=OTHER)
    assert not may_log_time(viewer(Role.EXECUTIVE, OTHER), lender_id=OTHER)
