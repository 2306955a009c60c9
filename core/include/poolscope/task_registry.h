#pragma once

// Process-pool tasks are named functions, the way Python pickles a function by its qualified name:
// the parent sends the name, and the worker process (the same program, started again) looks the
// function up in the same registry. Register a function once, at namespace scope:
//
//     int count_primes(int limit) { ... }
//     POOLSCOPE_TASK(count_primes);
//
// Registration happens during static initialisation, so it is in place in every worker before
// main() runs.

#include <poolscope/codec.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace poolscope {

namespace detail {
/// Decodes the arguments, calls the function, encodes its result. Runs in the worker process.
using TaskInvoker = std::function<std::string(std::string_view arguments)>;

/// A function pointer as a registry key; memcpy keeps clear of function-to-object pointer casts.
template <class Fn> std::uintptr_t function_key(Fn* fn) noexcept
{
    static_assert(sizeof(fn) == sizeof(std::uintptr_t));
    std::uintptr_t key = 0;
    std::memcpy(&key, &fn, sizeof key);
    return key;
}

/// Stores name → invoker and function → name. Returns false if the name was taken by another
/// function (the first registration stays).
bool register_invoker(std::string name, std::uintptr_t key, TaskInvoker invoker);
} // namespace detail

/// Registers fn under `name`. Any thread, though normally during static initialisation.
template <class R, class... P> bool register_task(std::string name, R (*fn)(P...))
{
    auto invoker = [fn](std::string_view arguments) -> std::string {
        auto args = codec::decode<std::tuple<std::remove_cvref_t<P>...>>(arguments);
        if constexpr (std::is_void_v<R>) {
            std::apply(fn, std::move(args));
            return {};
        } else {
            return codec::encode(std::apply(fn, std::move(args)));
        }
    };
    return detail::register_invoker(std::move(name), detail::function_key(fn), std::move(invoker));
}

/// The name fn was registered under, if it was.
std::optional<std::string> registered_task_name(std::uintptr_t key);
template <class Fn> std::optional<std::string> registered_task_name(Fn* fn)
{
    return registered_task_name(detail::function_key(fn));
}

/// The invoker registered under `name`, or null.
const detail::TaskInvoker* find_task(std::string_view name);

} // namespace poolscope

#define POOLSCOPE_TASK_CONCAT_INNER(a, b) a##b
#define POOLSCOPE_TASK_CONCAT(a, b) POOLSCOPE_TASK_CONCAT_INNER(a, b)
/// Registers a function for process pools under its own spelling ("count_primes", "ns::f").
#define POOLSCOPE_TASK(fn)                                                                                     \
    [[maybe_unused]] static const bool POOLSCOPE_TASK_CONCAT(poolscope_task_registered_, __LINE__)             \
        = ::poolscope::register_task(#fn, &fn)
