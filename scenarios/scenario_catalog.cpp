#include "scenarios/scenario_catalog.h"

#include <array>

namespace poolscope::scenarios {

namespace {
constexpr std::array catalog {
    ScenarioInfo { "map", "executor.map: parallel processing",
        "Five sleeping tasks overlap on five lanes; results still come back in input order." },
    ScenarioInfo { "submit", "submit and Future.result()",
        "Each result() call blocks the caller lane until that one future is done." },
    ScenarioInfo {
        "exceptions", "Exceptions in futures", "Failed tasks end red; the worker lane carries on with the next task." },
    ScenarioInfo { "callbacks", "add_done_callback",
        "Callbacks run on the worker lane that finished the task, not on the caller." },
    ScenarioInfo { "as-completed", "as_completed: first results first",
        "The caller wakes once per completion, in finishing order rather than submission order." },
    ScenarioInfo { "first-completed", "wait(FIRST_COMPLETED) and cancel",
        "Only tasks still queued can be cancelled; running ones finish anyway." },
    ScenarioInfo { "cpu-bound", "Thread pool vs process pool on CPU-bound work",
        "With the interpreter lock, thread lanes take turns; process lanes truly overlap." },
    ScenarioInfo { "pipeline", "Two-stage pipeline of chained futures",
        "Stage two starts only after the caller has collected every stage-one result." },
    ScenarioInfo { "map-timeout", "Timeout on map()",
        "Past the deadline the caller gives up; tasks already running still finish." },
    ScenarioInfo {
        "shutdown", "Graceful shutdown", "shutdown(wait=True) blocks the caller until every queued task has run." },
    ScenarioInfo { "retry", "Retry with exponential backoff",
        "Failed attempts are joined to their retries; the gaps double each time." },
};
}

std::span<const ScenarioInfo> scenario_catalog() noexcept
{
    return catalog;
}

} // namespace poolscope::scenarios
