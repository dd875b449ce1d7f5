"""Benchmark: the hub's exposure re-match against the pure core's match, same run.

Run: nice .venv/bin/python benchmarks/exposure_hub_bench.py [--orgs 200] [--products 50]

A throwaway SQLite hub gets every 2024 CVE JSON 5 record (timed against the
core reader alone) and a synthetic region of ORGS x PRODUCTS inventory rows
drawn (fixed seed) from the real CPEs in that data. Then:
1. full re-match of the region (read rows and records from the database, match,
   write warnings), as a ratio to the core matching the same rows against the
   same records in memory;
2. the second full re-match, when every warning already exists (updates only);
3. re-matching one newly published CVE across the region.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "cve5" / "cve5-2024.jsonl.gz"
SEED = 20240412
NEW_CVE = "CVE-2024-21762"


def _django(folder: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="openwarp.hub.settings",
        OPENWARP_DATA_DIR=folder,
        OPENWARP_SECRET_KEY="benchmark-only-secret-key-0123456789abcdef0123",  # noqa: S106 - throwaway hub
    )
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _region(pool: list[str], orgs: int, products: int) -> None:
    from openwarp.hub.exposure.models import InventoryItem
    from openwarp.hub.members.models import Organisation, Region

    rng = random.Random(SEED)
    region = Region.objects.create(name="Benchmark", slug="benchmark")
    rows = []
    for number in range(orgs):
        org = Organisation.objects.create(
            name=f"Org {number}",
            slug=f"org-{number}",
            org_type=rng.choice(("unitary", "district")),
            region=region,
        )
        rows += [
            InventoryItem(
                organisation=org,
                cpe=cpe,
                internet_facing=rng.random() < 0.2,
                criticality=rng.choice(("high", "medium", "low")),
            )
            for cpe in rng.sample(pool, products)
        ]
    InventoryItem.objects.bulk_create(rows, batch_size=2000)


def _core_match(records: list) -> tuple[float, int]:  # type: ignore[type-arg]
    from openwarp.core.vulns.matcher import InventoryIndex
    from openwarp.hub.exposure.models import InventoryItem
    from openwarp.hub.exposure.records import core_item

    items = [core_item(row) for row in InventoryItem.objects.all()]
    start = time.perf_counter()
    index = InventoryIndex(items)
    found = sum(len(index.match(v)) for v in records if v.state == "PUBLISHED")
    return time.perf_counter() - start, found


def _timed(call):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = call()
    elapsed = time.perf_counter() - start
    return elapsed, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=200)
    parser.add_argument("--products", type=int, default=50)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, load {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as folder:
        _django(folder)
        from vulns_bench import product_pool  # the same real-CPE pool as the core benchmark

        from openwarp.core.vulns.cve5 import load_cve5
        from openwarp.hub.exposure.models import ExposureWarning
        from openwarp.hub.exposure.services.data import vulnerability_data_store
        from openwarp.hub.exposure.services.matching import exposure_rematch

        parse, records = _timed(lambda: load_cve5([DATA]).records)
        store, _ = _timed(
            lambda: vulnerability_data_store(actor=None, records=records, sources=[str(DATA)])
        )
        print(
            f"load 2024 records: core reader {parse:.1f} s, storing in the hub {store:.1f} s "
            f"more (ratio {(parse + store) / parse:.1f}x of reading alone)"
        )
        _region(product_pool(records), args.orgs, args.products)
        core, found = _core_match(records)
        hub, _ = _timed(exposure_rematch)
        warnings = ExposureWarning.objects.count()
        print(
            f"region {args.orgs} orgs x {args.products} products: core match {core:.1f} s "
            f"({found:,} findings); hub full re-match {hub:.1f} s, {warnings:,} warnings "
            f"written, ratio {hub / core:.1f}x"
        )
        again, _ = _timed(exposure_rematch)
        print(f"second full re-match (updates only): {again:.1f} s, ratio {again / core:.1f}x")
        one, _ = _timed(lambda: exposure_rematch(cve_ids=[NEW_CVE]))
        print(f"re-match one CVE ({NEW_CVE}) across the region: {one * 1000:.0f} ms")


if __name__ == "__main__":
    main()
