// CPython, traced, is the judge: each scenario's Python listing (with its defaults) runs under the
// CPython tracer (tracer/, as `poolscope trace` runs it), and the traced run must match the C++
// scenario's run: the same printed lines (in shape where CPython's own runs vary), the same number
// of tasks submitted, and the same count of tasks ending finished, failed and cancelled. The traced
// trace must also pass the core's invariant checks. Needs /usr/bin/python3 (POOLSCOPE_TEST_PYTHON).

#include "fidelity_support.h"
#include "scenarios/scenario.h"

#include <poolscope/event_invariants.h>
#include <poolscope/trace/cpython_event_reader.h>
#include <poolscope/trace/trace_error.h>
#include <poolscope/trace/trace_file.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace poolscope::scenarios {
namespace {

using fidelity::lines_of;

struct TracedRun {
    fidelity::PythonRun run;
    trace::Trace trace;
    std::vector<std::string> problems;
};

TracedRun run_traced(const std::string& name, const std::string& program)
{
    const auto dir
        = std::filesystem::temp_directory_path() / ("poolscope-traced-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto events = dir / "events";
    TracedRun out;
    out.run = fidelity::run_python_file(dir,
        "PYTHONPATH='" POOLSCOPE_TRACER_DIR "' '" POOLSCOPE_TEST_PYTHON "' -m poolscope_tracer --events-dir '"
            + events.string() + "' --",
        name, program);
    try {
        out.trace = trace::read_cpython_events(events.string(), &out.problems);
    } catch (const trace::TraceError& e) {
        out.problems.push_back(e.what());
    }
    std::filesystem::remove_all(dir);
    return out;
}

// Per task: how it ended (its last terminal event), counted by kind; and how many tasks there were.
struct Outcomes {
    int tasks = 0;
    int finished = 0;
    int failed = 0;
    int cancelled = 0;
    int unfinished = 0;
    friend bool operator==(const Outcomes&, const Outcomes&) = default;
};

std::ostream& operator<<(std::ostream& os, const Outcomes& o)
{
    return os << o.tasks << " tasks: " << o.finished << " finished, " << o.failed << " failed, " << o.cancelled
              << " cancelled, " << o.unfinished << " unfinished";
}

Outcomes outcomes(const std::vector<Event>& events)
{
    std::vector<std::uint64_t> order;
    std::map<std::uint64_t, EventKind> last;
    for (const Event& e : events) {
        if (e.kind == EventKind::submitted && !last.contains(e.task_id)) {
            order.push_back(e.task_id);
            last[e.task_id] = EventKind::submitted;
        } else if (is_terminal(e.kind)) {
            last[e.task_id] = e.kind;
        }
    }
    Outcomes o;
    o.tasks = static_cast<int>(order.size());
    for (std::uint64_t task : order) {
        const EventKind k = last[task];
        o.finished += k == EventKind::finished;
        o.failed += k == EventKind::failed;
        o.cancelled += k == EventKind::cancelled;
        o.unfinished += !is_terminal(k);
    }
    return o;
}

using fidelity::Case;
using fidelity::cases;

class TracedFidelity : public ::testing::TestWithParam<Case> { };

TEST_P(TracedFidelity, TheTracedListingMatchesTheCppRun)
{
    ASSERT_EQ(::access(POOLSCOPE_TEST_PYTHON, X_OK), 0) << "these tests need " POOLSCOPE_TEST_PYTHON;
    const Case& c = GetParam();
    const Scenario* scenario = find_scenario(c.id);
    ASSERT_NE(scenario, nullptr);
    const ParameterValues params = ParameterValues::resolve(scenario->parameters(), c.overrides);

    std::string name = c.id;
    std::replace(name.begin(), name.end(), '-', '_');
    const TracedRun cpython = run_traced(name, scenario->python_listing(params));
    ASSERT_EQ(cpython.run.exit_code, 0) << cpython.run.errors;
    EXPECT_EQ(cpython.problems, std::vector<std::string> {});
    EXPECT_NO_THROW(trace::validate_trace(cpython.trace));
    const auto violations = find_invariant_violations(cpython.trace.events, cpython.trace.max_workers);
    EXPECT_TRUE(violations.empty()) << (violations.empty() ? "" : violations.front());

    EventLog log;
    const ScenarioRun run = run_scenario(*scenario, params, log);
    ASSERT_EQ(run.failure, "");
    const std::vector<std::string> ours = lines_of(run.trace.output);

    // Timings and races CPython's own runs do not agree on (tst_scenario_fidelity.cpp): the shape.
    const bool varies
        = c.id == "cpu-bound" || c.id == "first-completed" || (c.id == "as-completed" && c.overrides.empty());
    if (varies) {
        EXPECT_EQ(ours.size(), cpython.run.lines.size()) << run.trace.output;
        EXPECT_EQ(scenario->check(params, cpython.run.lines), "")
            << "the traced CPython run printed what the check refuses";
    } else {
        EXPECT_EQ(ours, cpython.run.lines);
    }
    EXPECT_GT(outcomes(cpython.trace.events).tasks, 0) << "the tracer saw no task";
    EXPECT_EQ(outcomes(cpython.trace.events), outcomes(run.trace.events))
        << "left: the traced CPython run; right: the C++ scenario";
}

// The cases of tst_scenario_fidelity.cpp: every scenario with its defaults, and with a tweak that
// changes what it prints (and, for several, how its tasks end).
INSTANTIATE_TEST_SUITE_P(EveryScenario, TracedFidelity, ::testing::ValuesIn(cases()), fidelity::case_name);

TEST(TracedFidelity, CoversTheElevenExercises)
{
    EXPECT_EQ(all_scenarios().size(), 11u);
}

} // namespace
} // namespace poolscope::scenarios
