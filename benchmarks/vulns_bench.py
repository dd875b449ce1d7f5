"""Benchmark: loading CVE JSON 5 records and matching a national-scale inventory.

Run: nice .venv/bin/python benchmarks/vulns_bench.py [--orgs 25000] [--products 200]
     [--load-only] [--repeat 3] [--dump FILE]

1. Load all 2024 records with our reader, as a ratio to only parsing the same
   file with the same JSON library in the same run. Goal: within 2x. The reader
   decodes with msgspec into typed structs (ADR 0203), so the baseline is
   msgspec's own plain decode of every line into dicts, with a reused decoder;
   orjson's plain decode (the reader's library until session 6) is timed beside
   it as a second reference. Both baselines and the reader read the file the same
   way (gzip, then split into lines).
2. A synthetic inventory of ORGS x PRODUCTS rows drawn (fixed seed) from the real
   CPEs in that data: full re-match of every published record (goal < 60 s), and
   matching one newly published CVE, parsed from its JSON, against every
   organisation (goal < 100 ms).
3. `--dump FILE` instead writes every judgement of the region (not affected
   included) as sorted JSON lines, so two versions of the matcher can be
   compared on the same inputs (run the other one with PYTHONPATH at its src).
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import msgspec
import orjson

from openwarp.core.vulns.cpe import parse_cpe
from openwarp.core.vulns.cve5 import load_cve5, record_from_json
from openwarp.core.vulns.inventory import make_item
from openwarp.core.vulns.matcher import InventoryIndex
from openwarp.core.vulns.model import InventoryItem, Vulnerability

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "cve5" / "cve5-2024.jsonl.gz"
SEED = 20240412
NEW_CVES = ("CVE-2024-3400", "CVE-2024-21762", "CVE-2024-38063", "CVE-2024-20353",
            "CVE-2024-44178")


def _clock() -> tuple[float, float]:
    """Wall seconds and CPU seconds of this process (children included)."""
    t = os.times()
    return time.perf_counter(), t.user + t.system + t.children_user + t.children_system


def _since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = _clock()
    return wall - start[0], cpu - start[1]


def parse_only(library: str) -> tuple[float, float]:
    """Read the file as the reader does and parse every line into plain objects."""
    start = _clock()
    loads = msgspec.json.Decoder().decode if library == "msgspec" else orjson.loads
    with gzip.open(DATA, "rb") as handle:
        data = handle.read()
    for line in data.splitlines():
        if line.strip():
            loads(line)
    return _since(start)


def load_ours() -> tuple[tuple[float, float], list[Vulnerability]]:
    start = _clock()
    records = load_cve5([DATA]).records
    return _since(start), records


def _report(name: str, i: int, runs: dict[str, list[tuple[float, float]]], count: int) -> None:
    best = {k: min(r[i] for r in v) for k, v in runs.items()}
    # Each run's ratio against the msgspec baseline of the same round, to show the spread.
    rounds = sorted(o[i] / b[i] for o, b in zip(runs["reader"], runs["msgspec"], strict=True))
    print(f"load 2024 CVE JSON 5 by {name} time: parse-only msgspec {best['msgspec']:.2f} s "
          f"(orjson {best['orjson']:.2f} s), our reader {best['reader']:.2f} s; ratio to "
          f"msgspec parse-only {best['reader'] / best['msgspec']:.2f}x (goal <= 2x; "
          f"per round {', '.join(f'{r:.2f}' for r in rounds)}), to orjson parse-only "
          f"{best['reader'] / best['orjson']:.2f}x; {count / best['reader']:,.0f} records/s")


def load_ratio(repeat: int) -> list[Vulnerability]:
    """Parse-only (msgspec, orjson) and our reader interleaved, so a burst of load hits
    all three; best of each, and each round's own ratio."""
    runs: dict[str, list[tuple[float, float]]] = {"msgspec": [], "orjson": [], "reader": []}
    records: list[Vulnerability] = []
    for _ in range(repeat):
        runs["msgspec"].append(parse_only("msgspec"))
        runs["orjson"].append(parse_only("orjson"))
        records = []  # let the previous run's records go before the next one
        elapsed, records = load_ours()
        runs["reader"].append(elapsed)
    for name, i in (("CPU", 1), ("wall", 0)):
        _report(name, i, runs, len(records))
    print(f"load average after the load runs: {os.getloadavg()[0]:.1f}")
    start = _clock()
    entries = sum(len(vuln.affected) for vuln in records)
    wall, cpu = _since(start)
    print(f"first use (not part of the load): building all {entries:,} affected entries "
          f"{cpu:.2f} s CPU, {wall:.2f} s wall")
    return records


def product_pool(records: list[Vulnerability]) -> list[str]:
    """Distinct concrete CPE 2.3 names (vendor, product and version set) in the data."""
    pool: set[str] = set()
    for vuln in records:
        for entry in vuln.affected:
            for text in entry.cpes:
                if not text.startswith("cpe:2.3:"):
                    continue
                try:
                    cpe = parse_cpe(text)
                except Exception:  # noqa: S112 - a malformed CPE is simply not drawn
                    continue
                if all(isinstance(v, str) for v in (cpe.vendor, cpe.product, cpe.version)):
                    pool.add(cpe.to_fs())
    return sorted(pool)


