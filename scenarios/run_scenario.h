#pragma once

// The runner: how the command line and the GUI run one scenario and get a trace of it.

#include "scenarios/parameter_values.h"

#include <poolscope/event_log.h>
#include <poolscope/trace/trace.h>

#include <functional>
#include <stop_token>
#include <string>

namespace poolscope::scenarios {

class Scenario;

/// Hooks for a live run.
struct RunHooks {
    /// Each printed line as it is printed (any thread; see RunContext::print). The line is also
    /// recorded in the log as an EventKind::output event (label = the line, worker = the lane of
    /// the printing thread or -1), which is how a live display gets it, batched with the rest.
    std::function<void(const std::string& line)> on_output;
    std::stop_token stop;
};

/// The outcome of run_scenario().
struct ScenarioRun {
    /// Metadata, parameters, lanes, every event of `log` (printed lines among them, as `output`
    /// events), the output as text, the wall time.
    trace::Trace trace;
    /// Scenario::check() on the output: empty when the output is what the exercise expects.
    std::string check_error;
    /// Set when run() threw: the run ended abnormally (the trace holds what happened until then).
    std::string failure;
};

/// Runs `scenario` with already validated parameters, recording into `log` (which may carry an
/// observer for live display; it should be empty). Runs on the calling thread; never throws for a
/// failing run (see ScenarioRun::failure).
ScenarioRun run_scenario(
    const Scenario& scenario, const ParameterValues& params, EventLog& log, const RunHooks& hooks = {});

} // namespace poolscope::scenarios
