#include "scenarios/basic_scenario.h"
#include "scenarios/output_checks.h"
#include "scenarios/python_repr.h"
#include "scenarios/scenario_helpers.h"
#include "scenarios/thread_pool_lanes.h"

#include <poolscope/futures.h>
#include <poolscope/py_random.h>

#include <algorithm>
#include <exception>
#include <map>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <vector>

namespace poolscope::scenarios {

namespace {

// Whether attempt `attempt` (1-based) of task `task_id` fails. "first-two", the page's flaky():
// attempts 1 and 2 fail. "random": the attempt-th draw of the task's own generator,
// random.Random(seed * 1000 + task_id), falls below the probability; the outcome is the same in
// every run, whichever worker runs which attempt, and check() can work out what the run prints.
bool attempt_fails(const ParameterValues& params, int task_id, int attempt)
{
    if (params.choice("failures") == "first-two")
        return attempt < 3;
    py::Random draws(static_cast<long long>(params.integer("seed")) * 1000 + task_id);
    for (int i = 1; i < attempt; ++i)
        (void)draws.random();
    return draws.random() < params.real("failure_probability");
}

std::string failure_message(int task_id, int attempt)
{
    return "Task " + std::to_string(task_id) + " attempt " + std::to_string(attempt) + " failed";
}

} // namespace

/// Exercise 11: calls that fail at random, retried with exponential backoff by a RetryExecutor around a thread pool.
void retry_run(RunContext& context)
{
    // listing:begin
    const int workers = context.params.integer("workers");
    const int tasks = context.params.integer("tasks");
    const int max_retries = context.params.integer("max_retries");
    const Duration base_delay { context.params.real("base_delay") };
    const Duration work { context.params.real("work") };
    const ParameterValues& params = context.params;
    const std::stop_token stop = context.stop;

    std::mutex lock;
    std::map<int, int> attempt_counters;
    // On a worker thread: counts its attempt, works a while, and fails as the parameters say.
    auto flaky = [&lock, &attempt_counters, &params, work, stop](int task_id) {
        int attempt = 0;
        {
            std::lock_guard guard(lock);
            attempt = ++attempt_counters[task_id];
        }
        sleep_unless_stopped(stop, work);
        if (attempt_fails(params, task_id, attempt))
            throw std::runtime_error(failure_message(task_id, attempt));
        return task_id * 10;
    };
    // The page's design, on a worker thread: every attempt and every backoff in one task.
    auto _retry_wrapper = [&flaky, max_retries, base_delay, stop](int task_id) {
        std::exception_ptr last_exc;
        for (int attempt = 0; attempt <= max_retries; ++attempt) {
            try {
                return flaky(task_id);
            } catch (const std::runtime_error&) {
                last_exc = std::current_exception();
                if (attempt < max_retries)
                    sleep_unless_stopped(stop, base_delay * (1 << attempt)); // the worker sleeps
            }
        }
        std::rethrow_exception(last_exc);
    };

    std::vector<int> results;
    std::vector<std::string> errors;
    {
        ThreadPoolExecutor pool(thread_pool_options(context, workers));
        const ThreadPoolLanes lanes(context, pool);
        // The variation: backoffs are waited out by the retry executor's timer thread, never by a worker.
        RetryExecutor timer_retries(pool, RetryOptions { .max_retries = max_retries, .base_delay = base_delay });
        std::vector<Future<int>> futures;
        for (int i = 0; i < tasks; ++i) {
            futures.push_back(context.params.boolean("timer_backoff") ? timer_retries.submit(flaky, i)
                                                                      : pool.submit(_retry_wrapper, i));
        }
        // Stop cancels every call: pending backoffs never fire, queued attempts never start.
        const auto cancelling = cancel_on_stop(stop, futures);
        for (const Future<int>& future : futures) {
            try {
                results.push_back(future.result());
            } catch (const CancelledError&) {
                throw; // stopped
            } catch (const std::runtime_error& error) {
                errors.push_back(error.what()); // the last attempt's error, after every retry failed
            }
        }
    } // the with block's end: ~ThreadPoolExecutor() waits, as shutdown(wait=True)
    if (stop.stop_requested())
        return; // stopped: calls already running finished early, so their results mean nothing
    std::vector<int> expected(static_cast<std::size_t>(tasks));
    for (int i = 0; i < tasks; ++i)
        expected[static_cast<std::size_t>(i)] = i * 10;
    std::sort(results.begin(), results.end());
    context.print("Results: " + repr(results));
    if (errors.empty())
        context.print("All succeeded after retries: " + repr(results == expected));
    else
        context.print("Failed after retries: " + repr(errors));
    // listing:end
}

std::string retry_check(const ParameterValues& params, const std::vector<std::string>& output)
{
    // The failures are fixed by the parameters, so the output is known exactly.
    const int attempts = params.integer("max_retries") + 1;
    std::vector<int> results;
    std::vector<std::string> errors;
    for (int task_id = 0; task_id < params.integer("tasks"); ++task_id) {
        int attempt = 1;
        while (attempt <= attempts && attempt_fails(params, task_id, attempt))
            ++attempt;
        if (attempt <= attempts)
            results.push_back(task_id * 10);
        else
            errors.push_back(failure_message(task_id, attempts));
    }
    std::vector<std::string> expected { "Results: " + repr(results) };
    if (errors.empty())
        expected.push_back("All succeeded after retries: True");
    else
        expected.push_back("Failed after retries: " + repr(errors));
    return compare_lines(expected, output);
}

} // namespace poolscope::scenarios
