#include "scenarios/basic_scenario.h"
#include "scenarios/output_checks.h"
#include "scenarios/python_repr.h"
#include "scenarios/scenario_helpers.h"
#include "scenarios/thread_pool_lanes.h"

#include <poolscope/futures.h>

#include <algorithm>
#include <stop_token>
#include <string>
#include <vector>

namespace poolscope::scenarios {

/// Exercise 8: a two-stage pipeline of futures; stage two starts from the stage-one results the caller collected.
void pipeline_run(RunContext& context)
{
    // listing:begin
    const int workers = context.params.integer("workers");
    const int items = context.params.integer("items");
    const Duration fetch_delay { context.params.real("fetch_delay") };
    const Duration process_delay { context.params.real("process_delay") };
    const std::stop_token stop = context.stop;

    // Both stages run on worker threads. Stage one stands in for I/O: wait, then double.
    auto stage1_fetch = [fetch_delay, stop](int item) {
        sleep_unless_stopped(stop, fetch_delay);
        return item * 2;
    };
    // Stage two works on what stage one fetched: wait, then square.
    auto stage2_process = [process_delay, stop](int fetched) {
        sleep_unless_stopped(stop, process_delay);
        return fetched * fetched;
    };

    std::vector<int> results;
    {
        ThreadPoolExecutor executor(thread_pool_options(context, workers));
        const ThreadPoolLanes lanes(context, executor);

        std::vector<Future<int>> stage1_futures;
        for (int item = 1; item <= items; ++item)
            stage1_futures.push_back(executor.submit(stage1_fetch, item));
        std::vector<int> stage1_results;
        {
            // Stop cancels the fetches that have not started; result() of one then throws CancelledError.
            const auto cancelling = cancel_on_stop(stop, stage1_futures);
            // The barrier: every stage-one result before any stage-two call.
            for (const Future<int>& future : stage1_futures)
                stage1_results.push_back(future.result());
        }
        if (stop.stop_requested())
            return;

        std::vector<Future<int>> stage2_futures;
        for (const int fetched : stage1_results)
            stage2_futures.push_back(executor.submit(stage2_process, fetched));
        const auto cancelling = cancel_on_stop(stop, stage2_futures);
        for (const Future<int>& future : stage2_futures)
            results.push_back(future.result());
    } // the with block's end: ~ThreadPoolExecutor() waits, as shutdown(wait=True)
    if (stop.stop_requested())
        return;
    std::sort(results.begin(), results.end());
    context.print(repr(results));
    // listing:end
}

std::string pipeline_check(const ParameterValues& params, const std::vector<std::string>& output)
{
    std::vector<long long> expected;
    for (long long item = 1; item <= params.integer("items"); ++item)
        expected.push_back((2 * item) * (2 * item));
    return compare_lines({ repr(expected) }, output);
}

} // namespace poolscope::scenarios
