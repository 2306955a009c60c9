#pragma once

#include <cstdint>
#include <limits>

// The plain records TimelineData stores by the million: small PODs with times as int64 ns (the
// EventLog's clock), strings kept apart in a TimelineStrings table and referred to by id.
namespace poolscope::timeline {

/// TimelineData counts time in ns; the plot's key axis counts seconds.
inline constexpr double timelineNsPerKey = 1e9;

/// Where a string id points when there is no text.
inline constexpr std::uint32_t noText = 0;
/// A task index that refers to no task (worker events, the caller waiting on nothing in particular).
inline constexpr std::uint32_t noTask = std::numeric_limits<std::uint32_t>::max();

/// How one attempt of a task ended, or that it has not ended yet.
enum class TimelineOutcome : std::uint8_t {
    Running, ///< started and not ended: an open span that reaches "now"
    Finished, ///< returned a value
    Failed, ///< threw, or the pool broke under it, and was not retried
    Cancelled, ///< cancelled before it ran
    Retried, ///< failed, and the retrying executor scheduled another attempt
    Queued, ///< submitted and not started yet (only used for hover and selection, never drawn as a bar)
};

/// The span layers of a lane besides its tasks.
enum class TimelineSpanKind : std::uint8_t {
    CallQueue, ///< process pool: dispatched → started, the task sat in the call queue (hatched)
    GilWait, ///< gil_requested → gil_acquired, the thread waited for the interpreter lock (hatched)
    GilHeld, ///< gil_acquired → gil_released, the thread held the interpreter lock
    Spawn, ///< worker_spawning → worker_started, a worker process was starting
    CallerBlocked, ///< caller lane: caller_blocked → caller_resumed (result(), wait(), as_completed())
    Callback, ///< callback_started → callback_finished: a done-callback ran, on the lane of its thread
};
inline constexpr int timelineSpanKindCount = 6;

/// One attempt of a task as it ran on a worker lane: started → terminal event.
struct TimelineTaskSpan {
    std::int64_t start = 0; ///< the `started` event
    std::int64_t end = 0; ///< the terminal event
    std::int64_t queued = 0; ///< this attempt's `submitted` event: the queue wait is queued → start
    std::uint32_t task = noTask; ///< index into TimelineData::tasks()
    std::uint32_t error = noText; ///< the failure's message (failed and retried attempts)
    std::uint16_t attempt = 0; ///< 0 for the first attempt
    TimelineOutcome outcome = TimelineOutcome::Finished;

    friend bool operator==(const TimelineTaskSpan&, const TimelineTaskSpan&) = default;
};

/// An attempt on a lane that did not finish cleanly (failed, retried), copied out of the span list
/// so that drawing its mark over a fold reads one small dense array.
struct TimelineNotable {
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::uint32_t index = 0; ///< into the lane's task spans
    TimelineOutcome outcome = TimelineOutcome::Failed;

    friend bool operator==(const TimelineNotable&, const TimelineNotable&) = default;
};

/// A span of one of the other layers (TimelineSpanKind).
struct TimelineSpan {
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::uint32_t task = noTask; ///< the task it belongs to, where there is one
    std::uint32_t text = noText; ///< e.g. what the caller waited in ("result()"), the release reason

    friend bool operator==(const TimelineSpan&, const TimelineSpan&) = default;
};

/// A task attempt that ended without running on a worker (cancelled while pending, failed when the
/// pool broke): drawn as a mark on the caller lane at its end.
struct TimelineMark {
    std::int64_t time = 0; ///< the terminal event
    std::int64_t queued = 0; ///< the attempt's `submitted` event
    std::uint32_t task = noTask;
    std::uint32_t error = noText;
    std::uint16_t attempt = 0;
    TimelineOutcome outcome = TimelineOutcome::Cancelled;

    friend bool operator==(const TimelineMark&, const TimelineMark&) = default;
};

/// A retry: the failed attempt's end on one lane to the next attempt's start, usually on another.
struct TimelineRetryLink {
    std::int64_t fromTime = 0; ///< the failed attempt's end
    std::int64_t toTime = 0; ///< the next attempt's start; toTime - fromTime is the backoff plus queueing
    std::int32_t fromRow = 0; ///< rows as TimelineData numbers them (0 = the caller lane)
    std::int32_t toRow = 0;
    std::uint32_t task = noTask;
    std::uint32_t text = noText; ///< the `retried` event's label, e.g. "backoff 0.2 s"
    std::uint16_t attempt = 0; ///< the new attempt's number

    friend bool operator==(const TimelineRetryLink&, const TimelineRetryLink&) = default;
};

/// One submitted call (all its attempts).
struct TimelineTask {
    std::uint64_t id = 0; ///< Event::task_id
    std::uint32_t label = noText; ///< the arguments, from the first `submitted`
    std::uint16_t attempts = 0; ///< attempts submitted so far
    TimelineOutcome outcome = TimelineOutcome::Queued; ///< the latest attempt's state
    std::int64_t submitted = 0; ///< the first attempt's `submitted`

    friend bool operator==(const TimelineTask&, const TimelineTask&) = default;
};

/// Where one attempt of a task is drawn.
struct TimelineAttemptRef {
    enum class Where : std::uint8_t {
        Span, ///< lanes()[row].tasks.spans[index]
        Mark, ///< lanes()[0].marks[index]: ended without running
        Open, ///< lanes()[row].openTask: running now
        Queued, ///< submitted, not started: nowhere on a lane yet
    };
    Where where = Where::Queued;
    std::int32_t row = 0;
    std::uint32_t index = 0;

    friend bool operator==(const TimelineAttemptRef&, const TimelineAttemptRef&) = default;
};

/// A task attempt as the outside world names it: Event::task_id and Event::attempt.
struct TimelineTaskKey {
    std::uint64_t taskId = 0;
    int attempt = 0;

    friend bool operator==(const TimelineTaskKey&, const TimelineTaskKey&) = default;
};

} // namespace poolscope::timeline
