#!/usr/bin/env bash
# The second README command (and what CI runs): install what is missing, build everything with
# warnings as errors and run every test, then build the core under AddressSanitizer + UBSan and run
# its tests again, and once more under ThreadSanitizer. --no-tsan skips the ThreadSanitizer pass.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export QT_QPA_PLATFORM=offscreen

jobs=$(nproc)
presets=(ci asan tsan)
[ "${1:-}" = "--no-tsan" ] && presets=(ci asan)

for preset in "${presets[@]}"; do
    echo "=== ${preset}: configure and build"
    cmake --preset "$preset"
    cmake --build --preset "$preset" -j "$jobs"
    echo "=== ${preset}: test"
    ctest --preset "$preset" -j "$jobs"
done
