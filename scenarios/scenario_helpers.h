#pragma once

// Small helpers for writing a scenario's run(): time.sleep() that Stop interrupts, and str(exc) of a
// task's exception.

#include <poolscope/duration.h>

#include <exception>
#include <stop_token>
#include <string>

namespace poolscope::scenarios {

/// time.sleep(length) for task code: std::this_thread::sleep_for in slices of at most 20 ms, so
/// that it returns early once `stop` is requested (a stopped run must end within about a second,
/// and a running task cannot be cancelled).
void sleep_unless_stopped(const std::stop_token& stop, Duration length);

/// Python's str(exc) for a task's exception: what() of a std::exception, or a fixed text.
std::string message_of(const std::exception_ptr& error);

} // namespace poolscope::scenarios
