#include <poolscope/detail/future_core.h>

#include "spin.h"

#include <poolscope/detail/waiter.h>
#include <poolscope/error_handler.h>
#include <poolscope/errors.h>
#include <poolscope/event_log.h>
#include <poolscope/thread_pool_executor.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>

namespace poolscope {

std::string_view to_string(FutureState state) noexcept
{
    switch (state) {
    case FutureState::pending:
        return "PENDING";
    case FutureState::running:
        return "RUNNING";
    case FutureState::cancelled:
        return "CANCELLED";
    case FutureState::finished:
        return "FINISHED";
    }
    return "UNKNOWN";
}

namespace detail {

namespace {
// How long a caller polls for a result before it sleeps: long enough to catch a tiny task that a
// worker is finishing right now, or a process pool's round trip (10-20 µs on a 2-core VM, where a
// sleeping thread takes about as long to wake), short enough not to matter beside a real task.
constexpr std::chrono::microseconds result_spin_budget { 50 };

} // namespace

FutureCore::~FutureCore() = default;

bool FutureCore::cancel(bool record_refusal)
{
    std::unique_lock lock(mutex_);
    const auto s = state_.load(std::memory_order_relaxed);
    if (s == FutureState::running || s == FutureState::finished) {
        // Python's cancel() says no without a trace; the timeline shows the refusal, on the lane of
        // the thread that asked (-1: the caller), because the lessons of exercises 6 and 10 turn on
        // it. The library's own clean-up (map's iterator, shutdown, retries) is no caller's refusal,
        // as the CPython tracer leaves out concurrent.futures' own cancel() calls.
        if (log_ && record_refusal)
            log_->record(EventKind::cancel_failed, task_id_, current_worker_lane(), attempt_,
                s == FutureState::running ? "running" : "finished");
        return false;
    }
    if (s == FutureState::cancelled)
        return true;
    state_.store(FutureState::cancelled, std::memory_order_release);
    if (log_)
        log_->record(EventKind::cancelled, task_id_, -1, attempt_);
    notify_locked(false);
    auto callbacks = std::move(callbacks_);
    callbacks_.clear();
    lock.unlock();
    run_callbacks(callbacks);
    return true;
}

bool FutureCore::set_running_or_notify_cancel(int worker, EventKind kind)
{
    std::lock_guard lock(mutex_);
    const auto s = state_.load(std::memory_order_relaxed);
    if (s == FutureState::cancelled)
        return false; // waiters were told when it was cancelled
    if (s != FutureState::pending)
        throw InvalidStateError("Future in unexpected state");
    worker_ = worker;
    state_.store(FutureState::running, std::memory_order_release);
    if (log_)
        log_->record(kind, task_id_, worker, attempt_);
    return true;
}

void FutureCore::stamp_completion(int worker, std::chrono::nanoseconds time, int pid)
{
    std::lock_guard lock(mutex_);
    worker_ = worker;
    stamped_time_ = time;
    stamped_pid_ = pid;
}

void FutureCore::set_exception(std::exception_ptr error)
{
    std::unique_lock lock(mutex_);
    throw_if_done_locked();
    finish_locked(lock, std::move(error));
}

void FutureCore::throw_if_done_locked() const
{
    const auto s = state_.load(std::memory_order_relaxed);
    if (s == FutureState::finished || s == FutureState::cancelled)
        throw InvalidStateError(std::string(to_string(s)) + ": the future is already done");
}

void FutureCore::finish_locked(std::unique_lock<std::mutex>& lock, std::exception_ptr error)
{
    const bool failed = static_cast<bool>(error);
    error_ = std::move(error);
    state_.store(FutureState::finished, std::memory_order_release);
    // Recorded before anyone wakes, so a caller that returns from result() finds the event.
    if (log_) {
        const EventKind kind = failed ? EventKind::failed : EventKind::finished;
        std::string label = failed ? exception_message(error_) : std::string();
        if (stamped_time_)
            log_->record(Event { task_id_, kind, worker_, *stamped_time_, attempt_, std::move(label), stamped_pid_ });
        else
            log_->record(kind, task_id_, worker_, attempt_, label);
    }
    notify_locked(failed);
    auto callbacks = std::move(callbacks_);
    callbacks_.clear();
    lock.unlock();
    run_callbacks(callbacks);
}

void FutureCore::notify_locked(bool failed)
{
    if (!waiters_.empty()) {
        auto self = shared_from_this();
        for (Waiter* waiter : waiters_)
            waiter->on_done(self, failed);
    }
    cv_.notify_all();
}

void FutureCore::run_callbacks(std::vector<StoredCallback>& callbacks)
{
    if (callbacks.empty())
        return;
    auto self = shared_from_this();
    for (auto& callback : callbacks) {
        // On the thread that completed the future (a worker's lane), or the caller's (-1): where
        // exercise 4 says the callback runs, and where the timeline draws it.
        const int lane = callback.traced && log_ ? current_worker_lane() : -1;
        if (callback.traced && log_)
            log_->record(EventKind::callback_started, task_id_, lane, attempt_, "done-callback");
        try {
            callback.fn(self);
        } catch (const std::exception& e) {
            report_error("exception calling callback for future " + std::to_string(task_id_) + ": " + e.what());
        } catch (...) {
            report_error("exception calling callback for future " + std::to_string(task_id_));
        }
        if (callback.traced && log_)
            log_->record(EventKind::callback_finished, task_id_, lane, attempt_, "done-callback");
    }
}

bool FutureCore::wait_done(const Deadline& deadline, const char* what) const
{
    if (done())
        return true;
    if (deadline && Clock::now() >= *deadline)
        return false;
    auto budget = std::chrono::nanoseconds(result_spin_budget);
    if (deadline)
        budget = std::min(budget, std::chrono::duration_cast<std::chrono::nanoseconds>(*deadline - Clock::now()));
    if (const auto progress = progress_.lock()) {
        // Help the executor instead of only watching: see Progress.
        progress->assist_begin();
        const bool only_we_can = progress->waiting_blocks_progress();
        const auto until = Clock::now() + budget;
        bool finished = false;
        try {
            do {
                progress->assist();
                finished = done();
                if (!finished)
                    std::this_thread::yield();
            } while (!finished && (only_we_can ? !deadline || Clock::now() < *deadline : Clock::now() < until));
        } catch (...) {
            progress->assist_end();
            throw;
        }
        progress->assist_end();
        if (finished)
            return true;
    } else if (spin_until([this] { return done(); }, budget)) {
        return true;
    }

    std::unique_lock lock(mutex_);
    if (done())
        return true;
    if (log_)
        log_->record(EventKind::caller_blocked, task_id_, -1, attempt_, what);
    const auto is_done = [this] { return done(); };
    if (deadline)
        cv_.wait_until(lock, *deadline, is_done);
    else
        cv_.wait(lock, is_done);
    const bool finished = done();
    // "deadline": the wait gave up (TimeoutError follows); the timeline marks the moment.
    if (log_)
        log_->record(EventKind::caller_resumed, task_id_, -1, attempt_, finished ? std::string_view(what) : "deadline");
    return finished;
}

void FutureCore::wait_for_outcome(std::optional<Duration> timeout, const char* what) const
{
    if (!wait_done(deadline_after(timeout), what))
        throw TimeoutError();
    if (state() == FutureState::cancelled)
        throw CancelledError();
    if (error_)
        std::rethrow_exception(error_);
}

std::exception_ptr FutureCore::wait_for_exception(std::optional<Duration> timeout) const
{
    if (!wait_done(deadline_after(timeout), "exception"))
        throw TimeoutError();
    if (state() == FutureState::cancelled)
        throw CancelledError();
    return error_;
}

void FutureCore::add_done_callback(Callback callback, bool traced)
{
    {
        std::lock_guard lock(mutex_);
        if (!done()) {
            callbacks_.push_back({ std::move(callback), traced });
            return;
        }
    }
    std::vector<StoredCallback> now { { std::move(callback), traced } };
    run_callbacks(now);
}

void FutureCore::install_waiter(Waiter* waiter)
{
    std::lock_guard lock(mutex_);
    if (done())
        waiter->on_done(shared_from_this(), state() == FutureState::finished && error_);
    else
        waiters_.push_back(waiter);
}

void FutureCore::remove_waiter(Waiter* waiter)
{
    std::lock_guard lock(mutex_);
    std::erase(waiters_, waiter);
}

} // namespace detail
} // namespace poolscope
