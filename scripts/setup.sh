#!/usr/bin/env bash
# Prepare a machine to run openwarp: system packages, a Python >= 3.12 virtual
# environment in .venv, and the browser assets. Safe to run again; it only
# does what is missing. Usage: scripts/setup.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# System packages: PostgreSQL for the test suite, Chromium for browser tests,
# Node.js/npm to fetch the GOV.UK Frontend and htmx assets.
packages=()
command -v npm >/dev/null || packages+=(nodejs npm)
if [ "$dev" = 1 ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
  command -v chromium >/dev/null || packages+=(chromium)
fi
if [ "${#packages[@]}" -gt 0 ]; then
  say "installing Debian packages: ${packages[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# Django 6 needs Python 3.12 or newer; look on PATH and in pyenv.
find_python() {
  local candidate
  for candidate in python3.12 python3.13 python3 \
      "$HOME"/.pyenv/versions/3.12*/bin/python3 "$HOME"/.pyenv/versions/3.13*/bin/python3 \
      /root/.pyenv/versions/3.12*/bin/python3 /root/.pyenv/versions/3.13*/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys, venv, ssl, sqlite3; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  python=$(find_python) || { echo "error: openwarp needs Python 3.12 or newer (Django 6); none found" >&2; exit 1; }
  say "creating .venv with $python"
  "$python" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v -i warning >&2 || true
fi

extras="."
[ "$dev" = 1 ] && extras=".[dev]"
stamp=".venv/.installed-$( [ "$dev" = 1 ] && echo dev || echo run )"
# Reinstall when the dependencies or the sweep's C sources (built at install) changed.
changed=""
if [ -f "$stamp" ]; then
  changed=$(find pyproject.toml setup.py src/openwarp/core/sweep/csrc -newer "$stamp" -print -quit)
fi
if [ ! -f "$stamp" ] || [ -n "$changed" ]; then
  say "installing openwarp ($extras) into .venv"
  .venv/bin/python -m pip install -q -e "$extras" 2>&1 | grep -v -i -E 'warning|BuildBackend|return ' >&2 || true
  .venv/bin/python -c 'import openwarp, django' || { echo "error: pip install failed" >&2; exit 1; }
  touch "$stamp"
fi

say "building browser assets"
scripts/build-assets.sh
