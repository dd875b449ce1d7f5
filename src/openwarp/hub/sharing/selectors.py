"""Reads for sharing, every one filtered by the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, Exists, F, Func, OuterRef, Q, QuerySet, Sum, Value
from django.utils import timezone

from openwarp.core.errors import NotFound, PermissionDenied
from openwarp.hub.members.models import Organisation, Region
from openwarp.hub.members.policy import Viewer, sighting_total_shown
from openwarp.hub.members.policy.release import hour_start
from openwarp.hub.sharing.access import report_visible, reports_visible, source_label
from openwarp.hub.sharing.models import (
    Alert,
    Indicator,
    Report,
    ReportState,
    Sighting,
    SightingKind,
)

FEED_PAGE = 50


def report_feed(
    *,
    viewer: Viewer,
    search: str = "",
    threat_type: str = "",
    tlp: str = "",
    limit: int = FEED_PAGE,
) -> list[Report]:
    """What the viewer may see, newest first, with the viewer's own reports
    and those touching its registered networks first among equals."""
    if not viewer.signed_in:
        raise PermissionDenied("sign in to see the feed")
    reports = reports_visible(viewer).filter(state=ReportState.PUBLISHED)
    if search.strip():
        reports = reports.filter(_matching(search.strip()[:200]))
    if threat_type:
        reports = reports.filter(threat_type=threat_type)
    if tlp:
        reports = reports.filter(tlp=tlp)
    return list(
        _with_relevance(reports, viewer)
        .select_related("owner_organisation__region")
        .order_by(F("relevant").desc(), "-published_at")[:limit]
    )


RELEVANT_DAYS = 30


def _with_relevance(reports: QuerySet[Report], viewer: Viewer) -> QuerySet[Report]:
    """Mark reports that concern the viewer's organisation lately: an early
    warning about its ranges or domains, or a value it has itself sighted."""
    if viewer.organisation_id is None:
        return reports.annotate(relevant=Value(False))
    since = timezone.now() - timedelta(days=RELEVANT_DAYS)
    warned = Alert.objects.filter(
        organisation_id=viewer.organisation_id, report=OuterRef("pk"), created_at__gte=since
    )
    sighted = Sighting.objects.filter(
        organisation_id=viewer.organisation_id,
        sighting=SightingKind.SEEN,
        last_seen__gte=since,
        kind=OuterRef("kind"),
        value=OuterRef("value"),
    )
    carries_sighted = Indicator.objects.filter(report=OuterRef("pk")).filter(Exists(sighted))
    return reports.annotate(relevant=Exists(warned) | Exists(carries_sighted))


def _matching(words: str) -> Q:
    """Reports whose text matches, or that carry a value containing the words.

    On PostgreSQL the text is searched as language (stems, "quoted phrases",
    -exclusions, OR) with web-search syntax; SQLite looks for the words as
    they are typed.
    """
    by_value = Q(pk__in=Indicator.objects.filter(value__icontains=words.lower()).values("report"))
    if connection.vendor != "postgresql":
        return (
            Q(title__icontains=words)
            | Q(summary__icontains=words)
            | Q(description__icontains=words)
            | by_value
        )
    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("description", weight="C", config="english")
    )
    query = SearchQuery(words, search_type="websearch", config="english")
    texts = Report.objects.annotate(text=vector).filter(text=query).values("pk")
    return Q(pk__in=texts) | by_value


def reports_awaiting_release(*, viewer: Viewer) -> QuerySet[Report]:
    if not viewer.runs_hub:
        raise PermissionDenied("only coordinators review anonymous reports")
    return reports_visible(viewer).filter(state=ReportState.AWAITING_RELEASE).order_by("created_at")


def report_for_viewer(*, viewer: Viewer, public_id: UUID | str) -> Report:
    """Not found and not allowed look the same, so ids cannot be probed."""
    report = (
        reports_visible(viewer)
        .filter(public_id=public_id)
        .select_related("owner_organisation__region")
        .first()
    )
    if report is None:
        raise NotFound("no such report")
    return report


@dataclass(frozen=True)
class IndicatorView:
    indicator: Indicator
    other_reports: int
    members_seen_this_week: int


def indicators_for_report(*, viewer: Viewer, report: Report) -> list[IndicatorView]:
    """Each value with its correlation and sightings across the region.

    Two grouped queries for the whole report, whatever its size: a report
    may carry thousands of values.
    """
    indicators = list(report.indicators.order_by("kind", "value"))
    values = {indicator.value for indicator in indicators}
    week_ago = timezone.now() - timedelta(days=7)

    def by_value(rows: QuerySet[Any]) -> dict[tuple[str, str], int]:
        return {(row["kind"], row["value"]): row["n"] or 0 for row in rows}

    elsewhere = by_value(
        Indicator.objects.filter(
            value__in=values,
            report__state=ReportState.PUBLISHED,  # as the correlation page counts them
            report__in=reports_visible(viewer).exclude(pk=report.pk).values("pk"),
        )
        .values("kind", "value")
        .annotate(n=Count("report", distinct=True))
    )
    tallies = Sighting.objects.filter(value__in=values).values("kind", "value")
    seen = by_value(
        tallies.filter(sighting=SightingKind.SEEN, last_seen__gte=week_ago).annotate(
            n=Count("organisation", distinct=True)
        )
    )
    return [
        IndicatorView(
            indicator=indicator,
            other_reports=elsewhere.get((indicator.kind, indicator.value), 0),
            members_seen_this_week=seen.get((indicator.kind, indicator.value), 0),
        )
        for indicator in indicators
    ]


@dataclass(frozen=True)
class Correlation:
    kind: str
    value: str
    reports: list[tuple[Report, str]]
    members_seen: int
    sightings: int | None  # None: too few members to show a total


CORRELATION_LIMIT = 200
JUDGED_IN_PYTHON = 500  # more reports than this carry the value: let the database judge


def correlation(*, viewer: Viewer, kind: str, value: str) -> Correlation:
    """Reports (within visibility) that carry this value, found through the
    (kind, value) index, and the region's sighting totals.

    Most values sit in a handful of reports, so those few are read through the
    index by plain SQL and judged with the policy's own `may_view`: building
    the policy's SQL cost several times the lookup itself. A value carried by
    very many reports is judged by the database instead (`reports_visible`).

    The totals are given only for a value the viewer can see in a published
    report: otherwise asking about any value would tell whether it sits in
    reports hidden from the asker, and how often the region has seen it.
    """
    candidates = _reports_carrying(kind, value, JUDGED_IN_PYTHON + 1)
    if len(candidates) > JUDGED_IN_PYTHON:
        reports = list(
            Report.objects.filter(
                indicators__kind=kind,
                indicators__value=value,
                state=ReportState.PUBLISHED,
                pk__in=reports_visible(viewer).values("pk"),
            )
            .select_related("owner_organisation__region")
            .order_by("-published_at")[:CORRELATION_LIMIT]
        )
    else:
        reports = [r for r in candidates if report_visible(viewer, r)][:CORRELATION_LIMIT]
        _attach_organisations(reports)
    members, total = _sighting_totals(kind, value) if reports else (0, 0)
    return Correlation(
        kind=kind,
        value=value,
        reports=[(report, source_label(viewer, report)) for report in reports],
        members_seen=members,
        sightings=sighting_total_shown(viewer, members, total),
    )


def _reports_carrying(kind: str, value: str, limit: int) -> list[Report]:
    """Published reports with this value, newest first, by the index alone."""
    report, indicator = Report._meta.db_table, Indicator._meta.db_table
    return list(
        Report.objects.raw(
            f"SELECT r.* FROM {report} r JOIN {indicator} i ON i.report_id = r.id "  # noqa: S608
            "WHERE i.kind = %s AND i.value = %s AND r.state = %s "
            "ORDER BY r.published_at DESC LIMIT %s",
            [kind, value, ReportState.PUBLISHED, limit],
        )
    )


def _attach_organisations(reports: list[Report]) -> None:
    """Each report's publishing organisation and its region, read by primary key."""
    organisations = _by_id(Organisation, {report.owner_organisation_id for report in reports})
    regions = _by_id(Region, {organisation.region_id for organisation in organisations.values()})
    for organisation in organisations.values():
        organisation.region = regions[organisation.region_id]
    for report in reports:
        report.owner_organisation = organisations[report.owner_organisation_id]


