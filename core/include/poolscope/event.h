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
    caller_resumed, ///< the calling thread stopped blocking
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

/// The number of EventKind values, for tables indexed by kind.
inline constexpr int event_kind_count = 20;

/// The kind's lower-case name, as used in trace files ("submitted", "worker_started"...).
std::string_view to_string(EventKind kind) noexcept;

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
