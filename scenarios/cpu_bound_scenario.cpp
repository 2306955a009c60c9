#include "scenarios/basic_scenario.h"
#include "scenarios/output_checks.h"
#include "scenarios/python_repr.h"
#include "scenarios/thread_pool_lanes.h"

#include <poolscope/futures.h>
#include <poolscope/trace/lane.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace poolscope::scenarios {

namespace cpu_bound {

// Set when the run is asked to stop: the thread pool's counts give up at their next checkpoint, so
// Stop ends a run of large limits within moments rather than when the counting is done. (Worker
// processes never see it: Stop ends them instead.) One run at a time uses it, as the GUI runs one.
std::atomic<bool> stopping { false };

// The page's cpu_work(n): the primes below n by trial division by every j up to √i, stopping at the first divisor. CPU
// work that never waits, so only running on several cores at once makes it faster. Runs on a pool
// worker: a thread of the thread pool, or a worker process, which finds it by its registered name.
int cpu_work(int limit)
{
    int count = 0;
    unsigned steps = 0;
    for (int i = 2; i < limit; ++i) {
        bool prime = true;
        for (int j = 2; j * j <= i; ++j) {
            // The eval loop's checkpoint: a thread waiting for the interpreter lock gets it here.
            // A no-op without a lock, and in worker processes.
            if (++steps % 256 == 0) {
                py::tick();
                if (stopping.load(std::memory_order_relaxed))
                    return count; // stopped: nobody reads this count
            }
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

} // namespace cpu_bound

// Registered in this file, next to the scenario's run(), so that the linker keeps the
// registration whenever it keeps the scenario. The qualified spelling keeps the name unique.
POOLSCOPE_TASK(cpu_bound::cpu_work);

namespace {

using cpu_bound::cpu_work;

// Python's f'{ms:.0f}' of the wall time since `start`, as the page prints it.
std::string milliseconds_since(Clock::time_point start)
{
    return format_fixed(std::chrono::duration<double, std::milli>(Clock::now() - start).count(), 0);
}

} // namespace

/// Exercise 7: counts primes below four limits on a thread pool and on a process pool, and compares the wall times:
/// under the emulated interpreter lock the threads take turns, the processes run in parallel.
void cpu_bound_run(RunContext& context)
{
    // listing:begin
    const int workers = context.params.integer("workers");
    const std::string& pools = context.params.choice("pool");
    const bool with_gil = context.params.boolean("gil");
    const StartMethod start_method
        = context.params.choice("start_method") == "fork" ? StartMethod::fork : StartMethod::spawn;
    std::vector<int> limits;
    for (const int n : { 500, 1000, 1500, 2000 })
        limits.push_back(n * context.params.integer("scale"));
    context.max_workers = workers;
    if (pools == "both")
        context.pool_kind = "thread+process";
    else
        context.pool_kind = pools == "thread" && with_gil ? "thread+gil" : pools;

    std::optional<std::vector<int>> thread_counts;
    std::optional<std::vector<int>> process_counts;
    int thread_lanes = 0;
    // Stop: the counts under way give up (cpu_bound::stopping, checked where py::tick() is).
    cpu_bound::stopping = false;
    std::stop_callback stop_counting(context.stop, [] { cpu_bound::stopping = true; });
    if (pools != "process" && !context.stop.stop_requested()) {
        // CPython's GIL; without it the threads run free, as in free-threaded Python 3.13t.
        InterpreterLock gil({ .switch_interval = Duration(context.params.real("switch_interval")) });
        const auto start = Clock::now();
        {
            ThreadPoolExecutor executor({ .max_workers = workers,
                .thread_name_prefix = context.thread_pool_prefix(),
                .events = &context.log,
                .interpreter_lock = with_gil ? &gil : nullptr });
            // Stop cancels the counts that have not started; running ones give up at once.
            std::stop_callback cancel_on_stop(context.stop, [&executor] { executor.shutdown(false, true); });
            try {
                thread_counts = executor.map(cpu_work, limits).to_vector();
            } catch (const std::exception&) {
                // Stopped while map() was still submitting (the pool is shut: no new futures) or
                // while a count was awaited (cancelled): nobody reads the counts.
                if (!context.stop.stop_requested())
                    throw;
            }
            thread_lanes = executor.thread_count();
        } // the thread pool's with block ends: shutdown(wait=True)
        if (context.stop.stop_requested())
            return;
        context.print("Thread pool: " + milliseconds_since(start) + "ms");
    }
    if (pools != "thread" && !context.stop.stop_requested()) {
        const auto start = Clock::now();
        {
            // Its lanes follow the thread pool's, so both pools share one timeline.
            ProcessPoolExecutor executor({ .max_workers = workers,
                .start_method = start_method,
                .events = &context.log,
                .first_lane = thread_lanes,
                .process_counter = &context.process_counter });
            // Stop ends the worker processes (Python 3.14's terminate_workers()): counts under way
            // fail with BrokenProcessPool, and nobody reads them.
            std::stop_callback end_on_stop(context.stop, [&executor] { executor.terminate_workers(); });
            try {
                process_counts = executor.map(cpu_work, limits).to_vector();
            } catch (const std::exception&) {
                if (!context.stop.stop_requested())
                    throw;
            }
        } // the process pool's with block ends: shutdown(wait=True)
        if (context.stop.stop_requested())
            return;
        context.print("Process pool: " + milliseconds_since(start) + "ms");
    }
    if (thread_counts && process_counts)
        context.print("Results match: " + repr(*thread_counts == *process_counts));
    // Lanes as Python names the workers: ThreadPoolExecutor-k_n threads, SpawnProcess-n processes.
    context.lanes = trace::lanes_from_events(context.log.events());
    // listing:end
}

std::string cpu_bound_check(const ParameterValues& params, const std::vector<std::string>& output)
{
    // The times vary from run to run: only their shape is fixed (whole milliseconds, as {:.0f} prints).
    const std::string& pools = params.choice("pool");
    std::vector<std::string> expected;
    if (pools != "process")
        expected.emplace_back("Thread pool: Nms");
    if (pools != "thread")
        expected.emplace_back("Process pool: Nms");
    if (pools == "both")
        expected.emplace_back("Results match: True");
    for (std::size_t i = 0; i < std::min(expected.size(), output.size()); ++i) {
        if (!match_counts(output[i], expected[i]))
            return "line " + std::to_string(i + 1) + ": expected " + expected[i] + ", got " + output[i];
    }
    if (expected.size() != output.size())
        return "expected " + std::to_string(expected.size()) + " lines, got " + std::to_string(output.size());
    return {};
}

} // namespace poolscope::scenarios
