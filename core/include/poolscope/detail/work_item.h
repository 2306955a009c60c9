#pragma once

#include <poolscope/detail/future_core.h>

#include <atomic>
#include <memory>

namespace poolscope {
class InterpreterLock;
}

namespace poolscope::detail {

/// The link a WorkQueue threads its items on. Intrusive, so queueing a task allocates nothing.
struct QueueLink {
    std::atomic<QueueLink*> queue_next { nullptr };
};

/// One queued call as an executor's worker sees it. Execution and publication are split so the
/// pool can count the worker idle before waiters wake (see ThreadPoolExecutor's thread reuse).
class WorkItem : public QueueLink {
public:
    virtual ~WorkItem() = default;

    /// Runs on a worker thread: moves the future to RUNNING on lane `worker` and makes the call,
    /// keeping the outcome; with an interpreter lock, the call itself runs holding it. Returns
    /// false, doing nothing, if the future was cancelled.
    /// Throws InvalidStateError if someone else already drove the future past PENDING.
    virtual bool execute(int worker, InterpreterLock* gil = nullptr) = 0;

    /// Runs on the same worker thread after execute() returned true: completes the future, so
    /// waiters wake and done-callbacks run on this thread.
    virtual void publish() = 0;

    virtual FutureCore& core() noexcept = 0;

    /// The queue's reference to this item while it is queued (null otherwise); see WorkQueue.
    std::shared_ptr<WorkItem> queue_owner;
};

} // namespace poolscope::detail
