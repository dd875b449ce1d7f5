"""Benchmark ``openwarp sweep`` against ``LC_ALL=C grep -F -f`` on the same logs.

Generates (fixed seed) mixed logs - squid, combined web, BIND, dnsmasq,
Windows DNS debug, iptables syslog and Zeek JSON - and a 1,000,000-indicator
set (600k domains, 300k IPv4, 2k CIDRs, 50k URLs, 50k hashes) plus a 100k
subset (every tenth line), sweeps the logs with every core and with one, with
each stage-1 engine (the C extension ``native``, the pure-Python fast path and
the Hyperscan pre-filter, whose compile is timed cold, then warm from its
cache), runs grep on the same files in the same run, then sweeps the same logs
with the real maltrail set. Prints MB/s, CPU seconds, the ratio, indicator load
and compile time, memory (native runs first, so the "peak so far" after it is
its own sweep process's peak).

Usage: nice python benchmarks/sweep_bench.py --size-mb 2048 [--workdir DIR]
       [--engines native,python,hyperscan] [--keep-cache]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import time
from pathlib import Path

from openwarp.core.indicators import load_indicators, load_warninglists
from openwarp.core.sweep import Summary, SweepWarning, prefilter, sweep_paths
from openwarp.core.sweep.prefilter import prepare_engine

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
TLDS = ("com", "net", "org", "co.uk", "gov.uk", "info", "io", "ru", "xyz", "nhs.uk")
SYLLABLES = [a + b for a in "bcdfghklmnprstvwz" for b in "aeiou"]
FORMAT_SHARE = {
    "squid": 0.30,
    "web": 0.20,
    "bind": 0.15,
    "dnsmasq": 0.10,
    "windns": 0.05,
    "iptables": 0.10,
    "zeek": 0.10,
}
HIT_RATE = 0.0005


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5)))


def _ip(rng: random.Random) -> str:
    return (
        f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    )


class World:
    """Pools of hosts, clients and indicators the log writers draw from."""

    def __init__(self, seed: int) -> None:
        rng = self.rng = random.Random(seed)
        self.hosts = [f"{_name(rng)}.{rng.choice(TLDS)}" for _ in range(200_000)]
        self.servers = [_ip(rng) for _ in range(300_000)]
        self.clients = [
            f"10.{rng.randint(0, 20)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            for _ in range(5_000)
        ]
        self.bad_domains = [
            f"{_name(rng)}{rng.randint(0, 99)}.{rng.choice(TLDS)}" for _ in range(600_000)
        ]
        self.bad_ips = [_ip(rng) for _ in range(300_000)]
        self.cidrs = [
            f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.0/24"
            for _ in range(2_000)
        ]
        self.bad_urls = [
            f"http://{rng.choice(self.bad_domains)}/{_name(rng)}/{_name(rng)}.php"
            for _ in range(50_000)
        ]
        self.hashes = [f"{rng.getrandbits(256):064x}" for _ in range(50_000)]

    def host(self) -> str:
        rng = self.rng
        if rng.random() < HIT_RATE:
            return "www." + rng.choice(self.bad_domains)
        index = min(int(rng.paretovariate(0.9)) - 1, len(self.hosts) - 1)
        return self.hosts[index] if rng.random() < 0.7 else rng.choice(self.hosts)

    def server(self) -> str:
        rng = self.rng
        if rng.random() < HIT_RATE:
            return rng.choice(self.bad_ips)
        return rng.choice(self.servers) if rng.random() < 0.8 else _ip(rng)

    def write_indicators(self, path: Path) -> None:
        with path.open("w") as out:
            for values in (self.bad_domains, self.bad_ips, self.cidrs, self.bad_urls, self.hashes):
                out.write("\n".join(values) + "\n")


def _squid(w: World, i: int) -> str:
    r = w.rng
    url = (
        r.choice(w.bad_urls)
        if r.random() < HIT_RATE
        else (f"http://{w.host()}/{_name(r)}/{r.randint(0, 999)}.js?v={r.getrandbits(32):x}")
    )
    return (
        f"{1700000000 + i // 50}.{r.randint(0, 999):03d} {r.randint(1, 9999):6d} "
        f"{r.choice(w.clients)} TCP_MISS/200 {r.randint(200, 99999)} GET {url} - "
        f"HIER_DIRECT/{w.server()} text/html"
    )


def _web(w: World, i: int) -> str:
    r = w.rng
    return (
        f"{w.server()} - - [14/Nov/2023:10:{i // 6000 % 60:02d}:{i // 100 % 60:02d} +0000] "
        f'"GET /{_name(r)}/{r.randint(0, 99)}.html HTTP/1.1" 200 {r.randint(100, 50000)} '
        f'"https://{w.host()}/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"'
    )


def _bind(w: World, i: int) -> str:
    r, host, client = w.rng, w.host(), w.rng.choice(w.clients)
    return (
        f"14-Nov-2023 10:{i // 6000 % 60:02d}:{i // 100 % 60:02d}.{r.randint(0, 999):03d} "
        f"client @0x7f{r.getrandbits(32):08x} {client}#{r.randint(1024, 65535)} ({host}): "
        f"query: {host} IN A +E(0)K (10.0.0.53)"
    )


def _dnsmasq(w: World, i: int) -> str:
    r, host = w.rng, w.host()
    stamp = f"Nov 14 10:{i // 6000 % 60:02d}:{i // 100 % 60:02d} gw dnsmasq[812]:"
    if r.random() < 0.5:
        return f"{stamp} reply {host} is {w.server()}"
    return f"{stamp} query[A] {host} from {r.choice(w.clients)}"


def _windns(w: World, i: int) -> str:
    r = w.rng
    labels = "".join(f"({len(p)}){p}" for p in w.host().split(".")) + "(0)"
    return (
        f"11/14/2023 10:{i // 6000 % 60:02d}:{i // 100 % 60:02d} AM 0E28 PACKET  "
        f"000001F4A1B2C3D0 UDP Rcv {r.choice(w.clients)}   {r.getrandbits(16):04x}   Q "
        f"[0001   D   NOERROR] A      {labels}"
    )


def _iptables(w: World, i: int) -> str:
    r = w.rng
    return (
        f"Nov 14 10:{i // 6000 % 60:02d}:{i // 100 % 60:02d} fw kernel: [12345.678] DROP IN=eth0 "
        f"OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC={w.server()} "
        f"DST={r.choice(w.clients)} LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID={r.randint(0, 65535)} "
        f"DF PROTO=TCP SPT={r.randint(1024, 65535)} DPT=443 WINDOW=29200 RES=0x00 SYN URGP=0"
    )


def _zeek(w: World, i: int) -> str:
    r = w.rng
    if r.random() < 0.2:
        digest = r.choice(w.hashes) if r.random() < HIT_RATE * 20 else f"{r.getrandbits(256):064x}"
        return (
            f'{{"ts":{1700000000 + i / 50:.6f},"fuid":"F{r.getrandbits(60):x}",'
            f'"tx_hosts":["{w.server()}"],"rx_hosts":["{r.choice(w.clients)}"],'
            f'"mime_type":"application/x-dosexec","sha256":"{digest}"}}'
        )
    return (
        f'{{"ts":{1700000000 + i / 50:.6f},"uid":"C{r.getrandbits(60):x}",'
        f'"id.orig_h":"{r.choice(w.clients)}","id.orig_p":{r.randint(1024, 65535)},'
        f'"id.resp_h":"10.0.0.53","id.resp_p":53,"proto":"udp","query":"{w.host()}",'
        f'"qtype_name":"A","rcode_name":"NOERROR","answers":["{w.server()}"]}}'
    )


WRITERS = {
    "squid": _squid,
    "web": _web,
    "bind": _bind,
    "dnsmasq": _dnsmasq,
    "windns": _windns,
    "iptables": _iptables,
    "zeek": _zeek,
}


def generate(workdir: Path, size_mb: int, seed: int) -> tuple[list[Path], Path]:
    """Write the logs and the indicator list once; later runs reuse them."""
    stamp = workdir / f"done-{size_mb}-{seed}"
    logs = sorted((workdir / "logs").glob("*.log"))
    indicators = workdir / "indicators.txt"
    if stamp.exists():
        return logs, indicators
    world = World(seed)
    (workdir / "logs").mkdir(parents=True, exist_ok=True)
    world.write_indicators(indicators)
    for kind, share in FORMAT_SHARE.items():
        target, written, part = int(size_mb * share * (1 << 20)), 0, 0
        while written < target:
            path = workdir / "logs" / f"{kind}-{part:02d}.log"
            with path.open("w") as out:
                for start in range(0, 10**9, 10_000):
                    text = "\n".join(WRITERS[kind](world, start + n) for n in range(10_000)) + "\n"
                    out.write(text)
                    written += len(text)
                    if written >= target or out.tell() > 256 << 20:
                        break
            part += 1
    stamp.touch()
    return sorted((workdir / "logs").glob("*.log")), indicators


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def run_sweep(
    logs: list[Path],
    indicator_file: Path,
    label: str,
    workers: int,
    engine: str = "python",
    cache: Path | None = None,
) -> dict:
    """Load a set, sweep the logs, and report timings (load is timed on its own).

    CPU seconds (this process and its workers) are reported beside wall time:
    on a shared machine they show what the sweep itself cost.
    """
    started = time.perf_counter()
    loaded = load_indicators([indicator_file])
    load_seconds = time.perf_counter() - started
    started, cpu = time.perf_counter(), _cpu_seconds()
    prepare_engine(loaded.indicators, engine, cache)  # timed alone: a cold compile or a load
    prepared, prepared_cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    summary = Summary()
    started, cpu = time.perf_counter(), _cpu_seconds()
    items = sweep_paths(
        [str(p) for p in logs],
        loaded.indicators,
        summary,
        workers=workers,
        engine=engine,
        cache_dir=cache,
    )
    hits = sum(1 for item in items if not isinstance(item, SweepWarning))
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    size = sum(p.stat().st_size for p in logs) / 1e6
    print(
        f"{label} [{summary.engine}]: {len(loaded.indicators):,} indicators loaded in "
        f"{load_seconds:.2f} s, engine ready in {prepared:.1f} s ({prepared_cpu:.1f} CPU s; "
        f"loaded again inside the sweep); "
        f"swept {size:,.0f} MB in {seconds:.1f} s = {size / seconds:.1f} MB/s on {workers} "
        f"process(es) ({cpu:.1f} CPU s, {size / cpu:.1f} MB per CPU second), "
        f"{hits:,} hits, {summary.warnings} warnings, "
        f"peak memory so far {_peak_mb(resource.RUSAGE_SELF):,.0f} MB "
        f"(largest child so far {_peak_mb(resource.RUSAGE_CHILDREN):,.0f} MB)",
        flush=True,
    )
    return {"load": load_seconds, "mbps": size / seconds, "hits": hits}


def run_grep(logs: list[Path], indicator_file: Path) -> dict:
    """Time ``LC_ALL=C grep -F -f`` on the same files; its memory comes from wait4."""
    env = dict(os.environ, LC_ALL="C")
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(
            ["grep", "-F", "-c", "-f", str(indicator_file), *map(str, logs)], stdout=sink, env=env
        )
        _, _, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in logs)
    print(
        f"grep -F -f: {size / 1e6:,.0f} MB in {seconds:.1f} s = {size / 1e6 / seconds:.1f} MB/s, "
        f"peak memory {usage.ru_maxrss / 1024:,.0f} MB"
    )
    return {"mbps": size / 1e6 / seconds, "memory": usage.ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size-mb", type=int, default=2048, help="total size of the logs")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/openwarp-sweep-bench"))
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-grep", action="store_true")
    parser.add_argument("--sets", default="100k,1M", help="which synthetic sets: 100k,1M")
    parser.add_argument("--skip-maltrail", action="store_true")
    parser.add_argument(
        "--engines", default="native,python,hyperscan", help="stage-1 engines, in this order"
    )
    parser.add_argument(
        "--keep-cache", action="store_true", help="reuse compiled pre-filters (no cold run)"
    )
    parser.add_argument(
        "--split-quads", action="store_true", help="addresses by set lookup, not in Hyperscan"
    )
    args = parser.parse_args()
    workdir = args.workdir / f"{args.size_mb}mb-seed{args.seed}"
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    started = time.perf_counter()
    logs, indicator_file = generate(workdir, args.size_mb, args.seed)
    print(
        f"logs: {len(logs)} files, {sum(p.stat().st_size for p in logs) / 1e6:,.0f} MB "
        f"(generated or reused in {time.perf_counter() - started:.0f} s), cores: {os.cpu_count()}"
    )
    cache = workdir / "prefilter-cache"
    if not args.keep_cache:
        shutil.rmtree(cache, ignore_errors=True)  # the first hyperscan run compiles (cold)
    prefilter.SPLIT_QUADS = args.split_quads
    subset = workdir / "indicators-100k.txt"
    lines = indicator_file.read_text().splitlines()
    subset.write_text("\n".join(lines[::10]) + "\n")
    chosen = args.sets.split(",")
    engines = args.engines.split(",")
    twice = [] if args.keep_cache else ["hyperscan"]  # hyperscan twice: cold, then warm
    for size_label, path in (("100k", subset), ("1M", indicator_file)):
        if size_label not in chosen:
            continue
        for engine in [*engines, *(e for e in twice if e in engines)]:
            label = f"openwarp sweep, {size_label} synthetic"
            run_sweep(logs, path, label, args.workers, engine, cache)
        for engine in engines:
            run_sweep(logs, path, f"same, {size_label}, 1 process", 1, engine, cache)
    print(
        f"peak memory: parent {_peak_mb(resource.RUSAGE_SELF):,.0f} MB, "
        f"largest child (worker or compile) {_peak_mb(resource.RUSAGE_CHILDREN):,.0f} MB"
    )
    ours = run_sweep(
        logs, indicator_file, "openwarp sweep, 1M synthetic", args.workers, "auto", cache
    )
    if not args.skip_grep:
        grep = run_grep(logs, indicator_file)
        print(f"ratio: openwarp sweep is {ours['mbps'] / grep['mbps']:.1f}x grep -F -f")
    if args.skip_maltrail:
        print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        return
    started = time.perf_counter()
    warninglists = load_warninglists(SHARED / "warninglists" / "warninglists.jsonl.gz")
    print(f"warninglists loaded in {time.perf_counter() - started:.2f} s")
    maltrail = SHARED / "iocs" / "maltrail-static.tsv.gz"
    run_sweep(logs, maltrail, "openwarp sweep, maltrail", args.workers, "auto", cache)
    del warninglists
    print(f"peak memory overall: parent {_peak_mb(resource.RUSAGE_SELF):,.0f} MB")
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
