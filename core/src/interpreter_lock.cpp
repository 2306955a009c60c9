// The emulated interpreter lock: CPython's "new GIL" (Python/ceval_gil.c, since 3.2), with
// FORCE_SWITCHING, rebuilt on the standard library. The lock is a flag guarded by a mutex; waiters
// ask the holder to drop it after a switch interval without a switch, and the holder answers at
// its next py::tick().
#include <poolscope/interpreter_lock.h>

#include "gil_context.h"
#include "spin.h"

#include <poolscope/event_log.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>

namespace poolscope {

namespace detail {
constinit thread_local GilContext this_thread_gil {};
constinit thread_local GilContext* current_gil = nullptr;
} // namespace detail

namespace {
using detail::GilContext;

std::atomic<std::uint64_t> next_thread_token { 1 };

Duration checked_interval(Duration interval)
{
    // Written so that NaN fails too. Python's sys.setswitchinterval() raises with these words.
    if (!(interval > Duration::zero()))
        throw std::invalid_argument("switch interval must be strictly positive");
    return interval;
}

// How long one wait for the lock lasts. CPython waits at least a microsecond; beyond a century the
// deadline arithmetic would overflow, and nobody waits that long (it means "never ask").
std::chrono::nanoseconds wait_step(Duration interval)
{
    constexpr Duration shortest = std::chrono::microseconds(1);
    constexpr Duration longest = std::chrono::hours(24 * 365 * 100);
    return std::chrono::ceil<std::chrono::nanoseconds>(std::clamp(interval, shortest, longest));
}

// An instant strictly after `floor`. Two clock readings can be equal, and the event log breaks
// ties by kind (gil_acquired before gil_released), which would show two holders at once or a
// lane's requests out of order. Waiting for the clock to move costs nanoseconds.
Clock::time_point stamp_after(Clock::time_point floor) noexcept
{
    auto now = Clock::now();
    while (now <= floor) {
        detail::cpu_relax();
        now = Clock::now();
    }
    return now;
}

// Records one interpreter-lock event of the context's task, stamped after `floor` and after the
// thread's previous one. Returns the stamp (the epoch when there is no log).
Clock::time_point note(
    GilContext& context, EventKind kind, Clock::time_point floor, std::string_view label = {}) noexcept
{
    if (context.log == nullptr)
        return {};
    const auto stamp = stamp_after(std::max(floor, context.last_stamp));
    context.last_stamp = stamp;
    try {
        context.log->record(
            Event { context.task_id, kind, context.worker, context.log->to_log_time(stamp), 0, std::string(label) });
    } catch (...) {
        // Out of memory: losing an event is better than a lock that is never given back.
    }
    return stamp;
}
} // namespace

class InterpreterLock::Impl {
public:
    explicit Impl(Duration interval)
        : interval_(checked_interval(interval))
    {
    }

    void set_interval(Duration interval)
    {
        const Duration checked = checked_interval(interval);
        std::lock_guard lock(mutex_);
        interval_ = checked;
    }

    Duration interval() const
    {
        std::lock_guard lock(mutex_);
        return interval_;
    }

    // CPython's take_gil. Runs on the thread that wants the lock; returns when it has it, with the
    // instant of the latest logged release, after which its gil_acquired must be stamped.
    Clock::time_point take(const GilContext& context)
    {
        std::unique_lock lock(mutex_);
        while (locked_) {
            const std::uint64_t seen = switch_number_;
            const bool timed_out = released_cv_.wait_for(lock, wait_step(interval_)) == std::cv_status::timeout;
            // A whole interval without a switch: the holder has had its turn. Asking again after a
            // switch would cut the new holder's turn short.
            if (timed_out && locked_ && switch_number_ == seen)
                drop_request_.store(true, std::memory_order_relaxed);
        }
        locked_ = true;
        // Only a change of thread counts as a switch: a thread that lets go and takes the lock
        // straight back (its next task, a zero sleep) has not given anyone a turn.
        if (holder_ != context.thread_token) {
            holder_ = context.thread_token;
            ++switch_number_;
            switched_cv_.notify_all();
        }
        // Whoever asked has the lock now, or will ask again after its next interval.
        drop_request_.store(false, std::memory_order_relaxed);
        return last_release_;
    }

