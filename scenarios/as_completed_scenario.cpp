#include "scenarios/basic_scenario.h"
#include "scenarios/output_checks.h"
#include "scenarios/python_repr.h"
#include "scenarios/scenario_helpers.h"
#include "scenarios/thread_pool_lanes.h"

#include <poolscope/futures.h>
#include <poolscope/py_random.h>

#include <algorithm>
#include <numeric>
#include <stop_token>
#include <string>
#include <utility>

namespace poolscope::scenarios {

/// Exercise 5: as_completed() hands results over in finishing order.
void as_completed_run(RunContext& context)
{
    // listing:begin
    const int workers = context.params.integer("workers");
    const int tasks = context.params.integer("tasks");
    const double shortest = context.params.real("min_delay");
    const double longest = context.params.real("max_delay");
    const std::string order_of_delays = context.params.choice("order");
    const std::stop_token stop = context.stop;

    // On a worker thread, as on the page: the item's sleep is drawn from a generator seeded with
    // it (CPython's random.Random(seed), bit for bit), or spread evenly from item 1 to the last.
    auto variable_work = [=](int item, int seed) {
        double delay = 0;
        if (order_of_delays == "random") {
            py::Random rng(seed);
            delay = rng.uniform(shortest, longest);
        } else {
            const double rank = tasks == 1 ? 0.0 : static_cast<double>(item - 1) / (tasks - 1);
            delay = shortest + (longest - shortest) * (order_of_delays == "fastest-first" ? rank : 1.0 - rank);
        }
        sleep_unless_stopped(stop, Duration(delay));
        return std::pair { item, static_cast<long long>(item) * item }; // 100,000² overflows an int
    };

    std::vector<int> finished;
    {
        ThreadPoolExecutor pool(thread_pool_options(context, workers));
        const ThreadPoolLanes lanes(context, pool);
        std::vector<Future<std::pair<int, long long>>> jobs;
        for (int item = 1; item <= tasks; ++item)
            jobs.push_back(pool.submit(variable_work, item, item));
        // Stop cancels the items that have not started yet.
        std::stop_callback cancel_on_stop(stop, [&pool] { pool.shutdown(false, true); });
        // Each job as soon as it is done: finishing order, not submission order.
        for (const Future<std::pair<int, long long>>& job : as_completed(jobs)) {
            if (stop.stop_requested())
                return;
            finished.push_back(job.result().first);
        }
    } // the with block's end: ~ThreadPoolExecutor() waits, as shutdown(wait=True)
    std::vector<int> sorted_finished = finished;
    std::ranges::sort(sorted_finished);
    std::vector<int> all_items(static_cast<std::size_t>(tasks));
    std::iota(all_items.begin(), all_items.end(), 1);
    context.print("Completion order: " + repr(finished));
    context.print("All " + std::to_string(tasks) + " processed: " + repr(sorted_finished == all_items));
    // listing:end
}

std::string as_completed_check(const ParameterValues& params, const std::vector<std::string>& output)
{
    const int tasks = params.integer("tasks");
    const std::string all_line = "All " + std::to_string(tasks) + " processed: True";
    if (output.size() != 2)
        return "expected 2 lines, got " + std::to_string(output.size());
    const std::string prefix = "Completion order: ";
    if (!output[0].starts_with(prefix))
        return "line 1: expected " + prefix + "[...], got " + output[0];
    const auto order = parse_int_list(std::string_view(output[0]).substr(prefix.size()));
    if (!order)
        return "line 1: expected a list of items after '" + prefix + "', got " + output[0];
    std::vector<long long> sorted_order = *order;
    std::ranges::sort(sorted_order);
    std::vector<long long> all_items(static_cast<std::size_t>(tasks));
    std::iota(all_items.begin(), all_items.end(), 1LL);
    if (sorted_order != all_items)
        return "line 1: expected every item from 1 to " + std::to_string(tasks) + " once, got " + output[0];
    // One worker runs the items one after another, in submission order.
    if (params.integer("workers") == 1 && *order != all_items)
        return "line 1: with one worker the items finish in submission order, got " + output[0];
    if (output[1] != all_line)
        return "line 2: expected " + all_line + ", got " + output[1];
    return {};
}

} // namespace poolscope::scenarios
