"""Reads for feeds. Feeds are CLEAR or GREEN for every member; feed alerts
belong to the organisation they are about (and the hub's coordinators)."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from openwarp.core.errors import NotFound, PermissionDenied
from openwarp.hub.feeds.models import Feed, FeedAlert, FeedIndicator, FeedRun
from openwarp.hub.members.policy import Action, Viewer, may, may_see_organisation_details


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


def feed_runs_for_viewer(*, viewer: Viewer, feed: Feed) -> QuerySet[FeedRun]:
    """A feed's fetch runs, newest first: for the hub's coordinators (a failed
    run's message may name servers members have no reason to know)."""
    if not may(viewer, Action.MANAGE_ORGANISATIONS):
        raise PermissionDenied("only the hub's coordinators see how feeds are fetched")
    return FeedRun.objects.filter(feed=feed).order_by("-started_at", "-pk")


def feed_last_runs(*, viewer: Viewer) -> dict[int, FeedRun]:
    """Each feed's latest run, by feed id (coordinators only; empty for others)."""
    if not may(viewer, Action.MANAGE_ORGANISATIONS):
        return {}
    newest = FeedRun.objects.filter(feed=OuterRef("pk")).order_by("-started_at", "-pk")
    ids = Feed.objects.annotate(last=Subquery(newest.values("pk")[:1])).values_list(
        "last", flat=True
    )
    return {run.feed_id: run for run in FeedRun.objects.filter(pk__in=[i for i in ids if i])}
