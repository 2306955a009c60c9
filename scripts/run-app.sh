#!/usr/bin/env bash
# The first README command: install what is missing, build, start PoolScope. Extra arguments go to
# the app (e.g. --scenario as-completed).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset dev
cmake --build --preset dev
exec build/dev/app/poolscope "$@"
