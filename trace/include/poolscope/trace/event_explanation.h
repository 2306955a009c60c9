#pragma once

#include <poolscope/event.h>
#include <poolscope/trace/trace.h>

#include <string>
#include <string_view>
#include <vector>

namespace poolscope::trace {

/// One event kind explained for a learner: what it is called, which Python call or moment causes
/// it, and what it means. The glossary (Help ▸ Event kinds) and the step explanations use it.
struct EventKindEntry {
    EventKind kind;
    std::string_view title; ///< "finished"
    std::string_view python; ///< the Python that causes it: "the task function returned"
    std::string_view meaning; ///< a sentence or two
};

/// Every event kind, in the enum's order.
const std::vector<EventKindEntry>& event_kind_glossary();

/// One line in plain words explaining `event` of `trace`, as a step of a replay shows it:
/// "task 3 raised ValueError: Bad value: 3 — future.exception() will return it". Lanes are named
/// as the trace names them ("ThreadPoolExecutor-0_2"), tasks by their number.
std::string explain_event(const Trace& trace, const Event& event);

} // namespace poolscope::trace
