"""The one place that decides who may see and do what.

Every selector, API endpoint, export, TAXII collection and e-mail asks these
functions; none decides access on its own. They are pure: they take plain
descriptions of the viewer and the object (built by `policy_adapters`) and
answer, so each rule is testable without a database and a permission matrix
can walk them exhaustively.

Rules in brief (DESIGN.md section 3):
- Distribution says which organisations on this hub receive an item: the
  owner only, a sharing group, the whole region, or every federated hub.
- TLP 2.0 narrows that further: RED goes to named people only (who may work
  anywhere, so RED is the one marking that ignores distribution); AMBER and
  AMBER+STRICT never leave this hub; only CLEAR and GREEN federate.
- Anonymous items show a category ("a district council in the East
  Midlands") to everyone but the author's organisation and the hub's
  coordinators, and are held until a coordinator releases them.
- Aggregates by organisation type are suppressed below k organisations.

This package's `__init__` holds the rules every capability shares; a
capability whose objects need rules of their own (incidents, inventories,
mutual aid, ...) keeps them beside it as `policy/<capability>.py`, built on
the `Viewer`, roles and actions defined here, so the policy stays one place.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from openwarp.core.tlp import TLP

K_ANONYMITY = 5


class Role(StrEnum):
    MEMBER = "member"
    SECURITY_LEAD = "security_lead"
    EXECUTIVE = "executive"
    COORDINATOR = "coordinator"
    NATIONAL_ANALYST = "national_analyst"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.MEMBER: "Member",
    Role.SECURITY_LEAD: "Security lead",
    Role.EXECUTIVE: "Executive (board view)",
    Role.COORDINATOR: "Regional coordinator",
    Role.NATIONAL_ANALYST: "National analyst",
    Role.ADMIN: "Hub admin",
}

# Roles whose members belong to a member organisation and act for it.
ORGANISATION_ROLES = frozenset({Role.MEMBER, Role.SECURITY_LEAD, Role.EXECUTIVE})
# Roles that run the hub and see across organisations.
HUB_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})
# A stolen password alone must not open these accounts.
TOTP_REQUIRED_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})


class Action(StrEnum):
    """Things a signed-in person may try to do, checked by `may`."""

    VIEW_OWN_ORGANISATION = "view_own_organisation"
    VIEW_BOARD_REPORT = "view_board_report"
    MANAGE_COLLEAGUES = "manage_colleagues"
    MANAGE_ORGANISATIONS = "manage_organisations"
    MANAGE_NETWORKS = "manage_networks"
    VIEW_REGION = "view_region"
    VIEW_AUDIT_LOG = "view_audit_log"
    USE_DJANGO_ADMIN = "use_django_admin"
    CREATE_READ_TOKEN = "create_read_token"
    CREATE_WRITE_TOKEN = "create_write_token"
    WRITE_CONTENT = "write_content"
    REVIEW_ANONYMOUS = "review_anonymous"
    # Add reports received from another hub (a TAXII push into the federation inbox).
    FEDERATE = "federate"


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.MEMBER: frozenset(
        {
            Action.VIEW_OWN_ORGANISATION,
            Action.CREATE_READ_TOKEN,
            Action.WRITE_CONTENT,
            Action.CREATE_WRITE_TOKEN,
        }
    ),
    Role.SECURITY_LEAD: frozenset(
        {
            Action.VIEW_OWN_ORGANISATION,
            Action.VIEW_BOARD_REPORT,
            Action.MANAGE_COLLEAGUES,
            Action.CREATE_READ_TOKEN,
            Action.CREATE_WRITE_TOKEN,
            Action.WRITE_CONTENT,
        }
    ),
    # The board view is read-only by design: executives change nothing.
    Role.EXECUTIVE: frozenset(
        {Action.VIEW_OWN_ORGANISATION, Action.VIEW_BOARD_REPORT, Action.CREATE_READ_TOKEN}
    ),
    Role.COORDINATOR: frozenset(
        {
            Action.MANAGE_ORGANISATIONS,
            Action.MANAGE_NETWORKS,
            Action.MANAGE_COLLEAGUES,
            Action.VIEW_REGION,
            Action.VIEW_AUDIT_LOG,
            Action.REVIEW_ANONYMOUS,
            Action.CREATE_READ_TOKEN,
            Action.CREATE_WRITE_TOKEN,
            Action.WRITE_CONTENT,
            Action.FEDERATE,
        }
    ),
    Role.NATIONAL_ANALYST: frozenset({Action.VIEW_REGION, Action.CREATE_READ_TOKEN}),
    Role.ADMIN: frozenset(
        {
            Action.MANAGE_ORGANISATIONS,
            Action.MANAGE_NETWORKS,
            Action.MANAGE_COLLEAGUES,
            Action.VIEW_REGION,
            Action.VIEW_AUDIT_LOG,
            Action.REVIEW_ANONYMOUS,
            Action.USE_DJANGO_ADMIN,
            Action.CREATE_READ_TOKEN,
            Action.CREATE_WRITE_TOKEN,
            Action.WRITE_CONTENT,
            Action.FEDERATE,
        }
    ),
}


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is asking. `None` fields mean "not signed in" or "no organisation"."""

    user_id: int | None
    role: Role | None
    organisation_id: int | None = None
    sharing_group_ids: frozenset[int] = frozenset()
    # A token's scope narrows what its holder may do through the API.
    read_only: bool = False
    # Another hub reading this one (`policy.taxii.FEDERATION_PEER`): it gets
    # exactly what may federate, never what came from a third hub.
    peer_hub: bool = False

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None and self.role is not None

    @property
    def runs_hub(self) -> bool:
        return self.role in HUB_ROLES


