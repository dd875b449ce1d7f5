"""Reads for sharing, every one filtered by the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any
from uuid import UUID

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.utils import timezone

from openwarp.core.errors import NotFound, PermissionDenied
from openwarp.hub import joined_rows
from openwarp.hub.members.models import Organisation, Region
from openwarp.hub.members.policy import Viewer, sighting_total_shown
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
    members, total = _sighting_totals(kind, value) if reports else (0, 0)
    return Correlation(
        kind=kind,
        value=value,
        reports=[(report, source_label(viewer, report)) for report in reports],
        members_seen=members,
        sightings=sighting_total_shown(viewer, members, total),
    )


# What the policy, the source label and a report's summary line read.
_CARRYING = (
    joined_rows.Part(
        Report,
        "r",
        only=(
            "public_id", "title", "summary", "threat_type", "confidence", "tlp",
            "distribution", "owner_organisation", "author", "sharing_group", "anonymous",
            "state", "from_federation", "published_at",
        ),
    ),
    joined_rows.Part(Organisation, "o", only=("name", "slug", "org_type", "region")),
    joined_rows.Part(Region, "g", only=("name",)),
)  # fmt: skip


@cache
def _carrying_sql() -> str:
    return (
        f"SELECT {joined_rows.select_list(_CARRYING)} "  # noqa: S608 (model names only)
        f"FROM {joined_rows.table(Report)} r "
        f"JOIN {joined_rows.table(Indicator)} i ON i.report_id = r.id "
        f"JOIN {joined_rows.table(Organisation)} o ON o.id = r.owner_organisation_id "
        f"JOIN {joined_rows.table(Region)} g ON g.id = o.region_id "
        "WHERE i.kind = %s AND i.value = %s AND r.state = %s "
        "ORDER BY r.published_at DESC LIMIT %s"
    )


def _reports_carrying(kind: str, value: str, limit: int) -> list[Report]:
    """Published reports with this value, newest first, by the index alone,
    each with its publishing organisation and that organisation's region."""
    with connection.cursor() as cursor:
        cursor.execute(_carrying_sql(), [kind, value, ReportState.PUBLISHED, limit])
        rows = cursor.fetchall()
    reports: list[Report] = []
    known: dict[tuple[str, Any], Any] = {}  # one instance per publisher and region
    for row in rows:
        report, organisation, organisation.region = joined_rows.instances(row, _CARRYING, known)
        report.owner_organisation = organisation
        reports.append(report)
    return reports


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
