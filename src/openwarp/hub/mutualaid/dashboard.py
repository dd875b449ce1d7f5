"""Mutual aid on the dashboards: a member's open requests and offers awaiting its
answer; the region's active requests and the people deployed now."""

from __future__ import annotations

from typing import Any

from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.mutualaid import (
    may_answer_offer,
    may_use_mutual_aid,
    may_view_request,
)
from openwarp.hub.mutualaid import selectors
from openwarp.hub.mutualaid.access import request_facts
from openwarp.hub.mutualaid.models import RequestStatus
from openwarp.hub.web.panels import Panel


def organisation_panels(viewer: Viewer, organisation: Any) -> list[Panel]:
    if not may_use_mutual_aid(viewer) or viewer.organisation_id != organisation.pk:
        return []
    open_requests = (
        selectors.requests_for_viewer(viewer=viewer, status=RequestStatus.OPEN)
        .filter(organisation=organisation)
        .count()
    )
    awaiting = (
        selectors.offers_awaiting(viewer=viewer).count()
        if may_answer_offer(viewer, organisation.pk)
        else 0
    )
    if not open_requests and not awaiting:
        return []
    context = {"open_requests": open_requests, "awaiting": awaiting}
    return [Panel("mutualaid/panels/organisation.html", context)]


def region_panels(viewer: Viewer) -> list[Panel]:
    if not viewer.runs_hub:
        return []
    active = selectors.requests_for_viewer(viewer=viewer, status=RequestStatus.OPEN).count()
    deployed = selectors.people_deployed_now(viewer=viewer)
    return [
        Panel("mutualaid/panels/region.html", {"active_requests": active, "deployed": deployed})
    ]


def incident_panels(viewer: Viewer, incident: Any) -> list[Panel]:
    """On an incident's page: the requests for help raised for it (that the viewer may see)."""
    linked = [
        aid
        for aid in incident.aid_requests.select_related("organisation")
        if may_view_request(viewer, request_facts(aid))
    ]
    return [Panel("mutualaid/panels/incident_requests.html", {"requests": linked})]
