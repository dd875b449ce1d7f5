"""Compile a Hyperscan literal database in a fresh process, and keep its bytes.

Hyperscan needs about 2 KB of working memory per literal while it compiles
(1.2 GB for 650k literals) and does not give it back to the operating system
promptly, so a sweep that compiled in-process would carry that peak for its
whole run and hand it, copy-on-write, to every worker it forks. A fresh
interpreter that reads the literals from a file, compiles, writes the
serialised database and exits keeps the sweep's own peak at what the scan
needs. ``python -m openwarp.core.sweep.hscompile LITERALS OUT`` is that process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from openwarp.core.errors import InvalidInput


def compile_literals(expressions: list[bytes]) -> Any:
    """A block-mode database of ``expressions`` as literals, one match per id and scan."""
    import hyperscan

    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=expressions,
        ids=list(range(len(expressions))),
        elements=len(expressions),
        flags=hyperscan.HS_FLAG_SINGLEMATCH,
        literal=True,
    )
    return database


def compile_elsewhere(texts: list[bytes], workdir: Path | None) -> bytes:
    """The serialised database of ``texts``, compiled by a child interpreter."""
    with tempfile.TemporaryDirectory(dir=workdir, prefix=".hscompile-") as scratch:
        source, target = Path(scratch) / "literals", Path(scratch) / "database"
        source.write_bytes(b"\n".join(texts))  # no literal holds a line end
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
            [sys.executable, "-m", "openwarp.core.sweep.hscompile", str(source), str(target)],
            capture_output=True,
            check=False,
            env={**os.environ, "PYTHONSAFEPATH": "1"},
        )
        if done.returncode != 0 or not target.is_file():
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
            raise InvalidInput(f"compiling the pre-filter failed: {reason[0]}", field="engine")
        return target.read_bytes()


def main(argv: list[str]) -> int:
    import hyperscan

    source, target = Path(argv[0]), Path(argv[1])
    database = compile_literals(source.read_bytes().split(b"\n"))
    target.write_bytes(hyperscan.dumpb(database))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
