#include "scenarios/basic_scenario.h"
#include "scenarios/output_checks.h"
#include "scenarios/python_repr.h"
#include "scenarios/scenario_helpers.h"
#include "scenarios/thread_pool_lanes.h"

#include <poolscope/futures.h>

#include <numeric>
#include <stop_token>
#include <string>
#include <vector>

namespace poolscope::scenarios {

namespace {

// The code between the listing markers in run() below, extracted at build time.
constexpr std::string_view marked_run_body =
#include "listings/map_timeout_scenario.inc"
    ;

constexpr std::string_view python_listing = R"py(import time
from concurrent.futures import ThreadPoolExecutor, TimeoutError

WORKERS, TASKS, STEP, TIMEOUT = 10, 10, 0.05, 0.2  # the scenario's parameters


def late_task(n):
    time.sleep((n + 0.5) * STEP)  # each task finishes a step after the last
    return n


got = 0
with ThreadPoolExecutor(max_workers=WORKERS) as pool:
    try:
        for _ in pool.map(late_task, range(TASKS), timeout=TIMEOUT):
            got += 1
    except TimeoutError:
        pass  # the rest were cancelled or are left to finish unread
timed_out = TASKS - got

print(f'Got: {got}, Timed out: {timed_out}')
print(f'Total: {got + timed_out}')
)py";

ScenarioDescription description()
{
    ScenarioDescription d;
    d.info = { "map-timeout", "Timeout on map()",
        "Past the deadline the caller gives up; tasks already running still finish." };
    d.explanation = "map() takes its deadline when it is called, not per result. The caller reads the results in "
                    "input order, and the first one still missing when the deadline passes raises TimeoutError: "
                    "everything after it counts as timed out, even if it finished later. Cancelling those only "
                    "reaches the tasks still waiting in the queue; the ones a worker already runs carry on to the end "
                    "(the pool's shutdown waits for them), so in the timeline they finish after the caller gave up. "
                    "Raise the timeout and more results arrive in time; with fewer workers than tasks the queued ones "
                    "end cancelled.";
    d.parameters = {
        integer_parameter("workers", "Workers",
            "max_workers of the thread pool. Fewer workers than tasks leaves some queued, and those "
            "are cancelled at the deadline.",
            1, 64, "10"),
        integer_parameter("tasks", "Tasks", "How many tasks map() runs; task n sleeps (n + ½) × step.", 1, 100, "10"),
        real_parameter("step", "Delay step",
            "How much longer each task sleeps than the one before: task n sleeps (n + ½) × step, so "
            "they finish one by one, each a step after the last.",
            0, 2, "0.05", "s"),
        real_parameter("timeout", "Timeout",
            "map()'s timeout, counted from the map() call: results not ready by then are given up on.", 0, 60, "0.2",
            "s"),
    };
    d.python_listing = python_listing;
    d.marked_run_body = marked_run_body;
    return d;
}

/// Exercise 9: executor.map() with a timeout; the caller counts the results it got before the deadline and gives up on
/// the rest.
class MapTimeoutScenario final : public BasicScenario {
public:
    MapTimeoutScenario()
        : BasicScenario(description())
    {
    }

    void run(RunContext& context) const override
    {
        // listing:begin
        const int workers = context.params.integer("workers");
        const int tasks = context.params.integer("tasks");
        const Duration step { context.params.real("step") };
        const Duration time_limit { context.params.real("timeout") };
        const std::stop_token stop = context.stop;

        // On a worker thread: task n finishes (n + ½) steps after it starts, a step after the task before it.
        auto late_task = [step, stop](int n) {
            sleep_unless_stopped(stop, (n + 0.5) * step);
            return n;
        };

        std::vector<int> inputs(static_cast<std::size_t>(tasks));
        std::iota(inputs.begin(), inputs.end(), 0);
        int got = 0;
        {
            ThreadPoolExecutor executor({ .max_workers = workers, .events = &context.log });
            const ThreadPoolLanes lanes(context, executor);
            // The deadline counts from this call; every task is submitted before it returns.
            auto results = executor.map(late_task, inputs, timeout(time_limit));
            // Stop cancels the tasks that have not started yet.
            std::stop_callback cancel_on_stop(stop, [&executor] { executor.shutdown(false, true); });
            try {
                while (results.next())
                    ++got;
            } catch (const TimeoutError&) {
                // next() has cancelled what it did not yield; tasks already running finish anyway,
                // and leaving this block waits for them (Python's with-block: shutdown(wait=True)).
            }
        }
        if (stop.stop_requested())
            return;
        const int timed_out = tasks - got;
        context.print("Got: " + std::to_string(got) + ", Timed out: " + std::to_string(timed_out));
        context.print("Total: " + std::to_string(got + timed_out));
        // listing:end
    }

    std::string check(const ParameterValues& params, const std::vector<std::string>& output) const override
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
};

} // namespace

const Scenario& map_timeout_scenario()
{
    static const MapTimeoutScenario instance;
    return instance;
}

} // namespace poolscope::scenarios
