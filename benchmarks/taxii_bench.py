"""Benchmark a TAXII page of 1,000 objects against a bare query of the same rows.

Stores N indicators (default 100,000) in GREEN federation reports of
`--per-report` values each, in a fresh database (SQLite under a temporary
data dir, or PostgreSQL when DATABASE_URL is set), then walks the whole
federation collection as a member through the real TAXII view (token auth,
policy, STIX export, JSON) with `limit=1000`: the first page and pages that
start at randomly chosen reports (fixed seed), timing each. In the same
run, for each page, it times a bare ORM query of the same reports and their
indicators (`values()` rows, no policy, no STIX) and orjson of the page's
objects already built. Each page is read first with the STIX object cache
emptied (every object built and serialised, as before the cache) and then
again with its objects cached. Prints p50/p95 of wall and CPU (process)
time of each, the load average, and the p95 ratios to the bare query.

`--data-dir DIR` keeps the seeded SQLite database in DIR and reuses it on
the next run (seeding 2 M indicators takes many minutes). `--warm` reads
every timed page once, untimed, first: the bare query always runs after the
TAXII page has brought the same rows into the cache, so without it the
TAXII figure alone pays for the disk.

Usage: nice python benchmarks/taxii_bench.py [--indicators 100000] [--per-report 100] [--pages 100]
       [--data-dir DIR] [--warm]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _seed(indicators: int, per_report: int) -> str:
    """Two member organisations, one member with a token, and the reports."""
    from openwarp.hub.members.models import User
    from openwarp.hub.members.services import organisations as orgs
    from openwarp.hub.members.services.tokens import token_create
    from openwarp.hub.sharing.models import Indicator, Report

    region = orgs.region_get_or_create(name="East Midlands")
    own = orgs.organisation_create(actor=None, name="Derby", org_type="unitary", region=region)
    other = orgs.organisation_create(actor=None, name="Notts", org_type="unitary", region=region)
    reader = User.objects.create_user("reader@bench.example", None, role="member", organisation=own)
    author = User.objects.create_user(
        "author@bench.example", None, role="member", organisation=other
    )
    start = datetime(2026, 1, 1, tzinfo=UTC)
    count = max(1, indicators // per_report)
    started = time.perf_counter()
    for first in range(0, count, 1000):
        reports = Report.objects.bulk_create(
            Report(
                title=f"Report {n}",
                threat_type="malware",
                tlp="green",
                distribution="federation",
                owner_organisation=other,
                author=author,
                state="published",
                published_at=start + timedelta(minutes=n),
            )
            for n in range(first, min(count, first + 1000))
        )
        rows = [
            Indicator(report=report, kind="domain", value=f"r{report.title[7:]}-{i}.example")
            for report in reports
            for i in range(per_report)
        ]
        Indicator.objects.bulk_create(rows, batch_size=5000)
    # Bulk inserts skip save(): index them as the migration indexes stored reports.
    from openwarp.hub.taxii.entries import collection_entries_sync

    collection_entries_sync()
    print(
        f"stored {count * per_report:,} indicators in {count:,} reports "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return token_create(actor=None, user=reader, name="bench").secret


def _reuse() -> str | None:
    """A new token for the reader of an already seeded database, if there is one."""
    from openwarp.hub.members.models import User
    from openwarp.hub.members.services.tokens import token_create
    from openwarp.hub.sharing.models import Indicator

    reader = User.objects.filter(email="reader@bench.example").first()
    if reader is None:
        return None
    print(f"reusing {Indicator.objects.count():,} stored indicators")
    return token_create(actor=None, user=reader, name="bench").secret


def _bare(report_ids: list[str]) -> None:
    from openwarp.hub.sharing.models import Indicator, Report

    list(Report.objects.filter(public_id__in=report_ids).values())
    list(Indicator.objects.filter(report__public_id__in=report_ids).values("kind", "value"))


def _cursors(pages: int) -> list[str | None]:
    """The first page and `pages - 1` pages starting at random reports (fixed seed)."""
    import random

    from openwarp.hub.sharing.models import Report
    from openwarp.hub.taxii.stream import Cursor

    rng = random.Random(7)
    rows = list(Report.objects.values_list("published_at", "public_id"))
    picked = rng.sample(rows, min(len(rows), pages - 1))
    return [None, *(Cursor(added, str(key), 0).encode() for added, key in picked)]


@dataclass
class Timings:
    """Wall and CPU seconds of one kind of work, one entry per page."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def time(self, work: Callable[[], T]) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        self.cpu.append(time.process_time() - cpu)
        self.wall.append(time.perf_counter() - wall)
        return result

    def line(self, name: str) -> str:
        def ms(values: list[float], share: float) -> str:
            return f"{_percentile(values, share) * 1000:7.1f}"

        return (
            f"{name:>26}: wall p50 {ms(self.wall, 0.5)} p95 {ms(self.wall, 0.95)} ms; "
            f"CPU p50 {ms(self.cpu, 0.5)} p95 {ms(self.cpu, 0.95)} ms"
        )


