#include "scenarios/basic_scenario.h"
#include "scenarios/output_checks.h"
#include "scenarios/python_repr.h"
#include "scenarios/scenario_helpers.h"
#include "scenarios/thread_pool_lanes.h"

#include <poolscope/futures.h>

#include <numeric>
#include <stop_token>

namespace poolscope::scenarios {

/// Exercise 1: executor.map() doubles a list of numbers on a thread pool, results in input order.
void map_run(RunContext& context)
{
    // listing:begin
    const int workers = context.params.integer("workers");
    const int tasks = context.params.integer("tasks");
    const Duration delay { context.params.real("delay") };
    const std::stop_token stop = context.stop;

    // Stands in for a slow call: sleeps, then doubles.
    auto slow_double = [delay, stop](int n) {
        sleep_unless_stopped(stop, delay);
        return n * 2;
    };

    std::vector<int> numbers(static_cast<std::size_t>(tasks));
    std::iota(numbers.begin(), numbers.end(), 1);
    std::vector<int> answers;
    {
        // Python's `with ThreadPoolExecutor(...)`: the destructor is shutdown(wait=True).
        ThreadPoolExecutor pool(thread_pool_options(context, workers));
        const ThreadPoolLanes lanes(context, pool);
        // Every call is submitted before map() returns; the answers come in input order.
        auto doubled = pool.map(slow_double, numbers);
        // Stop cancels the calls that have not started yet.
        std::stop_callback cancel_on_stop(stop, [&pool] { pool.shutdown(false, true); });
        for (int value : doubled) {
            if (stop.stop_requested())
                return;
            answers.push_back(value);
        }
    } // the with block's end: ~ThreadPoolExecutor() waits, as shutdown(wait=True)
    context.print(repr(answers));
    // listing:end
}

std::string map_check(const ParameterValues& params, const std::vector<std::string>& output)
{
    std::vector<int> expected;
    for (int n = 1; n <= params.integer("tasks"); ++n)
        expected.push_back(2 * n);
    return compare_lines({ repr(expected) }, output);
}

} // namespace poolscope::scenarios
