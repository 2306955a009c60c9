#include "scenarios/shutdown_scenario.h"

#include "scenarios/scenario_registry.h"

#include <poolscope/futures.h>

#include <cstddef>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

namespace poolscope::scenarios {

ShutdownScenario::ShutdownScenario()
    : info_(catalog_entry("shutdown"))
    , parameters_ {
        Parameter { .name = "workers",
            .label = "Workers",
            .help = "max_workers of the thread pool.",
            .kind = ParameterKind::integer,
            .minimum = 1,
            .maximum = 64,
            .choices = {},
            .default_value = "4",
            .unit = {} },
        Parameter { .name = "tasks",
            .label = "Tasks",
            .help = "How many tasks are submitted before the shutdown.",
            .kind = ParameterKind::integer,
            .minimum = 1,
            .maximum = 1000,
            .choices = {},
            .default_value = "10",
            .unit = {} },
        Parameter { .name = "unit",
            .label = "Duration unit",
            .help = "Task n sleeps unit × (n mod 4 + 1): one to four units.",
            .kind = ParameterKind::real,
            .minimum = 0,
            .maximum = 2,
            .choices = {},
            .default_value = "0.05",
            .unit = "s" },
        Parameter { .name = "pause",
            .label = "Pause before shutdown",
            .help = "How long the caller waits between the last submit and shutdown(). At 0 the workers may "
                    "not even have picked up their first tasks yet, so cancel_futures cancels everything.",
            .kind = ParameterKind::real,
            .minimum = 0,
            .maximum = 5,
            .choices = {},
            .default_value = "0",
            .unit = "s" },
        Parameter { .name = "wait",
            .label = "wait",
            .help = "shutdown(wait=...): block until every task that is not cancelled has run. Without it "
                    "the counts are taken at once (leaving the with-block still waits).",
            .kind = ParameterKind::boolean,
            .choices = {},
            .default_value = "true",
            .unit = {} },
        Parameter { .name = "cancel_futures",
            .label = "cancel_futures",
            .help = "shutdown(cancel_futures=...): cancel every task still waiting in the queue; the running "
                    "ones finish.",
            .kind = ParameterKind::boolean,
            .choices = {},
            .default_value = "false",
            .unit = {} },
    }
{
}

std::string_view ShutdownScenario::explanation() const noexcept
{
    return "All the tasks are submitted in a burst, then shutdown() is called while most of them still wait "
           "in the queue. With wait=True the caller stays in shutdown() until the workers have worked through "
           "the whole queue, so every submitted task completes: in the timeline the worker lanes carry on, "
           "round after round, long after the last submit, and the counts are taken after the last task ends. "
           "With cancel_futures=True the queued tasks end cancelled at the moment of the shutdown and only "
           "the ones already running complete; straight after the submits the workers may not have picked "
           "up a single task yet, so give them a short pause to see both kinds. With wait=False the counts "
           "are taken at once, while the tasks are still running.";
}

std::string_view ShutdownScenario::python_listing() const noexcept
{
    return R"py(import threading
import time
from concurrent.futures import ThreadPoolExecutor

WORKERS, TASKS, UNIT, PAUSE = 4, 10, 0.05, 0
WAIT, CANCEL_FUTURES = True, False  # the scenario's parameters

done = []
done_lock = threading.Lock()


def job(n, seconds):
    time.sleep(seconds)
    with done_lock:
        done.append(n)
    return n


pool = ThreadPoolExecutor(max_workers=WORKERS)
jobs = [pool.submit(job, n, UNIT * (n % 4 + 1)) for n in range(TASKS)]
time.sleep(PAUSE)
pool.shutdown(wait=WAIT, cancel_futures=CANCEL_FUTURES)
with done_lock:
    finished = len(done)

print(f'Submitted: {len(jobs)}, Completed: {finished}')
print(f'All completed: {finished == len(jobs)}')
)py";
}

std::string_view ShutdownScenario::cpp_listing() const noexcept
{
    // The code between the listing markers in run() below, extracted at build time.
    static const std::string listing = dedent_listing(
#include "listings/shutdown_scenario.inc"
    );
    return listing;
}

void ShutdownScenario::run(RunContext& context) const
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
        ThreadPoolExecutor executor({ .max_workers = workers, .events = &context.log });
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

std::string ShutdownScenario::check(const ParameterValues& params, const std::vector<std::string>& output) const
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

const Scenario& shutdown_scenario()
{
    static const ShutdownScenario instance;
    return instance;
}

} // namespace poolscope::scenarios
