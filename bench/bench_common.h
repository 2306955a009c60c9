#pragma once

// What the benchmark files of poolscope_bench share: the workload sizes that python_baseline.py
// repeats, the helpers that turn a benchmark's time into a per-task cost for summarize.py, and the
// loops that several benchmarks time.

#include <poolscope/futures.h>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
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

/// Registers fn(state, true) as <name>_EventsOn and fn(state, false) as <name>_EventsOff, the names
/// summarize.py reads: real time in `unit`, with the fastest repetition beside the median. Call it
/// where a BENCHMARK() line would stand, to keep the order of the output.
inline bool register_events_on_and_off(
    const std::string& name, void (*fn)(benchmark::State&, bool), benchmark::TimeUnit unit)
{
    for (const bool events_on : { true, false }) {
        benchmark::RegisterBenchmark((name + (events_on ? "_EventsOn" : "_EventsOff")).c_str(), fn, events_on)
            ->Unit(unit)
            ->UseRealTime()
            ->ComputeStatistics("min", fastest);
    }
    return true;
}

/// Runs an action outside the timing once every `period` calls of tick(): clearing a growing log
/// bounds its memory without the pause showing in the result (Pause/ResumeTiming cost a few
/// hundred ns, spread over the period).
class UntimedEvery {
public:
    explicit UntimedEvery(std::int64_t period)
        : period_(period)
    {
    }
    template <class Action> void tick(benchmark::State& state, Action&& action)
    {
        if (++count_ < period_)
            return;
        state.PauseTiming();
        action();
        count_ = 0;
        state.ResumeTiming();
    }

private:
    std::int64_t period_;
    std::int64_t count_ = 0;
};

/// The throughput loop: each iteration submits `tasks` calls (submit(i) for i from 0 returns a
/// future) and waits for every result; then, untimed, clears `log`. Dropping the futures frees the
/// task states: part of a task's cost, so it stays timed.
template <class Submit> void time_batches(benchmark::State& state, poolscope::EventLog& log, int tasks, Submit submit)
{
    std::vector<decltype(submit(0))> futures;
    futures.reserve(static_cast<std::size_t>(tasks));
    for (auto _ : state) {
        for (int i = 0; i < tasks; ++i)
            futures.push_back(submit(i));
        for (auto& f : futures)
            f.result();
        futures.clear();
        state.PauseTiming();
        log.clear();
        state.ResumeTiming();
    }
    report_tasks(state, tasks);
}

/// Thread-pool workers start on demand: submit batches until every one runs, so the timed loop
/// never pays for thread creation (as Asio's pool, which starts its threads in the constructor,
/// does not).
inline void warm_up(poolscope::ThreadPoolExecutor& pool)
{
    for (int round = 0; round < 100 && pool.thread_count() < worker_count; ++round) {
        std::vector<poolscope::Future<void>> futures;
        for (int i = 0; i < 1000; ++i)
            futures.push_back(pool.submit([] {}));
        for (auto& f : futures)
            f.result();
    }
}

} // namespace poolscope_bench
