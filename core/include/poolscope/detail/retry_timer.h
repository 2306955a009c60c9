#pragma once

#include <poolscope/duration.h>

#include <compare>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace poolscope::detail {

/// One thread that runs jobs at their due times: what a RetryExecutor waits out backoff delays
/// with, so that no worker of the wrapped executor sleeps through a delay. The thread starts with
/// the first schedule() and ends with stop() or the destructor. Every member may be called from any
/// thread, including from a job on the timer thread.
class RetryTimer {
public:
    /// Why a job runs: its due time passed (on the timer thread), or the timer was closed before it
    /// came due (on the thread that closed it).
    enum class Wake { due, dropped };
    using Job = std::function<void(Wake)>;

    /// Names one scheduled job, for cancel(). Ordered by due time, then by scheduling order, so
    /// jobs due at the same instant run first come, first served.
    struct Ticket {
        Clock::time_point due;
        std::uint64_t sequence = 0;
        friend auto operator<=>(const Ticket&, const Ticket&) = default;
    };

    RetryTimer();
    /// stop().
    ~RetryTimer();
    RetryTimer(const RetryTimer&) = delete;
    RetryTimer& operator=(const RetryTimer&) = delete;

    /// Runs job(Wake::due) on the timer thread once `due` has passed, starting the thread if it is
    /// not running yet. Returns empty, keeping nothing, once close() or stop() was called.
    /// Throws std::system_error if the thread cannot be started. An exception from a job is
    /// reported through the error handler.
    std::optional<Ticket> schedule(Clock::time_point due, Job job);

    /// Removes a job that has not run yet; true if it was removed (it will then never run), false if
    /// it already runs, ran or was dropped.
    bool cancel(const Ticket& ticket);

    /// Refuses further jobs and runs every pending one with Wake::dropped, on this thread. The thread
    /// keeps running a job it already started. Calling it again is harmless.
    void close();

    /// close(), then ends the thread and joins it. Called on the timer thread itself (from a job),
    /// it detaches instead: the thread leaves once that job returns. Calling it again is harmless.
    void stop();

    /// True when called from this timer's thread, i.e. from inside one of its jobs.
    bool on_timer_thread() const noexcept;

    struct Impl;

private:
    // Shared with the thread, which may outlive this handle when stop() runs inside a job.
    std::shared_ptr<Impl> impl_;
};

} // namespace poolscope::detail
