#pragma once

#include <poolscope/detail/future_core.h>

namespace poolscope::detail {

/// One queued call as an executor's worker sees it. Execution and publication are split so the
/// pool can count the worker idle before waiters wake (see ThreadPoolExecutor's thread reuse).
class WorkItem {
public:
    virtual ~WorkItem() = default;

    /// Runs on a worker thread: moves the future to RUNNING on lane `worker` and makes the call,
    /// keeping the outcome. Returns false, doing nothing, if the future was cancelled.
    /// Throws InvalidStateError if someone else already drove the future past PENDING.
    virtual bool execute(int worker) = 0;

    /// Runs on the same worker thread after execute() returned true: completes the future, so
    /// waiters wake and done-callbacks run on this thread.
    virtual void publish() = 0;

    virtual FutureCore& core() noexcept = 0;
};

} // namespace poolscope::detail
