#include "scenarios/thread_pool_lanes.h"

#include <poolscope/thread_pool_executor.h>

namespace poolscope::scenarios {

ThreadPoolLanes::ThreadPoolLanes(RunContext& context, const ThreadPoolExecutor& executor)
    : context_(context)
    , executor_(executor)
{
    context_.pool_kind = "thread";
    context_.max_workers = executor_.max_workers();
}

ThreadPoolLanes::~ThreadPoolLanes()
{
    try {
        const auto names = executor_.thread_names();
        context_.lanes.clear();
        for (std::size_t i = 0; i < names.size(); ++i)
            context_.lanes.push_back(trace::Lane { .index = static_cast<int>(i), .name = names[i], .pid = 0 });
    } catch (...) {
        // Out of memory: run_scenario() names the lanes from the events instead.
        context_.lanes.clear();
    }
}

} // namespace poolscope::scenarios
