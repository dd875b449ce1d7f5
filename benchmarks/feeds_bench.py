"""Feed import benchmark: the maltrail static trails as a hub feed.

Run with ``nice .venv/bin/python benchmarks/feeds_bench.py`` (SQLite in a
throwaway data dir) or with ``DATABASE_URL=postgres://...`` for PostgreSQL.
It builds a region of 400 members, each with ranges and domains (some taken
from the feed so early warnings have work to do), then measures in one run:

- baseline: a bare bulk insert of the same rows into the same table in one
  transaction, no ORM, no parsing: ``executemany`` on SQLite, ``COPY`` on
  PostgreSQL (the fastest bare load each engine has; the hub's import uses
  the same on each, through a temporary table and one upsert on PostgreSQL);
- the hub's import, end to end: read and classify the file, upsert, early
  warnings for 400 members, audit;
- the early-warning pass alone, and a second import of the same file.

It prints the ratios; the issue's goal is an import within 3x the bare insert.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import platform
import random
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MALTRAIL = ROOT.parent / "shared" / "data" / "iocs" / "maltrail-static.tsv.gz"
MEMBERS = 400


def _django(data_dir: str) -> None:
    os.environ.setdefault("OPENWARP_DATA_DIR", data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openwarp.hub.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _region(feed_hosts: list[str], feed_ips: list[str]) -> None:
    """400 members: a /24 or two and a domain or two each; 40 hold a listed value."""
    from openwarp.core.errors import Conflict
    from openwarp.hub.members.models import Domain, NetworkRange, Organisation, Region
    from openwarp.hub.members.services.organisations import network_range_add

    region = Region.objects.create(name="Bench region", slug="bench-region")
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Member {n}", slug=f"member-{n}", org_type="district", region=region)
        for n in range(MEMBERS)
    )
    used: set[str] = set()
    for number, organisation in enumerate(organisations):
        if number < 40 and feed_ips:
            cidr = str(ipaddress.ip_network(f"{feed_ips[number]}/24", strict=False))
        else:
            cidr = f"62.{number // 250}.{number % 250}.0/24"
        if cidr not in used:
            used.add(cidr)
            with suppress(Conflict):
                network_range_add(actor=None, organisation=organisation, cidr=cidr)
        domain = feed_hosts[number] if number < 40 else f"member-{number}.gov.uk"
        Domain.objects.get_or_create(name=domain, defaults={"organisation": organisation})
    print(
        f"region: {Organisation.objects.count()} members, "
        f"{NetworkRange.objects.count()} ranges, {Domain.objects.count()} domains"
    )


def _sample(rng: random.Random) -> tuple[list[str], list[str]]:
    import gzip

    hosts, ips = [], []
    with gzip.open(MALTRAIL, "rt", encoding="utf-8") as handle:
        for line in handle:
            value = line.split("\t", 1)[0]
            if value.count(".") == 3 and value.replace(".", "").isdigit():
                ips.append(value)
            elif "/" not in value and ":" not in value and value.count(".") >= 1:
                hosts.append(value.lower())
    rng.shuffle(hosts)
    rng.shuffle(ips)
    return hosts[:40], ips[:40]


def _bare_insert(rows: list[tuple[object, ...]]) -> float:
    from django.db import connection, transaction

    sql = (
        "INSERT INTO feeds_feedindicator "
        "(feed_id, kind, value, context, first_seen, last_seen, expires_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    copy = (
        "COPY feeds_feedindicator "
        "(feed_id, kind, value, context, first_seen, last_seen, expires_at) FROM STDIN"
    )
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(copy) as stream:
                for row in rows:
                    stream.write_row(row)
        else:
            cursor.executemany(sql, rows)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=MALTRAIL)
    args = parser.parse_args()
    if not args.file.is_file():
        sys.exit(f"feed file not found: {args.file}")
    _django(tempfile.mkdtemp(prefix="openwarp-feeds-bench-"))

    from django.db import connection
    from django.utils import timezone

    from openwarp.core.indicators.loaders import load_indicators
    from openwarp.hub.feeds.models import Feed, FeedIndicator
    from openwarp.hub.feeds.services import feed_create, feed_early_warning, feed_import

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}, "
        f"database {connection.vendor}"
    )
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    rng = random.Random(1852460)
    hosts, ips = _sample(rng)
    _region(hosts, ips)

    start = time.perf_counter()
    loaded = load_indicators([args.file])
    parse = time.perf_counter() - start
    now = timezone.now()
    scratch = Feed.objects.create(name="scratch", slug="scratch")
    unique = {(str(i.type), i.key): (i.report or "")[:200] for i in loaded.indicators.indicators}
    rows = [(scratch.pk, k, v, c, now, now, now) for (k, v), c in unique.items()]
    bare = _bare_insert(rows)
    FeedIndicator.objects.filter(feed=scratch).delete()
    print(f"parse only: {parse:.1f} s for {len(rows):,} distinct values")
    how = "COPY" if connection.vendor == "postgresql" else "executemany"
    print(f"bare bulk insert ({how}): {bare:.1f} s ({len(rows) / bare:,.0f} rows/s)")

    feed = feed_create(actor=None, name="maltrail static", reliability="C")
    start = time.perf_counter()
    summary = feed_import(actor=None, feed=feed, path=args.file)
    first = time.perf_counter() - start
    print(
        f"hub import, end to end: {first:.1f} s ({summary['values']:,} values, "
        f"{summary['rejected']:,} left out, {summary['alerts']} alerts) -> "
        f"{len(rows) / first:,.0f} values/s, {first / bare:.2f}x the bare insert, "
        f"{(first - parse) / bare:.2f}x without parsing"
    )

    start = time.perf_counter()
    again = feed_early_warning(feed=feed)
    warn = time.perf_counter() - start
    print(f"early warning alone, {MEMBERS} members: {warn:.1f} s ({len(again)} new alerts)")

    start = time.perf_counter()
    feed_import(actor=None, feed=feed, path=args.file)
    second = time.perf_counter() - start
    print(f"re-import of the same file: {second:.1f} s, {second / bare:.2f}x the bare insert")
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
