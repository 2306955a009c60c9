#pragma once

#include <poolscope/timeline/timeline_counter.h>
#include <poolscope/timeline/timeline_span_list.h>
#include <poolscope/timeline/timeline_strings.h>
#include <poolscope/timeline/timeline_types.h>

#include <poolscope/event.h>
#include <poolscope/trace/trace.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace poolscope::timeline {

/// One row of the timeline: the caller lane (row 0) or a worker lane (row = worker + 1), with the
/// spans of every layer. Plain data; TimelineData fills it.
struct TimelineLane {
    int worker = -1; ///< Event::worker of the lane's events; -1 for the caller lane
    std::string name; ///< "ThreadPoolExecutor-0_1", "SpawnProcess-2", "caller"
    int pid = 0; ///< process lanes: the worker process's id
    bool namedByTrace = false; ///< the name came from the trace's lane table, worker_started may not rename it

    TimelineSpanList<TimelineTaskSpan> tasks; ///< attempts that ran here, closed ones, in start order
    std::vector<TimelineNotable> notable; ///< attempts in `tasks` that did not finish cleanly, in order
    std::array<TimelineSpanList<TimelineSpan>, timelineSpanKindCount> layers; ///< by TimelineSpanKind
    std::vector<TimelineMark> marks; ///< caller lane only: attempts that ended without running

    // What is open right now (live, or a run that was cut off): each extends to TimelineData::now().
    TimelineTaskSpan openTask {}; ///< valid while openTaskValid; its end is meaningless
    bool openTaskValid = false;
    std::array<TimelineSpan, timelineSpanKindCount> open {}; ///< by kind; valid where openValid[kind]
    std::array<bool, timelineSpanKindCount> openValid {};

    const TimelineSpanList<TimelineSpan>& layer(TimelineSpanKind kind) const { return layers[static_cast<int>(kind)]; }

    friend bool operator==(const TimelineLane&, const TimelineLane&) = default;
};

/// What one appendEvents() call changed, for the view to decide how much to redo.
struct TimelineChange {
    std::size_t events = 0; ///< events applied
    bool lanesChanged = false; ///< a lane was added, renamed or got its pid: the lane axis needs new labels
    std::int64_t from = 0; ///< earliest time touched (valid when events > 0)
    std::int64_t to = 0; ///< latest time touched

    bool isEmpty() const { return events == 0 && !lanesChanged; }
};

/// The timeline's model: lanes of spans built from a recorded trace or, incrementally, from batches of
/// events as a run produces them. Paints nothing and knows nothing of Qt, so the exporter and the
/// command line use it headless and the tests compare it field by field.
///
/// Events must arrive in time order (as EventLog::events() and EventBatcher batches deliver them);
/// appending in several batches builds exactly what one batch with all of them builds. Everything
/// is append-only: spans only ever get added, except that a failed attempt becomes "retried" when its
/// retry is announced. Not thread-safe: one thread (the GUI thread) appends and reads.
///
/// Storage is flat vectors of small PODs per lane and layer, strings in one table: a million tasks on
/// sixteen lanes take about 150 MB and load in a fraction of a second.
class TimelineData {
public:
    TimelineData();

    /// The whole trace at once: its lanes (names, pids), then its events; "now" is at least the
    /// trace's wall time, so spans a cut-off run left open reach the end of the recording.
    static TimelineData fromTrace(const trace::Trace& trace);

    /// Declares lanes up front (a trace's lane table); their names win over worker_started labels.
    /// Returns whether anything changed.
    bool setLanes(const std::vector<trace::Lane>& lanes);

    /// Applies a batch of events, in time order, after everything applied before. Unknown workers
    /// get lanes on the fly. Never throws except std::bad_alloc; events that cannot be paired (an end
    /// without a start) are dropped, as trace::summarize() does.
    TimelineChange appendEvents(const std::vector<Event>& events);
    /// One event; appendEvents() is this in a loop.
    void appendEvent(const Event& event, TimelineChange& change);

    /// Moves "now" forward (live runs: the clock keeps going between events), so open spans grow.
    /// Earlier values than the current one are ignored.
    void setNow(std::int64_t now);
    /// The latest time seen: the last event's, or what setNow() set.
    std::int64_t now() const { return m_now; }
    /// The earliest event time (0 when there are no events).
    std::int64_t begin() const { return m_hasEvents ? m_begin : 0; }
    bool isEmpty() const { return !m_hasEvents; }
    std::size_t eventCount() const { return m_eventCount; }

    /// Rows top to bottom: row 0 is the caller lane, row w + 1 the lane of worker w.
    const std::vector<TimelineLane>& lanes() const { return m_lanes; }
    int rowCount() const { return static_cast<int>(m_lanes.size()); }
    static int rowOfWorker(int worker) { return worker < 0 ? 0 : worker + 1; }
    /// The lane's name as shown: "SpawnProcess-2 (pid 4242)" for a process lane.
    std::string laneTitle(int row) const;

