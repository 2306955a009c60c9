#pragma once

#include <poolscope/codec.h>
#include <poolscope/detail/future_core.h>
#include <poolscope/errors.h>
#include <poolscope/future.h>
#include <poolscope/task_identity.h>
#include <poolscope/task_registry.h>

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace poolscope::detail {

/// One call on its way to a worker process: what ProcessPoolExecutor::submit() and map() hand to
/// the pool, already encoded, so that the pool itself is not a template.
struct Submission {
    TaskIdentity identity;
    std::string function;
    std::string args; ///< encoded argument tuple (single call)
    std::vector<std::string> chunk_args; ///< encoded argument tuples (a chunk)
    bool chunk = false;
    std::string label;
    std::shared_ptr<FutureCore> core;
    /// Runs where the answer is read (see ProcessPoolExecutor): decodes the value and completes the future.
    std::function<void(std::string_view)> complete;
    std::exception_ptr error; ///< set when the call could not be encoded
};

/// The name a worker process finds fn by. Throws SerializationError if fn is not registered.
template <class Fn> std::string task_function_name(Fn* fn)
{
    if (auto name = registered_task_name(fn))
        return *name;
    throw SerializationError("the task function is not registered; declare it with POOLSCOPE_TASK");
}

/// Submission::complete for a single call: decodes the worker's answer into state. An answer that
/// does not decode fails the future with SerializationError.
template <class R> void complete_with(SharedState<R>& state, std::string_view bytes)
{
    if constexpr (std::is_void_v<R>) {
        state.set_value_with([] {});
    } else {
        std::optional<R> value;
        try {
            value.emplace(codec::decode<R>(bytes));
        } catch (const SerializationError&) {
            state.set_exception(std::current_exception());
            return;
        }
        state.set_value_with([&] { state.value.emplace(std::move(*value)); });
    }
}

} // namespace poolscope::detail
