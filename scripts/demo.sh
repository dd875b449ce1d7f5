#!/usr/bin/env bash
# README command 1: set up, seed the East Midlands demo region, serve it on
# http://127.0.0.1:8000 and print a login for every role.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/openwarp demo "$@"
