// The process-pool benchmarks behind bench/run_bench.sh:
//
// - ProcessPoolExecutor per-task cost (2 workers, spawn start method): the throughput of 20,000
//   empty tasks and a serial round trip, events on and off. bench/python_baseline.py measures
//   Python's ProcessPoolExecutor on the same workloads.
// - Exercise 7's workload (count the primes below a few limits) serially, on a thread pool under an
//   emulated interpreter lock, on a free-threaded thread pool and on a process pool.
// - For scale, a bare socketpair ping-pong between two processes: what one hand-off to another
//   process and back costs on this machine before any pool adds its own work.
//
// The task functions are registered with POOLSCOPE_TASK here; a spawned worker is this program run
// again, and finds them by name because bench_main.cpp calls run_worker_if_spawned() first.

#include "bench_common.h"

#include <poolscope/futures.h>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace poolscope_bench;
// A using-declaration, so that the thread pool's warm_up() overloads the process pool's below.
using poolscope_bench::warm_up;

// Python's process pool costs tens of microseconds a task, ours a few; 20,000 tasks keep one
// iteration of the throughput benchmark well under a second.
constexpr int process_throughput_tasks = 20'000;

// Clearing the log every this many round trips bounds its memory outside the timing.
constexpr std::int64_t round_trips_between_clears = 1 << 14;

// The empty task: its argument and result still travel through the codec and the pipe, as in Python.
int noop(int value)
{
    return value;
}

// Exercise 7's prime counter, as in scenarios/cpu_bound_scenario.cpp: trial division by every j up
// to the square root, stopping at the first divisor, with the interpreter's checkpoint every 256
// steps. py::tick() is a no-op without an InterpreterLock (serially, free-threaded, in a worker process).
int count_primes(int limit)
{
    int count = 0;
    unsigned steps = 0;
    for (int i = 2; i < limit; ++i) {
        bool prime = true;
        for (int j = 2; j * j <= i; ++j) {
            if (++steps % 256 == 0)
                poolscope::py::tick();
            if (i % j == 0) {
                prime = false;
                break;
            }
        }
        if (prime)
            ++count;
    }
    return count;
}

} // namespace

// At namespace scope, so that the worker process has them registered before main() runs.
POOLSCOPE_TASK(noop);
POOLSCOPE_TASK(count_primes);

namespace {

poolscope::ProcessPoolOptions process_options(poolscope::EventLog* log)
{
    return { .max_workers = worker_count, .start_method = poolscope::StartMethod::spawn, .events = log };
}

// Spawned workers start on demand, each a new process running this program: submit batches until
// both run, then one more so the timed loop never pays for a start.
void warm_up(poolscope::ProcessPoolExecutor& pool)
{
    for (int round = 0; round < 100; ++round) {
        std::vector<poolscope::Future<int>> futures;
        for (int i = 0; i < 200; ++i)
            futures.push_back(pool.submit(noop, i));
        for (auto& f : futures)
            f.result();
        if (pool.process_count() >= worker_count)
            break;
    }
}

bool workers_started(benchmark::State& state, int started)
{
    if (started >= worker_count)
        return true;
    state.SkipWithError("the warm-up did not start every worker");
    return false;
}

void process_throughput(benchmark::State& state, bool events_on)
{
    poolscope::EventLog log;
    poolscope::ProcessPoolExecutor pool(process_options(events_on ? &log : nullptr));
    warm_up(pool);
    if (!workers_started(state, pool.process_count()))
        return;
    time_batches(state, log, process_throughput_tasks, [&pool](int i) { return pool.submit(noop, i); });
}

void process_round_trip(benchmark::State& state, bool events_on)
{
    poolscope::EventLog log;
    poolscope::ProcessPoolExecutor pool(process_options(events_on ? &log : nullptr));
    warm_up(pool);
    if (!workers_started(state, pool.process_count()))
        return;
    UntimedEvery clearing(round_trips_between_clears);
    int value = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(pool.submit(noop, ++value).result());
        clearing.tick(state, [&log] { log.clear(); });
    }
    report_tasks(state, 1);
}

