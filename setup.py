"""Build the optional C accelerator for the sweep's stage 1 (ADR 0104).

Everything else about the package is in ``pyproject.toml``. The extension is
optional: without a compiler the install still succeeds and ``openwarp sweep``
falls back to its Hyperscan or pure-Python engines, saying so in its summary.
``-O2`` and no ``-march``: the build must run on any x86_64 or aarch64 CPU.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "openwarp.core.sweep._scan",
            sources=[
                f"src/openwarp/core/sweep/csrc/{name}.c" for name in ("_scan", "table", "judge", "kinds")
            ],
            depends=["src/openwarp/core/sweep/csrc/scan.h"],
            extra_compile_args=["-O2", "-std=c11", "-Wall", "-Wextra"],
            optional=True,
        )
    ]
)
