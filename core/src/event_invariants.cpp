#include <poolscope/event_invariants.h>

#include <algorithm>
#include <unordered_map>

namespace poolscope {

namespace {
struct TaskTrack {
    bool submitted = false;
    bool started = false;
    bool ended = false;
    int worker = -1;
};

std::string task_name(std::uint64_t id)
{
    return "task " + std::to_string(id);
}
} // namespace

std::vector<std::string> find_invariant_violations(const std::vector<Event>& events, int max_workers)
{
    std::vector<std::string> problems;
    // One message per rule and task is plenty; a broken file would otherwise produce millions.
    constexpr std::size_t max_problems = 50;
    const auto complain = [&](std::string text) {
        if (problems.size() < max_problems)
            problems.push_back(std::move(text));
    };

    std::unordered_map<std::uint64_t, TaskTrack> tasks;
    std::unordered_map<int, std::uint64_t> lane_task; // worker → task it runs now (0: idle)
    int running = 0;
    int max_running = 0;
    std::chrono::nanoseconds last { std::chrono::nanoseconds::min() };

    for (const Event& e : events) {
        if (e.time < last)
            complain("event times go backwards at " + task_name(e.task_id) + " " + std::string(to_string(e.kind)));
        last = e.time;
        if (e.task_id == 0 || e.kind == EventKind::caller_blocked || e.kind == EventKind::caller_resumed)
            continue; // worker events, and the caller waiting (which may outlast the task)
        TaskTrack& t = tasks[e.task_id];
        if (t.ended && e.kind != EventKind::retried) {
            complain(task_name(e.task_id) + " has " + std::string(to_string(e.kind)) + " after its end");
            continue;
        }
        switch (e.kind) {
        case EventKind::submitted:
            if (t.submitted)
                complain(task_name(e.task_id) + " was submitted twice");
            t.submitted = true;
            break;
        case EventKind::retried:
            // A retry reopens the task for another attempt.
            t.ended = false;
            t.started = false;
            break;
        case EventKind::started:
            if (!t.submitted)
                complain(task_name(e.task_id) + " started before it was submitted");
            if (t.started)
                complain(task_name(e.task_id) + " started twice");
            t.started = true;
            t.worker = e.worker;
            if (e.worker >= 0) {
                auto& busy = lane_task[e.worker];
                if (busy != 0)
                    complain("worker " + std::to_string(e.worker) + " started " + task_name(e.task_id)
                        + " while running " + task_name(busy));
                busy = e.task_id;
            }
            max_running = std::max(max_running, ++running);
            break;
        case EventKind::finished:
        case EventKind::failed:
        case EventKind::cancelled:
            if (!t.submitted)
                complain(task_name(e.task_id) + " ended before it was submitted");
            t.ended = true;
            if (t.started) {
                --running;
                if (t.worker >= 0)
                    lane_task[t.worker] = 0;
            }
            break;
        default:
            break;
        }
    }
    if (max_running > max_workers)
        complain(std::to_string(max_running) + " tasks ran at once, more than max_workers ("
            + std::to_string(max_workers) + ")");
    for (const auto& [id, t] : tasks) {
        if (t.submitted && !t.ended)
            complain(task_name(id) + " has no terminal event");
    }
    return problems;
}

} // namespace poolscope
