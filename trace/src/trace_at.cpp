#include <poolscope/trace/trace_at.h>

#include <algorithm>
#include <stdexcept>

namespace poolscope::trace {

Trace trace_at(const Trace& trace, std::chrono::nanoseconds at)
{
    if (at.count() < 0)
        throw std::invalid_argument("a moment of a run cannot be negative");
    // The wall time is the program's; workers stopping after it returned are still events of it.
    if (at >= trace.wall_time && (trace.events.empty() || at >= trace.events.back().time))
        return trace;
    Trace out = trace;
    // Events are in time order (Trace::events), so the cut is one binary search.
    const auto end = std::upper_bound(
        trace.events.begin(), trace.events.end(), at, [](std::chrono::nanoseconds t, const Event& e) { return t < e.time; });
    out.events.assign(trace.events.begin(), end);
    out.wall_time = at;
    // A trace without output events (format version 1) keeps no times for its lines: none is known
    // to have been printed yet.
    out.output.clear();
    for (const Event& e : out.events) {
        if (e.kind == EventKind::output)
            out.output.append(e.label).push_back('\n');
    }
    return out;
}

} // namespace poolscope::trace
