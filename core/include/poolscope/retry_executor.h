#pragma once

#include <poolscope/detail/retry_timer.h>
#include <poolscope/duration.h>
#include <poolscope/errors.h>
#include <poolscope/event.h>
#include <poolscope/event_log.h>
#include <poolscope/future.h>
#include <poolscope/task_identity.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <concepts>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace poolscope {

// clang-format 14 cannot lay out requires-expressions.
// clang-format off
/// What a RetryExecutor needs from the executor it wraps, and nothing more: a task id for every
/// attempt of one call, a way to submit one attempt under it, and the log to record retries in
/// (null records nothing). ThreadPoolExecutor is one; a process pool with the same members is another.
template <class E>
concept AttemptExecutor = requires(E& executor, TaskIdentity identity, int (*fn)()) {
    { executor.next_task_id() } -> std::convertible_to<std::uint64_t>;
    { executor.submit_attempt(identity, fn) } -> std::same_as<Future<int>>;
    { executor.events() } -> std::convertible_to<EventLog*>;
};
// clang-format on

/// How a RetryExecutor retries; designated initialisers read like Python's keywords:
/// RetryOptions { .max_retries = 3, .base_delay = 100ms }.
struct RetryOptions {
    /// Retries after the first attempt, so a call runs at most max_retries + 1 times. Must be >= 0.
    int max_retries = 3;
    /// The wait before retry k (1-based) is base_delay * 2^(k-1): base, 2·base, 4·base...
    /// Must be finite and >= 0.
    Duration base_delay = std::chrono::milliseconds(100);
    /// Whether an attempt's error is worth another attempt; empty retries every error. An attempt
    /// that was cancelled, or that threw CancelledError, is never retried. If the predicate throws,
    /// the call fails with what it threw. Runs on the thread that completed the failed attempt.
    std::function<bool(const std::exception_ptr&)> retry_if {};
};

namespace detail {

/// Throws std::invalid_argument naming the first option out of its range.
inline void check_retry_options(const RetryOptions& options)
{
    if (options.max_retries < 0) {
        throw std::invalid_argument("max_retries must be 0 or greater, got " + std::to_string(options.max_retries));
    }
    const double base = options.base_delay.count();
    if (!std::isfinite(base) || base < 0) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", base);
        throw std::invalid_argument(
            std::string("base_delay must be a finite number of seconds, 0 or greater, got ") + text);
    }
}

/// The wait before the attempt after `failed_attempt`: base * 2^failed_attempt. Capped at a
/// century, where time_point arithmetic would otherwise overflow (as deadline_after() does).
inline Duration backoff_delay(Duration base, int failed_attempt)
{
    constexpr double longest = 100.0 * 365 * 24 * 3600;
    return Duration(std::min(std::ldexp(base.count(), failed_attempt), longest));
}

/// "backoff 0.2 s": the label of a `retried` event.
inline std::string backoff_label(Duration delay)
{
    char text[48];
    std::snprintf(text, sizeof text, "backoff %.6g s", delay.count());
    return text;
}

inline bool is_cancelled_error(const std::exception_ptr& error)
{
    try {
        std::rethrow_exception(error);
    } catch (const CancelledError&) {
        return true;
    } catch (...) {
        return false;
    }
}

/// What a RetryExecutor shares with its chains. The chains' callbacks co-own it, so a callback that
/// arrives after the RetryExecutor was destroyed (the last attempt of a cancelled chain finishing)
/// finds it alive.
class RetryState {
public:
    RetryState(RetryOptions retry_options, EventLog* event_log)
        : options(std::move(retry_options))
        , log(event_log)
    {
    }

    /// Counts a chain that is about to start. Caller's thread.
    /// Throws ExecutorShutdownError after shutdown().
    void chain_started()
    {
        std::lock_guard lock(mutex_);
        if (shut_down_)
            throw ExecutorShutdownError();
        ++active_;
    }

    /// A chain's future is done. Runs on the thread that completed or cancelled it.
    void chain_ended()
    {
        std::lock_guard lock(mutex_);
        if (--active_ == 0)
            idle_.notify_all();
    }

