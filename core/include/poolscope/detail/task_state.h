#pragma once

#include <poolscope/detail/work_item.h>
#include <poolscope/future.h>
#include <poolscope/interpreter_lock.h>

#include <exception>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace poolscope::detail {

/// A submitted call and its future in one allocation: the executor queues it as a WorkItem and
/// hands it to the caller as a SharedState<R>.
template <class R, class F, class... Args> class TaskState final : public SharedState<R>, public WorkItem {
public:
    template <class G, class... A>
    TaskState(EventLog* log, std::uint64_t task_id, int attempt, G&& fn, A&&... args)
        : SharedState<R>(log, task_id, attempt)
        , fn_(std::forward<G>(fn))
        , args_(std::forward<A>(args)...)
    {
    }

    bool execute(int worker, InterpreterLock* gil) override
    {
        if (!this->set_running_or_notify_cancel(worker))
            return false;
        // The task's code holds the interpreter lock; the worker's bookkeeping around it does not,
        // as in CPython where that part is C code. A cancelled task never asks for the lock.
        try {
            std::optional<InterpreterLock::Hold> hold;
            if (gil)
                hold.emplace(*gil, this->log(), worker, this->task_id());
            if constexpr (std::is_void_v<R>)
                std::apply(std::move(fn_), std::move(args_));
            else
                outcome_.emplace(std::apply(std::move(fn_), std::move(args_)));
        } catch (...) {
            error_ = std::current_exception();
        }
        return true;
    }

    void publish() override
    {
        if (error_) {
            this->set_exception(std::move(error_));
        } else if constexpr (std::is_void_v<R>) {
            this->set_value_with([] {});
        } else {
            this->set_value_with([this] { this->value.emplace(std::move(*outcome_)); });
        }
    }

    FutureCore& core() noexcept override { return *this; }

private:
    F fn_;
    std::tuple<Args...> args_;
    std::conditional_t<std::is_void_v<R>, bool, std::optional<R>> outcome_ {};
    std::exception_ptr error_;
};

} // namespace poolscope::detail
