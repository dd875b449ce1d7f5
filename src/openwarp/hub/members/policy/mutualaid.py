"""Who may see and change what in mutual aid.

- A roster is the organisation's own: its people read it, its security lead edits
  it, and the hub's coordinators and admins see and edit every roster. No other
  member ever sees another organisation's roster people.
- A request for help is seen by the requesting organisation, the hub's runners,
  and organisations that have been sent an offer on it (they must know what they
  are agreeing to). The requester's security lead edits and closes it.
- Only the hub's runners send offers; only the lending organisation's security
  lead accepts or declines one: consent is given per deployment, by the lender.
- A deployment is seen by both organisations; the lender logs its hours and
  expenses, and the hub's runners may correct them.
- Executives read; read-only tokens never write.
"""

from __future__ import annotations

from dataclasses import dataclass

from openwarp.hub.members.policy import Role, Viewer

_WRITERS = frozenset({Role.MEMBER, Role.SECURITY_LEAD})


def _runs_hub(viewer: Viewer) -> bool:
    return viewer.signed_in and viewer.runs_hub


def _writes(viewer: Viewer) -> bool:
    return viewer.signed_in and not viewer.read_only


def _lead_of(viewer: Viewer, organisation_id: int) -> bool:
    return viewer.role == Role.SECURITY_LEAD and viewer.organisation_id == organisation_id


def may_use_mutual_aid(viewer: Viewer) -> bool:
    """Mutual aid is for member organisations and the hub; not for national analysts."""
    return viewer.signed_in and (viewer.organisation_id is not None or viewer.runs_hub)


def may_read_roster(viewer: Viewer, organisation_id: int) -> bool:
    return _runs_hub(viewer) or (viewer.signed_in and viewer.organisation_id == organisation_id)


def may_edit_roster(viewer: Viewer, organisation_id: int) -> bool:
    return _writes(viewer) and (_runs_hub(viewer) or _lead_of(viewer, organisation_id))


def may_request_aid(viewer: Viewer, organisation_id: int) -> bool:
    """A member's security lead asks for help for its own organisation."""
    return _writes(viewer) and _lead_of(viewer, organisation_id)


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What the policy needs to know about a request for help."""

    requester_id: int
    lender_ids: frozenset[int] = frozenset()


def may_view_request(viewer: Viewer, request: RequestFacts) -> bool:
    if _runs_hub(viewer):
        return True
    return (
        viewer.signed_in
        and viewer.organisation_id is not None
        and (
            viewer.organisation_id == request.requester_id
            or viewer.organisation_id in request.lender_ids
        )
    )


def may_edit_request(viewer: Viewer, request: RequestFacts) -> bool:
    """Edit or close: the requester's security lead, or the hub on its behalf."""
    return _writes(viewer) and (_runs_hub(viewer) or _lead_of(viewer, request.requester_id))


def may_coordinate(viewer: Viewer) -> bool:
    """See candidate matches, send offers and keep the conflict list."""
    return _writes(viewer) and _runs_hub(viewer)


def may_answer_offer(viewer: Viewer, lender_id: int) -> bool:
    return _writes(viewer) and _lead_of(viewer, lender_id)


def may_see_offer(viewer: Viewer, lender_id: int) -> bool:
    """An offer names a roster person, so it stays with the lender and the hub."""
    return _runs_hub(viewer) or (viewer.signed_in and viewer.organisation_id == lender_id)


def may_view_deployment(viewer: Viewer, *, requester_id: int, lender_id: int) -> bool:
    """Once a lender has agreed, the requester may know who is coming."""
    return _runs_hub(viewer) or (
        viewer.signed_in and viewer.organisation_id in (requester_id, lender_id)
    )


def may_log_time(viewer: Viewer, *, lender_id: int) -> bool:
    if not _writes(viewer):
        return False
    return _runs_hub(viewer) or (viewer.role in _WRITERS and viewer.organisation_id == lender_id)


def may_withdraw_offer(viewer: Viewer) -> bool:
    """The coordinator who sends offers may take one back, before or after acceptance."""
    return may_coordinate(viewer)


def requester_may_know_lender(*, offer_status: str) -> bool:
    """The requester learns who is coming (in pages and e-mails) only once it is agreed."""
    return offer_status == "accepted"


def reimbursement_scope(viewer: Viewer, *, requester_id: int) -> str | None:
    """What of a request's reimbursement export the viewer gets.

    "all": the hub's coordinators and admins, and the requester's security lead (who
    pays); "own": a lending organisation's security lead, for its own lines only;
    None: nobody else. Callers still filter lines by `reimbursement_line_visible`.
    """
    if not viewer.signed_in:
        return None
    if viewer.runs_hub or _lead_of(viewer, requester_id):
        return "all"
    if viewer.role == Role.SECURITY_LEAD and viewer.organisation_id is not None:
        return "own"
    return None


def reimbursement_line_visible(viewer: Viewer, *, requester_id: int, lender_id: int) -> bool:
    scope = reimbursement_scope(viewer, requester_id=requester_id)
    return scope == "all" or (scope == "own" and viewer.organisation_id == lender_id)
