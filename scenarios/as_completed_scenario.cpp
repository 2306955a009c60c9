#include "scenarios/basic_scenario.h"
#include "scenarios/output_checks.h"
#include "scenarios/python_repr.h"
#include "scenarios/scenario_helpers.h"
#include "scenarios/thread_pool_lanes.h"

#include <poolscope/futures.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <stop_token>
#include <string>
#include <utility>

namespace poolscope::scenarios {

namespace {

// The code between the listing markers in run() below, extracted at build time.
constexpr std::string_view marked_run_body =
#include "listings/as_completed_scenario.inc"
    ;

constexpr std::string_view python_listing = R"py(from concurrent.futures import ThreadPoolExecutor, as_completed
import random
import time

WORKERS, ITEMS, SHORTEST, LONGEST = 8, 8, 0.05, 0.25  # the scenario's parameters


def nap_then_square(item, seed):
    time.sleep(random.Random(seed).uniform(SHORTEST, LONGEST))
    return item, item * item


finished = []
with ThreadPoolExecutor(max_workers=WORKERS) as pool:
    jobs = [pool.submit(nap_then_square, i, i) for i in range(1, ITEMS + 1)]
    for job in as_completed(jobs):  # whichever is done first comes first
        item, _ = job.result()
        finished.append(item)

print(f"Completion order: {finished}")
print(f"All {ITEMS} processed: {sorted(finished) == list(range(1, ITEMS + 1))}")
)py";

ScenarioDescription description()
{
    ScenarioDescription d;
    d.info = { "as-completed", "as_completed: first results first",
        "The caller wakes once per completion, in finishing order rather than submission order." };
    d.explanation = "as_completed() yields each future as soon as it is done, so the caller handles the fastest items "
                    "first instead of waiting for item 1. The printed order is the finishing order; with the delays "
                    "spread slowest-first it is the submission order reversed, and with a single worker it is always "
                    "the submission order, because the tasks then run one after another. In the timeline the caller "
                    "lane wakes once per completion.";
    d.parameters = {
        integer_parameter("workers", "Workers",
            "max_workers of the thread pool; with 1, items finish in submission order.", 1, 64, "8"),
        integer_parameter("tasks", "Items",
            "How many items (1, 2, 3, ...) are processed. Tens of thousands, with both delays at 0, "
            "stress-test the live view.",
            1, 100000, "8"),
        real_parameter("min_delay", "Shortest delay", "The shortest sleep an item can get.", 0, 10, "0.05", "s"),
        real_parameter("max_delay", "Longest delay", "The longest sleep an item can get.", 0, 10, "0.25", "s"),
        choice_parameter("order", "Delays",
            "random: each item's sleep drawn from a generator seeded with the item, as in the exercise; "
            "slowest-first / fastest-first: spread evenly from item 1 to the last.",
            { "random", "slowest-first", "fastest-first" }, "random"),
    };
    d.python_listing = python_listing;
    d.marked_run_body = marked_run_body;
    return d;
}

/// Exercise 5: as_completed() hands results over in finishing order.
class AsCompletedScenario final : public BasicScenario {
public:
    AsCompletedScenario()
        : BasicScenario(description())
    {
    }

    void run(RunContext& context) const override
    {
        // listing:begin
        const int workers = context.params.integer("workers");
        const int tasks = context.params.integer("tasks");
        const double shortest = context.params.real("min_delay");
        const double longest = context.params.real("max_delay");
        const std::string order_of_delays = context.params.choice("order");
        const std::stop_token stop = context.stop;

        // The sleep of `item`, in seconds: drawn from a generator seeded with the item (like the
        // exercise's random.Random(item)), or spread evenly from item 1 to the last.
        auto delay_of = [&](int item) {
            double share = 0; // 0: shortest, 1: longest
            if (order_of_delays == "random") {
                std::mt19937 generator(static_cast<unsigned>(item));
                share = static_cast<double>(generator()) / 4294967296.0;
            } else {
                const double rank = tasks == 1 ? 0.0 : static_cast<double>(item - 1) / (tasks - 1);
                share = order_of_delays == "fastest-first" ? rank : 1.0 - rank;
            }
            return shortest + (longest - shortest) * share;
        };

        auto nap_then_square = [stop](int item, double seconds) {
            sleep_unless_stopped(stop, Duration(seconds));
            return std::pair { item, static_cast<long long>(item) * item }; // 100,000² overflows an int
        };

        std::vector<int> finished;
        {
            ThreadPoolExecutor pool({ .max_workers = workers, .events = &context.log });
            const ThreadPoolLanes lanes(context, pool);
            std::vector<Future<std::pair<int, long long>>> jobs;
            for (int item = 1; item <= tasks; ++item)
                jobs.push_back(pool.submit(nap_then_square, item, delay_of(item)));
            // Stop cancels the items that have not started yet.
            std::stop_callback cancel_on_stop(stop, [&pool] { pool.shutdown(false, true); });
            // Each job as soon as it is done: finishing order, not submission order.
            for (const Future<std::pair<int, long long>>& job : as_completed(jobs)) {
                if (stop.stop_requested())
                    return;
                finished.push_back(job.result().first);
            }
        }
        std::vector<int> sorted_finished = finished;
        std::ranges::sort(sorted_finished);
        std::vector<int> all_items(static_cast<std::size_t>(tasks));
        std::iota(all_items.begin(), all_items.end(), 1);
        context.print("Completion order: " + repr(finished));
        context.print("All " + std::to_string(tasks) + " processed: " + repr(sorted_finished == all_items));
        // listing:end
    }

    std::string check(const ParameterValues& params, const std::vector<std::string>& output) const override
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
};

} // namespace

const Scenario& as_completed_scenario()
{
    static const AsCompletedScenario instance;
    return instance;
}

} // namespace poolscope::scenarios
