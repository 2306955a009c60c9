#include "scenarios/basic_scenario.h"
#include "scenarios/output_checks.h"
#include "scenarios/python_repr.h"
#include "scenarios/scenario_helpers.h"
#include "scenarios/thread_pool_lanes.h"

#include <poolscope/futures.h>

#include <cstddef>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

namespace poolscope::scenarios {

/// Exercise 10: ten tasks, then shutdown(wait, cancel_futures); counts how many of the submitted tasks completed.
void shutdown_run(RunContext& context)
{
    // listing:begin
    const int workers = context.params.integer("workers");
    const int tasks = context.params.integer("tasks");
    const double unit = context.params.real("unit");
    const Duration pause { context.params.real("pause") };
    const bool wait = context.params.boolean("wait");
    const bool cancel_futures = context.params.boolean("cancel_futures");
    const std::stop_token stop = context.stop;

    std::mutex lock;
    std::vector<int> completed;
    // On a worker thread: sleeps, then notes that it completed.
    auto slow_task = [&lock, &completed, stop](int task_id, double seconds) {
        sleep_unless_stopped(stop, Duration(seconds));
        std::lock_guard guard(lock);
        completed.push_back(task_id);
        return task_id;
    };

    std::size_t submitted = 0;
    std::size_t completed_at_shutdown = 0;
    {
        ThreadPoolExecutor executor(thread_pool_options(context, workers));
        const ThreadPoolLanes lanes(context, executor);
        std::vector<Future<int>> futures;
        for (int i = 0; i < tasks; ++i)
            futures.push_back(executor.submit(slow_task, i, unit * (i % 4 + 1)));
        submitted = futures.size();
        // Stop cancels what is still queued, as cancel_futures=True would.
        std::stop_callback cancel_on_stop(stop, [&executor] { executor.shutdown(false, true); });

        sleep_unless_stopped(stop, pause);
        executor.shutdown(wait, cancel_futures);
        std::lock_guard guard(lock);
        completed_at_shutdown = completed.size();
    } // the executor's destructor waits for whatever still runs
    if (stop.stop_requested())
        return;
    context.print("Submitted: " + std::to_string(submitted) + ", Completed: " + std::to_string(completed_at_shutdown));
    context.print("All completed: " + repr(completed_at_shutdown == submitted));
    // listing:end
}

std::string shutdown_check(const ParameterValues& params, const std::vector<std::string>& output)
{
    const std::string tasks = std::to_string(params.integer("tasks"));
    // shutdown(wait=True) without cancelling: every task has completed by the time it returns.
    if (params.boolean("wait") && !params.boolean("cancel_futures"))
        return compare_lines({ "Submitted: " + tasks + ", Completed: " + tasks, "All completed: True" }, output);
    // Otherwise how many completed depends on the run; the two lines must agree.
    if (output.size() != 2)
        return "expected 2 lines, got " + std::to_string(output.size());
    const auto counts = match_counts(output[0], "Submitted: N, Completed: N");
    if (!counts)
        return "line 1: expected Submitted: " + tasks + ", Completed: X, got " + output[0];
    if ((*counts)[0] != params.integer("tasks"))
        return "line 1: expected " + tasks + " submitted, got " + output[0];
    const long long completed = (*counts)[1];
    if (completed > params.integer("tasks"))
        return "line 1: more completed than submitted: " + output[0];
    const std::string all = "All completed: " + repr(completed == params.integer("tasks"));
    if (output[1] != all)
        return "line 2: expected " + all + ", got " + output[1];
    return {};
}

} // namespace poolscope::scenarios
