#!/usr/bin/env bash
# The one benchmark command (see bench/README.md): builds poolscope_bench in Release, runs it, runs
# Python's ThreadPoolExecutor and ProcessPoolExecutor on the same workloads, and prints one summary
# with the ratios.
#
#   bash bench/run_bench.sh                 # from anywhere; builds into <repo>/build-bench
#   BENCH_REPETITIONS=9 bash bench/run_bench.sh
#   BENCH_FILTER='RoundTrip' bash bench/run_bench.sh   # a subset of the C++ benchmarks
#
# A failed build or a crash is an error; a missed target is not: benchmarks never gate.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BENCH_BUILD_DIR:-$repo/build-bench}"
repetitions="${BENCH_REPETITIONS:-5}"
filter="${BENCH_FILTER:-.}"
python="${BENCH_PYTHON:-/usr/bin/python3}"

echo "== Building poolscope_bench (Release) in $build"
# Tests and GUI off: the benchmark needs neither GoogleTest nor Qt, and builds in seconds without them.
cmake -S "$repo" -B "$build" -DPOOLSCOPE_BUILD_BENCH=ON -DPOOLSCOPE_BUILD_GUI=OFF -DPOOLSCOPE_BUILD_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target poolscope_bench --parallel

# Busy CPU seconds of the whole machine so far, from /proc/stat (idle and iowait left out).
machine_busy_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '/^cpu / {
        busy = 0
        for (i = 2; i <= 9; ++i) busy += $i # user..steal; guest time is already in user time
        printf "%.2f", (busy - $5 - $6) / hz
    }' /proc/stat
}

# CPU seconds used so far by this script's finished children. `times` must run in this shell (in a
# $(...) subshell it would count the subshell's children), so it writes to a file first.
times_file="$build/times.txt"
children_seconds() {
    awk 'NR == 2 {
        total = 0
        for (i = 1; i <= NF; ++i) { split($i, p, "m"); total += p[1] * 60 + substr(p[2], 1, length(p[2]) - 1) }
        printf "%.2f", total
    }' "$times_file"
}

bench_json="$build/bench_results.json"
python_json="$build/python_results.json"

# Anything else running skews the results (a compiler on the other core can triple the round trip),
# so the summary says how much CPU other processes took while we measured.
busy_start="$(machine_busy_seconds)"
times >"$times_file"
children_start="$(children_seconds)"
wall_start="$(date +%s.%N)"

echo
echo "== C++ benchmarks ($repetitions repetitions; the summary uses the median and the fastest)"
# The console table stays on screen for whoever wants the raw numbers; the JSON file feeds the summary.
"$build/bench/poolscope_bench" \
    --benchmark_filter="$filter" \
    --benchmark_repetitions="$repetitions" \
    --benchmark_report_aggregates_only=true \
    --benchmark_out="$bench_json" \
    --benchmark_out_format=json

echo
echo "== Python baseline: $("$python" --version 2>&1) concurrent.futures.ThreadPoolExecutor and ProcessPoolExecutor"
"$python" "$repo/bench/python_baseline.py" >"$python_json"
echo "written to $python_json"

times >"$times_file"
other_percent="$(awk -v b0="$busy_start" -v b1="$(machine_busy_seconds)" -v c0="$children_start" \
    -v c1="$(children_seconds)" -v w0="$wall_start" -v w1="$(date +%s.%N)" \
    'BEGIN { other = (b1 - b0) - (c1 - c0); if (other < 0) other = 0; printf "%.0f", 100 * other / (w1 - w0) }')"

echo
"$python" "$repo/bench/summarize.py" "$bench_json" "$python_json" "$other_percent" || true
exit 0
