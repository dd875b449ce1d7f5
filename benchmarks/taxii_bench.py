"""Benchmark a TAXII page of 1,000 objects against a bare query of the same rows.

Stores N indicators (default 100,000) in GREEN federation reports of
`--per-report` values each, in a fresh database (SQLite under a temporary
data dir, or PostgreSQL when DATABASE_URL is set), then walks the whole
federation collection as a member through the real TAXII view (token auth,
policy, STIX export, JSON) with `limit=1000`: the first page and pages that
start at randomly chosen reports (fixed seed), timing each. In the same
run, for each page, it times a bare ORM query of the same reports and their
indicators (`values()` rows, no policy, no STIX). Prints p50/p95 of both and
the p95 ratio.

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
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


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


def _pages(token: str, pages: int, *, warm: bool) -> tuple[list[float], list[float], int]:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = "/taxii2/api/collections/federation/objects/"
    taxii, bare, objects = [], [], 0
    cursors = _cursors(pages)
    for cursor in cursors if warm else []:
        params = {"limit": 1000, **({"next": cursor} if cursor else {})}
        client.get(url, params, HTTP_ACCEPT="application/taxii+json;version=2.1")
    for cursor in cursors:
        params: dict[str, object] = {"limit": 1000, **({"next": cursor} if cursor else {})}
        started = time.perf_counter()
        response = client.get(url, params, HTTP_ACCEPT="application/taxii+json;version=2.1")
        taxii.append(time.perf_counter() - started)
        body = response.json()
        assert response.status_code == 200, body
        page = body.get("objects", [])
        objects += len(page)
        ids = [o["id"].removeprefix("report--") for o in page if o["type"] == "report"]
        started = time.perf_counter()
        _bare(ids or ["00000000-0000-0000-0000-000000000000"])
        bare.append(time.perf_counter() - started)
    return taxii, bare, objects


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
    taxii, bare, objects = _pages(token, args.pages, warm=args.warm)
    print(f"database: {connection.vendor}; {objects:,} objects in {len(taxii)} pages")
    for name, times in (("TAXII page", taxii), ("bare query", bare)):
        print(
            f"{name:>11}: p50 {statistics.median(times) * 1000:7.1f} ms   "
            f"p95 {_percentile(times, 0.95) * 1000:7.1f} ms"
        )
    print(f"p95 ratio TAXII / bare: {_percentile(taxii, 0.95) / _percentile(bare, 0.95):.1f}x")


if __name__ == "__main__":
    main()
