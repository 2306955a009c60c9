#include "scenarios/basic_scenario.h"
#include "scenarios/output_checks.h"
#include "scenarios/python_repr.h"
#include "scenarios/scenario_helpers.h"
#include "scenarios/thread_pool_lanes.h"

#include <poolscope/futures.h>

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <stop_token>
#include <string>

namespace poolscope::scenarios {

/// Exercise 3: tasks that raise; Future.exception() sorts successes from errors.
void exceptions_run(RunContext& context)
{
    // listing:begin
    const int workers = context.params.integer("workers");
    const int tasks = context.params.integer("tasks");
    const int fail_every = context.params.integer("fail_every");
    const Duration delay { context.params.real("delay") };
    const std::stop_token stop = context.stop;

    auto risky_task = [fail_every, delay, stop](int n) {
        sleep_unless_stopped(stop, delay);
        if (n % fail_every == 0)
            throw std::invalid_argument("Bad value: " + std::to_string(n)); // Python's ValueError
        return n * 10;
    };

    std::vector<int> good;
    std::vector<std::string> bad;
    {
        ThreadPoolExecutor pool(thread_pool_options(context, workers));
        const ThreadPoolLanes lanes(context, pool);
        std::vector<Future<int>> jobs;
        for (int n = 1; n <= tasks; ++n)
            jobs.push_back(pool.submit(risky_task, n));
        // Stop cancels the tasks that have not started yet.
        std::stop_callback cancel_on_stop(stop, [&pool] { pool.shutdown(false, true); });
        for (const Future<int>& job : jobs) {
            if (stop.stop_requested())
                return;
            // exception() waits like result(), but returns the task's exception instead of throwing it.
            if (const std::exception_ptr problem = job.exception())
                bad.push_back(message_of(problem));
            else
                good.push_back(job.result());
        }
    } // the with block's end: ~ThreadPoolExecutor() waits, as shutdown(wait=True)
    std::ranges::sort(good);
    std::ranges::sort(bad); // as Python sorts strings: 'Bad value: 12' before 'Bad value: 3'
    context.print("Successes: " + repr(good));
    context.print("Errors: " + repr(bad));
    // listing:end
}

std::string exceptions_check(const ParameterValues& params, const std::vector<std::string>& output)
{
    const int fail_every = params.integer("fail_every");
    std::vector<int> successes;
    std::vector<std::string> errors;
    for (int n = 1; n <= params.integer("tasks"); ++n) {
        if (n % fail_every == 0)
            errors.push_back("Bad value: " + std::to_string(n));
        else
            successes.push_back(n * 10);
    }
    std::ranges::sort(errors);
    return compare_lines({ "Successes: " + repr(successes), "Errors: " + repr(errors) }, output);
}

} // namespace poolscope::scenarios
