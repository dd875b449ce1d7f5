"""How long ``openwarp sweep`` takes to load its indicators, cold.

Loads the sweep benchmark's 1,000,000-indicator set (``sweep_bench.World``,
fixed seed: 600k domains, 300k IPv4, 2k CIDRs, 50k URLs, 50k hashes) and the
real maltrail set, each in a fresh interpreter, and prints wall and CPU
seconds of the load (``load_indicators``), of the native engine's table, and
the child's peak memory. ``--src DIR`` runs the children on another source
tree (``git archive <commit> src | tar -x -C DIR``), so a before/after pair is
measured in the same run; ``--warninglists`` applies the shared warning lists
as ``openwarp sweep`` does when they are installed.

Usage: nice python benchmarks/sweep_load_bench.py [--src OLD/src] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from sweep_bench import SHARED, World

CHILD = """
import json, os, resource, sys, time
from pathlib import Path
from openwarp.core.indicators import load_indicators, load_warninglists

def cpu():
    t = os.times()
    return t.user + t.system

lists = load_warninglists(Path(sys.argv[2])) if len(sys.argv) > 2 else None
wall, used = time.perf_counter(), cpu()
loaded = load_indicators([Path(sys.argv[1])], warninglists=lists)
out = {"load": time.perf_counter() - wall, "load_cpu": cpu() - used, "n": len(loaded.indicators)}
try:
    from openwarp.core.sweep import native
    wall, used = time.perf_counter(), cpu()
    native.build_table(loaded.indicators)
    out.update(table=time.perf_counter() - wall, table_cpu=cpu() - used)
except Exception as exc:  # an old tree's stale build: no table figures
    out["table_error"] = str(exc)[:80]
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def load_once(path: Path, src: Path | None, warninglists: Path | None) -> dict:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    argv = [sys.executable, "-c", CHILD, str(path), *([str(warninglists)] if warninglists else [])]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/openwarp-sweep-bench"))
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--src", type=Path, help="a second source tree to compare with")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warninglists", action="store_true")
    args = parser.parse_args()
    synthetic = args.workdir / f"indicators-1M-seed{args.seed}.txt"
    if not synthetic.exists():  # the same set as sweep_bench's for this seed
        synthetic.parent.mkdir(parents=True, exist_ok=True)
        World(args.seed).write_indicators(synthetic)
    lists = SHARED / "warninglists" / "warninglists.jsonl.gz" if args.warninglists else None
    sets = (("1M synthetic", synthetic), ("maltrail", SHARED / "iocs" / "maltrail-static.tsv.gz"))
    trees = (("this tree", None), *((f"--src {args.src}", args.src),) * bool(args.src))
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    for label, path in sets:
        for _ in range(args.repeat):  # trees alternate, so both see the same load
            for tree, src in trees:
                got = load_once(path, src, lists)
                table = (
                    f"table {got['table']:.2f} s ({got['table_cpu']:.2f} CPU s)"
                    if "table" in got
                    else f"no table ({got.get('table_error')})"
                )
                print(
                    f"{label:12s} {tree:28s} {got['n']:>9,} indicators: load {got['load']:5.2f} s "
                    f"({got['load_cpu']:.2f} CPU s), {table}, peak {got['peak_mb']:,.0f} MB "
                    f"[{time.strftime('%H:%M:%S')}, load {os.getloadavg()[0]:.2f}]",
                    flush=True,
                )
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
