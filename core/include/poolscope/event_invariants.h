#pragma once

#include <poolscope/event.h>

#include <string>
#include <vector>

namespace poolscope {

/// Checks an event stream (as EventLog::events() returns it, ordered by time) against the rules
/// every executor run obeys, and describes each violation found (empty: all hold):
/// every submitted task has exactly one terminal event (finished, failed or cancelled) and nothing
/// after it; `started` never precedes `submitted` and happens at most once per attempt; a worker
/// lane runs one task at a time; at no instant do more than max_workers tasks run; times never
/// go backwards. Trace loading uses it too, to reject damaged files.
std::vector<std::string> find_invariant_violations(const std::vector<Event>& events, int max_workers);

} // namespace poolscope
