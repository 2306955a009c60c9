#pragma once

#include <poolscope/event.h>
#include <poolscope/trace/lane.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace poolscope::trace {

/// The trace file version this PoolScope writes, and the newest it reads.
inline constexpr int current_trace_format_version = 2;

/// One recorded run: what was run, on which lanes, and every lifecycle event it produced.
/// Plain data; save_trace() / load_trace() store it, write_chrome_trace() and write_csv() export it.
struct Trace {
    /// The version of the file this trace was loaded from (save_trace() always writes the current one).
    int format_version = current_trace_format_version;

    std::string scenario; ///< the scenario's id ("map_timeout"), empty for an ad-hoc run
    std::string title; ///< a human title for the run
    std::vector<std::pair<std::string, std::string>> parameters; ///< name/value pairs, in order
    std::string pool_kind; ///< "thread", "process", ...
    int max_workers = 0; ///< the pool's max_workers (0: unknown)
    std::string host; ///< the machine the run was recorded on
    std::string started_at; ///< ISO 8601 UTC, e.g. "2024-05-01T12:34:56Z"
    std::chrono::nanoseconds wall_time { 0 }; ///< how long the run took
    std::string output; ///< the text the run printed

    // How the run was recorded (format version 2; all optional, empty or unset when unknown).
    std::string origin; ///< "scenario" (a PoolScope scenario run), "cpython" (a traced Python program), or ""
    std::string python_version; ///< cpython: the interpreter's version, e.g. "3.11.2"
    std::string program; ///< cpython: the program's path as it was given
    std::vector<std::string> arguments; ///< cpython: the program's arguments (sys.argv[1:])
    std::optional<int> exit_code; ///< cpython: the program's exit code (negative: killed by that signal)
    std::string source; ///< cpython: the program's source text, which events' `line` refers to

    std::vector<Lane> lanes; ///< one per worker index, indices 0..lanes.size()-1 in any order
    std::vector<Event> events; ///< ordered by time, as EventLog::events() returns them

    friend bool operator==(const Trace&, const Trace&) = default;
};

} // namespace poolscope::trace
