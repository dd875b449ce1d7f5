"""Benchmark correlation lookups, and storage per indicator, at millions of values.

Stores N indicators (default 2,000,000) in GREEN region reports from several
member organisations, in a fresh database (SQLite under a temporary data
dir, or PostgreSQL when DATABASE_URL is set). Each value appears in about
`--copies` reports, as a campaign's values do. Then, for `--lookups` values
picked at random (fixed seed), it times the real correlation API as a member
(token auth, policy, sighting totals, JSON; called through the hub's WSGI
application as the server calls it), the selector alone, and, in the same
run, a bare ORM lookup of a (kind, value) in the index. Prints p50/p95 of each
(wall and CPU),
their ratio, and the database's bytes per indicator at half and at all of N
(linear storage shows as equal figures). Then the CPU time of 20 pages of the
sweep's indicator export (a full sync, 5,000 values a page) and of as many
polls that find nothing new, beside bare reads of the same number of values.

Usage: nice python benchmarks/correlation_bench.py [--indicators 2000000] [--lookups 500]
       [--data-dir DIR]  (reuse a database it seeded before: lookups only)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PER_REPORT = 100


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _members() -> tuple[list[object], str]:
    from openwarp.hub.members.models import User
    from openwarp.hub.members.services import organisations as orgs
    from openwarp.hub.members.services.tokens import token_create

    region = orgs.region_get_or_create(name="East Midlands")
    authors = []
    for n in range(8):
        organisation = orgs.organisation_create(
            actor=None, name=f"Member {n}", org_type="district", region=region
        )
        authors.append(
            User.objects.create_user(
                f"author{n}@bench.example", None, role="member", organisation=organisation
            )
        )
    reader = User.objects.create_user(
        "reader@bench.example", None, role="member", organisation=authors[0].organisation
    )
    return authors, token_create(actor=None, user=reader, name="bench").secret


def _store(authors: list[object], first: int, last: int, distinct: int) -> None:
    """Reports numbered first..last-1; report r carries values r*100+i modulo `distinct`."""
    from openwarp.hub.sharing.models import Indicator, Report

    start = datetime(2026, 1, 1, tzinfo=UTC)
    for block in range(first, last, 1000):
        reports = Report.objects.bulk_create(
            Report(
                title=f"Report {n}",
                threat_type="malware",
                tlp="green",
                distribution="region",
                owner_organisation=authors[n % len(authors)].organisation,  # type: ignore[attr-defined]
                author=authors[n % len(authors)],
                state="published",
                published_at=start + timedelta(minutes=n),
            )
            for n in range(block, min(last, block + 1000))
        )
        Indicator.objects.bulk_create(
            (
                Indicator(
                    report=report,
                    kind="domain",
                    value=f"v{(int(report.title[7:]) * PER_REPORT + i) % distinct}.example",
                )
                for report in reports
                for i in range(PER_REPORT)
            ),
            batch_size=5000,
        )


def _bytes_used() -> int:
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(settings.DATABASES["default"]["NAME"]).stat().st_size


def _lookups(token: str, distinct: int, count: int) -> tuple[dict[str, list[float]], int]:
    """Per value: the API, the selector alone (policy and totals, no HTTP), the
    bare index; wall and CPU seconds of each (CPU judges a loaded machine).
    The first 50 rounds warm the process and are not counted."""
    from openwarp.hub.members.models import User
    from openwarp.hub.members.policy_adapters import viewer_for
    from openwarp.hub.sharing.models import Indicator
    from openwarp.hub.sharing.selectors import correlation

    ask = _wsgi_get(token)
    viewer = viewer_for(User.objects.get(email="reader@bench.example"))
    rng = random.Random(11)
    times: dict[str, list[float]] = {}
    found = 0

    def timed(name: str, lookup: Any, counted: bool) -> Any:
        # Each timing asks about a value of its own: asked twice, the second
        # lookup would find the index pages the first one read still cached.
        value = f"v{rng.randrange(distinct)}.example"
        wall, cpu = time.perf_counter(), time.process_time()
        answer = lookup(value)
        if counted:
            times.setdefault(name, []).append(time.perf_counter() - wall)
            times.setdefault(f"{name} CPU", []).append(time.process_time() - cpu)
        return answer

    for round_ in range(count + 50):
        counted = round_ >= 50
        status, body = timed(
            "correlation API",
            lambda v: ask("/api/v1/correlation", f"kind=domain&value={v}"),
            counted,
        )
        assert status.startswith("200"), body
        found += len(json.loads(body)["reports"]) if counted else 0
        timed("selector", lambda v: correlation(viewer=viewer, kind="domain", value=v), counted)
        timed(
            "bare index",
            lambda v: list(Indicator.objects.filter(kind="domain", value=v).values("report_id")),
            counted,
        )
    return times, found


def _wsgi_get(token: str) -> Any:
    """GET through the hub's WSGI application, as `openwarp serve` (waitress)
    calls it for each request: the socket and waitress's own parsing of the
    request are not in the figure, Django's test client's extra work is not
    either (it copies and records every request for assertions)."""
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    def get(path: str, query: str) -> tuple[str, bytes]:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        answer: list[str] = []
        chunks = application(environ, lambda status, headers: answer.append(status))
        return answer[0], b"".join(chunks)

    return get


def _export_pages(token: str, pages: int) -> dict[str, list[float]]:
    """CPU seconds of the sweep's indicator export at this size: pages of a
    full sync (5,000 values each, from the start), polls that find nothing
    new, and, as the baseline, the same number of values read bare in
    public-id order (no policy, no window, no JSON)."""
    from django.test import Client

    from openwarp.hub.sharing.models import Indicator

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    times: dict[str, list[float]] = {"export page": [], "empty poll": [], "bare page": []}
    after, until = None, None
    for _ in range(pages):
        started = time.process_time()
        params = {"limit": 5000, **({"after": after, "until": until} if after else {})}
        body = client.get("/api/v1/indicators", params).json()
        times["export page"].append(time.process_time() - started)
        after, until = body["next_after"], body["until"]
        started = time.process_time()
        rows = Indicator.objects.order_by("public_id").values_list("public_id", "kind", "value")
        list(rows[:5000])
        times["bare page"].append(time.process_time() - started)
        started = time.process_time()
        client.get("/api/v1/indicators", {"added_after": until, "limit": 5000})
        times["empty poll"].append(time.process_time() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=2_000_000)
    parser.add_argument("--copies", type=int, default=4, help="Reports each value is in.")
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--data-dir", help="Reuse a database this benchmark seeded before.")
    args = parser.parse_args()
    reuse = bool(args.data_dir)
    os.environ["OPENWARP_DATA_DIR"] = args.data_dir or tempfile.mkdtemp(
        prefix="openwarp-correlation-bench-"
    )
    os.environ.setdefault("OPENWARP_ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from openwarp.cli.django_setup import call_command, setup

    setup()
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    reports = max(2, args.indicators // PER_REPORT)
    distinct = max(1, args.indicators // args.copies)
    if reuse:
        _report_lookups(_reader_token(), distinct, args.lookups)
        return
    authors, token = _members()
    empty = _bytes_used()
    started = time.perf_counter()
    _store(authors, 0, reports // 2, distinct)
    half = _bytes_used()
    _store(authors, reports // 2, reports, distinct)
    full = _bytes_used()
    print(
        f"database: {connection.vendor}; stored {reports * PER_REPORT:,} indicators "
        f"({distinct:,} distinct values) in {time.perf_counter() - started:.0f} s"
    )
    stored = reports * PER_REPORT
    print(
        f"bytes per indicator: {(half - empty) / (stored // 2):.0f} at half, "
        f"{(full - empty) / stored:.0f} at all"
    )
    _report_lookups(token, distinct, args.lookups)


def _reader_token() -> str:
    from openwarp.hub.members.models import User
    from openwarp.hub.members.services.tokens import token_create

    reader = User.objects.get(email="reader@bench.example")
    return token_create(actor=None, user=reader, name="bench again").secret


def _report_lookups(token: str, distinct: int, lookups: int) -> None:
    times, found = _lookups(token, distinct, lookups)
    print(f"{lookups} lookups, {found / lookups:.1f} reports each on average")
    for name, series in times.items():
        print(
            f"{name:>19}: p50 {statistics.median(series) * 1000:6.2f} ms   "
            f"p95 {_percentile(series, 0.95) * 1000:6.2f} ms"
        )
    bare = _percentile(times["bare index"], 0.95)
    for name in ("correlation API", "selector"):
        print(f"p95 ratio {name} / bare: {_percentile(times[name], 0.95) / bare:.1f}x")
    pages = _export_pages(token, 20)
    for name, series in pages.items():
        print(
            f"{name:>15}: CPU p50 {statistics.median(series) * 1000:6.1f} ms   "
            f"p95 {_percentile(series, 0.95) * 1000:6.1f} ms"
        )
    print(
        f"p50 ratio export page / bare page: "
        f"{statistics.median(pages['export page']) / statistics.median(pages['bare page']):.1f}x"
    )


if __name__ == "__main__":
    main()
