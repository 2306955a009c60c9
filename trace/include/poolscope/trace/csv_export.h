#pragma once

#include <poolscope/trace/trace.h>

#include <iosfwd>
#include <string>

namespace poolscope::trace {

/// Exports the events as CSV (RFC 4180: CRLF line ends, fields with a comma, quote, CR or LF are
/// quoted, quotes doubled), one row per event in trace order under the header
/// `time_ns,task_id,attempt,kind,worker,lane,pid,label`. `lane` is the worker lane's name (empty for
/// worker -1). Throws TraceError if the stream fails.
void write_csv(const Trace& trace, std::ostream& out);

/// The same, into a file. Throws TraceError (with file() = path) if it cannot be written.
void write_csv(const Trace& trace, const std::string& path);

} // namespace poolscope::trace
