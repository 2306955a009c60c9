#pragma once

#include <poolscope/trace/trace.h>

#include <chrono>
#include <string>
#include <vector>

namespace poolscope::trace {

/// How busy one lane was during a run.
struct LaneUsage {
    int index = 0;
    std::string name;
    std::chrono::nanoseconds busy { 0 }; ///< time between a task's `started` and its end, summed
    double busy_fraction = 0; ///< busy / the run's wall time (0 when the wall time is unknown)
    int tasks = 0; ///< attempts that started on this lane
};

/// The short account of a run the command line prints and the status bar shows.
struct RunSummary {
    std::chrono::nanoseconds wall_time { 0 };
    std::vector<LaneUsage> lanes;
    int submitted = 0; ///< attempts submitted (a retried task counts once per attempt)
    int finished = 0;
    int failed = 0;
    int cancelled = 0;
    int retried = 0;
    int unfinished = 0; ///< submitted attempts without a terminal event (an interrupted run)
};

/// Counts and lane usage from a trace's events. Never throws for odd event streams: what cannot
/// be paired is left out.
RunSummary summarize(const Trace& trace);

/// The summary as a few lines of text, e.g. "wall time 0.512 s" / "ThreadPoolExecutor-0_0  busy 97%"
/// / "tasks: 5 submitted, 5 finished, 0 failed, 0 cancelled".
std::string format_summary(const RunSummary& summary);

} // namespace poolscope::trace
