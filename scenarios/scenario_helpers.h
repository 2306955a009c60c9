#pragma once

// Small helpers for writing a scenario's run(): the options of its thread pool, cancelling on Stop,
// time.sleep() that Stop interrupts, and str(exc) of a task's exception.

#include "scenarios/scenario.h"

#include <poolscope/duration.h>
#include <poolscope/future.h>
#include <poolscope/thread_pool_executor.h>

#include <exception>
#include <stop_token>
#include <string>
#include <vector>

namespace poolscope::scenarios {

/// ThreadPoolExecutor(max_workers=...) as the run creates it: named as CPython names the run's next
/// pool (RunContext::thread_pool_prefix()), recording into the run's log.
ThreadPoolOptions thread_pool_options(RunContext& context, int max_workers);

/// Cancels those of `futures` that have not started once `stop` is requested (at once if it
/// already is), for as long as the returned callback lives.
template <class T> [[nodiscard]] auto cancel_on_stop(const std::stop_token& stop, std::vector<Future<T>>& futures)
{
    return std::stop_callback(stop, [&futures] {
        for (Future<T>& future : futures)
            future.cancel();
    });
}

/// time.sleep(length) for task code: std::this_thread::sleep_for in slices of at most 20 ms, so
/// that it returns early once `stop` is requested (a stopped run must end within about a second,
/// and a running task cannot be cancelled).
void sleep_unless_stopped(const std::stop_token& stop, Duration length);

/// Python's str(exc) for a task's exception: what() of a std::exception, or a fixed text.
std::string message_of(const std::exception_ptr& error);

} // namespace poolscope::scenarios
