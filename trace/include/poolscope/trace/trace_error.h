#pragma once

#include <stdexcept>
#include <string>

namespace poolscope::trace {

/// Why a trace could not be loaded or saved, and where.
///
/// what() reads "<file>: <location>: <problem>", leaving out the parts that are empty, e.g.
/// `run.json: events[12].kind: unknown event kind "strated"` or
/// `not valid JSON at byte 4096 (line 130, column 7): ...`. location() is a JSON path into the
/// file ("version", "run.max_workers", "events[12].time") for errors in its content, or
/// "byte N (line L, column C)" for JSON syntax errors; empty when the whole file is at fault.
class TraceError : public std::runtime_error {
public:
    explicit TraceError(std::string problem, std::string location = {}, std::string file = {});

    const std::string& problem() const noexcept { return problem_; }
    const std::string& location() const noexcept { return location_; }
    const std::string& file() const noexcept { return file_; }

    /// The same error, attributed to a file (what the path overloads of load/save throw).
    TraceError in_file(std::string file) const;

private:
    std::string problem_;
    std::string location_;
    std::string file_;
};

} // namespace poolscope::trace
