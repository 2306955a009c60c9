#include "scenarios/basic_scenario.h"
#include "scenarios/output_checks.h"
#include "scenarios/python_repr.h"
#include "scenarios/scenario_helpers.h"
#include "scenarios/thread_pool_lanes.h"

#include <poolscope/futures.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <stop_token>
#include <string>
#include <system_error>
#include <utility>

namespace poolscope::scenarios {

/// Exercise 6: wait(FIRST_COMPLETED) takes the fastest search and cancels what has not started.
void first_completed_run(RunContext& context)
{
    // listing:begin
    const int workers = context.params.integer("workers");
    const double scale = context.params.real("scale");
    const std::stop_token stop = context.stop;

    using Found = std::pair<bool, std::vector<std::string>>;
    auto slow_search = [stop, scale](std::vector<std::string> items, std::string wanted, double seconds) {
        sleep_unless_stopped(stop, Duration(seconds * scale));
        const bool found = std::ranges::find(items, wanted) != items.end();
        items.resize(std::min<std::size_t>(items.size(), 20)); // items[:20]
        return Found { found, items };
    };

    struct Lookup {
        std::vector<std::string> items;
        std::string wanted;
        double seconds;
    };
    const std::vector<Lookup> lookups {
        { { "a", "b", "c", "x", "y" }, "x", 0.2 },
        { { "p", "q", "r" }, "r", 0.1 }, // the fastest
        { { "m", "n", "o", "x" }, "z", 0.3 },
        { { "d", "e", "f" }, "f", 0.4 },
    };

    Found winner;
    int dropped = 0;
    {
        ThreadPoolExecutor pool(thread_pool_options(context, workers));
        const ThreadPoolLanes lanes(context, pool);
        std::vector<Future<Found>> jobs;
        for (const Lookup& entry : lookups)
            jobs.push_back(pool.submit(slow_search, entry.items, entry.wanted, entry.seconds));
        // Stop cancels the lookups that have not started yet.
        std::stop_callback cancel_on_stop(stop, [&pool] { pool.shutdown(false, true); });
        auto [finished, unfinished] = wait(jobs, std::nullopt, FIRST_COMPLETED);
        if (stop.stop_requested())
            return;
        winner = finished.front().result();
        // cancel() succeeds only for a lookup still in the queue; running ones finish anyway.
        for (Future<Found>& job : unfinished)
            dropped += job.cancel() ? 1 : 0;
    } // the with block's end: ~ThreadPoolExecutor() waits, as shutdown(wait=True)
    context.print("First result: " + repr(winner));
    context.print("Cancelled: " + std::to_string(dropped));
    // listing:end
}

std::string first_completed_check(const ParameterValues& params, const std::vector<std::string>& output)
{
    // With one worker the searches run in submission order, so the first one wins; with more, the
    // fastest of those running (the second search) does.
    const std::string first_line = params.integer("workers") == 1 ? "First result: (True, ['a', 'b', 'c', 'x', 'y'])"
                                                                  : "First result: (True, ['p', 'q', 'r'])";
    if (output.size() != 2)
        return "expected 2 lines, got " + std::to_string(output.size());
    if (output[0] != first_line)
        return "line 1: expected " + first_line + ", got " + output[0];
    // The count depends on which searches were still queued: at most the three that did not win.
    const std::string prefix = "Cancelled: ";
    int cancelled = -1;
    const std::string_view count = std::string_view(output[1]).substr(std::min(prefix.size(), output[1].size()));
    const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), cancelled);
    if (!output[1].starts_with(prefix) || ec != std::errc {} || end != count.data() + count.size() || cancelled < 0
        || cancelled > 3)
        return "line 2: expected Cancelled: followed by a count from 0 to 3, got " + output[1];
    return {};
}

} // namespace poolscope::scenarios
