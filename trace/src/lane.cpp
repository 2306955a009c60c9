#include <poolscope/trace/lane.h>

#include <algorithm>
#include <cstddef>

namespace poolscope::trace {

std::vector<Lane> lanes_from_events(const std::vector<Event>& events)
{
    // Real pools have a handful of lanes; a stray huge worker index must not size the vector.
    constexpr int max_index = 1'000'000;
    int highest = -1;
    for (const Event& e : events) {
        if (e.worker < max_index)
            highest = std::max(highest, e.worker);
    }
    std::vector<Lane> lanes(static_cast<std::size_t>(highest + 1));
    std::vector<bool> named(lanes.size(), false);
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        lanes[i].index = static_cast<int>(i);
        lanes[i].name = "worker " + std::to_string(i);
    }
    for (const Event& e : events) {
        if (e.worker < 0 || e.worker > highest)
            continue;
        const auto i = static_cast<std::size_t>(e.worker);
        if (e.kind == EventKind::worker_started && !named[i] && !e.label.empty()) {
            lanes[i].name = e.label;
            named[i] = true;
        }
        if (lanes[i].pid == 0 && e.pid > 0)
            lanes[i].pid = e.pid;
    }
    return lanes;
}

} // namespace poolscope::trace