def _by_id(model: type[Any], ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    table = model._meta.db_table
    rows = model.objects.raw(f"SELECT * FROM {table} WHERE id IN ({marks})", list(ids))  # noqa: S608
    return {row.pk: row for row in rows}


def _sighting_totals(kind: str, value: str) -> tuple[int, int]:
    """How many members have seen the value, and how often, region-wide."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(DISTINCT organisation_id), SUM(count) "  # noqa: S608
            f"FROM {Sighting._meta.db_table} WHERE kind = %s AND value = %s AND sighting = %s",
            [kind, value, SightingKind.SEEN],
        )
        members, total = cursor.fetchone()
    return members or 0, total or 0


def campaigns(*, viewer: Viewer, days: int = 7, min_members: int = 3) -> list[dict[str, object]]:
    """Values seen by several members recently: the region's early sign of a campaign.

    The few values sighted that widely are found first, then kept only if the
    viewer can see them in a report: the feed page asks this on every visit,
    so it never walks all the values the viewer may see.
    """
    since = timezone.now() - timedelta(days=days)
    rows = list(
        Sighting.objects.filter(sighting=SightingKind.SEEN, last_seen__gte=since)
        .values("kind", "value")
        .annotate(members=Count("organisation", distinct=True), total=Sum("count"))
        .filter(members__gte=min_members)
        .order_by("-members", "-total")[:200]
    )
    if not rows:
        return []
    visible = set(
        Indicator.objects.filter(
            report__in=reports_visible(viewer).values("pk"),
            value__in={row["value"] for row in rows},
            warninglist="",  # a known-benign value seen widely is no campaign
        ).values_list("kind", "value")
    )
    return [dict(row) for row in rows if (row["kind"], row["value"]) in visible][:20]


def alerts_for_viewer(*, viewer: Viewer, include_acknowledged: bool = False) -> QuerySet[Alert]:
    """A member's early warnings; the people who run the hub see every member's."""
    if not viewer.signed_in or (viewer.organisation_id is None and not viewer.runs_hub):
        raise PermissionDenied("early warnings belong to member organisations")
    alerts = Alert.objects.select_related("report", "indicator", "organisation")
    if not viewer.runs_hub and viewer.organisation_id is not None:
        alerts = alerts.filter(organisation_id=viewer.organisation_id)
    if not include_acknowledged:
        alerts = alerts.filter(acknowledged_at__isnull=True)
    return alerts


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
