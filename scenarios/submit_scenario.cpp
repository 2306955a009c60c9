#include "scenarios/basic_scenario.h"
#include "scenarios/output_checks.h"
#include "scenarios/python_repr.h"
#include "scenarios/scenario_helpers.h"
#include "scenarios/thread_pool_lanes.h"

#include <poolscope/futures.h>

#include <stop_token>
#include <utility>

namespace poolscope::scenarios {

/// Exercise 2: submit() and Future.result() collect four powers computed on a thread pool.
void submit_run(RunContext& context)
{
    // listing:begin
    const int workers = context.params.integer("workers");
    const Duration delay { context.params.real("delay") };
    const std::stop_token stop = context.stop;

    auto compute = [delay, stop](long long base, int exponent) {
        sleep_unless_stopped(stop, delay);
        long long value = 1;
        for (int i = 0; i < exponent; ++i)
            value *= base;
        return value;
    };

    const std::vector<std::pair<long long, int>> jobs { { 2, 10 }, { 3, 5 }, { 5, 4 }, { 10, 3 } };
    std::vector<long long> powers;
    {
        ThreadPoolExecutor pool(thread_pool_options(context, workers));
        const ThreadPoolLanes lanes(context, pool);
        std::vector<Future<long long>> pending;
        for (const auto& [base, exponent] : jobs)
            pending.push_back(pool.submit(compute, base, exponent));
        // Stop cancels the computations that have not started yet.
        std::stop_callback cancel_on_stop(stop, [&pool] { pool.shutdown(false, true); });
        // In submission order: each result() blocks until that one job is done.
        for (const Future<long long>& job : pending) {
            if (stop.stop_requested())
                return;
            powers.push_back(job.result());
        }
    } // the with block's end: ~ThreadPoolExecutor() waits, as shutdown(wait=True)
    context.print(repr(powers));
    // listing:end
}

std::string submit_check(const ParameterValues&, const std::vector<std::string>& output)
{
    return compare_lines({ "[1024, 243, 625, 1000]" }, output);
}

} // namespace poolscope::scenarios
