#pragma once

#include <poolscope/event.h>
#include <poolscope/trace/trace.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace poolscope::trace {

/// Reads what poolscope_tracer (tracer/, PROTOCOL.md) writes while a CPython program runs, the
/// per-process events files DIR/events-<pid>.jsonl, and merges them into a Trace as the tracer's
/// own `--merge` does: sorted by time, lanes dense in the order of their first event, a process
/// pool call ended by the worker's stamp with the parent's outcome, origin "cpython".
///
/// It reads incrementally, so a live view can poll a running program's directory; lines arrive
/// whole or are kept until their newline comes. It never throws for what is in the files: a line
/// that is not JSON or not an event is skipped and named in problems() with its file and line
/// number ("events-20624.jsonl:7: not JSON: ..."), unless `strict` is set, when it throws
/// TraceError with that location instead. Not thread-safe: one thread owns a reader.
class CPythonEventReader {
public:
    struct Options {
        bool strict = false; ///< throw TraceError at the first malformed line instead of skipping it
        std::size_t max_line_bytes = 1 << 20; ///< longer lines are malformed (a damaged file is no reason to allocate)
        std::size_t max_output_lines = 100'000; ///< captured output lines kept; the rest are counted
    };

    CPythonEventReader();
    explicit CPythonEventReader(Options options);
    ~CPythonEventReader();
    CPythonEventReader(CPythonEventReader&&) noexcept;
    CPythonEventReader& operator=(CPythonEventReader&&) noexcept;

    /// Reads whatever was appended to DIR's events files since the last call (new files too).
    /// Returns the number of new lines. Throws TraceError (with file() = dir) if DIR cannot be
    /// listed; files that vanish or cannot be read are skipped, and named in problems().
    std::size_t poll_directory(const std::string& dir);

    /// Appends `bytes` to the events file called `file_name` (as if it had been read from disk):
    /// the complete lines are parsed now, an unfinished tail waits for the rest. Returns the number
    /// of lines parsed. What the tests and the fuzzer feed the reader with.
    std::size_t add_data(const std::string& file_name, std::string_view bytes);

    /// A line the program wrote, captured by whoever runs it: `kind` output or error_output, at
    /// `time_ns` on the events' clock (CLOCK_MONOTONIC, absolute; std::chrono::steady_clock on
    /// Linux). Lines beyond Options::max_output_lines are counted, not kept.
    void add_output(EventKind kind, std::int64_t time_ns, std::string line);

    /// The run as a trace, from everything read so far: events and lanes (only lanes with an
    /// event), pool_kind and max_workers from the pools the program submitted to, wall time up to
    /// the exit (or the last event), the run's metadata (program, arguments, python version,
    /// source, host, start time), exit_code if the tracer saw the exit, and `output` the captured
    /// lines in order, each followed by "\n". Passes validate_trace(). Cheap enough to call after
    /// every poll for a few thousand events; it re-merges everything each time.
    Trace trace() const;

    /// What was skipped or is doubtful, for a note beside the trace: malformed lines with file and
    /// line, files without a header, the tracer's own warnings (multiprocessing.Pool is not
    /// traced...), "the run did not end normally" when there is no exit line yet.
    std::vector<std::string> problems() const;

    /// True once the traced program's process has written its exit line.
    bool exited() const;
    /// The exit code the tracer recorded, if it saw the exit and knew the code.
    std::optional<int> exit_code() const;
    /// Events read so far (all files, all kinds, captured output included).
    std::size_t event_count() const;
    /// The origin (the tracer's start in the program's process), on the events' clock; nullopt
    /// until the parent's header has been read.
    std::optional<std::int64_t> origin_ns() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

/// Everything in DIR, read at once: CPythonEventReader::poll_directory then trace(). Throws
/// TraceError when DIR cannot be listed or holds no events file with a header.
Trace read_cpython_events(const std::string& dir, std::vector<std::string>* problems = nullptr);

} // namespace poolscope::trace