// The floor under any process pool's round trip on this machine: one byte to another process and
// back over a socketpair, nothing else. Two wake-ups of a sleeping process per round trip, as a
// pool's hand-off to a worker and back needs at least.
void BM_ProcessPingPong(benchmark::State& state)
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        state.SkipWithError("socketpair failed");
        return;
    }
    const pid_t child = ::fork();
    if (child < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        state.SkipWithError("fork failed");
        return;
    }
    if (child == 0) {
        // Only read, write and _exit in the forked child: safe in a copy of a threaded process.
        ::close(fds[0]);
        char byte = 0;
        while (::read(fds[1], &byte, 1) == 1 && ::write(fds[1], &byte, 1) == 1) { }
        ::_exit(0);
    }
    ::close(fds[1]);
    char byte = 'x';
    for (auto _ : state) {
        if (::write(fds[0], &byte, 1) != 1 || ::read(fds[0], &byte, 1) != 1) {
            state.SkipWithError("the ping-pong partner is gone");
            break;
        }
    }
    ::close(fds[0]); // the child reads end of file and exits
    int status = 0;
    ::waitpid(child, &status, 0);
    report_tasks(state, 1);
}

// ---- Exercise 7 ---------------------------------------------------------------------------------

// The right answer, counted once, so that every variant is checked as well as timed.
int expected_prime_total()
{
    static const int total = [] {
        int sum = 0;
        for (int limit : prime_limits)
            sum += count_primes(limit);
        return sum;
    }();
    return total;
}

void check_total(benchmark::State& state, int total)
{
    if (total != expected_prime_total())
        state.SkipWithError("wrong prime count");
}

// One iteration counts the primes below every limit; the time reported is that wall time.
void BM_Primes_Serial(benchmark::State& state)
{
    const int expected = expected_prime_total();
    for (auto _ : state) {
        int total = 0;
        for (int limit : prime_limits)
            total += count_primes(limit);
        benchmark::DoNotOptimize(total);
        if (total != expected) {
            state.SkipWithError("wrong prime count");
            break;
        }
    }
}

// The timed loop of exercise 7 on any pool: the four limits submitted at once, the total checked.
template <class Pool> void count_primes_on(benchmark::State& state, Pool& pool)
{
    std::vector<poolscope::Future<int>> futures;
    for (auto _ : state) {
        for (int limit : prime_limits)
            futures.push_back(pool.submit(count_primes, limit));
        int total = 0;
        for (auto& f : futures)
            total += f.result();
        futures.clear();
        check_total(state, total);
    }
}

void primes_on_threads(benchmark::State& state, poolscope::InterpreterLock* gil)
{
    expected_prime_total();
    poolscope::ThreadPoolExecutor pool(
        { .max_workers = worker_count, .thread_name_prefix = gil ? "gil" : "free", .interpreter_lock = gil });
    warm_up(pool);
    if (!workers_started(state, pool.thread_count()))
        return;
    count_primes_on(state, pool);
}

// CPython's default: the GIL with a 5 ms switch interval.
void BM_Primes_ThreadPoolGil(benchmark::State& state)
{
    poolscope::InterpreterLock gil;
    primes_on_threads(state, &gil);
}

// Free-threaded Python (3.13t): no interpreter lock, the threads count in parallel.
void BM_Primes_ThreadPoolFree(benchmark::State& state)
{
    primes_on_threads(state, nullptr);
}

void BM_Primes_ProcessPool(benchmark::State& state)
{
    expected_prime_total();
    poolscope::ProcessPoolExecutor pool(process_options(nullptr));
    warm_up(pool);
    if (!workers_started(state, pool.process_count()))
        return;
    count_primes_on(state, pool);
}

} // namespace

[[maybe_unused]] const bool throughput_registered
    = register_events_on_and_off("BM_ProcessThroughput", process_throughput, benchmark::kMillisecond);
[[maybe_unused]] const bool round_trip_registered
    = register_events_on_and_off("BM_ProcessRoundTrip", process_round_trip, benchmark::kNanosecond);
BENCHMARK(BM_ProcessPingPong)->Unit(benchmark::kNanosecond)->UseRealTime()->ComputeStatistics("min", fastest);
// Serial runs on the benchmark thread, so its CPU time is its wall time; real time anyway, as for the pools.
BENCHMARK(BM_Primes_Serial)->Unit(benchmark::kMillisecond)->UseRealTime()->ComputeStatistics("min", fastest);
BENCHMARK(BM_Primes_ThreadPoolGil)->Unit(benchmark::kMillisecond)->UseRealTime()->ComputeStatistics("min", fastest);
BENCHMARK(BM_Primes_ThreadPoolFree)->Unit(benchmark::kMillisecond)->UseRealTime()->ComputeStatistics("min", fastest);
BENCHMARK(BM_Primes_ProcessPool)->Unit(benchmark::kMillisecond)->UseRealTime()->ComputeStatistics("min", fastest);
