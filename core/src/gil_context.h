#pragma once

// Private to the core: how py:: finds the interpreter lock of the calling thread. A thread has at
// most one InterpreterLock::Hold at a time, so one context per thread, in thread-local storage,
// is all the state py:: needs; the lock's own state stays private to interpreter_lock.cpp.

#include <poolscope/interpreter_lock.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string_view>

namespace poolscope::detail {

/// What the calling thread's InterpreterLock::Hold was made with, and what the lock needs to know
/// about the thread. Only ever touched by its own thread.
struct GilContext {
    InterpreterLock::Impl* lock = nullptr; ///< null while the thread has no Hold
    /// The lock's drop request, copied here so that tick()'s fast path is a single load after the
    /// thread-local one.
    const std::atomic<bool>* drop_request = nullptr;
    EventLog* log = nullptr; ///< may be null: record nothing
    int worker = -1;
    std::uint64_t task_id = 0;
    /// Names the thread to the lock ("did another thread take it since?"). Unlike a thread id or an
    /// address it is never reused, so a new thread is never mistaken for a dead one.
    std::uint64_t thread_token = 0;
    /// When this thread's latest interpreter-lock event was stamped; the next one is stamped later.
    std::chrono::steady_clock::time_point last_stamp {};
};

/// The calling thread's context; `lock` says whether it has a Hold.
extern constinit thread_local GilContext this_thread_gil;

/// &this_thread_gil while the calling thread holds the lock, null otherwise (no Hold, or released
/// in py::sleep() or a py::ReleaseGil). constinit, so reading it needs no thread-local init guard:
/// tick() reads it in tight loops.
extern constinit thread_local GilContext* current_gil;

/// Gives up the lock `context` holds, recording gil_released with `label`; current_gil becomes null.
void release_gil(GilContext& context, std::string_view label) noexcept;

/// Blocks until `context`'s lock is taken, recording gil_requested and gil_acquired; current_gil
/// becomes &context. The thread must not hold it already.
void acquire_gil(GilContext& context) noexcept;

/// tick()'s slow path, once another thread asked for the lock: releases it ("switch"), waits until
/// another thread has taken it, then queues to take it back.
void switch_gil(GilContext& context) noexcept;

} // namespace poolscope::detail
