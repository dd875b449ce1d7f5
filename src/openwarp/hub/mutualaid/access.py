"""Describing mutual-aid objects in the terms the policy understands."""

from __future__ import annotations

from openwarp.hub.members.policy.mutualaid import RequestFacts
from openwarp.hub.mutualaid.models import AidRequest


def request_facts(request: AidRequest) -> RequestFacts:
    """The requester and every organisation that has been sent an offer on the request."""
    lenders = request.offers.values_list("person__organisation_id", flat=True).distinct()
    return RequestFacts(requester_id=request.organisation_id, lender_ids=frozenset(lenders))