def _pages(token: str, pages: int, *, warm: bool) -> tuple[dict[str, Timings], int]:
    """Each page read cold (the object cache emptied first), then the same
    pages again from the cache; per page also the bare query of its rows
    and the JSON of its objects already built (orjson)."""
    import orjson
    from django.test import Client

    from openwarp.hub.taxii.stream import object_cache

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = "/taxii2/api/collections/federation/objects/"
    accept = "application/taxii+json;version=2.1"
    timings = {name: Timings() for name in ("cold", "cached", "bare", "json")}
    objects = 0
    cursors = _cursors(pages)
    for cursor in cursors if warm else []:  # brings the rows into the page cache
        client.get(url, {"limit": 1000, **({"next": cursor} if cursor else {})}, HTTP_ACCEPT=accept)
    for mode in ("cold", "cached"):
        for cursor in cursors:
            params: dict[str, object] = {"limit": 1000, **({"next": cursor} if cursor else {})}
            if mode == "cold":
                object_cache().clear()
            else:  # this page's objects into the cache (the cold pass kept only its last)
                client.get(url, params, HTTP_ACCEPT=accept)
            response = timings[mode].time(partial(client.get, url, params, HTTP_ACCEPT=accept))
            body = orjson.loads(response.content)
            assert response.status_code == 200, body
            if mode == "cached":
                continue
            page = body.get("objects", [])
            objects += len(page)
            ids = [o["id"].removeprefix("report--") for o in page if o["type"] == "report"]
            timings["bare"].time(partial(_bare, ids or ["00000000-0000-0000-0000-000000000000"]))
            timings["json"].time(partial(orjson.dumps, body))
    return timings, objects


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=100_000)
    parser.add_argument("--per-report", type=int, default=100)
    parser.add_argument("--pages", type=int, default=100, help="Pages to time.")
    parser.add_argument("--data-dir", type=Path, help="Keep (and reuse) the seeded database here.")
    parser.add_argument("--warm", action="store_true", help="Read each page once before timing.")
    args = parser.parse_args()
    if args.data_dir is not None:
        args.data_dir.mkdir(parents=True, exist_ok=True)
    directory = args.data_dir or Path(tempfile.mkdtemp(prefix="openwarp-taxii-bench-"))
    os.environ["OPENWARP_DATA_DIR"] = str(directory)
    os.environ.setdefault("OPENWARP_ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from openwarp.cli.django_setup import call_command, setup

    setup()
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    token = _reuse() or _seed(args.indicators, args.per_report)
    print(f"load before pages: {_load()}")
    timings, objects = _pages(token, args.pages, warm=args.warm)
    pages = len(timings["cold"].wall)
    print(f"database: {connection.vendor}; {objects:,} objects in {pages} pages; load {_load()}")
    print(timings["cold"].line("TAXII page, cache empty"))
    print(timings["cached"].line("TAXII page, cached objects"))
    print(timings["bare"].line("bare query of the rows"))
    print(timings["json"].line("orjson of built objects"))
    for mode in ("cold", "cached"):
        ratio = _percentile(timings[mode].wall, 0.95) / _percentile(timings["bare"].wall, 0.95)
        print(f"p95 ratio TAXII ({mode}) / bare query: {ratio:.1f}x")


if __name__ == "__main__":
    main()
