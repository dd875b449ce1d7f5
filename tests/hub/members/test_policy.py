"""The access policy as pure functions: no database needed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from openwarp.core.tlp import TLP
from openwarp.hub.members.policy import (
    ANONYMOUS_VISITOR,
    Action,
    Distribution,
    OrganisationCategory,
    Role,
    Shareable,
    Viewer,
    may,
    may_federate,
    may_see_author,
    may_set_role,
    may_view,
    suppress_small_cells,
)

OWNER_ORG, OTHER_ORG, GROUP = 1, 2, 7
author = Viewer(user_id=10, role=Role.SECURITY_LEAD, organisation_id=OWNER_ORG)
colleague = Viewer(user_id=11, role=Role.MEMBER, organisation_id=OWNER_ORG)
outsider = Viewer(user_id=20, role=Role.SECURITY_LEAD, organisation_id=OTHER_ORG)
grouped = Viewer(
    user_id=21, role=Role.MEMBER, organisation_id=OTHER_ORG, sharing_group_ids=frozenset({GROUP})
)
coordinator = Viewer(user_id=30, role=Role.COORDINATOR, organisation_id=99)
analyst = Viewer(user_id=40, role=Role.NATIONAL_ANALYST)


def item(**changes: object) -> Shareable:
    base: dict[str, object] = dict(
        owner_organisation_id=OWNER_ORG,
        author_user_id=10,
        tlp=TLP.GREEN,
        distribution=Distribution.REGION,
    )
    base.update(changes)
    return Shareable(**base)  # type: ignore[arg-type]


def test_region_green_reaches_every_member_but_not_the_public() -> None:
    report = item()
    assert all(may_view(v, report) for v in (author, colleague, outsider, coordinator))
    assert not may_view(ANONYMOUS_VISITOR, report)


def test_clear_for_the_region_is_public() -> None:
    assert may_view(ANONYMOUS_VISITOR, item(tlp=TLP.CLEAR))
    assert not may_view(
        ANONYMOUS_VISITOR, item(tlp=TLP.CLEAR, distribution=Distribution.ORGANISATION)
    )


def test_red_goes_to_named_people_only_even_past_coordinators_and_colleagues() -> None:
    report = item(tlp=TLP.RED, named_user_ids=frozenset({20}))
    assert may_view(author, report) and may_view(outsider, report)
    assert not may_view(colleague, report)
    assert not may_view(coordinator, report)
    assert not may_view(grouped, report)


def test_sharing_group_distribution_reaches_group_members_only() -> None:
    report = item(distribution=Distribution.SHARING_GROUP, sharing_group_id=GROUP)
    assert may_view(grouped, report) and may_view(colleague, report)
    assert not may_view(outsider, report)


def test_own_organisation_distribution_stays_inside() -> None:
    report = item(distribution=Distribution.ORGANISATION)
    assert may_view(colleague, report)
    assert not may_view(outsider, report) and not may_view(coordinator, report)


def test_only_clear_and_green_for_all_hubs_federate_and_never_echo_back() -> None:
    assert may_federate(item(distribution=Distribution.FEDERATION))
    assert not may_federate(item(distribution=Distribution.REGION))
    assert not may_federate(item(distribution=Distribution.FEDERATION, tlp=TLP.AMBER))
    assert not may_federate(item(distribution=Distribution.FEDERATION, from_federation=True))
    assert may_view(analyst, item(distribution=Distribution.FEDERATION))
    assert not may_view(analyst, item())


def test_anonymous_reports_wait_for_the_coordinator_and_hide_the_author() -> None:
    held = item(anonymous=True, released=False)
    assert may_view(coordinator, held) and may_view(colleague, held)
    assert not may_view(outsider, held)
    released = item(anonymous=True, released=True)
    assert may_view(outsider, released)
    assert not may_see_author(outsider, released)
    assert may_see_author(coordinator, released) and may_see_author(colleague, released)
    assert not may_see_author(analyst, item(anonymous=True, distribution=Distribution.FEDERATION))


def test_category_describes_without_naming() -> None:
    category = OrganisationCategory("District council", "the East Midlands")
    assert category.describe() == "a district council in the East Midlands"
    assert OrganisationCategory("Integrated care board", "London").describe().startswith("an ")
    assert OrganisationCategory("Unitary authority", "the North East").describe() == (
        "a unitary authority in the North East"
    )


def test_organisation_roles_act_on_their_own_organisation_only() -> None:
    assert may(author, Action.MANAGE_COLLEAGUES, organisation_id=OWNER_ORG)
    assert not may(author, Action.MANAGE_COLLEAGUES, organisation_id=OTHER_ORG)
    assert not may(colleague, Action.MANAGE_COLLEAGUES, organisation_id=OWNER_ORG)
    assert may(coordinator, Action.MANAGE_NETWORKS, organisation_id=OTHER_ORG)
    assert not may(author, Action.MANAGE_NETWORKS, organisation_id=OWNER_ORG)
    assert not may(ANONYMOUS_VISITOR, Action.VIEW_OWN_ORGANISATION)


def test_executives_and_read_only_tokens_never_write() -> None:
    executive = Viewer(user_id=50, role=Role.EXECUTIVE, organisation_id=OWNER_ORG)
    assert may(executive, Action.VIEW_BOARD_REPORT)
    assert not any(
        may(executive, action)
        for action in (Action.WRITE_CONTENT, Action.CREATE_WRITE_TOKEN, Action.MANAGE_COLLEAGUES)
    )
    read_only_coordinator = Viewer(
        user_id=30, role=Role.COORDINATOR, organisation_id=99, read_only=True
    )
    assert may(read_only_coordinator, Action.VIEW_REGION)
    assert not may(read_only_coordinator, Action.MANAGE_ORGANISATIONS)


def test_role_changes_cannot_climb_above_the_giver() -> None:
    assert may_set_role(author, Role.EXECUTIVE, organisation_id=OWNER_ORG)
    assert not may_set_role(author, Role.COORDINATOR, organisation_id=OWNER_ORG)
    assert not may_set_role(author, Role.MEMBER, organisation_id=OTHER_ORG)
    assert may_set_role(coordinator, Role.COORDINATOR, organisation_id=None)
    assert not may_set_role(coordinator, Role.ADMIN, organisation_id=None)
    admin = Viewer(user_id=60, role=Role.ADMIN, organisation_id=99)
    assert may_set_role(admin, Role.ADMIN, organisation_id=None)


def test_small_cells_are_suppressed_with_a_complementary_cell() -> None:
    table = suppress_small_cells(
        {"county": 40, "district": 12, "unitary": 30}, {"county": 4, "district": 7, "unitary": 9}
    )
    assert table.cells["county"] is None
    # With only one hidden cell a total would give it away: the next smallest goes too.
    assert table.cells["district"] is None and table.cells["unitary"] == 30
    clear = suppress_small_cells({"county": 40, "district": 12}, {"county": 5, "district": 30})
    assert clear.cells == {"county": 40, "district": 12}


viewers = st.builds(
    Viewer,
    user_id=st.one_of(st.none(), st.integers(1, 30)),
    role=st.one_of(st.none(), st.sampled_from(Role)),
    organisation_id=st.one_of(st.none(), st.integers(1, 4)),
    sharing_group_ids=st.frozensets(st.integers(1, 3), max_size=2),
    read_only=st.booleans(),
)
items = st.builds(
    Shareable,
    owner_organisation_id=st.integers(1, 4),
    author_user_id=st.one_of(st.none(), st.integers(1, 30)),
    tlp=st.sampled_from(TLP),
    distribution=st.sampled_from(Distribution),
    sharing_group_id=st.one_of(st.none(), st.integers(1, 3)),
    named_user_ids=st.frozensets(st.integers(1, 30), max_size=3),
    anonymous=st.booleans(),
    released=st.booleans(),
    from_federation=st.booleans(),
)


@given(viewers, items)
def test_red_is_never_seen_by_anyone_unnamed(viewer: Viewer, report: Shareable) -> None:
    if report.tlp == TLP.RED and may_view(viewer, report):
        assert viewer.user_id in report.named_user_ids | {report.author_user_id}


@given(viewers, items)
def test_knowing_the_author_implies_seeing_the_item(viewer: Viewer, report: Shareable) -> None:
    if may_see_author(viewer, report):
        assert may_view(viewer, report)


@given(viewers, items)
def test_anonymous_authors_are_hidden_from_other_organisations(
    viewer: Viewer, report: Shareable
) -> None:
    if report.anonymous and may_see_author(viewer, report):
        assert (
            viewer.runs_hub
            or viewer.user_id == report.author_user_id
            or (viewer.organisation_id == report.owner_organisation_id)
        )


@given(viewers, items, st.sampled_from([level for level in TLP if level != TLP.RED]))
def test_a_stricter_marking_never_widens_the_audience(
    viewer: Viewer, report: Shareable, stricter: TLP
) -> None:
    # RED is left out: its named recipients may sit outside the distribution.
    if stricter.rank >= report.tlp.rank and may_view(viewer, item_with(report, stricter)):
        assert may_view(viewer, report)


@given(viewers, items)
def test_held_items_are_seen_only_by_their_authors_side_and_the_hub(
    viewer: Viewer, report: Shareable
) -> None:
    if not report.released and may_view(viewer, report):
        assert (
            viewer.runs_hub
            or viewer.user_id == report.author_user_id
            or (
                viewer.organisation_id == report.owner_organisation_id
                and viewer.role != Role.NATIONAL_ANALYST
            )
        )


def item_with(report: Shareable, tlp: TLP) -> Shareable:
    from dataclasses import replace

    return replace(report, tlp=tlp)
