#pragma once

#include <poolscope/trace/trace.h>

#include <cstddef>
#include <iosfwd>
#include <string>

namespace poolscope::trace {

/// The most events, and the most lanes, a trace may hold. Loading refuses larger counts before it
/// allocates anything for them.
inline constexpr std::size_t max_trace_items = 100'000'000;

/// Checks what load_trace() checks on the content of a trace: max_workers and wall_time not
/// negative; lane indices unique and within 0..lanes.size()-1, lane pids not negative; at most
/// max_trace_items lanes and events; every event of a known kind, with time >= 0, sorted by time,
/// worker -1 or a declared lane, attempt >= 0 and pid >= 0. Throws TraceError naming the first
/// offending field by its path in the file ("events[12].worker"); returns normally when all hold.
void validate_trace(const Trace& trace);

/// Writes the trace in PoolScope's native JSON format (see trace/FORMAT.md), one event per line.
/// Throws TraceError if validate_trace() rejects the trace (nothing is written then), or if the
/// stream fails. Labels that are not valid UTF-8 are written with U+FFFD in place of the bad bytes.
void save_trace(const Trace& trace, std::ostream& out);

/// The same, into a file: written to "<path>.tmp" first and renamed over `path` once complete, so
/// a failure never leaves a half-written trace behind. Throws TraceError (with file() = path).
void save_trace(const Trace& trace, const std::string& path);

/// Reads a trace in the native format. Throws TraceError for anything but a well-formed trace of
/// a version this PoolScope reads: an empty stream, invalid JSON (location: byte offset, line and
/// column), a wrong or missing "format", a missing, unknown or newer version, missing fields,
/// values of the wrong type or out of range, counts above max_trace_items, events out of time order
/// or on undeclared lanes (location: the JSON path). Unknown keys are ignored.
Trace load_trace(std::istream& in);

/// The same, from a file. Throws TraceError (with file() = path) if it cannot be opened or read.
Trace load_trace(const std::string& path);

} // namespace poolscope::trace
