// The thread-pool benchmarks behind bench/run_bench.sh: PoolScope's ThreadPoolExecutor with events
// on and off against Boost.Asio's thread_pool, plus the cost of one EventLog record. Python's
// ThreadPoolExecutor is measured by bench/python_baseline.py with the same workloads, and
// bench/summarize.py compares the two outputs. The process pool and exercise 7 are in
// bench_process.cpp, main() in bench_main.cpp.

#include "bench_common.h"

#include <poolscope/futures.h>

#include <benchmark/benchmark.h>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <future>
#include <optional>
#include <vector>

namespace {

using namespace poolscope_bench;

// The workload: 100,000 empty tasks on 2 workers. python_baseline.py uses the same numbers.
constexpr int throughput_tasks = 100'000;

// Clearing a log every this many records bounds memory without the pause showing in the result.
constexpr std::int64_t records_between_clears = 1 << 16;

void empty_task()
{
}

poolscope::ThreadPoolOptions pool_options(poolscope::EventLog* log)
{
    return { .max_workers = worker_count, .thread_name_prefix = "bench", .events = log };
}

void throughput_poolscope(benchmark::State& state, bool events_on)
{
    poolscope::EventLog log;
    poolscope::ThreadPoolExecutor pool(pool_options(events_on ? &log : nullptr));
    warm_up(pool);
    time_batches(state, log, throughput_tasks, [&pool](int) { return pool.submit(empty_task); });
}

// Asio has no futures of its own; a packaged_task is the usual way to get a result back, and costs
// one allocation for its shared state as our TaskState does.
void BM_Throughput_BoostAsio(benchmark::State& state)
{
    boost::asio::thread_pool pool(worker_count);
    std::vector<std::future<void>> futures;
    futures.reserve(throughput_tasks);
    for (auto _ : state) {
        for (int i = 0; i < throughput_tasks; ++i) {
            std::packaged_task<void()> task(empty_task);
            futures.push_back(task.get_future());
            boost::asio::post(pool, std::move(task));
        }
        for (auto& f : futures)
            f.get();
        futures.clear();
    }
    report_tasks(state, throughput_tasks);
    pool.join();
}

void round_trip_poolscope(benchmark::State& state, bool events_on)
{
    poolscope::EventLog log;
    poolscope::ThreadPoolExecutor pool(pool_options(events_on ? &log : nullptr));
    warm_up(pool);
    UntimedEvery clearing(records_between_clears);
    for (auto _ : state) {
        pool.submit(empty_task).result();
        clearing.tick(state, [&log] { log.clear(); });
    }
    report_tasks(state, 1);
}

void BM_RoundTrip_BoostAsio(benchmark::State& state)
{
    boost::asio::thread_pool pool(worker_count);
    for (auto _ : state) {
        std::packaged_task<void()> task(empty_task);
        auto future = task.get_future();
        boost::asio::post(pool, std::move(task));
        future.get();
    }
    report_tasks(state, 1);
    pool.join();
}

// Steady state: clear() keeps each shard's capacity, so this is the cost once the log has grown.
void BM_EventLogRecord(benchmark::State& state)
{
    poolscope::EventLog log;
    std::uint64_t task_id = 0;
    UntimedEvery clearing(records_between_clears);
    for (auto _ : state) {
        log.record(poolscope::EventKind::started, ++task_id, 0);
        clearing.tick(state, [&log] { log.clear(); });
    }
    report_tasks(state, 1);
}

// A fresh log per batch, so the vector's growth (reallocating and moving events) is counted too:
// the cost a first run of a pool into a new log sees.
void BM_EventLogRecord_Growing(benchmark::State& state)
{
    std::optional<poolscope::EventLog> log;
    log.emplace();
    std::uint64_t task_id = 0;
    UntimedEvery renewing(records_between_clears);
    for (auto _ : state) {
        log->record(poolscope::EventKind::started, ++task_id, 0);
        renewing.tick(state, [&log] { log.emplace(); });
    }
    report_tasks(state, 1);
}

// Two threads recording into one log at once, as two workers do: each has its own shard, so this
// should cost about what one thread does. Both threads share the log; either may clear it.
void BM_EventLogRecord_TwoThreads(benchmark::State& state)
{
    static poolscope::EventLog log;
    const auto worker = static_cast<int>(state.thread_index());
    std::uint64_t task_id = 0;
    UntimedEvery clearing(records_between_clears);
    for (auto _ : state) {
        log.record(poolscope::EventKind::started, ++task_id, worker);
        clearing.tick(state, [] { log.clear(); });
    }
    report_tasks(state, 1);
}

} // namespace

// Real time for everything that waits on other threads: CPU time of the caller would hide the wait.
[[maybe_unused]] const bool throughput_registered
    = register_events_on_and_off("BM_Throughput", throughput_poolscope, benchmark::kMillisecond);
BENCHMARK(BM_Throughput_BoostAsio)->Unit(benchmark::kMillisecond)->UseRealTime()->ComputeStatistics("min", fastest);
[[maybe_unused]] const bool round_trip_registered
    = register_events_on_and_off("BM_RoundTrip", round_trip_poolscope, benchmark::kNanosecond);
BENCHMARK(BM_RoundTrip_BoostAsio)->Unit(benchmark::kNanosecond)->UseRealTime()->ComputeStatistics("min", fastest);
BENCHMARK(BM_EventLogRecord)->Unit(benchmark::kNanosecond)->ComputeStatistics("min", fastest);
BENCHMARK(BM_EventLogRecord_Growing)->Unit(benchmark::kNanosecond)->ComputeStatistics("min", fastest);
BENCHMARK(BM_EventLogRecord_TwoThreads)
    ->Unit(benchmark::kNanosecond)
    ->Threads(2)
    ->UseRealTime()
    ->ComputeStatistics("min", fastest);
