#include <poolscope/timeline/timeline_data.h>

#include <algorithm>
#include <limits>

namespace poolscope::timeline {

namespace {
// A damaged event must not make us allocate a million lanes (trace::lanes_from_events agrees).
constexpr int maxWorker = 1'000'000;

TimelineOutcome outcomeOf(EventKind kind)
{
    switch (kind) {
    case EventKind::failed:
        return TimelineOutcome::Failed;
    case EventKind::cancelled:
        return TimelineOutcome::Cancelled;
    default:
        return TimelineOutcome::Finished;
    }
}

std::uint16_t clampAttempt(int attempt)
{
    return static_cast<std::uint16_t>(std::clamp(attempt, 0, int { std::numeric_limits<std::uint16_t>::max() }));
}
} // namespace

TimelineData::TimelineData()
{
    TimelineLane caller;
    caller.worker = -1;
    caller.name = "caller";
    m_lanes.push_back(std::move(caller));
}

TimelineData TimelineData::fromTrace(const trace::Trace& trace)
{
    TimelineData data;
    data.setLanes(trace.lanes);
    // A rough guess that saves the vectors most of their regrowth: a task is about three events.
    data.m_tasks.reserve(trace.events.size() / 3);
    data.m_states.reserve(trace.events.size() / 3);
    data.appendEvents(trace.events);
    // A run cut off while tasks ran: their open spans reach the end of the recording.
    data.setNow(trace.wall_time.count());
    return data;
}

bool TimelineData::setLanes(const std::vector<trace::Lane>& lanes)
{
    TimelineChange change;
    for (const trace::Lane& l : lanes) {
        TimelineLane* lane = l.index >= 0 ? &laneForWorker(l.index, change) : nullptr;
        if (!lane || (lane->namedByTrace && lane->name == l.name && lane->pid == l.pid))
            continue;
        lane->name = l.name.empty() ? "worker " + std::to_string(l.index) : l.name;
        lane->pid = l.pid != 0 ? l.pid : lane->pid;
        lane->namedByTrace = !l.name.empty();
        change.lanesChanged = true;
    }
    return change.lanesChanged;
}

TimelineChange TimelineData::appendEvents(const std::vector<Event>& events)
{
    TimelineChange change;
    for (const Event& e : events)
        appendEvent(e, change);
    return change;
}

void TimelineData::setNow(std::int64_t now)
{
    m_now = std::max(m_now, now);
}

std::string TimelineData::laneTitle(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    const TimelineLane& lane = m_lanes[static_cast<std::size_t>(row)];
    if (lane.pid == 0)
        return lane.name;
    return lane.name + " (pid " + std::to_string(lane.pid) + ")";
}

std::optional<std::uint32_t> TimelineData::taskIndex(std::uint64_t taskId) const
{
    if (taskId < m_denseIds.size()) {
        if (m_denseIds[taskId] == 0)
            return std::nullopt;
        return m_denseIds[taskId] - 1;
    }
    const auto it = m_sparseIds.find(taskId);
    if (it == m_sparseIds.end())
        return std::nullopt;
    return it->second;
}

std::optional<TimelineAttemptRef> TimelineData::findAttempt(std::uint64_t taskId, int attempt) const
{
    const auto index = taskIndex(taskId);
    if (!index)
        return std::nullopt;
    const TaskState& state = m_states[*index];
    if (attempt == state.attempt)
        return state.latest;
    const auto it = m_earlierAttempts.find(attemptKey(*index, attempt));
    if (it == m_earlierAttempts.end())
        return std::nullopt;
    return it->second;
}

const TimelineTaskSpan* TimelineData::taskSpan(const TimelineAttemptRef& ref) const
{
    if (ref.row < 0 || ref.row >= rowCount())
        return nullptr;
    const TimelineLane& lane = m_lanes[static_cast<std::size_t>(ref.row)];
    if (ref.where == TimelineAttemptRef::Where::Span && ref.index < lane.tasks.size())
        return &lane.tasks[ref.index];
    if (ref.where == TimelineAttemptRef::Where::Open && lane.openTaskValid)
        return &lane.openTask;
    return nullptr;
}

TimelineLane& TimelineData::laneForWorker(int worker, TimelineChange& change)
{
    const int row = rowOfWorker(worker);
    if (row >= rowCount()) {
        change.lanesChanged = true;
        for (int r = rowCount(); r <= row; ++r) {
            TimelineLane lane;
            lane.worker = r - 1;
            lane.name = "worker " + std::to_string(r - 1);
            m_lanes.push_back(std::move(lane));
        }
    }
    return m_lanes[static_cast<std::size_t>(row)];
}

std::uint32_t TimelineData::taskFor(std::uint64_t taskId, bool create)
{
    if (const auto known = taskIndex(taskId))
        return *known;
    if (!create)
        return noTask;
    const auto index = static_cast<std::uint32_t>(m_tasks.size());
    TimelineTask task;
    task.id = taskId;
    m_tasks.push_back(task);
    m_states.emplace_back();
    // Dense while ids stay within a small multiple of the task count: an executor counts from 1.
    if (taskId < 2 * (m_tasks.size() + 1024)) {
        if (taskId >= m_denseIds.size())
            m_denseIds.resize(std::max<std::size_t>(taskId + 1, m_denseIds.size() * 2), 0);
        m_denseIds[taskId] = index + 1;
    } else {
        m_sparseIds.emplace(taskId, index);
    }
    return index;
}

void TimelineData::openSpan(
    TimelineLane& lane, TimelineSpanKind kind, std::int64_t time, std::uint32_t task, std::uint32_t text)
{
    const auto k = static_cast<std::size_t>(kind);
    lane.open[k] = TimelineSpan { time, time, task, text };
    lane.openValid[k] = true;
}

void TimelineData::closeSpan(TimelineLane& lane, TimelineSpanKind kind, std::int64_t time)
{
    const auto k = static_cast<std::size_t>(kind);
    if (!lane.openValid[k])
        return;
    TimelineSpan span = lane.open[k];
    span.end = time;
    lane.layers[k].push(span);
    lane.openValid[k] = false;
    lane.open[k] = {};
}

void TimelineData::appendEvent(const Event& e, TimelineChange& change)
{
    const std::int64_t t = e.time.count();
    if (!m_hasEvents) {
        m_begin = t;
        m_hasEvents = true;
    }
    m_begin = std::min(m_begin, t);
    m_now = std::max(m_now, t);
    ++m_eventCount;
    if (change.events == 0) {
        change.from = t;
        change.to = t;
    }
    ++change.events;
    change.from = std::min(change.from, t);
    change.to = std::max(change.to, t);
    if (e.worker >= maxWorker)
        return;

    switch (e.kind) {
    case EventKind::submitted: {
        const std::uint32_t index = taskFor(e.task_id, true);
        TimelineTask& task = m_tasks[index];
        TaskState& state = m_states[index];
        if (!state.ended)
            return; // submitted twice: nothing sensible to draw for the second one
        if (task.attempts == 0) {
            task.submitted = t;
            task.label = m_strings.add(e.label);
        } else if (state.latest.where != TimelineAttemptRef::Where::Queued && e.attempt != state.attempt) {
            m_earlierAttempts[attemptKey(index, state.attempt)] = state.latest;
        }
        task.attempts = std::max(task.attempts, clampAttempt(e.attempt + 1));
        task.outcome = TimelineOutcome::Queued;
        state.submitted = t;
        state.dispatched = -1;
        state.row = -1;
        state.attempt = e.attempt;
        state.ended = false;
        state.retryAnnounced = false;
        state.latest = {};
        m_queued.set(t, ++m_queuedNow);
        return;
    }
    case EventKind::dispatched: {
        const std::uint32_t index = taskFor(e.task_id, false);
        if (index != noTask && !m_states[index].ended)
            m_states[index].dispatched = t;
        return;
    }
    case EventKind::started: {
        const std::uint32_t index = taskFor(e.task_id, false);
        if (index == noTask || m_states[index].ended || m_states[index].row >= 0)
            return; // started without being submitted, or twice
        TimelineLane& lane = laneForWorker(e.worker, change);
        TaskState& state = m_states[index];
        const int row = rowOfWorker(e.worker);
        if (e.pid != 0 && lane.pid != e.pid) {
            lane.pid = e.pid;
            change.lanesChanged = true;
        }
        lane.openTask = TimelineTaskSpan { t, t, state.submitted, index, noText, clampAttempt(state.attempt),
            TimelineOutcome::Running };
        lane.openTaskValid = true;
        if (state.dispatched >= 0)
            lane.layers[static_cast<std::size_t>(TimelineSpanKind::CallQueue)].push(
                TimelineSpan { state.dispatched, t, index, noText });
        if (state.attempt > 0 && state.previousEnd >= 0) {
            m_links.push_back(TimelineRetryLink {
                state.previousEnd, t, state.previousRow, row, index, state.retryText, clampAttempt(state.attempt) });
            m_longestLink = std::max(m_longestLink, t - state.previousEnd);
            state.previousEnd = -1;
            state.retryText = noText;
        }
        state.row = row;
        state.latest = TimelineAttemptRef { TimelineAttemptRef::Where::Open, row, 0 };
        m_tasks[index].outcome = TimelineOutcome::Running;
        if (m_queuedNow > 0)
            m_queued.set(t, --m_queuedNow);
        m_running.set(t, ++m_runningNow);
        return;
    }
    case EventKind::finished:
    case EventKind::failed:
    case EventKind::cancelled: {
        const std::uint32_t index = taskFor(e.task_id, false);
        if (index != noTask)
            endAttempt(index, e, change);
        return;
    }
    case EventKind::retried: {
        const std::uint32_t index = taskFor(e.task_id, false);
        if (index != noTask)
            announceRetry(index, e);
        return;
    }
    case EventKind::worker_spawning: {
        TimelineLane& lane = laneForWorker(e.worker, change);
        if (!lane.namedByTrace && !e.label.empty() && lane.name != e.label) {
            lane.name = e.label;
            change.lanesChanged = true;
        }
        openSpan(lane, TimelineSpanKind::Spawn, t, noTask, noText);
        return;
    }
    case EventKind::worker_started: {
        TimelineLane& lane = laneForWorker(e.worker, change);
        if (!lane.namedByTrace && !e.label.empty() && lane.name != e.label) {
            lane.name = e.label;
            change.lanesChanged = true;
        }
        if (e.pid != 0 && lane.pid != e.pid) {
            lane.pid = e.pid;
            change.lanesChanged = true;
        }
        closeSpan(lane, TimelineSpanKind::Spawn, t);
        return;
    }
    case EventKind::worker_stopped:
        return;
    case EventKind::caller_blocked:
        // Blocking calls may nest (wait() inside as_completed()): the outermost one is the span.
        if (m_callerDepth++ == 0) {
            const std::uint32_t task = e.task_id != 0 ? taskFor(e.task_id, false) : noTask;
            openSpan(m_lanes[0], TimelineSpanKind::CallerBlocked, t, task, m_strings.intern(e.label));
        }
        return;
    case EventKind::caller_resumed:
        if (e.label == "deadline")
            m_deadlines.push_back(t);
        if (m_callerDepth > 0 && --m_callerDepth == 0)
            closeSpan(m_lanes[0], TimelineSpanKind::CallerBlocked, t);
        return;
    case EventKind::gil_requested: {
        TimelineLane& lane = laneForWorker(e.worker, change);
        const std::uint32_t task = e.task_id != 0 ? taskFor(e.task_id, false) : noTask;
        closeSpan(lane, TimelineSpanKind::GilHeld, t); // a lost release must not leave the lock held forever
        openSpan(lane, TimelineSpanKind::GilWait, t, task, noText);
        return;
    }
    case EventKind::gil_acquired: {
        TimelineLane& lane = laneForWorker(e.worker, change);
        const std::uint32_t task = e.task_id != 0 ? taskFor(e.task_id, false) : noTask;
        closeSpan(lane, TimelineSpanKind::GilWait, t);
        closeSpan(lane, TimelineSpanKind::GilHeld, t);
        openSpan(lane, TimelineSpanKind::GilHeld, t, task, noText);
        return;
    }
    case EventKind::gil_released: {
        TimelineLane& lane = laneForWorker(e.worker, change);
        const auto held = static_cast<std::size_t>(TimelineSpanKind::GilHeld);
        if (lane.openValid[held])
            lane.open[held].text = m_strings.intern(e.label); // why it let go: "switch", "sleep"...
        closeSpan(lane, TimelineSpanKind::GilHeld, t);
        return;
    }
    case EventKind::callback_started: {
        // On the lane of the thread that ran it: the worker that finished the task, or the caller.
        TimelineLane& lane = laneForWorker(e.worker, change);
        const std::uint32_t task = e.task_id != 0 ? taskFor(e.task_id, false) : noTask;
        closeSpan(lane, TimelineSpanKind::Callback, t);
        openSpan(lane, TimelineSpanKind::Callback, t, task, m_strings.intern(e.label));
        return;
    }
    case EventKind::callback_finished:
        closeSpan(laneForWorker(e.worker, change), TimelineSpanKind::Callback, t);
        return;
    case EventKind::cancel_failed:
    case EventKind::output:
    case EventKind::error_output:
        return; // not drawn yet
    }
}

void TimelineData::endAttempt(std::uint32_t index, const Event& e, TimelineChange& change)
{
    TaskState& state = m_states[index];
    if (state.ended || e.attempt != state.attempt)
        return; // an end without a start, or for an attempt we never saw submitted
    const std::int64_t t = e.time.count();
    TimelineOutcome outcome = outcomeOf(e.kind);
    if (outcome == TimelineOutcome::Failed && state.retryAnnounced)
        outcome = TimelineOutcome::Retried;
    const std::uint32_t error = e.kind == EventKind::failed ? m_strings.intern(e.label) : noText;

    if (state.row >= 0) {
        TimelineLane& lane = m_lanes[static_cast<std::size_t>(state.row)];
        if (lane.openTaskValid && lane.openTask.task == index) {
            TimelineTaskSpan span = lane.openTask;
            span.end = t;
            span.outcome = outcome;
            span.error = error;
            const auto at = static_cast<std::uint32_t>(lane.tasks.size());
            lane.tasks.push(span);
            if (outcome != TimelineOutcome::Finished)
                lane.notable.push_back(TimelineNotable { span.start, span.end, at, outcome });
            lane.openTaskValid = false;
            lane.openTask = {};
            state.latest = TimelineAttemptRef { TimelineAttemptRef::Where::Span, state.row, at };
            change.from = std::min(change.from, span.start);
        }
        if (m_runningNow > 0)
            m_running.set(t, --m_runningNow);
        state.previousRow = state.row;
    } else {
        // Never ran: cancelled while pending, or failed when the pool broke. A mark on the caller lane.
        TimelineLane& caller = m_lanes[0];
        caller.marks.push_back(TimelineMark { t, state.submitted, index, error, clampAttempt(state.attempt), outcome });
        state.latest = TimelineAttemptRef { TimelineAttemptRef::Where::Mark, 0,
            static_cast<std::uint32_t>(caller.marks.size() - 1) };
        if (m_queuedNow > 0)
            m_queued.set(t, --m_queuedNow);
        state.previousRow = 0;
    }
    state.previousEnd = t;
    state.ended = true;
    state.row = -1;
    state.dispatched = -1;
    state.retryAnnounced = false;
    m_tasks[index].outcome = outcome;
    ++m_endedAs[static_cast<std::size_t>(outcome)];
}

void TimelineData::announceRetry(std::uint32_t index, const Event& e)
{
    TaskState& state = m_states[index];
    if (e.attempt != state.attempt + 1)
        return;
    state.retryText = m_strings.intern(e.label);
    if (!state.ended) {
        // Ties sort `retried` before the failure it answers: remember it for endAttempt().
        state.retryAnnounced = true;
        return;
    }
    const TimelineAttemptRef ref = state.latest;
    auto nowRetried = [this] {
        --m_endedAs[static_cast<std::size_t>(TimelineOutcome::Failed)];
        ++m_endedAs[static_cast<std::size_t>(TimelineOutcome::Retried)];
    };
    if (ref.where == TimelineAttemptRef::Where::Span) {
        TimelineLane& lane = m_lanes[static_cast<std::size_t>(ref.row)];
        TimelineTaskSpan& span = lane.tasks.at(ref.index);
        if (span.outcome == TimelineOutcome::Failed) {
            span.outcome = TimelineOutcome::Retried;
            nowRetried();
            const auto it = std::lower_bound(lane.notable.begin(), lane.notable.end(), ref.index,
                [](const TimelineNotable& n, std::uint32_t wanted) { return n.index < wanted; });
            if (it != lane.notable.end() && it->index == ref.index)
                it->outcome = TimelineOutcome::Retried;
        }
    } else if (ref.where == TimelineAttemptRef::Where::Mark) {
        TimelineMark& mark = m_lanes[0].marks[ref.index];
        if (mark.outcome == TimelineOutcome::Failed) {
            mark.outcome = TimelineOutcome::Retried;
            nowRetried();
        }
    }
    if (m_tasks[index].outcome == TimelineOutcome::Failed)
        m_tasks[index].outcome = TimelineOutcome::Retried;
}

} // namespace poolscope::timeline
