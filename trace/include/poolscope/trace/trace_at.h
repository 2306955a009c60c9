#pragma once

#include <poolscope/trace/trace.h>

#include <chrono>

namespace poolscope::trace {

/// The run as it stood `at` into it, Python Tutor's way of replaying a recording: the events up to
/// and including that moment, the lines printed so far as its output, and `at` as its wall time,
/// so that a task still running then is drawn up to that moment. Everything else (lanes,
/// parameters, origin, source) stays. A moment at or after the end (the wall time and the last event,
/// which can come after it: workers stop once the program's own clock has stopped) gives the whole run; `at` must
/// not be negative (std::invalid_argument).
Trace trace_at(const Trace& trace, std::chrono::nanoseconds at);

} // namespace poolscope::trace
