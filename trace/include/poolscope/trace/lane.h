#pragma once

#include <poolscope/event.h>

#include <string>
#include <vector>

namespace poolscope::trace {

/// One worker lane of a recorded run: the thread or process that ran tasks as worker `index`.
struct Lane {
    int index = 0; ///< the Event::worker value of the lane's events, 0-based
    std::string name; ///< as Python names it: "ThreadPoolExecutor-0_1", "SpawnProcess-2"
    int pid = 0; ///< process pools: the worker process's id; 0 for threads

    friend bool operator==(const Lane&, const Lane&) = default;
};

/// Lanes for every worker index the events use, 0 to the highest, ordered by index: what a Trace
/// needs when the run did not describe its lanes. A lane is named after the label of its first
/// worker_started event ("worker <n>" when there is none, or for indices no event uses) and takes
/// the first non-zero pid among its events. Never throws except std::bad_alloc; worker indices
/// of a million and above are ignored, so a damaged event cannot make it allocate absurdly.
std::vector<Lane> lanes_from_events(const std::vector<Event>& events);

} // namespace poolscope::trace
