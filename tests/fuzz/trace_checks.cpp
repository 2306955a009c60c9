#include "trace_checks.h"

#include <poolscope/event_invariants.h>
#include <poolscope/trace/chrome_trace.h>
#include <poolscope/trace/csv_export.h>
#include <poolscope/trace/lane.h>
#include <poolscope/trace/run_summary.h>
#include <poolscope/trace/trace_file.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace poolscope::trace::fuzz {

namespace {

// A failed check is a finding: say which, and abort so libFuzzer keeps the input as a crash.
void require(bool condition, const char* what)
{
    if (condition)
        return;
    std::fprintf(stderr, "trace check failed: %s\n", what);
    std::abort();
}

std::string saved(const Trace& trace)
{
    std::ostringstream out;
    save_trace(trace, out);
    return out.str();
}

void check_round_trip(const Trace& trace)
{
    const std::string text = saved(trace);
    std::istringstream in(text);
    const Trace back = load_trace(in); // a TraceError here escapes: we refused what we wrote
    // Saving writes the current version, whichever version the trace was loaded from.
    Trace expected = trace;
    expected.format_version = current_trace_format_version;
    require(back == expected, "save_trace -> load_trace gives back the trace it saved");
    require(saved(back) == text, "saving the reloaded trace writes the same bytes");
}

void check_chrome_trace(const Trace& trace)
{
    std::ostringstream out;
    write_chrome_trace(trace, out);
    const auto chrome = nlohmann::json::parse(out.str(), nullptr, false);
    require(!chrome.is_discarded(), "the Chrome trace export is valid JSON");
    require(chrome.is_object() && chrome.contains("traceEvents") && chrome["traceEvents"].is_array(),
        "the Chrome trace export holds a traceEvents array");
    for (const auto& entry : chrome["traceEvents"]) {
        require(entry.is_object() && entry.contains("ph") && entry.contains("ts"), "every entry has ph and ts");
        const auto& ts = entry["ts"];
        require(ts.is_number() && std::isfinite(ts.get<double>()) && ts.get<double>() >= 0,
            "timestamps are finite and not negative");
        if (entry["ph"] == "X")
            require(entry.contains("dur") && entry["dur"].is_number() && entry["dur"].get<double>() >= 0,
                "every slice has a duration that is not negative");
    }
}

// Walks the CSV as RFC 4180 does: every record must have the header's 9 fields, one per event.
void check_csv(const Trace& trace)
{
    std::ostringstream out;
    write_csv(trace, out);
    const std::string text = out.str();
    constexpr std::size_t columns = 9;
    std::size_t records = 0;
    std::size_t fields = 1;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            quoted = !quoted; // a doubled quote toggles twice
        } else if (!quoted && c == ',') {
            ++fields;
        } else if (!quoted && c == '\r') {
            require(i + 1 < text.size() && text[i + 1] == '\n', "CSV records end in CRLF");
            require(fields == columns, "every CSV record has 9 fields");
            ++records;
            fields = 1;
            ++i;
        }
    }
    require(!quoted, "CSV quotes are balanced");
    require(fields == 1, "the CSV ends with a complete record");
    require(records == trace.events.size() + 1, "the CSV holds a header and one record per event");
}

void check_summary(const Trace& trace)
{
    const RunSummary summary = summarize(trace);
    const auto count = [&](EventKind kind) {
        return std::count_if(trace.events.begin(), trace.events.end(), [&](const Event& e) { return e.kind == kind; });
    };
    require(summary.submitted == count(EventKind::submitted), "the summary counts every submitted event");
    require(summary.finished == count(EventKind::finished), "the summary counts every finished event");
    require(summary.failed == count(EventKind::failed), "the summary counts every failed event");
    require(summary.cancelled == count(EventKind::cancelled), "the summary counts every cancelled event");
    require(summary.unfinished >= 0 && summary.unfinished <= summary.submitted,
        "unfinished tasks are among the submitted ones");
    std::set<int> lanes;
    for (const LaneUsage& lane : summary.lanes) {
        require(lane.busy.count() >= 0 && lane.tasks >= 0, "lane usage is not negative");
        lanes.insert(lane.index);
    }
    for (const Lane& lane : trace.lanes)
        require(lanes.contains(lane.index), "the summary has every declared lane");
    require(!format_summary(summary).empty(), "the summary formats to text");
}

void check_derived_lanes(const Trace& trace)
{
    const std::vector<Lane> lanes = lanes_from_events(trace.events);
    for (std::size_t i = 0; i < lanes.size(); ++i)
        require(lanes[i].index == static_cast<int>(i), "lanes_from_events numbers lanes 0..n-1");
    // A loaded trace declares every lane its events use, so the derived lanes are no more.
    require(lanes.size() <= trace.lanes.size(), "lanes_from_events finds no lane the trace left undeclared");
}

} // namespace

void exercise_trace(const Trace& trace)
{
    validate_trace(trace); // a TraceError escapes: the loader let through what validation refuses
    check_round_trip(trace);
    check_chrome_trace(trace);
    check_csv(trace);
    check_summary(trace);
    check_derived_lanes(trace);
    require(find_invariant_violations(trace.events, trace.max_workers).size() <= 50,
        "find_invariant_violations reports at most 50 problems");
}

} // namespace poolscope::trace::fuzz