    // CPython's drop_gil. Runs on the holder after it recorded gil_released at `released_at`.
    // With force_switch (FORCE_SWITCHING), and a drop request pending, it returns only once another
    // thread has taken the lock: otherwise the holder, already running, would usually take it back
    // before the woken waiter gets scheduled, and the waiter would never get a turn.
    void drop(Clock::time_point released_at, bool force_switch)
    {
        std::unique_lock lock(mutex_);
        last_release_ = std::max(last_release_, released_at);
        locked_ = false;
        released_cv_.notify_one();
        // A drop request is only set while a waiter waits, and only cleared by the next taker or
        // here, so the wait below always ends: that waiter takes the lock.
        if (!force_switch || !drop_request_.load(std::memory_order_relaxed))
            return;
        drop_request_.store(false, std::memory_order_relaxed);
        const std::uint64_t seen = switch_number_;
        switched_cv_.wait(lock, [&] { return switch_number_ != seen; });
    }

    // CPython's gil_drop_request. Read without the mutex by the holder at every tick, written
    // under it; on a line of its own so that waiters taking the mutex do not slow the holder down.
    alignas(64) std::atomic<bool> drop_request_ { false };

private:
    alignas(64) mutable std::mutex mutex_; // guards everything below
    std::condition_variable released_cv_; // the lock was let go (CPython's gil->cond)
    std::condition_variable switched_cv_; // another thread took it (CPython's gil->switch_cond)
    bool locked_ = false;
    std::uint64_t holder_ = 0; // thread token of the latest holder (CPython's last_holder)
    std::uint64_t switch_number_ = 0; // how often the holding thread changed
    Duration interval_;
    Clock::time_point last_release_ {}; // stamp of the latest logged gil_released
};

namespace detail {

void release_gil(GilContext& context, std::string_view label) noexcept
{
    // Recorded while the lock is still ours, so that no other thread's gil_acquired precedes it.
    const auto stamp = note(context, EventKind::gil_released, {}, label);
    current_gil = nullptr;
    context.lock->drop(stamp, false);
}

void acquire_gil(GilContext& context) noexcept
{
    note(context, EventKind::gil_requested, {});
    const auto last_release = context.lock->take(context);
    note(context, EventKind::gil_acquired, last_release);
    current_gil = &context;
}

void switch_gil(GilContext& context) noexcept
{
    const auto stamp = note(context, EventKind::gil_released, {}, "switch");
    current_gil = nullptr;
    context.lock->drop(stamp, true);
    acquire_gil(context);
}

} // namespace detail

InterpreterLock::InterpreterLock()
    : InterpreterLock(InterpreterLockOptions {})
{
}

InterpreterLock::InterpreterLock(InterpreterLockOptions options)
    : impl_(std::make_unique<Impl>(options.switch_interval))
{
}

InterpreterLock::~InterpreterLock() = default;

void InterpreterLock::set_switch_interval(Duration interval)
{
    impl_->set_interval(interval);
}

Duration InterpreterLock::switch_interval() const
{
    return impl_->interval();
}

InterpreterLock::Hold::Hold(InterpreterLock& lock, EventLog* log, int worker, std::uint64_t task_id)
{
    GilContext& context = detail::this_thread_gil;
    // A second hold on the lock it already holds would wait for itself forever.
    if (context.lock != nullptr)
        throw std::logic_error("this thread has an interpreter lock hold already; holds do not nest");
    if (context.thread_token == 0)
        context.thread_token = next_thread_token.fetch_add(1, std::memory_order_relaxed);
    context.lock = lock.impl_.get();
    context.drop_request = &context.lock->drop_request_;
    context.log = log;
    context.worker = worker;
    context.task_id = task_id;
    detail::acquire_gil(context);
}

InterpreterLock::Hold::~Hold()
{
    GilContext& context = detail::this_thread_gil;
    if (detail::current_gil != nullptr)
        detail::release_gil(context, "done");
    // Cleared, so the lock may be destroyed once the last hold is gone.
    context.lock = nullptr;
    context.drop_request = nullptr;
    context.log = nullptr;
}

} // namespace poolscope
