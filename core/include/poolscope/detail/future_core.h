#pragma once

#include <poolscope/duration.h>
#include <poolscope/errors.h>
#include <poolscope/event.h>
#include <poolscope/future_state.h>
#include <poolscope/detail/progress.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace poolscope {
class EventLog;
}

namespace poolscope::detail {

class Waiter;

/// The type-independent part of a future's shared state: the state machine, waiting, callbacks,
/// waiters and event recording. SharedState<T> adds the value. Every lifecycle event of a task
/// (started, finished, failed, cancelled) is recorded here, so it is recorded exactly once whoever
/// drives the transition: a worker, the caller's cancel(), or a shutdown.
class FutureCore : public std::enable_shared_from_this<FutureCore> {
public:
    using Callback = std::function<void(const std::shared_ptr<FutureCore>&)>;

    FutureCore() = default;
    /// A future that records its lifecycle in log under task_id (log may be null).
    FutureCore(EventLog* log, std::uint64_t task_id, int attempt = 0) noexcept
        : log_(log)
        , task_id_(task_id)
        , attempt_(attempt)
    {
    }
    FutureCore(const FutureCore&) = delete;
    FutureCore& operator=(const FutureCore&) = delete;
    virtual ~FutureCore();

    FutureState state() const noexcept { return state_.load(std::memory_order_acquire); }
    bool done() const noexcept
    {
        const auto s = state();
        return s == FutureState::finished || s == FutureState::cancelled;
    }

    EventLog* log() const noexcept { return log_; }
    std::uint64_t task_id() const noexcept { return task_id_; }
    int attempt() const noexcept { return attempt_; }

    /// PENDING → CANCELLED (true); CANCELLED → true; RUNNING/FINISHED → false, recording a
    /// cancel_failed event when `record_refusal` (a caller's cancel(), not the library's clean-up).
    /// Any thread.
    bool cancel(bool record_refusal = true);

    /// PENDING → RUNNING (true, records `kind` on that worker lane: `started`, or `dispatched` for a
    /// process pool's call queue); CANCELLED → false.
    /// Throws InvalidStateError("Future in unexpected state") otherwise.
    bool set_running_or_notify_cancel(int worker = -1, EventKind kind = EventKind::started);

    /// For executors whose tasks run elsewhere (worker processes): the next completion is recorded
    /// on lane `worker` at `time` (log time) with `pid`, as stamped where the task ran, instead of
    /// at the moment the outcome reaches this process.
    void stamp_completion(int worker, std::chrono::nanoseconds time, int pid);

    /// The executor that a waiter of this future may help while it spins (see Progress). Set before
    /// the future is shared with any other thread.
    void set_progress(std::weak_ptr<Progress> progress) noexcept { progress_ = std::move(progress); }

    /// Completes with an error. Throws InvalidStateError if already done.
    void set_exception(std::exception_ptr error);

    /// Completes with a value written by store() under the lock. Throws InvalidStateError if done.
    template <class Store> void set_value_with(Store&& store)
    {
        std::unique_lock lock(mutex_);
        throw_if_done_locked();
        store();
        finish_locked(lock, nullptr);
    }

    /// Waits for completion; throws CancelledError, TimeoutError, or rethrows the task's error.
    /// `what` names the call in the caller_blocked event ("result", "exception").
    void wait_for_outcome(std::optional<Duration> timeout, const char* what) const;

    /// Waits like wait_for_outcome() but returns the task's error (null on success) instead of
    /// rethrowing it.
    std::exception_ptr wait_for_exception(std::optional<Duration> timeout) const;

    /// Adds a callback, or runs it now in the calling thread if the future is already done.
    /// `traced`: a learner's callback, whose run is recorded (callback_started / callback_finished,
    /// on the lane of the thread that runs it); the library's own bookkeeping passes false.
    void add_done_callback(Callback callback, bool traced = false);

    /// Registers a waiter; if the future is already done, reports to it at once instead.
    void install_waiter(Waiter* waiter);
    void remove_waiter(Waiter* waiter);

private:
    void throw_if_done_locked() const;
    void finish_locked(std::unique_lock<std::mutex>& lock, std::exception_ptr error);
    void notify_locked(bool failed);
    struct StoredCallback {
        Callback fn;
        bool traced = false;
    };
    void run_callbacks(std::vector<StoredCallback>& callbacks);
    bool wait_done(const Deadline& deadline, const char* what) const;

    mutable std::mutex mutex_;
    mutable std::condition_variable cv_;
    std::atomic<FutureState> state_ { FutureState::pending };
    std::exception_ptr error_;
    std::vector<StoredCallback> callbacks_;
    std::vector<Waiter*> waiters_;

    EventLog* const log_ = nullptr;
    const std::uint64_t task_id_ = 0;
    const int attempt_ = 0;
    int worker_ = -1; // set when RUNNING; guarded by mutex_
    std::optional<std::chrono::nanoseconds> stamped_time_; // see stamp_completion(); guarded by mutex_
    int stamped_pid_ = 0;
    std::weak_ptr<Progress> progress_; // written before the future is shared, read-only after
};

} // namespace poolscope::detail
