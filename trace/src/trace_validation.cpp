#include <poolscope/trace/trace_error.h>
#include <poolscope/trace/trace_file.h>

#include <cstddef>
#include <string>
#include <vector>

namespace poolscope::trace {

namespace {
[[noreturn]] void fail(const std::string& location, const std::string& problem)
{
    throw TraceError(problem, location);
}

std::string at(std::string_view array, std::size_t i, std::string_view field)
{
    return std::string(array) + "[" + std::to_string(i) + "]." + std::string(field);
}

std::string lane_range(std::size_t lanes)
{
    if (lanes == 0)
        return "the trace declares no lanes";
    return "the trace declares " + std::to_string(lanes) + (lanes == 1 ? " lane" : " lanes") + ", indices 0 to "
        + std::to_string(lanes - 1);
}

std::string too_many(std::size_t count, std::string_view what)
{
    return std::to_string(count) + " " + std::string(what) + " are more than this PoolScope loads ("
        + std::to_string(max_trace_items) + ")";
}
} // namespace

void validate_trace(const Trace& trace)
{
    if (trace.max_workers < 0)
        fail("run.max_workers", "must not be negative, found " + std::to_string(trace.max_workers));
    if (trace.wall_time.count() < 0)
        fail("run.wall_time_ns", "must not be negative, found " + std::to_string(trace.wall_time.count()));

    const std::size_t lane_count = trace.lanes.size();
    if (lane_count > max_trace_items)
        fail("lanes", too_many(lane_count, "lanes"));
    // Lanes are dense (indices 0..n-1, any order), so a reader can index a vector by lane.
    std::vector<int> declared_at(lane_count, -1);
    for (std::size_t i = 0; i < lane_count; ++i) {
        const Lane& lane = trace.lanes[i];
        if (lane.index < 0 || static_cast<std::size_t>(lane.index) >= lane_count)
            fail(at("lanes", i, "index"),
                "lane index " + std::to_string(lane.index) + " is out of range: " + lane_range(lane_count));
        int& first = declared_at[static_cast<std::size_t>(lane.index)];
        if (first >= 0)
            fail(at("lanes", i, "index"),
                "lane " + std::to_string(lane.index) + " is declared twice (also at lanes[" + std::to_string(first)
                    + "])");
        first = static_cast<int>(i);
        if (lane.pid < 0)
            fail(at("lanes", i, "pid"), "must not be negative, found " + std::to_string(lane.pid));
    }

    if (trace.events.size() > max_trace_items)
        fail("events", too_many(trace.events.size(), "events"));
    for (std::size_t i = 0; i < trace.events.size(); ++i) {
        const Event& e = trace.events[i];
        const int kind = static_cast<int>(e.kind);
        if (kind >= event_kind_count)
            fail(at("events", i, "kind"), "invalid event kind value " + std::to_string(kind));
        const auto time = e.time.count();
        if (time < 0)
            fail(at("events", i, "time"), "must not be negative, found " + std::to_string(time) + " ns");
        if (i > 0 && e.time < trace.events[i - 1].time)
            fail(at("events", i, "time"),
                "out of order: " + std::to_string(time) + " ns is earlier than events[" + std::to_string(i - 1)
                    + "] at " + std::to_string(trace.events[i - 1].time.count())
                    + " ns; events must be sorted by time");
        if (e.worker < -1)
            fail(
                at("events", i, "worker"), "must be -1 (no worker) or a lane index, found " + std::to_string(e.worker));
        if (e.worker >= 0 && static_cast<std::size_t>(e.worker) >= lane_count)
            fail(at("events", i, "worker"),
                "lane " + std::to_string(e.worker) + " is not declared (" + lane_range(lane_count) + ")");
        if (e.attempt < 0)
            fail(at("events", i, "attempt"), "must not be negative, found " + std::to_string(e.attempt));
        if (e.pid < 0)
            fail(at("events", i, "pid"), "must not be negative, found " + std::to_string(e.pid));
        if (e.line < 0)
            fail(at("events", i, "line"), "must not be negative, found " + std::to_string(e.line));
    }
}

} // namespace poolscope::trace
