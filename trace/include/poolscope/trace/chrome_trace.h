#pragma once

#include <poolscope/trace/trace.h>

#include <iosfwd>
#include <string>

namespace poolscope::trace {

/// Exports the trace in the Chrome Trace Event Format (JSON object form), for chrome://tracing,
/// ui.perfetto.dev and speedscope. Lanes become threads: tid 0 is the caller, tid index + 1 the
/// worker lane `index`, in pid 1 (or the lane's own pid for process-pool lanes). Each executed task
/// attempt is one complete ("X") event on its worker's thread; waits (caller blocked, call queue,
/// GIL, worker spawn) are "X" events too; submit, cancel and retry are instants; flow arrows join
/// each submit to its start and each attempt to the next. Times are microseconds since the trace's
/// time origin (event time 0). See trace/FORMAT.md for every event written.
///
/// Works on any trace, also one that validate_trace() would reject: lanes missing from
/// trace.lanes are named as lanes_from_events() names them. Throws TraceError if the stream fails.
void write_chrome_trace(const Trace& trace, std::ostream& out);

/// The same, into a file. Throws TraceError (with file() = path) if it cannot be written.
void write_chrome_trace(const Trace& trace, const std::string& path);

} // namespace poolscope::trace