ANONYMOUS_VISITOR = Viewer(user_id=None, role=None)

WRITE_ACTIONS = frozenset(
    {
        Action.MANAGE_COLLEAGUES,
        Action.MANAGE_ORGANISATIONS,
        Action.MANAGE_NETWORKS,
        Action.CREATE_WRITE_TOKEN,
        Action.WRITE_CONTENT,
        Action.REVIEW_ANONYMOUS,
        Action.FEDERATE,
    }
)


def may(viewer: Viewer, action: Action, *, organisation_id: int | None = None) -> bool:
    """Role-based permission, scoped to an organisation where one is given.

    Organisation roles act only on their own organisation; hub roles act on
    any. A read-only token never writes, whatever its holder's role.
    """
    if not viewer.signed_in or viewer.role is None:
        return False
    if viewer.read_only and action in WRITE_ACTIONS:
        return False
    if action not in ROLE_ACTIONS[viewer.role]:
        return False
    if organisation_id is None or viewer.runs_hub:
        return True
    return viewer.organisation_id == organisation_id


def may_see_organisation_details(viewer: Viewer, organisation_id: int) -> bool:
    """Registered ranges, domains and people are private to the organisation.

    Every member sees the directory (names and types); the details are for
    the organisation itself and the people who run the hub.
    """
    if not viewer.signed_in:
        return False
    return viewer.runs_hub or viewer.organisation_id == organisation_id


def may_see_sharing_group(viewer: Viewer, group_id: int) -> bool:
    """Who shares with whom is known to the group's members and the hub's coordinators."""
    return viewer.signed_in and (viewer.runs_hub or group_id in viewer.sharing_group_ids)


def may_set_role(viewer: Viewer, role: Role, *, organisation_id: int | None) -> bool:
    """Security leads manage their colleagues but cannot mint hub roles."""
    if not may(viewer, Action.MANAGE_COLLEAGUES, organisation_id=organisation_id):
        return False
    if viewer.runs_hub:
        return viewer.role == Role.ADMIN or role != Role.ADMIN
    return role in ORGANISATION_ROLES and organisation_id is not None


class Distribution(StrEnum):
    ORGANISATION = "organisation"
    SHARING_GROUP = "sharing_group"
    REGION = "region"
    FEDERATION = "federation"


@dataclass(frozen=True, slots=True)
class Shareable:
    """What the policy needs to know about any shared item."""

    owner_organisation_id: int
    author_user_id: int | None
    tlp: TLP
    distribution: Distribution
    sharing_group_id: int | None = None
    named_user_ids: frozenset[int] = frozenset()
    anonymous: bool = False
    released: bool = True
    from_federation: bool = False


def _is_owner_side(viewer: Viewer, item: Shareable) -> bool:
    return viewer.user_id == item.author_user_id or (
        viewer.organisation_id is not None and viewer.organisation_id == item.owner_organisation_id
    )


