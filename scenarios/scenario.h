#pragma once

// The interface every exercise scenario implements. Std-only (core + trace), so the command line
// runs scenarios headless. Including this header also gives the registry (all_scenarios(),
// find_scenario()) and the runner (run_scenario()), which is what the app and the widgets use.

#include "scenarios/code_links.h"
#include "scenarios/parameter.h"
#include "scenarios/parameter_values.h"
#include "scenarios/run_scenario.h"
#include "scenarios/scenario_catalog.h"
#include "scenarios/scenario_registry.h"

#include <poolscope/event_log.h>
#include <poolscope/trace/lane.h>

#include <atomic>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
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
    /// Every run is a fresh interpreter: its pools are numbered from 0 and its processes from 1,
    /// however many runs one program makes (the GUI makes many). Pass thread_pool_prefix() as
    /// ThreadPoolOptions::thread_name_prefix and &process_counter as
    /// ProcessPoolOptions::process_counter.
    int& thread_pools;
    std::atomic<int>& process_counter;

    /// "ThreadPoolExecutor-<k>" for the run's k-th thread pool, k from 0, as CPython names a pool
    /// created without a thread_name_prefix. Call it on the thread that runs the scenario.
    std::string thread_pool_prefix() { return "ThreadPoolExecutor-" + std::to_string(thread_pools++); }
};

/// A named set of parameter values that makes a lesson visible in one click ("As on the page",
/// "Slow tasks: the successes show"). The GUI offers them above the parameter fields, the command
/// line as `poolscope run <id> --preset NAME`.
struct Preset {
    /// As on the command line: "page", "slow-tasks".
    std::string name;
    /// As in the combo box: "As on the page".
    std::string label;
    /// One line: what to look for.
    std::string description;
    /// The parameters it changes (name, value as text); every other one keeps its default.
    std::vector<std::pair<std::string, std::string>> values;
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
    /// The exercise's Python program with these parameter values in a constants block at its top:
    /// written by us, runnable, and python3 running it does and prints what run() does. Throws
    /// std::out_of_range if `params` are not this scenario's.
    virtual std::string python_listing(const ParameterValues& params) const = 0;
    /// The same with the default parameters.
    std::string python_listing() const;
    /// The presets, the first always "page" ("As on the page": the defaults, the exercise itself).
    virtual const std::vector<Preset>& presets() const noexcept = 0;
    /// The preset with this name, or null.
    const Preset* find_preset(std::string_view name) const;
    /// The C++ that run() really executes (kept in sync with the source by a test).
    virtual std::string_view cpp_listing() const noexcept = 0;
    /// Which line of each listing each kind of event comes from.
    virtual const CodeLinks& code_links() const noexcept = 0;

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
