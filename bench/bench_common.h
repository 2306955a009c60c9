#pragma once

// What the benchmark files of poolscope_bench share: the workload sizes that python_baseline.py
// repeats, and the helpers that turn a benchmark's time into a per-task cost for summarize.py.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace poolscope_bench {

// Every pool in the benchmark has the 2 workers. python_baseline.py uses the same number.
inline constexpr int worker_count = 2;

// Exercise 7's workload: count the primes below each of these limits. Equal limits, so that 2
// workers get equal shares and the speedups measure parallelism, not how the tasks happen to pack.
// python_baseline.py --primes-limits has the same default.
inline constexpr std::array<int, 4> prime_limits { 200'000, 200'000, 200'000, 200'000 };

// Both counters let summarize.py turn the median real time into a per-task cost without knowing
// each benchmark's batch size, and show the per-task time in the console table directly.
inline void report_tasks(benchmark::State& state, std::int64_t tasks_per_iteration)
{
    state.SetItemsProcessed(state.iterations() * tasks_per_iteration);
    state.counters["tasks_per_iteration"]
        = benchmark::Counter(static_cast<double>(tasks_per_iteration), benchmark::Counter::kAvgThreads);
    // kAvgThreads: every thread adds its own count, and the iterations are already summed over threads.
    state.counters["s_per_task"] = benchmark::Counter(static_cast<double>(tasks_per_iteration),
        benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kAvgThreads | benchmark::Counter::kInvert);
}

// The fastest repetition, reported beside the median so that ours can also be compared best-to-best
// with Python's best-of-3.
inline double fastest(const std::vector<double>& values)
{
    return *std::min_element(values.begin(), values.end());
}

} // namespace poolscope_bench