    const std::vector<TimelineTask>& tasks() const { return m_tasks; }
    /// The index of the task with this Event::task_id.
    std::optional<std::uint32_t> taskIndex(std::uint64_t taskId) const;
    /// Where the given attempt of a task is drawn, if the task is known and the attempt was submitted.
    std::optional<TimelineAttemptRef> findAttempt(std::uint64_t taskId, int attempt) const;
    /// The span of a task attempt that ran or runs (Span or Open refs); nullptr for others.
    const TimelineTaskSpan* taskSpan(const TimelineAttemptRef& ref) const;

    const std::vector<TimelineRetryLink>& retryLinks() const { return m_links; }
    /// The longest retry link (toTime - fromTime), so a view can find the links reaching into a range.
    std::int64_t longestRetryLink() const { return m_longestLink; }
    /// When a wait's timeout ran out (caller_resumed labelled "deadline": map()'s deadline, a
    /// result(timeout=...) that gave up), in time order: the timeline draws a vertical line there.
    const std::vector<std::int64_t>& deadlines() const { return m_deadlines; }

    const TimelineCounter& running() const { return m_running; }
    const TimelineCounter& queued() const { return m_queued; }
    /// How many attempts ended with this outcome so far (a failure counts as Retried once its retry is
    /// announced), bars and caller-lane marks alike: the legend shows only what a run has.
    std::uint32_t attemptsEndedAs(TimelineOutcome outcome) const
    {
        return m_endedAs[static_cast<std::size_t>(outcome)];
    }

    const TimelineStrings& strings() const { return m_strings; }
    std::string_view text(std::uint32_t id) const { return m_strings.at(id); }

    friend bool operator==(const TimelineData&, const TimelineData&) = default;

private:
    // The bookkeeping of a task's current attempt while it is in flight.
    struct TaskState {
        std::int64_t submitted = -1; // the current attempt's `submitted`, -1 before it
        std::int64_t dispatched = -1; // process pools: when it entered the call queue
        std::int32_t row = -1; // the lane it runs on, -1 while not running
        std::int32_t attempt = 0; // the current attempt
        bool ended = true; // the current attempt is over (or none was submitted yet)
        bool retryAnnounced = false; // `retried` for attempt + 1 came before this attempt's end
        std::uint32_t retryText = noText; // that event's label
        std::int32_t previousRow = -1; // where the previous attempt ended, for the retry link
        std::int64_t previousEnd = -1;
        TimelineAttemptRef latest {}; // where the latest attempt is

        friend bool operator==(const TaskState&, const TaskState&) = default;
    };

    TimelineLane& laneForWorker(int worker, TimelineChange& change);
    std::uint32_t taskFor(std::uint64_t taskId, bool create);
    void closeSpan(TimelineLane& lane, TimelineSpanKind kind, std::int64_t time);
    void openSpan(TimelineLane& lane, TimelineSpanKind kind, std::int64_t time, std::uint32_t task, std::uint32_t text);
    void endAttempt(std::uint32_t task, const Event& event, TimelineChange& change);
    void announceRetry(std::uint32_t task, const Event& event);
    static std::uint64_t attemptKey(std::uint32_t task, int attempt)
    {
        return (static_cast<std::uint64_t>(task) << 16) | static_cast<std::uint16_t>(attempt);
    }

    std::vector<TimelineLane> m_lanes;
    std::vector<TimelineTask> m_tasks;
    std::vector<TaskState> m_states; // parallel to m_tasks
    // Task ids are small and dense in practice (an executor counts from 1): a vector maps them; the
    // hash map takes the rest.
    std::vector<std::uint32_t> m_denseIds; // id → index + 1, 0 = unknown
    std::unordered_map<std::uint64_t, std::uint32_t> m_sparseIds;
    std::unordered_map<std::uint64_t, TimelineAttemptRef> m_earlierAttempts; // attemptKey → ref
    std::vector<TimelineRetryLink> m_links;
    std::int64_t m_longestLink = 0;
    std::vector<std::int64_t> m_deadlines;
    TimelineCounter m_running;
    TimelineCounter m_queued;
    std::array<std::uint32_t, 6> m_endedAs {}; // by TimelineOutcome
    int m_runningNow = 0;
    int m_queuedNow = 0;
    int m_callerDepth = 0; // nested caller_blocked
    TimelineStrings m_strings;
    std::int64_t m_begin = 0;
    std::int64_t m_now = 0;
    bool m_hasEvents = false;
    std::size_t m_eventCount = 0;
};

} // namespace poolscope::timeline
