#include <poolscope/trace/event_explanation.h>

#include <algorithm>
#include <string>

namespace poolscope::trace {

namespace {

std::string lane_name(const Trace& trace, int worker)
{
    if (worker < 0)
        return "the caller";
    const auto it = std::find_if(
        trace.lanes.begin(), trace.lanes.end(), [worker](const Lane& lane) { return lane.index == worker; });
    return it != trace.lanes.end() && !it->name.empty() ? it->name : "worker " + std::to_string(worker);
}

std::string task(const Event& e)
{
    return "task " + std::to_string(e.task_id);
}

// A blocking call's name as the program wrote it: "result" → "result()", "__exit__" → the with block.
std::string call(std::string_view what)
{
    if (what == "__exit__")
        return "the end of the with block (shutdown(wait=True))";
    if (what.empty())
        return "a blocking call";
    return std::string(what) + "()";
}

} // namespace

const std::vector<EventKindEntry>& event_kind_glossary()
{
    using K = EventKind;
    static const std::vector<EventKindEntry> entries {
        { K::submitted, "submitted", "executor.submit(fn, ...) or executor.map(fn, ...)",
            "The caller handed a call to the pool; its Future is PENDING in the queue until a worker takes it." },
        { K::started, "started", "a worker took the call from the queue",
            "The Future is RUNNING: cancel() returns False from now on. The bar starts here." },
        { K::finished, "finished", "the task function returned",
            "The Future is done; future.result() returns the value and waiters wake up." },
        { K::failed, "failed", "the task function raised",
            "The Future is done with an exception: future.exception() returns it, future.result() raises it." },
        { K::cancelled, "cancelled", "future.cancel() on a pending call, or shutdown(cancel_futures=True)",
            "The call never ran; future.result() raises CancelledError." },
        { K::retried, "retried", "a retrying executor after a failed attempt",
            "Another attempt of the same call is scheduled after its backoff." },
        { K::worker_started, "worker started", "the pool started a thread or a process",
            "Pools start workers on demand, up to max_workers." },
        { K::worker_stopped, "worker stopped", "shutdown(), or the end of the with block",
            "The worker ended after the queue was closed and empty." },
        { K::caller_blocked, "caller blocked", "result(), exception(), wait(), as_completed(), map(), shutdown()",
            "The calling thread waits here; the caller lane shows how long." },
        { K::caller_resumed, "caller resumed", "that call returned",
            "The caller goes on: a result came in, a deadline passed, or the pool finished." },
        { K::dispatched, "in the call queue", "a process pool's manager thread",
            "The call moved to the call queue, which a worker process reads; it is RUNNING and can no "
            "longer be cancelled, though no worker runs it yet." },
        { K::worker_spawning, "worker process starting", "a process pool starting a worker (spawn, fork, forkserver)",
            "Starting a process costs milliseconds; the hatched stretch shows the wait." },
        { K::gil_requested, "waiting for the GIL", "a thread that wants to run Python code",
            "Only one thread runs Python code at a time; this one waits for the interpreter lock." },
        { K::gil_acquired, "holding the GIL", "the thread got the interpreter lock",
            "It runs Python code until it blocks (sleep, I/O) or the switch interval passes." },
        { K::gil_released, "GIL released", "time.sleep(), I/O, the end of the task, or sys.getswitchinterval()",
            "Another thread may take the interpreter lock now." },
        { K::cancel_failed, "cancel() returned False", "future.cancel() on a running or finished call",
            "Too late: a running call cannot be stopped, it finishes anyway." },
        { K::callback_started, "callback", "future.add_done_callback(fn)",
            "The callback runs on the thread that finished the task, or at once in the caller if the "
            "Future was already done." },
        { K::callback_finished, "callback returned", "the done-callback returned",
            "An exception in a callback is logged and ignored." },
        { K::output, "printed", "print()", "A line the program wrote to standard output." },
        { K::error_output, "printed to stderr", "a traceback, or print(..., file=sys.stderr)",
            "A line the program wrote to standard error." },
    };
    return entries;
}

std::string explain_event(const Trace& trace, const Event& e)
{
    using K = EventKind;
    const std::string lane = lane_name(trace, e.worker);
    switch (e.kind) {
    case K::submitted:
        return task(e) + " submitted" + (e.label.empty() ? "" : " with " + e.label) + ": it waits in the queue";
    case K::started:
        return task(e) + " started on " + lane + ": cancel() returns False from now on";
    case K::finished:
        return task(e) + " finished on " + lane + ": future.result() returns its value";
    case K::failed:
        return task(e) + " raised " + (e.label.empty() ? "an exception" : e.label)
            + " — future.exception() will return it";
    case K::cancelled:
        return task(e) + " was cancelled before it ran: future.result() raises CancelledError";
    case K::retried:
        return task(e) + " will be tried again (attempt " + std::to_string(e.attempt + 1) + ")";
    case K::worker_started:
        return lane + " started";
    case K::worker_stopped:
        return lane + " stopped";
    case K::caller_blocked:
        return "the caller waits in " + call(e.label);
    case K::caller_resumed:
        if (e.label == "deadline")
            return "the deadline passed: the waiting call raises TimeoutError, and map() cancels the results "
                   "not yet read";
        return "the caller returned from " + call(e.label);
    case K::dispatched:
        return task(e) + " moved to the call queue: it is RUNNING now and can no longer be cancelled";
    case K::worker_spawning:
        return "starting the worker process " + lane;
    case K::gil_requested:
        return lane + " waits for the interpreter lock";
    case K::gil_acquired:
        return lane + " holds the interpreter lock and runs Python code";
    case K::gil_released:
        return lane + " let the interpreter lock go";
    case K::cancel_failed:
        return "cancel() returned False: " + task(e) + " is already " + (e.label.empty() ? "running" : e.label);
    case K::callback_started:
        return "the callback" + (e.label.empty() ? "" : " " + e.label) + " ran on " + lane
            + (e.worker < 0 ? "" : ", the thread that finished the task");
    case K::callback_finished:
        return "the callback" + (e.label.empty() ? "" : " " + e.label) + " returned";
    case K::output:
        return lane + " printed: " + e.label;
    case K::error_output:
        return lane + " printed to stderr: " + e.label;
    }
    return "an event of an unknown kind";
}

} // namespace poolscope::trace
