#include <poolscope/trace/run_summary.h>

#include <cstdio>
#include <map>
#include <utility>

namespace poolscope::trace {

RunSummary summarize(const Trace& trace)
{
    RunSummary summary;
    summary.wall_time = trace.wall_time;
    std::map<int, LaneUsage> lanes;
    for (const Lane& lane : trace.lanes)
        lanes[lane.index] = LaneUsage { lane.index, lane.name, {}, 0, 0 };

    // (task, attempt) → where and when it started
    std::map<std::pair<std::uint64_t, int>, std::pair<int, std::chrono::nanoseconds>> running;
    std::map<std::pair<std::uint64_t, int>, bool> open; // submitted and not yet ended
    for (const Event& e : trace.events) {
        const auto key = std::make_pair(e.task_id, e.attempt);
        switch (e.kind) {
        case EventKind::submitted:
            ++summary.submitted;
            open[key] = true;
            break;
        case EventKind::started:
            running[key] = { e.worker, e.time };
            if (e.worker >= 0) {
                auto& lane = lanes[e.worker];
                lane.index = e.worker;
                ++lane.tasks;
            }
            break;
        case EventKind::finished:
        case EventKind::failed:
        case EventKind::cancelled: {
            if (e.kind == EventKind::finished)
                ++summary.finished;
            else if (e.kind == EventKind::failed)
                ++summary.failed;
            else
                ++summary.cancelled;
            open.erase(key);
            if (auto it = running.find(key); it != running.end()) {
                const auto [worker, start] = it->second;
                if (worker >= 0 && e.time > start) {
                    // Saturating: overlapping tasks on one lane (an invariant violation a damaged
                    // file can still hold) could otherwise sum past the largest duration.
                    auto& busy = lanes[worker].busy;
                    const auto length = e.time - start;
                    busy = busy > std::chrono::nanoseconds::max() - length ? std::chrono::nanoseconds::max()
                                                                             : busy + length;
                }
                running.erase(it);
            }
            break;
        }
        case EventKind::retried:
            ++summary.retried;
            break;
        default:
            break;
        }
    }
    summary.unfinished = static_cast<int>(open.size());
    for (auto& [index, lane] : lanes) {
        if (summary.wall_time.count() > 0)
            lane.busy_fraction = static_cast<double>(lane.busy.count()) / static_cast<double>(summary.wall_time.count());
        summary.lanes.push_back(lane);
    }
    return summary;
}

std::string format_summary(const RunSummary& summary)
{
    char line[256];
    std::string out;
    std::snprintf(line, sizeof line, "wall time %.3f s\n", std::chrono::duration<double>(summary.wall_time).count());
    out += line;
    for (const LaneUsage& lane : summary.lanes) {
        const std::string name = lane.name.empty() ? "lane " + std::to_string(lane.index) : lane.name;
        std::snprintf(line, sizeof line, "  %-28s busy %3.0f%%  %d task%s\n", name.c_str(), 100.0 * lane.busy_fraction,
            lane.tasks, lane.tasks == 1 ? "" : "s");
        out += line;
    }
    out += "tasks: " + std::to_string(summary.submitted) + " submitted, " + std::to_string(summary.finished)
        + " finished, " + std::to_string(summary.failed) + " failed, " + std::to_string(summary.cancelled) + " cancelled";
    if (summary.retried > 0)
        out += ", " + std::to_string(summary.retried) + " retried";
    if (summary.unfinished > 0)
        out += ", " + std::to_string(summary.unfinished) + " unfinished";
    out += '\n';
    return out;
}

} // namespace poolscope::trace