def build_inventory(pool: list[str], orgs: int, products: int) -> list[InventoryItem]:
    rng = random.Random(SEED)
    templates = [make_item(0, {"cpe": c}) for c in pool]
    items: list[InventoryItem] = []
    for org in range(orgs):
        name = f"org{org:05d}"
        for row, template in enumerate(rng.sample(templates, products), start=1):
            items.append(InventoryItem(
                row=row, cpe=template.cpe, org=name, keys=template.keys,
                internet_facing=rng.random() < 0.2,
                criticality=rng.choice(("high", "medium", "low")),
            ))
    return items


def full_rematch(
    index: InventoryIndex, records: list[Vulnerability]
) -> tuple[tuple[float, float], Counter]:
    """Judge every (product group, CVE) pair and count the rows each verdict covers.

    Rows are counted, not turned into one Python object each: with an inventory
    drawn only from vulnerable CPEs that would be tens of millions of warnings."""
    counts: Counter = Counter()
    start = _clock()
    for vuln in records:
        if vuln.state != "PUBLISHED":
            continue
        for group, judgement in index.judge_groups(vuln):
            if judgement is None:
                counts["per-organisation"] += len(index.group_rows[group])
            else:
                counts[str(judgement.verdict)] += len(index.group_rows[group])
    return _since(start), counts


def one_new_cve(index: InventoryIndex, lines: dict[str, bytes]
                ) -> list[tuple[str, float, float, int, float]]:
    """Per CVE: median seconds to parse it and judge every organisation's rows (verdict
    per group, rows counted), median seconds to also build one (row, verdict,
    priority) tuple per affected row, and the median CPU seconds of the first."""
    out = []
    for cve in NEW_CVES:
        decide, rows, cpu, found = [], [], [], 0
        for _ in range(5):
            start = time.perf_counter()
            began = time.process_time()
            vuln = record_from_json(lines[cve])
            found = sum(len(index.group_rows[g]) for g, j in index.judge_groups(vuln)
                        if j is None or str(j.verdict) != "not_affected")
            decide.append(time.perf_counter() - start)
            cpu.append(time.process_time() - began)
            start = time.perf_counter()
            vuln = record_from_json(lines[cve])
            sum(1 for _ in index.match_rows(vuln))
            rows.append(time.perf_counter() - start)
        out.append((cve, statistics.median(decide), statistics.median(rows), found,
                    statistics.median(cpu)))
    return out


def dump_judgements(index: InventoryIndex, records: list[Vulnerability], path: Path) -> None:
    lines = []
    for vuln in records:
        if vuln.state != "PUBLISHED":
            continue
        for finding in index.match(vuln, include_not_affected=True):
            lines.append(orjson.dumps(finding.as_dict(), option=orjson.OPT_SORT_KEYS))
    lines.sort()
    path.write_bytes(b"\n".join(lines) + b"\n")
    print(f"wrote {len(lines):,} judgements to {path}")


def raw_lines() -> dict[str, bytes]:
    wanted = {c.encode() for c in NEW_CVES}
    found = {}
    with gzip.open(DATA, "rb") as handle:
        for line in handle:
            for cve in wanted:
                if b'"cveId":"' + cve + b'"' in line:
                    found[cve.decode()] = line
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=25_000)
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--load-only", action="store_true", help="only the load ratio")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best counts")
    parser.add_argument("--dump", type=Path, help="write the region's judgements and stop")
    args = parser.parse_args()
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python "
          f"{sys.version.split()[0]}, {platform.platform()}")
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    records = load_ratio(args.repeat)
    if args.load_only:
        return
    pool = product_pool(records)
    start = time.perf_counter()
    items = build_inventory(pool, args.orgs, args.products)
    index = InventoryIndex(items)
    print(f"inventory: {args.orgs:,} orgs x {args.products} = {len(items):,} rows from "
          f"{len(pool):,} real CPEs, {len(index.group_rows):,} distinct groups, built in "
          f"{time.perf_counter() - start:.1f} s")
    if args.dump:
        dump_judgements(index, records, args.dump)
        return
    (elapsed, cpu), counts = full_rematch(index, records)
    print(f"full re-match of {len(records):,} records: {elapsed:.1f} s wall, {cpu:.1f} s CPU "
          "(goal < 60 s); "
          + ", ".join(f"{k}: {v:,}" for k, v in sorted(counts.items())))
    for cve, decide, rows, found, cpu in one_new_cve(index, raw_lines()):
        print(f"one new CVE {cve}: judged for every org in {decide * 1000:.1f} ms "
              f"({cpu * 1000:.1f} ms CPU; goal < 100 ms); with one tuple per row "
              f"{rows * 1000:.1f} ms; "
              f"{found:,} rows affected or needing review")


if __name__ == "__main__":
    main()
