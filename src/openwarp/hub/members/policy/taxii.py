"""Who may read and add to the hub's TAXII collections, and as whom another hub reads.

A collection is one sharing scope (a distribution): the whole federation,
the region, one sharing group, or the reader's own organisation. Which
collections a reader is shown is decided here; which objects each holds is
still `may_view` (through `visible_q`), so a collection never widens what a
person may see. A collection a reader may not read is not shown at all, so
its existence (a sharing group's, say) is not given away.
"""

from __future__ import annotations

from openwarp.hub.members.policy import Action, Distribution, Role, Viewer, may

# Another hub reads this hub as a national analyst would (the federation
# collection only, never an anonymous reporter's identity), but as a peer hub
# it gets only what may federate: nothing this hub received from another hub,
# so two hubs that federate both ways never echo each other's reports. -1 is
# no person's id, so nothing is ever "its own" or named for it.
FEDERATION_PEER = Viewer(user_id=-1, role=Role.NATIONAL_ANALYST, peer_hub=True)


def may_read_collection(
    viewer: Viewer, distribution: Distribution, *, sharing_group_id: int | None = None
) -> bool:
    if not viewer.signed_in:
        return False
    match distribution:
        case Distribution.FEDERATION:
            return True
        case Distribution.REGION:
            return viewer.organisation_id is not None or viewer.runs_hub
        case Distribution.SHARING_GROUP:
            return sharing_group_id in viewer.sharing_group_ids
        case Distribution.ORGANISATION:
            return viewer.organisation_id is not None and viewer.role != Role.NATIONAL_ANALYST
    return False


def may_add_to_collection(viewer: Viewer, distribution: Distribution) -> bool:
    """Only the federation inbox takes objects, and only from those who run
    the hub (a peer hub pushes with a coordinator's write token)."""
    return distribution == Distribution.FEDERATION and may(viewer, Action.FEDERATE)


def may_see_federation_peers(viewer: Viewer) -> bool:
    """The peers page (addresses, schedules, results) is for those who run the hub."""
    return viewer.signed_in and viewer.runs_hub


def may_run_federation(viewer: Viewer) -> bool:
    """Scheduling or starting an exchange with a peer needs the federation right."""
    return may(viewer, Action.FEDERATE)
