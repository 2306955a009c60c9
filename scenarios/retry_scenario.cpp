#include "scenarios/basic_scenario.h"
#include "scenarios/output_checks.h"
#include "scenarios/python_repr.h"
#include "scenarios/scenario_helpers.h"
#include "scenarios/thread_pool_lanes.h"

#include <poolscope/futures.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <vector>

namespace poolscope::scenarios {

namespace {

// Whether attempt `attempt` (1-based) of task `task_id` fails. Each task draws from a generator of
// its own, seeded with (seed, task_id), one number per attempt: the outcome is the same in every
// run, whichever worker runs which attempt, and check() can work out what the run must print.
// std::mt19937 and std::seed_seq are specified to the bit, so it is the same on every platform too.
bool attempt_fails(int seed, double failure_probability, int task_id, int attempt)
{
    std::seed_seq seeds { static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(task_id) };
    std::mt19937 generator(seeds);
    generator.discard(static_cast<unsigned long long>(attempt - 1));
    return static_cast<double>(generator()) < failure_probability * 4294967296.0;
}

std::string failure_message(int task_id, int attempt)
{
    return "Task " + std::to_string(task_id) + " attempt " + std::to_string(attempt) + " failed";
}

} // namespace

namespace {

// The code between the listing markers in run() below, extracted at build time.
constexpr std::string_view marked_run_body =
#include "listings/retry_scenario.inc"
    ;

constexpr std::string_view python_listing = R"py(import random
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

WORKERS, TASKS, MAX_RETRIES, BASE_DELAY = 4, 5, 3, 0.01
FAILURE_PROBABILITY, SEED, WORK = 0.5, 20, 0.02  # the scenario's parameters


class RetryExecutor:
    """Runs a call again after a failure; the backoff is waited out by a
    timer thread, so no worker sleeps through it."""

    def __init__(self, pool, max_retries, base_delay):
        self.pool, self.max_retries, self.base_delay = pool, max_retries, base_delay

    def submit(self, fn, *args):
        outcome = Future()

        def attempt(k):
            self.pool.submit(fn, *args).add_done_callback(lambda f: settle(f, k))

        def settle(f, k):
            if f.exception() is None:
                outcome.set_result(f.result())
            elif k < self.max_retries:
                backoff = self.base_delay * 2 ** k
                threading.Timer(backoff, attempt, (k + 1,)).start()
            else:
                outcome.set_exception(f.exception())

        attempt(0)
        return outcome


draws = {n: random.Random(SEED * 1000 + n) for n in range(TASKS)}
attempts = {}
lock = threading.Lock()


def flaky(n):
    time.sleep(WORK)
    with lock:
        attempts[n] = attempts.get(n, 0) + 1
        attempt, fails = attempts[n], draws[n].random() < FAILURE_PROBABILITY
    if fails:
        raise RuntimeError(f'Task {n} attempt {attempt} failed')
    return n * 10


with ThreadPoolExecutor(max_workers=WORKERS) as pool:
    retrying = RetryExecutor(pool, MAX_RETRIES, BASE_DELAY)
    calls = [retrying.submit(flaky, n) for n in range(TASKS)]
    results, errors = [], []
    for call in calls:
        try:
            results.append(call.result())
        except RuntimeError as error:
            errors.append(str(error))

print(f'Results: {sorted(results)}')
if errors:
    print(f'Failed after retries: {errors}')
else:
    print(f'All succeeded after retries: {sorted(results)}')
)py";

ScenarioDescription description()
{
    ScenarioDescription d;
    d.info = { "retry", "Retry with exponential backoff",
        "Failed attempts are joined to their retries; the gaps double each time." };
    d.explanation
        = "Every call runs under one task id; each failed attempt ends red on its worker lane, and a retry "
          "is scheduled after a backoff that doubles each time: base delay, then twice that, then four times. "
          "The backoff is waited out by the retry executor's timer, not by a worker, so in the timeline the "
          "worker lanes stay free for other calls during the gaps, and the retried attempt may land on "
          "another lane. The caller sees one future per call: the first attempt that succeeds, or the last "
          "error once the retries are used up. With the default seed the calls need 1, 2, 3, 4 and 2 "
          "attempts, so all succeed within three retries; with max retries 0 most of them fail.";
    d.parameters = {
        integer_parameter("workers", "Workers", "max_workers of the thread pool the RetryExecutor wraps.", 1, 64, "4"),
        integer_parameter("tasks", "Tasks",
            "How many calls are submitted; call n returns n × 10 once an attempt succeeds.", 1, 100, "5"),
        integer_parameter("max_retries", "Max retries",
            "How many times a failed call is tried again before its future fails.", 0, 10, "3"),
        real_parameter("base_delay", "Base delay",
            "The wait before the first retry; each further retry waits twice as long as the one "
            "before.",
            0, 5, "0.01", "s"),
        real_parameter(
            "failure_probability", "Failure probability", "The chance that any one attempt fails.", 0, 1, "0.5", ""),
        integer_parameter("seed", "Random seed",
            "Picks which attempts fail; the same seed fails the same attempts in every run. With "
            "seed 20 the five calls need 1, 2, 3, 4 and 2 attempts.",
            0, 999999, "20"),
        real_parameter(
            "work", "Work per attempt", "How long each attempt sleeps before it succeeds or fails.", 0, 5, "0.02", "s"),
    };
    d.python_listing = python_listing;
    d.marked_run_body = marked_run_body;
    return d;
}

/// Exercise 11: calls that fail at random, retried with exponential backoff by a RetryExecutor around a thread pool.
class RetryScenario final : public BasicScenario {
public:
    RetryScenario()
        : BasicScenario(description())
    {
    }

