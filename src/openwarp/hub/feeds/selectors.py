"""Reads for feeds. Feeds are CLEAR or GREEN for every member; feed alerts
belong to the organisation they are about (and the hub's coordinators)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from openwarp.core.errors import NotFound, PermissionDenied
from openwarp.hub.feeds.models import Feed, FeedAlert, FeedIndicator
from openwarp.hub.members.policy import Viewer, may_see_organisation_details


def feeds_for_viewer(*, viewer: Viewer) -> QuerySet[Feed]:
    if not viewer.signed_in:
        raise PermissionDenied("sign in to see the hub's feeds")
    now = timezone.now()
    return Feed.objects.annotate(
        live=Count("indicators", filter=Q(indicators__expires_at__gt=now))
    ).order_by("name")


def feed_for_viewer(*, viewer: Viewer, slug: str) -> Feed:
    feed = feeds_for_viewer(viewer=viewer).filter(slug=slug).first()
    if feed is None:
        raise NotFound(f"no feed {slug!r}")
    return feed


def feed_listings(*, viewer: Viewer, kind: str, value: str) -> QuerySet[FeedIndicator]:
    """The feeds listing one value: correlation with members' reports."""
    if not viewer.signed_in:
        raise PermissionDenied("sign in to correlate indicators")
    return FeedIndicator.objects.filter(kind=kind, value=value).select_related("feed")


def feed_alerts_for_viewer(*, viewer: Viewer) -> QuerySet[FeedAlert]:
    alerts = FeedAlert.objects.filter(acknowledged_at__isnull=True).select_related(
        "indicator__feed", "organisation"
    )
    if viewer.runs_hub:
        return alerts
    if viewer.organisation_id is None or not may_see_organisation_details(
        viewer, viewer.organisation_id
    ):
        return alerts.none()
    return alerts.filter(organisation_id=viewer.organisation_id)
