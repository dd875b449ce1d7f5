#!/usr/bin/env bash
# README command 2: set up, then run every check and the whole test suite,
# first on SQLite, then on a throwaway PostgreSQL. Browser tests drive
# Debian's chromium. Extra arguments go to both pytest runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
export PATH="$PWD/.venv/bin:$PATH"
# Two test processes: one per core on the machines we run on.
workers=${OPENWARP_TEST_WORKERS:-2}
export OPENWARP_SECRET_KEY=test-only-secret-key-not-for-production-0123456789abcdef
export OPENWARP_REQUIRE_NATIVE=1  # a lost C build of the sweep fails tests/core/sweep/test_sweep_native.py

say "ruff"
ruff check src tests benchmarks scripts
say "mypy"
mypy
say "import-linter"
lint-imports --no-cache

say "tests on SQLite"
OPENWARP_DATA_DIR=$(mktemp -d /tmp/openwarp-test.XXXXXX) pytest -p no:cacheprovider -n "$workers" "$@"

say "tests on PostgreSQL"
pgdir=$(mktemp -d /tmp/openwarp-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pgdir"' EXIT
DATABASE_URL=$(scripts/postgres.sh start "$pgdir") \
OPENWARP_DATA_DIR=$(mktemp -d /tmp/openwarp-test.XXXXXX) pytest -p no:cacheprovider -n "$workers" "$@"
say "all green"
