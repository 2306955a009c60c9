#include <poolscope/event.h>

namespace poolscope {

std::string_view to_string(EventKind kind) noexcept
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
    return "unknown";
}

} // namespace poolscope
