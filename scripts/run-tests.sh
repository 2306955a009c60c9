#!/usr/bin/env bash
# The second README command (and what CI runs): install what is missing, build everything with
# warnings as errors and run every test, then build the core under AddressSanitizer + UBSan and run
# its tests again, and once more under ThreadSanitizer; last, fuzzes the trace loaders for about a
# minute each (clang + libFuzzer, tests/fuzz/README.md), where any crash fails the run.
# --no-tsan skips the ThreadSanitizer pass, --no-fuzz the fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export QT_QPA_PLATFORM=offscreen

jobs=$(nproc)
presets=(ci asan tsan)
fuzz=1
for arg in "$@"; do
    case "$arg" in
    --no-tsan) presets=(ci asan) ;;
    --no-fuzz) fuzz=0 ;;
    *) echo "usage: $0 [--no-tsan] [--no-fuzz]" >&2; exit 2 ;;
    esac
done

for preset in "${presets[@]}"; do
    echo "=== ${preset}: configure and build"
    cmake --preset "$preset"
    cmake --build --preset "$preset" -j "$jobs"
    echo "=== ${preset}: test"
    ctest --preset "$preset" -j "$jobs"
done

if [ "$fuzz" -eq 1 ]; then
    started=$SECONDS
    echo "=== fuzz: configure, build, then fuzz each loader for about a minute"
    cmake --preset fuzz
    cmake --build --preset fuzz -j "$jobs"
    ctest --preset fuzz
    echo "=== fuzz: done in $((SECONDS - started)) s"
fi
