"""Feeds API: the feeds followed, which feeds list a value, and feed warnings."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Router, Schema, Status

from openwarp.core.errors import PermissionDenied
from openwarp.hub.feeds import selectors, services
from openwarp.hub.feeds.models import Feed
from openwarp.hub.members.policy import Action, may
from openwarp.hub.web.decorators import MemberRequest

router = Router(tags=["feeds"])


class FeedOut(Schema):
    slug: str
    name: str
    reliability: str
    tlp: str
    expiry_days: int
    live: int
    last_imported_at: datetime | None


class FeedIn(Schema):
    name: str
    reliability: str = "F"
    tlp: str = "clear"
    expiry_days: int = 30
    description: str = ""
    source_url: str = ""


class ListingOut(Schema):
    feed: str
    reliability: str
    context: str
    first_seen: datetime
    last_seen: datetime
    expires_at: datetime


class FeedAlertOut(Schema):
    id: UUID
    organisation: str
    feed: str
    kind: str
    value: str
    reason: str
    created_at: datetime


def _feed_out(feed: Feed, live: int) -> dict[str, object]:
    return {
        "slug": feed.slug,
        "name": feed.name,
        "reliability": feed.reliability,
        "tlp": feed.tlp,
        "expiry_days": feed.expiry_days,
        "live": live,
        "last_imported_at": feed.last_imported_at,
    }


@router.get("/feeds", response=list[FeedOut])
def feed_list(request: MemberRequest) -> object:
    feeds = selectors.feeds_for_viewer(viewer=request.viewer)
    return [_feed_out(feed, feed.live) for feed in feeds]  # type: ignore[attr-defined]


@router.post("/feeds", response={201: FeedOut})
def feed_create(request: MemberRequest, payload: FeedIn) -> Status:
    if not may(request.viewer, Action.MANAGE_ORGANISATIONS):
        raise PermissionDenied("only coordinators subscribe the hub to feeds")
    feed = services.feed_create(actor=request.user, **payload.dict())
    return Status(201, _feed_out(feed, 0))


@router.get("/feeds/listings", response=list[ListingOut])
def feed_listings(request: MemberRequest, kind: str, value: str) -> object:
    """Correlation: every feed that lists this (kind, normal-form value)."""
    return [
        {
            "feed": row.feed.name,
            "reliability": row.feed.reliability,
            "context": row.context,
            "first_seen": row.first_seen,
            "last_seen": row.last_seen,
            "expires_at": row.expires_at,
        }
        for row in selectors.feed_listings(viewer=request.viewer, kind=kind, value=value)
    ]


@router.get("/feed-alerts", response=list[FeedAlertOut])
def feed_alerts(request: MemberRequest) -> object:
    return [
        {
            "id": alert.public_id,
            "organisation": alert.organisation.slug,
            "feed": alert.indicator.feed.name,
            "kind": alert.indicator.kind,
            "value": alert.indicator.value,
            "reason": alert.reason,
            "created_at": alert.created_at,
        }
        for alert in selectors.feed_alerts_for_viewer(viewer=request.viewer)[:500]
    ]