    /// After this, chain_started() throws. Any thread.
    void refuse_new_chains()
    {
        std::lock_guard lock(mutex_);
        shut_down_ = true;
    }

    /// Blocks until every chain's future is done. Any thread but the timer's, whose jobs the
    /// chains in a backoff wait for.
    void wait_for_chains()
    {
        std::unique_lock lock(mutex_);
        idle_.wait(lock, [this] { return active_ == 0; });
    }

    const RetryOptions options;
    EventLog* const log;
    RetryTimer timer;

private:
    std::mutex mutex_;
    std::condition_variable idle_;
    int active_ = 0; // chains whose caller future is not done yet
    bool shut_down_ = false;
};

/// One call and all its attempts. The caller holds its future; the chain itself is owned by what
/// will call it next: the current attempt's done-callback, or the timer job of a pending backoff.
///
/// Locking: mutex_ guards attempt_, backoff_ and over_, and is never held while calling into a
/// future or the wrapped executor (both may run callbacks inline that come back here); it may be
/// held while calling the timer, whose lock is a leaf.
template <class R> class RetryChain : public std::enable_shared_from_this<RetryChain<R>> {
public:
    using Launch = std::function<Future<R>(TaskIdentity)>;

    RetryChain(std::shared_ptr<RetryState> state, std::uint64_t task_id, Launch launch)
        : state_(std::move(state))
        , task_id_(task_id)
        , launch_(std::move(launch))
        // Standalone (no log, so it adds no events of its own) but carrying the task id, so the
        // caller can find the attempts in the log.
        , caller_(std::make_shared<SharedState<R>>(nullptr, task_id, 0))
    {
    }

    const Future<R>& caller() const noexcept { return caller_; }

    /// Caller's thread: links the caller's future to the chain and submits attempt 0.
    /// Throws what the wrapped executor's submit throws (ExecutorShutdownError...) and
    /// ExecutorShutdownError after RetryExecutor::shutdown().
    void start()
    {
        // Registered first, so it runs before any callback of the caller's: the chain is over for
        // good before the caller hears of it, however the future got done.
        caller_.add_done_callback(
            [chain = this->weak_from_this(), state = state_](const Future<R>&) {
                if (auto self = chain.lock())
                    self->stop();
                state->chain_ended();
            },
            detail::untraced);
        state_->chain_started();
        launch(0, true);
    }

private:
    // Caller's thread for attempt 0, the timer thread for the others.
    void launch(int attempt, bool rethrow)
    {
        {
            std::lock_guard lock(mutex_);
            if (over_)
                return;
            backoff_.reset();
        }
        std::optional<Future<R>> submitted;
        try {
            submitted.emplace(launch_(TaskIdentity { task_id_, attempt }));
        } catch (...) {
            // The wrapped executor was shut down or broke while the retry was due: the call fails
            // with that error, it never stays pending.
            finish_with_error(std::current_exception());
            if (rethrow)
                throw;
            return;
        }
        bool late = false;
        {
            std::lock_guard lock(mutex_);
            late = over_;
            if (!late)
                attempt_ = *submitted;
        }
        if (late) {
            // The caller cancelled while we submitted: stop the attempt unless it already runs.
            submitted->cancel_for_cleanup();
            return;
        }
        // Registered after attempt_ is set, so the callback can never see a stale attempt.
        submitted->add_done_callback(
            [self = this->shared_from_this(), attempt](const Future<R>& done) { self->on_attempt_done(attempt, done); },
            detail::untraced);
    }

    // Runs on the thread that completed the attempt: a worker of the wrapped executor, or whoever
    // cancelled it (this chain's stop(), a shutdown of the wrapped executor). Inline on the
    // submitting thread if the attempt was done before its callback was added.
    void on_attempt_done(int attempt, const Future<R>& done) noexcept
    {
        try {
            {
                std::lock_guard lock(mutex_);
                if (over_)
                    return; // the caller cancelled; a running attempt just finished unobserved
                attempt_.reset();
            }
            if (done.cancelled()) {
                finish_cancelled(); // cancelled behind our back, e.g. shutdown(cancel_futures) of the pool
                return;
            }
            const std::exception_ptr error = done.exception(Duration::zero());
            if (!error) {
                finish([&done](Future<R>& caller) {
                    if constexpr (std::is_void_v<R>)
                        caller.set_result();
                    else
                        caller.set_result(done.result());
                });
                return;
            }
            if (attempt >= state_->options.max_retries || is_cancelled_error(error)) {
                finish_with_error(error);
                return;
            }
            if (state_->options.retry_if && !state_->options.retry_if(error)) {
                finish_with_error(error);
                return;
            }
            schedule_retry(attempt + 1);
        } catch (...) {
            // retry_if threw, or memory ran out: the call fails with that, it never stays pending.
            finish_with_error(std::current_exception());
        }
    }

    // Same thread as on_attempt_done().
    void schedule_retry(int attempt)
    {
        const Duration delay = backoff_delay(state_->options.base_delay, attempt - 1);
        // Recorded at the failure, before the due time is taken, so submitted - retried >= delay.
        if (state_->log)
            state_->log->record(EventKind::retried, task_id_, -1, attempt, backoff_label(delay));
        const auto due = Clock::now() + std::chrono::ceil<Clock::duration>(delay);
        bool refused = false;
        {
            // Under the chain lock, so that stop() either sees the ticket or the job sees over_.
            std::lock_guard lock(mutex_);
            if (over_)
                return;
            // The job runs on the timer thread when due, or on the thread that closes the timer.
            backoff_ = state_->timer.schedule(due, [self = this->shared_from_this(), attempt](RetryTimer::Wake wake) {
                if (wake == RetryTimer::Wake::due)
                    self->launch(attempt, false);
                else
                    self->finish_cancelled();
            });
            refused = !backoff_;
        }
        // The timer is closed: RetryExecutor::shutdown(cancel_futures = true) cancels retries.
        if (refused)
            finish_cancelled();
    }

    // Runs first among the caller future's callbacks, on the thread that completed or cancelled it:
    // nothing more may start. A pending backoff never fires; a queued attempt is cancelled; a
    // running one finishes, and on_attempt_done() ignores it.
    void stop()
    {
        std::optional<Future<R>> attempt;
        std::optional<RetryTimer::Ticket> backoff;
        {
            std::lock_guard lock(mutex_);
            over_ = true;
            attempt = std::move(attempt_);
            attempt_.reset();
            backoff = std::move(backoff_);
            backoff_.reset();
        }
        if (backoff)
            state_->timer.cancel(*backoff);
        if (attempt)
            attempt->cancel_for_cleanup();
    }

    // Completes the caller's future once: the first finish wins. The caller may cancel at any
    // moment in between, so a completion that finds the future done is dropped, not an error.
    template <class Complete> void finish(Complete&& complete)
    {
        {
            std::lock_guard lock(mutex_);
            if (over_)
                return;
            over_ = true;
        }
        try {
            complete(caller_);
        } catch (const InvalidStateError&) {
            // cancelled by the caller meanwhile
        } catch (...) {
            // Copying the value failed: the future still ends, with that error.
            try {
                caller_.set_exception(std::current_exception());
            } catch (const InvalidStateError&) {
            }
        }
    }

    void finish_with_error(std::exception_ptr error)
    {
        finish([&error](Future<R>& caller) { caller.set_exception(std::move(error)); });
    }

    void finish_cancelled()
    {
        finish([](Future<R>& caller) { caller.cancel_for_cleanup(); });
    }

    const std::shared_ptr<RetryState> state_;
    const std::uint64_t task_id_;
    const Launch launch_; // called by one thread at a time: attempts never overlap
    Future<R> caller_; // never reassigned; Future's members are safe from any thread

    std::mutex mutex_;
    bool over_ = false; // the caller's future is done or being completed
    std::optional<Future<R>> attempt_; // submitted and not done yet
    std::optional<RetryTimer::Ticket> backoff_; // a pending retry in the timer
};

} // namespace detail

