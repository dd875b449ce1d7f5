"""Permission-matrix rows for feeds (see tests/hub/permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from tests.hub.permission_matrix import HUB, SIGNED_IN, Row


def _feed_slug(world: Any) -> list[Any]:
    from openwarp.hub.feeds.models import Feed

    Feed.objects.get_or_create(
        name="maltrail static",
        slug="maltrail-static",
        defaults={"source_url": "https://feed.example/trails.tsv"},
    )
    return ["maltrail-static"]


SOURCE = {"source_url": "https://feed.example/list.txt", "source_format": "list"}


PAGES: list[Row] = [
    Row("feeds:feed_list", SIGNED_IN),
    Row("feeds:feed_new", HUB),
    Row(
        "feeds:feed_new",
        HUB,
        method="POST",
        data=lambda w: {
            "name": "abuse.ch URLhaus",
            "reliability": "B",
            "tlp": "clear",
            "expiry_days": "14",
        },
    ),
    Row("feeds:feed", SIGNED_IN, args=_feed_slug),
    Row("feeds:feed_source", HUB, args=_feed_slug),
    Row(
        "feeds:feed_source",
        HUB,
        method="POST",
        args=_feed_slug,
        data=lambda w: {**SOURCE, "interval_hours": "24"},
    ),
    Row("feeds:feed_fetch", HUB, method="POST", args=_feed_slug),
    Row("feeds:alerts", SIGNED_IN, note="each sees only their own organisation's warnings"),
]

API: list[Row] = [
    Row("GET /api/v1/feeds", SIGNED_IN),
    Row("POST /api/v1/feeds", HUB, data=lambda w: {"name": "abuse.ch URLhaus"}),
    Row(
        "GET /api/v1/feeds/listings",
        SIGNED_IN,
        api_path=lambda w: "/api/v1/feeds/listings?kind=domain&value=evil.example",
    ),
    Row("GET /api/v1/feed-alerts", SIGNED_IN),
    Row(
        "PUT /api/v1/feeds/{slug}/source",
        HUB,
        api_path=lambda w: f"/api/v1/feeds/{_feed_slug(w)[0]}/source",
        data=lambda w: {**SOURCE, "interval_hours": 0},
    ),
    Row(
        "POST /api/v1/feeds/{slug}/fetch",
        HUB,
        api_path=lambda w: f"/api/v1/feeds/{_feed_slug(w)[0]}/fetch",
    ),
    Row(
        "GET /api/v1/feeds/{slug}/runs",
        HUB,
        api_path=lambda w: f"/api/v1/feeds/{_feed_slug(w)[0]}/runs",
        note="a failed run's message may name servers members need not know",
    ),
]
