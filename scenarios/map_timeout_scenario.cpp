#include "scenarios/basic_scenario.h"
#include "scenarios/output_checks.h"
#include "scenarios/python_repr.h"
#include "scenarios/scenario_helpers.h"
#include "scenarios/thread_pool_lanes.h"

#include <poolscope/futures.h>
#include <poolscope/py_random.h>

#include <numeric>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

namespace poolscope::scenarios {

/// Exercise 9: executor.map() with a timeout; the caller counts the results it got before the deadline and gives up on
/// the rest.
void map_timeout_run(RunContext& context)
{
    // listing:begin
    const int workers = context.params.integer("workers");
    const int tasks = context.params.integer("tasks");
    const bool random_delays = context.params.choice("delays") == "random";
    const double shortest = context.params.real("min_delay");
    const double longest = context.params.real("max_delay");
    const double step = context.params.real("step");
    const Duration time_limit { context.params.real("timeout") };
    const std::stop_token stop = context.stop;

    // On a worker thread, as on the page: the delay comes from a generator seeded with `seed`
    // (CPython's random.Random, bit for bit), or grows by a step from task to task.
    auto variable_task = [=](int n, int seed) {
        const double delay = random_delays ? py::Random(seed).uniform(shortest, longest) : (n + 0.5) * step;
        sleep_unless_stopped(stop, Duration(delay));
        return std::pair { n, delay };
    };

    std::vector<int> task_numbers(static_cast<std::size_t>(tasks));
    std::iota(task_numbers.begin(), task_numbers.end(), 0);
    int got = 0;
    {
        ThreadPoolExecutor executor(thread_pool_options(context, workers));
        const ThreadPoolLanes lanes(context, executor);
        // The deadline counts from this call; every task is submitted before it returns.
        auto gen = executor.map(variable_task, task_numbers, task_numbers, timeout(time_limit));
        // Stop cancels the tasks that have not started yet.
        std::stop_callback cancel_on_stop(stop, [&executor] { executor.shutdown(false, true); });
        try {
            while (gen.next())
                ++got;
        } catch (const TimeoutError&) {
            // next() has cancelled what it did not yield; tasks already running finish anyway,
            // and leaving this block waits for them (Python's with-block: shutdown(wait=True)).
        }
    } // the with block's end: ~ThreadPoolExecutor() waits, as shutdown(wait=True)
    if (stop.stop_requested())
        return;
    const int timed_out = tasks - got;
    context.print("Got: " + std::to_string(got) + ", Timed out: " + std::to_string(timed_out));
    context.print("Total: " + std::to_string(got + timed_out));
    // listing:end
}

std::string map_timeout_check(const ParameterValues& params, const std::vector<std::string>& output)
{
    // How many made it in time depends on the run (the page shows X); the counts must add up.
    const int tasks = params.integer("tasks");
    if (output.size() != 2)
        return "expected 2 lines, got " + std::to_string(output.size());
    const auto counts = match_counts(output[0], "Got: N, Timed out: N");
    if (!counts)
        return "line 1: expected Got: X, Timed out: X, got " + output[0];
    const long long got = (*counts)[0];
    const long long timed_out = (*counts)[1];
    if (got + timed_out != tasks)
        return "line 1: got and timed out should add up to " + std::to_string(tasks) + ", got " + output[0];
    const std::string total = "Total: " + std::to_string(tasks);
    if (output[1] != total)
        return "line 2: expected " + total + ", got " + output[1];
    return {};
}

} // namespace poolscope::scenarios
