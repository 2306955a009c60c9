#pragma once

#include "scenarios/scenario.h"

namespace poolscope {
class ThreadPoolExecutor;
}

namespace poolscope::scenarios {

/// Describes a thread pool's lanes to the run: sets pool_kind ("thread") and max_workers at once,
/// and when it goes out of scope names one lane per worker thread the pool started, as Python
/// names them ("ThreadPoolExecutor-0_1"), lane index = worker index. Declare it right after the
/// executor, so it is destroyed first, while the executor still knows its threads.
class ThreadPoolLanes {
public:
    ThreadPoolLanes(RunContext& context, const ThreadPoolExecutor& executor);
    ~ThreadPoolLanes();
    ThreadPoolLanes(const ThreadPoolLanes&) = delete;
    ThreadPoolLanes& operator=(const ThreadPoolLanes&) = delete;

private:
    RunContext& context_;
    const ThreadPoolExecutor& executor_;
};

} // namespace poolscope::scenarios
