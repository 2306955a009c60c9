#pragma once

#include <poolscope/trace/trace.h>

#include <chrono>
#include <string>
#include <vector>

namespace poolscope::trace {

/// One run of a comparison as the summary row and the bar chart show it.
struct ComparedRun {
    std::string label; ///< "A", "B", "C", ... in the order the runs were given
    std::string name; ///< what ran: "C++ · thread pool, max_workers=4", "CPython 3.11.2", the title
    /// What differs from the first run ("workers 4 → 2, gil true → false"); empty for the first run
    /// and for a run that differs in nothing recorded.
    std::string changes;
    std::chrono::nanoseconds wall_time { 0 };
    /// wall_time / the first run's; 0 when either is unknown (0).
    double ratio = 0;
    /// The first run's wall time / this one's: above 1 means this run was faster; 0 when unknown.
    double speedup = 0;
};

/// Runs set side by side on one time axis, each starting at 0.
struct RunComparison {
    std::vector<ComparedRun> runs;

    /// "A 512.0 ms · B 1024.0 ms (2.00× A) · C 256.0 ms (0.50× A)": the summary row.
    std::string summary() const;
};

/// How long the run took: its recorded wall time, or when none was recorded, its last event's time.
std::chrono::nanoseconds run_wall_time(const Trace& trace);

/// The label of the run at `index`: "A".."Z", then "R27", "R28", ...
std::string comparison_label(std::size_t index);

/// What a run is, in a few words: the interpreter (C++ here, or CPython and its version), the pool
/// kind and max_workers when recorded, else its title.
std::string describe_run(const Trace& trace);

/// The recorded differences from `from` to `to`: each parameter whose value changed, appeared or
/// went ("workers 4 → 2", "gil true → false", "delay – → 0.1"), in `from`'s order, then the
/// interpreter when one run is C++ and the other CPython, and the pool when no parameter explains
/// it ("thread pool → process pool"). Empty when nothing recorded differs.
std::string describe_changes(const Trace& from, const Trace& to);

/// The summary of `runs` (not owned, none null), the first being the baseline the ratios refer to.
RunComparison compare_runs(const std::vector<const Trace*>& runs);

} // namespace poolscope::trace