    void run(RunContext& context) const override
    {
        // listing:begin
        const int workers = context.params.integer("workers");
        const int tasks = context.params.integer("tasks");
        const int seed = context.params.integer("seed");
        const double failure_probability = context.params.real("failure_probability");
        const Duration work { context.params.real("work") };
        const std::stop_token stop = context.stop;

        std::mutex lock;
        std::map<int, int> attempt_counters;
        // On a worker thread: works a while, then fails at random; which attempts fail is fixed by the seed.
        auto flaky = [&lock, &attempt_counters, seed, failure_probability, work, stop](int task_id) {
            sleep_unless_stopped(stop, work);
            int attempt = 0;
            {
                std::lock_guard guard(lock);
                attempt = ++attempt_counters[task_id];
            }
            if (attempt_fails(seed, failure_probability, task_id, attempt))
                throw std::runtime_error(failure_message(task_id, attempt));
            return task_id * 10;
        };

        std::vector<int> results;
        std::vector<std::string> errors;
        {
            ThreadPoolExecutor pool({ .max_workers = workers, .events = &context.log });
            const ThreadPoolLanes lanes(context, pool);
            // Backoffs are waited out by the retry executor's timer thread, never by a worker.
            RetryExecutor executor(pool,
                RetryOptions { .max_retries = context.params.integer("max_retries"),
                    .base_delay = Duration(context.params.real("base_delay")) });
            std::vector<Future<int>> futures;
            for (int i = 0; i < tasks; ++i)
                futures.push_back(executor.submit(flaky, i));
            // Stop cancels every call: pending backoffs never fire, queued attempts never start.
            std::stop_callback cancel_on_stop(stop, [&futures] {
                for (Future<int>& future : futures)
                    future.cancel();
            });
            for (const Future<int>& future : futures) {
                try {
                    results.push_back(future.result());
                } catch (const CancelledError&) {
                    throw; // stopped
                } catch (const std::runtime_error& error) {
                    errors.push_back(error.what()); // the last attempt's error, after every retry failed
                }
            }
        }
        std::sort(results.begin(), results.end());
        context.print("Results: " + repr(results));
        if (errors.empty())
            context.print("All succeeded after retries: " + repr(results));
        else
            context.print("Failed after retries: " + repr(errors));
        // listing:end
    }

    std::string check(const ParameterValues& params, const std::vector<std::string>& output) const override
    {
        // The failures are fixed by the seed, so the output is known exactly.
        const int attempts = params.integer("max_retries") + 1;
        std::vector<int> results;
        std::vector<std::string> errors;
        for (int task_id = 0; task_id < params.integer("tasks"); ++task_id) {
            int attempt = 1;
            while (attempt <= attempts
                && attempt_fails(params.integer("seed"), params.real("failure_probability"), task_id, attempt))
                ++attempt;
            if (attempt <= attempts)
                results.push_back(task_id * 10);
            else
                errors.push_back(failure_message(task_id, attempts));
        }
        std::vector<std::string> expected { "Results: " + repr(results) };
        if (errors.empty())
            expected.push_back("All succeeded after retries: " + repr(results));
        else
            expected.push_back("Failed after retries: " + repr(errors));
        return compare_lines(expected, output);
    }
};

} // namespace

const Scenario& retry_scenario()
{
    static const RetryScenario instance;
    return instance;
}

} // namespace poolscope::scenarios
