#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace poolscope {

/// What happened. The first six are a task's lifecycle; the rest describe workers and the caller,
/// so a timeline can draw worker lanes and the places where the calling thread blocks.
enum class EventKind : std::uint8_t {
    submitted, ///< the caller handed the task to the executor (worker = -1, label = the arguments)
    started, ///< a worker began executing the task
    finished, ///< the task returned a value
    failed, ///< the task threw (label = the error message), or the pool broke under it
    cancelled, ///< the future was cancelled before it ran
    retried, ///< a retrying executor scheduled another attempt (attempt = the new attempt number)
    worker_started, ///< a worker thread began (label = its name); task_id = 0
    worker_stopped, ///< a worker thread ended; task_id = 0
    caller_blocked, ///< the calling thread began to block in result()/exception()/wait()/as_completed()
    caller_resumed, ///< the calling thread stopped blocking (label "deadline" when its timeout ran out)
    dispatched, ///< process pool: the task entered the call queue and reports RUNNING, but no worker
                ///< executes it yet (Python's call queue holds up to max_workers + 1 of them)
    worker_spawning, ///< the parent began starting a worker process (worker = its lane); worker_started
                     ///< follows, stamped by the worker, once it is ready
    gil_requested, ///< a thread asked for the interpreter lock (worker = lane, task_id = its task or 0)
    gil_acquired, ///< the thread now holds the interpreter lock and runs task code
    gil_released, ///< the thread let the interpreter lock go (switch interval, sleep, or task end)
    cancel_failed, ///< cancel() returned false: the task was already running or done (label: "running"
                   ///< or "finished"); worker = the lane of the thread that called it, -1 for the caller
    callback_started, ///< a done-callback began (worker = the lane of the thread running it, -1 for the
                      ///< caller; label = the callback's name)
    callback_finished, ///< that done-callback returned (or threw)
    output, ///< a line the run wrote to standard output (label = the line, without its newline;
            ///< worker = the lane of the thread that printed it, -1 for the caller or unknown)
    error_output, ///< a line the run wrote to standard error, as `output`
};

namespace detail {
// The one table of kind names, and the check that keeps it whole: a switch without a default, in
// which a missing kind is an error in every build (not only under -Werror). Empty for a value
// that is no kind.
#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wswitch"
constexpr std::string_view event_kind_name(EventKind kind) noexcept
{
    switch (kind) {
    case EventKind::submitted:
        return "submitted";
    case EventKind::started:
        return "started";
    case EventKind::finished:
        return "finished";
    case EventKind::failed:
        return "failed";
    case EventKind::cancelled:
        return "cancelled";
    case EventKind::retried:
        return "retried";
    case EventKind::worker_started:
        return "worker_started";
    case EventKind::worker_stopped:
        return "worker_stopped";
    case EventKind::caller_blocked:
        return "caller_blocked";
    case EventKind::caller_resumed:
        return "caller_resumed";
    case EventKind::dispatched:
        return "dispatched";
    case EventKind::worker_spawning:
        return "worker_spawning";
    case EventKind::gil_requested:
        return "gil_requested";
    case EventKind::gil_acquired:
        return "gil_acquired";
    case EventKind::gil_released:
        return "gil_released";
    case EventKind::cancel_failed:
        return "cancel_failed";
    case EventKind::callback_started:
        return "callback_started";
    case EventKind::callback_finished:
        return "callback_finished";
    case EventKind::output:
        return "output";
    case EventKind::error_output:
        return "error_output";
    }
    return {};
}
#pragma GCC diagnostic pop

// The kinds named from 0 on, up to the first value without a name.
constexpr int count_named_kinds() noexcept
{
    int n = 0;
    while (!event_kind_name(static_cast<EventKind>(n)).empty())
        ++n;
    return n;
}

// No name past the count: the kinds are 0..count-1, without gaps.
constexpr bool none_named_from(int first) noexcept
{
    for (int k = first; k <= 0xff; ++k) {
        if (!event_kind_name(static_cast<EventKind>(k)).empty())
            return false;
    }
    return true;
}
} // namespace detail

/// The number of EventKind values, for tables indexed by kind. Counted from the names, so a kind
/// added to the enum (which must be named in detail::event_kind_name() to compile) counts at once.
inline constexpr int event_kind_count = detail::count_named_kinds();
static_assert(detail::none_named_from(event_kind_count),
    "EventKind values must run from 0 without gaps: tables are indexed by kind up to event_kind_count");

/// The kind's lower-case name, as used in trace files ("submitted", "worker_started"...);
/// "unknown" for a value that is no kind.
constexpr std::string_view to_string(EventKind kind) noexcept
{
    const std::string_view name = detail::event_kind_name(kind);
    return name.empty() ? std::string_view("unknown") : name;
}

/// True for finished, failed and cancelled: the kinds that end a task.
constexpr bool is_terminal(EventKind kind) noexcept
{
    return kind == EventKind::finished || kind == EventKind::failed || kind == EventKind::cancelled;
}

/// One timestamped state change, as recorded by an EventLog.
struct Event {
    std::uint64_t task_id = 0; ///< unique per log; 0 for worker and caller events not tied to a task
    EventKind kind = EventKind::submitted;
    int worker = -1; ///< 0-based worker lane, -1 where no worker is involved
    std::chrono::nanoseconds time { 0 }; ///< steady clock, since the log was created
    int attempt = 0; ///< 0 for the first attempt of a task
    std::string label; ///< short human text: arguments, an error message, a thread name
    int pid = 0; ///< process-pool events: the worker process's id; 0 elsewhere
    int line = 0; ///< the line of the program's source the event comes from (traced CPython programs); 0 = unknown

    friend bool operator==(const Event&, const Event&) = default;
};

} // namespace poolscope
