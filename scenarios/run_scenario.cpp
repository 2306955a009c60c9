#include "scenarios/run_scenario.h"
#include "scenarios/scenario.h"

#include <poolscope/errors.h>
#include <poolscope/event.h>
#include <poolscope/thread_pool_executor.h>

#include <chrono>
#include <ctime>
#include <mutex>
#include <utility>

#include <unistd.h>

namespace poolscope::scenarios {

namespace {

std::string host_name()
{
    char buffer[256] = {};
    if (gethostname(buffer, sizeof buffer - 1) != 0)
        return {};
    return buffer;
}

std::string utc_now_iso8601()
{
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc {};
    gmtime_r(&now, &utc);
    char buffer[32];
    const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return std::string(buffer, length);
}

std::string joined_lines(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& line : lines) {
        if (!out.empty())
            out += '\n';
        out += line;
    }
    return out;
}

} // namespace

ScenarioRun run_scenario(const Scenario& scenario, const ParameterValues& params, EventLog& log, const RunHooks& hooks)
{
    std::mutex output_mutex;
    std::vector<std::string> output;
    std::vector<trace::Lane> lanes;
    std::string pool_kind;
    int max_workers = 0;
    int thread_pools = 0;
    std::atomic<int> process_counter { 0 };
    RunContext context {
        .params = params,
        .log = log,
        // Any thread: done-callbacks print from workers. The line is also an `output` event, so that
        // printed lines reach a live display through the log's observer in one stream with the
        // other events; recorded under the lock, so the events' order is the order of printing.
        .print =
            [&](const std::string& line) {
                {
                    std::lock_guard lock(output_mutex);
                    output.push_back(line);
                    log.record(EventKind::output, 0, current_worker_lane(), 0, line);
                }
                if (hooks.on_output)
                    hooks.on_output(line);
            },
        .stop = hooks.stop,
        .lanes = lanes,
        .pool_kind = pool_kind,
        .max_workers = max_workers,
        .thread_pools = thread_pools,
        .process_counter = process_counter,
    };

    ScenarioRun out;
    out.trace.started_at = utc_now_iso8601();
    const auto start = std::chrono::steady_clock::now();
    try {
        scenario.run(context);
    } catch (const CancelledError& e) {
        // Stop cancels what has not started; a scenario waiting on such a future ends this way,
        // like Python code whose result() raises CancelledError. That is a stopped run, not a failure.
        if (!hooks.stop.stop_requested())
            out.failure = e.what();
    } catch (const std::exception& e) {
        out.failure = e.what();
    } catch (...) {
        out.failure = "unknown exception";
    }
    out.trace.wall_time
        = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start);

    // run() has returned and its executors are gone, but a done-callback could in principle still
    // print; take the lines under the lock.
    std::vector<std::string> printed;
    {
        std::lock_guard lock(output_mutex);
        printed = output;
    }
    out.trace.scenario = std::string(scenario.info().id);
    out.trace.title = std::string(scenario.info().title);
    out.trace.parameters = params.as_text();
    out.trace.pool_kind = pool_kind;
    out.trace.max_workers = max_workers;
    out.trace.host = host_name();
    out.trace.output = joined_lines(printed);
    out.trace.events = log.events();
    out.trace.lanes = lanes.empty() ? trace::lanes_from_events(out.trace.events) : lanes;
    try {
        out.check_error = scenario.check(params, printed);
    } catch (const std::exception& e) {
        out.check_error = std::string("check failed: ") + e.what();
    }
    return out;
}

} // namespace poolscope::scenarios
