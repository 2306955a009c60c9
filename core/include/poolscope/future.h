#pragma once

#include <poolscope/detail/future_core.h>
#include <poolscope/duration.h>
#include <poolscope/future_state.h>

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace poolscope {

template <class T> class Future;

namespace detail {

/// A FutureCore plus the value; SharedState<void> carries none.
template <class T> class SharedState : public FutureCore {
public:
    using FutureCore::FutureCore;
    std::optional<T> value;
};

template <> class SharedState<void> : public FutureCore {
public:
    using FutureCore::FutureCore;
};

template <class T> std::shared_ptr<SharedState<T>> state_of(const Future<T>& future);

/// Marks a done-callback as the library's own (Future::add_done_callback(fn, detail::untraced)).
struct Untraced { };
inline constexpr Untraced untraced {};

} // namespace detail

/// A handle to the eventual outcome of a call, as Python's concurrent.futures.Future.
///
/// Copies share one state (like std::shared_future). A default-constructed Future is a standalone
/// PENDING future that the caller completes itself with set_result()/set_exception(). Every member
/// may be called from any thread.
template <class T> class Future {
    static_assert(!std::is_reference_v<T>, "Future<T&> is not supported; return a value or a pointer");

public:
    using value_type = T;

    /// A standalone PENDING future.
    Future()
        : state_(std::make_shared<detail::SharedState<T>>())
    {
    }

    explicit Future(std::shared_ptr<detail::SharedState<T>> state) noexcept
        : state_(std::move(state))
    {
    }

    /// Cancels a PENDING future and returns true (callbacks run now, in this thread). Returns true
    /// for an already cancelled future and false for a RUNNING or FINISHED one, changing nothing.
    bool cancel() { return state_->cancel(); }
    /// cancel() for the library's own clean-up (map's iterator, shutdown, retries): a refusal
    /// there is no caller's, so it records no cancel_failed event.
    bool cancel_for_cleanup() { return state_->cancel(false); }
    bool cancelled() const noexcept { return state_->state() == FutureState::cancelled; }
    bool running() const noexcept { return state_->state() == FutureState::running; }
    /// True once finished or cancelled.
    bool done() const noexcept { return state_->done(); }
    FutureState state() const noexcept { return state_->state(); }

    /// The task's value, waiting up to `timeout` (forever when empty; 0s only checks).
    /// Throws CancelledError if cancelled, TimeoutError if not done in time, and rethrows the very
    /// exception object the task threw.
    T result(std::optional<Duration> timeout = {}) const
    {
        state_->wait_for_outcome(timeout, "result");
        if constexpr (!std::is_void_v<T>)
            return *state_->value;
    }

    /// The task's exception (null on success), waiting like result(); returned, not thrown.
    /// Throws CancelledError if cancelled and TimeoutError if not done in time.
    std::exception_ptr exception(std::optional<Duration> timeout = {}) const
    {
        return state_->wait_for_exception(timeout);
    }

    /// Calls fn(future) once the future is done, in the thread that completes or cancels it; if it
    /// is already done, calls it now in this thread. An exception from fn is reported through the
    /// error handler and never propagates.
    /// Its run is recorded (callback_started, callback_finished) on the lane of the thread that ran it.
    void add_done_callback(std::function<void(Future<T>)> fn) { add_callback(std::move(fn), true); }
    /// The same for the library's own bookkeeping (map's chunks, retries): nothing is recorded,
    /// since no learner's code runs.
    void add_done_callback(std::function<void(Future<T>)> fn, detail::Untraced) { add_callback(std::move(fn), false); }

    /// For executor implementers: PENDING → RUNNING and true; CANCELLED → false.
    /// Throws InvalidStateError("Future in unexpected state") in any other state.
    bool set_running_or_notify_cancel() { return state_->set_running_or_notify_cancel(); }

    /// Completes the future with a value; waiters wake and callbacks run in this thread.
    /// Throws InvalidStateError if it is already done (the first outcome is kept).
    template <class U = T>
    requires(!std::is_void_v<U>) void set_result(U value)
    {
        state_->set_value_with([&] { state_->value.emplace(std::move(value)); });
    }

    template <class U = T>
    requires std::is_void_v<U>
    void set_result()
    {
        state_->set_value_with([] {});
    }

    /// Completes the future with an error. Throws InvalidStateError if it is already done and
    /// std::invalid_argument for a null error.
    void set_exception(std::exception_ptr error) { state_->set_exception(std::move(error)); }

    /// The task id in the executor's event log (0 for a standalone future).
    std::uint64_t task_id() const noexcept { return state_->task_id(); }

    friend bool operator==(const Future& a, const Future& b) noexcept { return a.state_ == b.state_; }

private:
    void add_callback(std::function<void(Future<T>)> fn, bool traced)
    {
        state_->add_done_callback(
            [fn = std::move(fn)](const std::shared_ptr<detail::FutureCore>& core) {
                fn(Future<T>(std::static_pointer_cast<detail::SharedState<T>>(core)));
            },
            traced);
    }

    friend std::shared_ptr<detail::SharedState<T>> detail::state_of<T>(const Future<T>&);
    std::shared_ptr<detail::SharedState<T>> state_;
};

namespace detail {
template <class T> std::shared_ptr<SharedState<T>> state_of(const Future<T>& future)
{
    return future.state_;
}
} // namespace detail

} // namespace poolscope

/// Futures hash by identity, so they can key a map the way Python's {future: arg} dicts do.
template <class T> struct std::hash<poolscope::Future<T>> {
    std::size_t operator()(const poolscope::Future<T>& f) const noexcept
    {
        return std::hash<const void*> {}(poolscope::detail::state_of(f).get());
    }
};
