#pragma once

// The interface every exercise scenario implements. Std-only (core + trace), so the command line
// runs scenarios headless. Including this header also gives the registry (all_scenarios(),
// find_scenario()) and the runner (run_scenario()), which is what the app and the widgets use.

#include "scenarios/parameter.h"
#include "scenarios/parameter_values.h"
#include "scenarios/run_scenario.h"
#include "scenarios/scenario_catalog.h"
#include "scenarios/scenario_registry.h"

#include <poolscope/event_log.h>
#include <poolscope/trace/lane.h>

#include <functional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace poolscope::scenarios {

/// What a running scenario is given.
struct RunContext {
    const ParameterValues& params;
    /// Every executor the scenario creates records here (ThreadPoolOptions::events etc.).
    EventLog& log;
    /// Python's print(): one call per printed line, without the newline. Called on the thread
    /// that runs the scenario (or a worker thread, for output printed from a done-callback).
    std::function<void(const std::string& line)> print;
    /// Set when the user presses Stop or closes the window: the scenario ends early, cancelling
    /// what it has not started, within about a second.
    std::stop_token stop;
    /// The scenario fills these in as it creates executors: lane names ("ThreadPoolExecutor-0_1",
    /// "SpawnProcess-3"), pool kind ("thread", "thread+gil", "process", "thread+process"...), workers.
    std::vector<trace::Lane>& lanes;
    std::string& pool_kind;
    int& max_workers;
};

/// One exercise of the practice page as a runnable, parameterised scenario.
class Scenario {
public:
    virtual ~Scenario() = default;

    /// Id, title and one-line hint (the same entry as in scenario_catalog()).
    virtual const ScenarioInfo& info() const noexcept = 0;
    /// A paragraph: what the exercise teaches and what to look for in the timeline.
    virtual std::string_view explanation() const noexcept = 0;
    /// The typed parameters with their defaults and bounds, in display order.
    virtual const std::vector<Parameter>& parameters() const noexcept = 0;
    /// The Python program this scenario stands for (written by us, not the practice page's).
    virtual std::string_view python_listing() const noexcept = 0;
    /// The C++ that run() really executes (kept in sync with the source by a test).
    virtual std::string_view cpp_listing() const noexcept = 0;

    /// Runs the exercise on the calling thread (never the GUI thread), printing what the Python
    /// program prints. Throws only for failures of the machinery itself; task errors are part of
    /// the exercise and are printed.
    virtual void run(RunContext& context) const = 0;

    /// Checks printed output against what the exercise expects with these parameters: an empty
    /// string when it matches, otherwise what is wrong ("expected [2, 4, 6, 8, 10], got ...").
    /// Lines containing run-dependent values (timings, counts shown as X on the page) are checked
    /// for their shape and totals.
    virtual std::string check(const ParameterValues& params, const std::vector<std::string>& output) const = 0;
};

} // namespace poolscope::scenarios
