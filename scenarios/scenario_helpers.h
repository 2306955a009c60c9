#pragma once

// Small helpers for writing a scenario: short parameter declarations, time.sleep() that Stop
// interrupts, and str(exc) of a task's exception.

#include "scenarios/parameter.h"

#include <poolscope/duration.h>

#include <exception>
#include <stop_token>
#include <string>
#include <vector>

namespace poolscope::scenarios {

/// Parameter declarations, short: an integer or real from `minimum` to `maximum`, a boolean, or
/// one of `choices`; the default as text.
Parameter integer_parameter(
    std::string name, std::string label, std::string help, int minimum, int maximum, std::string default_value);
Parameter real_parameter(std::string name, std::string label, std::string help, double minimum, double maximum,
    std::string default_value, std::string unit);
Parameter boolean_parameter(std::string name, std::string label, std::string help, std::string default_value);
Parameter choice_parameter(
    std::string name, std::string label, std::string help, std::vector<std::string> choices, std::string default_value);

/// time.sleep(length) for task code: std::this_thread::sleep_for in slices of at most 20 ms, so
/// that it returns early once `stop` is requested (a stopped run must end within about a second,
/// and a running task cannot be cancelled).
void sleep_unless_stopped(const std::stop_token& stop, Duration length);

/// Python's str(exc) for a task's exception: what() of a std::exception, or a fixed text.
std::string message_of(const std::exception_ptr& error);

} // namespace poolscope::scenarios
