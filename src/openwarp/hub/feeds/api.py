"""Feeds API: the feeds followed, which feeds list a value, and feed warnings."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Router, Schema, Status

from openwarp.core.errors import PermissionDenied
from openwarp.hub.feeds import fetching, selectors, services
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


class SourceIn(Schema):
    source_url: str
    source_format: str = "list"
    interval_hours: int = 24
    auth_token: str | None = None  # None keeps the stored token


class SourceOut(Schema):
    slug: str
    source_url: str
    source_format: str
    interval_hours: int
    next_run_at: datetime | None
    has_token: bool


class RunOut(Schema):
    state: str
    started_at: datetime
    finished_at: datetime | None
    message: str
    counts: dict[str, int]


class ListingOut(Schema):
    feed: str
    reliability: str
    context: str
    first_seen: datetime
    last_seen: datetime
    expires_at: datetime
    warninglisted: bool
    warninglist: str


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
            "warninglisted": bool(row.warninglist),
            "warninglist": row.warninglist,
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


def _require_coordinator(request: MemberRequest) -> None:
    if not may(request.viewer, Action.MANAGE_ORGANISATIONS):
        raise PermissionDenied("only coordinators manage how feeds are fetched")


@router.put("/feeds/{slug}/source", response=SourceOut)
def feed_source(request: MemberRequest, slug: str, payload: SourceIn) -> object:
    """Where the worker fetches the feed from, and every how many hours (0: never by itself)."""
    _require_coordinator(request)
    feed = selectors.feed_for_viewer(viewer=request.viewer, slug=slug)
    feed = fetching.feed_source_save(actor=request.user, feed=feed, **payload.dict())
    return {
        "slug": feed.slug,
        "source_url": feed.source_url,
        "source_format": feed.source_format,
        "interval_hours": feed.interval_hours,
        "next_run_at": feed.next_run_at,
        "has_token": bool(feed.auth_token),
    }


@router.post("/feeds/{slug}/fetch", response={202: dict[str, str]})
def feed_fetch(request: MemberRequest, slug: str) -> Status:
    """Queue a fetch now; its outcome appears in the feed's runs."""
    _require_coordinator(request)
    feed = selectors.feed_for_viewer(viewer=request.viewer, slug=slug)
    fetching.feed_fetch_now(actor=request.user, feed=feed)
    return Status(202, {"queued": feed.slug})


@router.get("/feeds/{slug}/runs", response=list[RunOut])
def feed_runs(request: MemberRequest, slug: str) -> object:
    feed = selectors.feed_for_viewer(viewer=request.viewer, slug=slug)
    return list(selectors.feed_runs_for_viewer(viewer=request.viewer, feed=feed)[:50])
