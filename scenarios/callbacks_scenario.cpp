#include "scenarios/basic_scenario.h"
#include "scenarios/output_checks.h"
#include "scenarios/python_repr.h"
#include "scenarios/scenario_helpers.h"
#include "scenarios/thread_pool_lanes.h"

#include <poolscope/futures.h>

#include <algorithm>
#include <mutex>
#include <stop_token>

namespace poolscope::scenarios {

/// Exercise 4: add_done_callback() collects squares as the tasks finish.
void callbacks_run(RunContext& context)
{
    // listing:begin
    const int workers = context.params.integer("workers");
    const int tasks = context.params.integer("tasks");
    const Duration delay { context.params.real("delay") };
    const std::stop_token stop = context.stop;

    auto work = [delay, stop](int n) {
        sleep_unless_stopped(stop, delay);
        return static_cast<long long>(n) * n; // 100,000² overflows an int
    };

    std::mutex collected_mutex;
    std::vector<long long> collected;
    // Runs on the worker thread that finished the task (or right here, if it was already done).
    auto on_done = [&collected_mutex, &collected](Future<long long> job) {
        if (job.cancelled())
            return; // stopped before it ran
        std::lock_guard lock(collected_mutex);
        collected.push_back(job.result());
    };

    {
        ThreadPoolExecutor pool(thread_pool_options(context, workers));
        const ThreadPoolLanes lanes(context, pool);
        for (int n = 1; n <= tasks; ++n) {
            Future<long long> job = pool.submit(work, n);
            job.add_done_callback(on_done);
        }
        // Stop cancels the tasks that have not started yet.
        std::stop_callback cancel_on_stop(stop, [&pool] { pool.shutdown(false, true); });
        // The end of Python's with-block: waits for every task, and so for every callback.
        pool.shutdown();
    }
    if (stop.stop_requested())
        return;
    std::ranges::sort(collected);
    context.print(repr(collected));
    // listing:end
}

std::string callbacks_check(const ParameterValues& params, const std::vector<std::string>& output)
{
    std::vector<long long> expected;
    for (int n = 1; n <= params.integer("tasks"); ++n)
        expected.push_back(static_cast<long long>(n) * n);
    return compare_lines({ repr(expected) }, output);
}

} // namespace poolscope::scenarios
