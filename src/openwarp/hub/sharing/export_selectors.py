"""Reads behind the sharing exports: the indicator export that
``openwarp sweep --hub`` caches and the hub's MISP feed directory, every one
filtered by the access policy and held to the release hour for anonymous
reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.db.models import F, Func, Q, QuerySet
from django.utils import timezone

from openwarp.core.errors import NotFound, PermissionDenied
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.release import hour_start
from openwarp.hub.sharing.access import reports_visible
from openwarp.hub.sharing.models import Indicator, Report, ReportState

EXPORT_PAGE_MAX = 5000


@dataclass(frozen=True)
class IndicatorPage:
    """A page of the indicator export inside the window (added_after, until]."""

    indicators: list[Indicator]
    until: datetime
    next_after: UUID | None


def _exportable_now(viewer: Viewer) -> QuerySet[Report]:
    """Published reports the viewer may see, anonymous ones from the first
    full hour after their release (so polling cannot time the release)."""
    held = Q(anonymous=True, published_at__gte=hour_start(timezone.now()))
    return reports_visible(viewer).filter(state=ReportState.PUBLISHED).exclude(held)


MISP_FEED_DAYS = 90
MISP_FEED_EVENTS = 2000


def misp_feed_reports(*, viewer: Viewer) -> list[Report]:
    """What the hub's MISP feed lists: the viewer's recent reports, newest first."""
    if not viewer.signed_in:
        raise PermissionDenied("sign in to read the feed")
    since = timezone.now() - timedelta(days=MISP_FEED_DAYS)
    reports = _exportable_now(viewer).filter(published_at__gte=since)
    return list(
        reports.select_related("owner_organisation__region").order_by("-published_at")[
            :MISP_FEED_EVENTS
        ]
    )


def misp_feed_report(*, viewer: Viewer, public_id: UUID) -> Report:
    """One event of the feed; not found and not allowed look the same."""
    report = _exportable_now(viewer).filter(public_id=public_id).first()
    if report is None:
        raise NotFound("no such event")
    return report


def _shown_between(low: datetime | None, high: datetime, *, anonymous: bool) -> Q:
    """Values whose later moment (report published, value added) falls in the
    window: (low, high] for named reports; [low, high) for anonymous ones,
    whose bounds are hour marks."""
    before, after = ("lt", "gte") if anonymous else ("lte", "gt")
    shown = Q(
        report__anonymous=anonymous,
        **{f"report__published_at__{before}": high, f"added_at__{before}": high},
    )
    if low is None:
        return shown
    return shown & (Q(**{f"report__published_at__{after}": low}) | Q(**{f"added_at__{after}": low}))


# Beyond this many reports (or values added) since the cursor, the plain query
# is as good as naming them.
CHANGED_REPORTS_NAMED = 5000
CHANGED_VALUES_READ = 50_000


def _changed_since(moment: datetime) -> list[int] | None:
    """The reports published since `moment` or given values since, by two
    indexes: a sweep polling for news must not make the database walk every
    value it holds. None when so many changed that naming them gains nothing."""
    published = Report.objects.filter(published_at__gte=moment).values_list("pk", flat=True)
    added = Indicator.objects.filter(added_at__gte=moment).values_list("report_id", flat=True)
    changed = set(published.order_by()[: CHANGED_REPORTS_NAMED + 1])
    values = list(added.order_by()[: CHANGED_VALUES_READ + 1])  # by the added_at index
    changed.update(values)
    if len(changed) > CHANGED_REPORTS_NAMED or len(values) > CHANGED_VALUES_READ:
        return None
    return sorted(changed)


def indicators_export(
    *,
    viewer: Viewer,
    added_after: datetime | None = None,
    until: datetime | None = None,
    after: UUID | None = None,
    limit: int = 1000,
) -> IndicatorPage:
    """Indicators of the published reports the viewer may see, for a sweep's cache.

    The window is fixed by ``until`` (the hub's clock at the first page) and
    paged by the indicators' random public ids, so neither the cursor nor the
    order tells anything about when single values were submitted. A value
    belongs to the window holding the later of its report's publication and
    its own addition (values added to a published report come in a later
    window). An anonymous report's values join at the first full hour after
    that moment, as in TAXII, so polling cannot time the release either; the
    windows still split every value into exactly one of them.
    """
    if not viewer.signed_in:
        raise PermissionDenied("sign in to export indicators")
    now = timezone.now()
    until = min(until or now, now)
    if added_after is not None and added_after >= until:
        return IndicatorPage([], until, None)
    named = _shown_between(added_after, until, anonymous=False)
    anonymous = _shown_between(
        added_after and hour_start(added_after), hour_start(until), anonymous=True
    )
    reports = reports_visible(viewer).filter(state=ReportState.PUBLISHED)
    limit = max(1, min(limit, EXPORT_PAGE_MAX))
    changed = None if added_after is None else _changed_since(hour_start(added_after))
    if changed is not None:
        rows = Indicator.objects.filter(report_id__in=changed)  # a superset of the window
        rows = rows.filter(report__in=reports.values("pk"))
    else:
        # Walk the values in public-id order and stop at the page's end: with the
        # report index hidden from the planner (`+report_id`), it cannot start
        # from the visible reports and sort every value they hold for each page.
        rows = Indicator.objects.annotate(
            unindexed_report=Func(F("report_id"), template="+%(expressions)s")
        ).filter(unindexed_report__in=reports.values("pk"))
    rows = rows.filter(named | anonymous)
    if after is not None:
        rows = rows.filter(public_id__gt=after)
    fields = ("public_id", "kind", "value", "warninglist", "report__public_id", "report__tlp")
    page = list(rows.select_related("report").only(*fields).order_by("public_id")[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return IndicatorPage(page, until, page[-1].public_id if more else None)
