#include <poolscope/event_invariants.h>

#include <algorithm>
#include <map>
#include <unordered_map>

namespace poolscope {

namespace {
// One attempt of a task. A task that is never retried has only attempt 0; a RetryExecutor's call
// has one per try, all under the task's id, so the rules about ends hold per attempt.
struct AttemptTrack {
    bool retried = false; // a `retried` event announced it (attempt 0 needs none)
    bool submitted = false;
    bool started = false;
    bool ended = false;
    EventKind outcome = EventKind::finished; // the terminal kind, once ended
    int worker = -1;
};

struct TaskTrack {
    std::map<int, AttemptTrack> attempts;
    int latest = 0; // the highest attempt announced or submitted

    // Over when the latest attempt ended: nothing may follow unless a retry reopens the task.
    bool ended() const
    {
        const auto it = attempts.find(latest);
        return it != attempts.end() && it->second.ended;
    }
};

std::string task_name(std::uint64_t id, int attempt = 0)
{
    std::string name = "task " + std::to_string(id);
    if (attempt != 0)
        name += " attempt " + std::to_string(attempt);
    return name;
}

// Events about a task that may come at any time, also after its end: the caller waiting for it (which
// may outlast it), a cancel() that came too late, its done-callbacks, and what was printed.
bool may_follow_the_end(EventKind kind)
{
    switch (kind) {
    case EventKind::caller_blocked:
    case EventKind::caller_resumed:
    case EventKind::cancel_failed:
    case EventKind::callback_started:
    case EventKind::callback_finished:
    case EventKind::output:
    case EventKind::error_output:
        return true;
    default:
        return false;
    }
}

bool is_attempt_lifecycle(EventKind kind)
{
    return kind == EventKind::submitted || kind == EventKind::started || kind == EventKind::retried
        || is_terminal(kind);
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
        if (e.task_id == 0 || may_follow_the_end(e.kind))
            continue; // worker events, and what may come after the task's end
        TaskTrack& t = tasks[e.task_id];
        const std::string kind(to_string(e.kind));
        if (!is_attempt_lifecycle(e.kind)) {
            // Other events about a task (dispatch, the interpreter lock) belong inside its run.
            if (t.ended())
                complain(task_name(e.task_id) + " has " + kind + " after its end");
            continue;
        }
        AttemptTrack& a = t.attempts[e.attempt];
        const std::string name = task_name(e.task_id, e.attempt);
        if (a.ended && e.kind != EventKind::retried) {
            complain(name + " has " + kind + " after its end");
            continue;
        }
        switch (e.kind) {
        case EventKind::submitted:
            if (a.submitted) {
                complain(name + " was submitted twice");
            } else if (e.attempt > 0) {
                // A retry reopens the task for exactly one more attempt, once the previous one is over.
                if (!a.retried)
                    complain(name + " was submitted without a retried event");
                const auto previous = t.attempts.find(e.attempt - 1);
                if (previous == t.attempts.end() || !previous->second.ended)
                    complain(name + " was submitted before attempt " + std::to_string(e.attempt - 1) + " ended");
            }
            a.submitted = true;
            t.latest = std::max(t.latest, e.attempt);
            break;
        case EventKind::retried: {
            // Not checked here: that the previous attempt ended. The retry is recorded right after the
            // failure, possibly in the same nanosecond, and ties sort `retried` first. See below.
            if (e.attempt <= 0) {
                complain(task_name(e.task_id) + " was retried as attempt " + std::to_string(e.attempt));
                break;
            }
            if (a.retried)
                complain(name + " was retried twice");
            const auto previous = t.attempts.find(e.attempt - 1);
            if (previous == t.attempts.end() || !previous->second.submitted)
                complain(name + " was retried before attempt " + std::to_string(e.attempt - 1) + " was submitted");
            a.retried = true;
            t.latest = std::max(t.latest, e.attempt);
            break;
        }
        case EventKind::started:
            if (!a.submitted)
                complain(name + " started before it was submitted");
            if (a.started)
                complain(name + " started twice");
            a.started = true;
            a.worker = e.worker;
            if (e.worker >= 0) {
                auto& busy = lane_task[e.worker];
                if (busy != 0)
                    complain("worker " + std::to_string(e.worker) + " started " + name + " while running "
                        + task_name(busy));
                busy = e.task_id;
            }
            max_running = std::max(max_running, ++running);
            break;
        case EventKind::finished:
        case EventKind::failed:
        case EventKind::cancelled:
            if (!a.submitted)
                complain(name + " ended before it was submitted");
            a.ended = true;
            a.outcome = e.kind;
            if (a.started) {
                --running;
                if (a.worker >= 0)
                    lane_task[a.worker] = 0;
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
        for (const auto& [attempt, a] : t.attempts) {
            if (a.submitted && !a.ended)
                complain(task_name(id, attempt) + " has no terminal event");
            // An attempt that was retried but never submitted is fine: the call was cancelled during
            // the backoff, or the executor refused the retry.
            if (a.retried && attempt > 0) {
                const auto previous = t.attempts.find(attempt - 1);
                if (previous != t.attempts.end() && previous->second.ended
                    && previous->second.outcome != EventKind::failed)
                    complain(task_name(id, attempt) + " was retried although attempt " + std::to_string(attempt - 1)
                        + " did not fail (it " + std::string(to_string(previous->second.outcome)) + ")");
            }
        }
    }
    return problems;
}

} // namespace poolscope