def _distribution_reaches(viewer: Viewer, item: Shareable) -> bool:
    match item.distribution:
        case Distribution.ORGANISATION:
            return False
        case Distribution.SHARING_GROUP:
            return item.sharing_group_id in viewer.sharing_group_ids
        case Distribution.REGION:
            return viewer.organisation_id is not None or viewer.runs_hub
        case Distribution.FEDERATION:
            return True
    return False


def may_view(viewer: Viewer, item: Shareable) -> bool:
    """Whether `viewer` may see `item` at all."""
    if viewer.peer_hub:
        return may_federate(item)
    if item.tlp == TLP.RED:
        # Named people only, wherever they work; nobody else, not even the hub.
        if viewer.user_id is None or viewer.user_id == item.author_user_id:
            return viewer.user_id is not None
        return item.released and viewer.user_id in item.named_user_ids
    if not viewer.signed_in:
        return is_public(item)
    if viewer.role != Role.NATIONAL_ANALYST and _is_owner_side(viewer, item):
        return True
    if not item.released:
        # Held for review: only the coordinators who must decide see it.
        return viewer.runs_hub and item.distribution != Distribution.ORGANISATION
    if viewer.role == Role.NATIONAL_ANALYST:
        return reaches_all_hubs(item)
    return _distribution_reaches(viewer, item)


def is_public(item: Shareable) -> bool:
    """CLEAR items released to the whole region may appear on public pages."""
    return (
        item.tlp == TLP.CLEAR
        and item.released
        and item.distribution in (Distribution.REGION, Distribution.FEDERATION)
    )


def reaches_all_hubs(item: Shareable) -> bool:
    """CLEAR and GREEN items marked for all hubs: what a national analyst
    reads, whichever hub wrote them."""
    return (
        item.distribution == Distribution.FEDERATION
        and item.tlp in (TLP.CLEAR, TLP.GREEN)
        and item.released
    )


def may_federate(item: Shareable) -> bool:
    """Only CLEAR and GREEN items marked for all hubs cross to another hub.

    Items that came from another hub are not sent on, so two hubs that
    federate both ways never echo each other's items.
    """
    return reaches_all_hubs(item) and not item.from_federation


def may_see_author(viewer: Viewer, item: Shareable) -> bool:
    """Whether the viewer may learn which organisation published the item."""
    if not may_view(viewer, item):
        return False
    if not item.anonymous:
        return True
    if not viewer.signed_in or viewer.role == Role.NATIONAL_ANALYST or viewer.peer_hub:
        return False
    return viewer.runs_hub or _is_owner_side(viewer, item)


@dataclass(frozen=True, slots=True)
class OrganisationCategory:
    """How an anonymous publisher is described: type and region only."""

    type_label: str
    region_name: str

    def describe(self) -> str:
        word = self.type_label.lower()
        # "an" before a vowel sound: not "uni-" or "eu-", which sound like "you".
        vowel_sound = word[:1] in "aeiou" and not word.startswith(("uni", "use", "eu", "one"))
        article = "an" if vowel_sound else "a"
        return f"{article} {self.type_label.lower()} in {self.region_name}"


def sighting_total_shown(viewer: Viewer, members: int, total: int) -> int | None:
    """The region's count of sightings of a value, or None when fewer than k
    members add up to it: with one or two contributors the total is (nearly)
    one member's own count, which stays private. The hub's people see it."""
    return total if viewer.runs_hub or members >= K_ANONYMITY else None


@dataclass(frozen=True, slots=True)
class SuppressedTable:
    cells: dict[Hashable, int | None]
    suppressed: frozenset[Hashable] = field(default_factory=frozenset)


def suppress_small_cells(
    values: Mapping[Hashable, int],
    organisation_counts: Mapping[Hashable, int],
    *,
    k: int = K_ANONYMITY,
) -> SuppressedTable:
    """Hide every cell backed by fewer than k organisations.

    When exactly one cell would be hidden, the smallest other cell is hidden
    too, so a published total cannot be used to work the hidden one out.
    """
    small = {key for key in values if organisation_counts.get(key, 0) < k}
    if len(small) == 1 and len(values) > 1:
        others = sorted(
            (key for key in values if key not in small),
            key=lambda key: (organisation_counts.get(key, 0), str(key)),
        )
        small.add(others[0])
    cells = {key: (None if key in small else value) for key, value in values.items()}
    return SuppressedTable(cells=cells, suppressed=frozenset(small))