/// Retry with exponential backoff around another executor: submit() runs a call, and while it
/// throws, runs it again after base_delay, 2·base_delay, 4·base_delay... up to max_retries times.
/// Every attempt goes to the wrapped executor under one task id (attempts 0, 1, 2...), and each
/// scheduled retry is recorded as a `retried` event in the wrapped executor's log. Backoff delays
/// are waited out by one timer thread of this executor, never by a worker.
///
/// The wrapped executor must outlive this one. The destructor is shutdown(true) and leaves no
/// thread behind; attempts of cancelled calls may still run in the wrapped executor afterwards,
/// harmlessly. Every member may be called from any thread, but do not destroy this executor, or
/// shut it down with wait = true, from inside one of its calls: that call would wait for itself.
template <AttemptExecutor Executor> class RetryExecutor {
public:
    /// Throws std::invalid_argument naming the option if max_retries < 0 or base_delay is
    /// negative, infinite or NaN.
    explicit RetryExecutor(Executor& executor, RetryOptions options = {})
        : executor_(&executor)
        , state_(make_state(executor, std::move(options)))
    {
    }

    /// shutdown(true), then ends the timer thread. Any thread; on the timer thread itself (in a
    /// callback of one of its futures) it cannot wait, and cancels the calls still in a backoff.
    ~RetryExecutor()
    {
        shutdown(true);
        // Normally nothing is left in the timer by now; after a shutdown() that could not wait (see
        // there), stop() cancels the calls still in a backoff instead of leaving them pending.
        state_->timer.stop();
    }

    RetryExecutor(const RetryExecutor&) = delete;
    RetryExecutor& operator=(const RetryExecutor&) = delete;

    /// Runs fn(args...) in the wrapped executor, again after each failure while retries remain, and
    /// returns the call's single future: the first successful attempt's value, or the last
    /// attempt's exception once max_retries retries failed too. The function and arguments are
    /// copied, so every attempt gets them unchanged.
    ///
    /// Cancelling the returned future ends the call: a pending backoff never fires, a queued
    /// attempt is cancelled, a running one finishes unobserved. If the wrapped executor refuses a
    /// retry (ExecutorShutdownError, BrokenExecutor...), the future fails with that error.
    /// Throws ExecutorShutdownError after shutdown(), and what the wrapped executor's submit throws
    /// for the first attempt. Any thread; the first attempt is submitted from it, the others from
    /// the timer thread.
    template <class F, class... Args>
    auto submit(F&& fn, Args&&... args) -> Future<std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>>
    {
        static_assert(
            std::is_copy_constructible_v<std::decay_t<F>> && (std::is_copy_constructible_v<std::decay_t<Args>> && ...),
            "RetryExecutor::submit() copies the function and its arguments for every attempt");
        using R = std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>;
        // Passed as lvalues, so each attempt copies them and the originals stay for the next one.
        auto launch = [executor = executor_, fn = std::decay_t<F>(std::forward<F>(fn)),
                          ... args = std::decay_t<Args>(std::forward<Args>(args))](
                          TaskIdentity identity) { return executor->submit_attempt(identity, fn, args...); };
        auto chain = std::make_shared<detail::RetryChain<R>>(state_, executor_->next_task_id(), std::move(launch));
        chain->start();
        return chain->caller();
    }

    /// Stops accepting calls (submit() then throws ExecutorShutdownError); calls already made go on
    /// retrying. wait: block until every call's future is done. cancel_futures: cancel the calls
    /// that wait in a backoff now or fail later (attempts already in the wrapped executor run on).
    /// Does not shut the wrapped executor down. Calling it again is harmless. Any thread; on the
    /// timer thread (in a callback of one of its futures) it does not wait.
    void shutdown(bool wait = true, bool cancel_futures = false)
    {
        state_->refuse_new_chains();
        if (cancel_futures)
            state_->timer.close();
        // Waiting on the timer thread would block the one thread that ends the backoffs we wait for.
        if (wait && !state_->timer.on_timer_thread())
            state_->wait_for_chains();
    }

    const RetryOptions& options() const noexcept { return state_->options; }

private:
    static std::shared_ptr<detail::RetryState> make_state(Executor& executor, RetryOptions options)
    {
        detail::check_retry_options(options);
        return std::make_shared<detail::RetryState>(std::move(options), executor.events());
    }

    Executor* const executor_;
    const std::shared_ptr<detail::RetryState> state_;
};

} // namespace poolscope
