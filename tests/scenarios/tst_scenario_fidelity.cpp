// CPython is the judge: for every scenario, the Python listing rendered with the same parameter
// values, run by python3, prints what the C++ run prints: exactly where CPython's own runs agree,
// and in shape where they vary (exercise 7's timings, exercise 5's near-ties, exercise 6's race
// for the queue). With the defaults, each task also sleeps what the exercise's formula says.
// Needs python3 (scripts/install-deps.sh installs it); POOLSCOPE_PYTHON names another one.

#include "fidelity_support.h"
#include "scenarios/scenario.h"

#include <poolscope/event.h>
#include <poolscope/py_random.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace poolscope::scenarios {
namespace {


std::string python_interpreter()
{
    if (const char* chosen = std::getenv("POOLSCOPE_PYTHON"); chosen && *chosen)
        return chosen;
    if (::access("/usr/bin/python3", X_OK) == 0)
        return "/usr/bin/python3";
    if (const char* path = std::getenv("PATH")) {
        std::stringstream dirs(path);
        for (std::string dir; std::getline(dirs, dir, ':');) {
            const std::string candidate = dir + "/python3";
            if (::access(candidate.c_str(), X_OK) == 0)
                return candidate;
        }
    }
    return {};
}

using fidelity::lines_of;
using fidelity::PythonRun;

PythonRun run_python(const std::string& python, const std::string& name, const std::string& program)
{
    const auto dir = std::filesystem::temp_directory_path() / ("poolscope-fidelity-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    PythonRun out = fidelity::run_python_file(dir, "'" + python + "'", name, program);
    std::filesystem::remove_all(dir);
    return out;
}

using fidelity::Case;
using fidelity::cases;

// The sleep of each task, in submission order, as the exercise's formula gives it for these
// parameters; nothing for a scenario whose tasks compute rather than sleep.
std::optional<std::vector<double>> expected_sleeps(const std::string& id, const ParameterValues& p)
{
    std::vector<double> out;
    if (id == "map" || id == "callbacks")
        out.assign(static_cast<std::size_t>(p.integer("tasks")), p.real("delay"));
    else if (id == "submit")
        out.assign(4, p.real("delay"));
    else if (id == "exceptions")
        out.assign(static_cast<std::size_t>(p.integer("tasks")), p.real("delay"));
    else if (id == "as-completed") {
        for (int item = 1; item <= p.integer("tasks"); ++item)
            out.push_back(py::Random(item).uniform(p.real("min_delay"), p.real("max_delay")));
    } else if (id == "first-completed")
        out = { 0.2, 0.1, 0.3, 0.4 };
    else if (id == "pipeline") {
        out.assign(static_cast<std::size_t>(p.integer("items")), p.real("fetch_delay"));
        out.insert(out.end(), static_cast<std::size_t>(p.integer("items")), p.real("process_delay"));
    } else if (id == "map-timeout") {
        for (int n = 0; n < p.integer("tasks"); ++n)
            out.push_back(py::Random(n).uniform(p.real("min_delay"), p.real("max_delay")));
    } else if (id == "shutdown") {
        for (int i = 0; i < p.integer("tasks"); ++i)
            out.push_back(p.real("unit") * (i % 4 + 1));
    } else if (id == "retry") {
        // _retry_wrapper: two failed attempts, each followed by its backoff on the worker.
        out.assign(static_cast<std::size_t>(p.integer("tasks")), p.real("base_delay") * 3);
    } else if (id == "cpu-bound")
        return std::nullopt;
    else
        ADD_FAILURE() << "no sleep formula for scenario " << id << ": add one here";
    return out;
}

// Each task's time from its first start to its end, in submission order.
std::vector<double> measured_sleeps(const std::vector<Event>& events)
{
    std::vector<std::uint64_t> order;
    std::map<std::uint64_t, std::pair<std::chrono::nanoseconds, std::chrono::nanoseconds>> spans;
    for (const Event& e : events) {
        if (e.kind == EventKind::submitted && e.attempt == 0)
            order.push_back(e.task_id);
        else if (e.kind == EventKind::started && !spans.count(e.task_id))
            spans[e.task_id] = { e.time, e.time };
        else if (e.kind == EventKind::finished || e.kind == EventKind::failed)
            spans[e.task_id].second = e.time;
    }
    std::vector<double> out;
    for (std::uint64_t task : order) {
        const auto it = spans.find(task);
        out.push_back(
            it == spans.end() ? -1.0 : std::chrono::duration<double>(it->second.second - it->second.first).count());
    }
    return out;
}

// Empty when each task slept what the formula says, within max(15 ms, 20 %); otherwise the first
// that did not.
std::string sleep_mismatch(const std::vector<double>& measured, const std::vector<double>& expected)
{
    if (measured.size() != expected.size())
        return std::to_string(measured.size()) + " tasks ran, the formula has " + std::to_string(expected.size());
    for (std::size_t i = 0; i < measured.size(); ++i) {
        if (std::abs(measured[i] - expected[i]) > std::max(0.015, 0.2 * expected[i]))
            return "task " + std::to_string(i) + " (in submission order) took " + std::to_string(measured[i])
                + " s, the formula says " + std::to_string(expected[i]) + " s";
    }
    return {};
}

// The lesson of exercise 5, without CPython's own near-ties: an item printed before another never
// slept more than the tolerance longer.
std::string completion_order_problem(const std::vector<std::string>& lines, const ParameterValues& p)
{
    const std::string prefix = "Completion order: [";
    if (lines.empty() || !lines[0].starts_with(prefix))
        return "no completion order";
    std::vector<int> order;
    std::stringstream items(lines[0].substr(prefix.size()));
    for (std::string item; std::getline(items, item, ',');)
        order.push_back(std::stoi(item));
    const auto sleeps = expected_sleeps("as-completed", p);
    for (std::size_t i = 0; i < order.size(); ++i) {
        for (std::size_t j = i + 1; j < order.size(); ++j) {
            double earlier = 0;
            double later = 0;
            if (p.choice("order") == "random") {
                earlier = (*sleeps)[static_cast<std::size_t>(order[i] - 1)];
                later = (*sleeps)[static_cast<std::size_t>(order[j] - 1)];
            } else {
                continue; // spread evenly: compared exactly with CPython
            }
            if (earlier > later + std::max(0.015, 0.2 * earlier))
                return "item " + std::to_string(order[i]) + " came before item " + std::to_string(order[j]);
        }
    }
    return {};
}

class Fidelity : public ::testing::TestWithParam<Case> { };

TEST_P(Fidelity, TheCppRunPrintsWhatCPythonPrintsForTheListing)
{
    const std::string python = python_interpreter();
    ASSERT_FALSE(python.empty()) << "these tests need python3 (scripts/install-deps.sh installs it), or "
                                    "POOLSCOPE_PYTHON naming one";
    const Case& c = GetParam();
    const auto [scenario, params, name, listing] = prepare(c);
    ASSERT_NE(scenario, nullptr) << c.id;
    const PythonRun cpython = run_python(python, name, listing);
    ASSERT_EQ(cpython.exit_code, 0) << cpython.errors;

    EventLog log;
    const ScenarioRun run = run_scenario(*scenario, params, log);
    ASSERT_EQ(run.failure, "");
    EXPECT_EQ(run.check_error, "");
    const std::vector<std::string> ours = lines_of(run.trace.output);

    if (output_varies(c)) {
        // The same shape, both accepted.
        ASSERT_EQ(ours.size(), cpython.lines.size()) << run.trace.output;
        EXPECT_EQ(scenario->check(params, cpython.lines), "") << "CPython printed something the check refuses";
        if (c.id == "first-completed") {
            EXPECT_EQ(ours.front(), cpython.lines.front());
        }
        if (c.id == "as-completed") {
            EXPECT_EQ(completion_order_problem(ours, params), "") << run.trace.output;
            EXPECT_EQ(ours.back(), cpython.lines.back());
        }
    } else {
        EXPECT_EQ(ours, cpython.lines);
    }

    if (!c.overrides.empty())
        return;
    const auto expected = expected_sleeps(c.id, params);
    if (!expected)
        return;
    // A loaded 2-core machine can oversleep by tens of milliseconds: a mismatch is measured again,
    // twice at most, with a fresh run; only one that persists is the scenario's.
    std::string mismatch = sleep_mismatch(measured_sleeps(run.trace.events), *expected);
    for (int again = 0; again < 2 && !mismatch.empty(); ++again) {
        EventLog log_again;
        mismatch = sleep_mismatch(measured_sleeps(run_scenario(*scenario, params, log_again).trace.events), *expected);
    }
    EXPECT_EQ(mismatch, "");
}

INSTANTIATE_TEST_SUITE_P(EveryScenario, Fidelity, ::testing::ValuesIn(cases()), fidelity::case_name);

// Every run is a fresh interpreter: pools from ThreadPoolExecutor-0, processes from SpawnProcess-1.
TEST(FreshNumbering, EveryRunNamesItsPoolsAndProcessesFromTheStart)
{
    const Scenario* scenario = find_scenario("cpu-bound");
    ASSERT_NE(scenario, nullptr);
    const ParameterValues params = ParameterValues::resolve(scenario->parameters(), { { "workers", "2" } });
    for (int round = 0; round < 2; ++round) {
        SCOPED_TRACE("run " + std::to_string(round + 1));
        EventLog log;
        const ScenarioRun run = run_scenario(*scenario, params, log);
        ASSERT_EQ(run.failure, "");
        std::vector<std::string> names;
        for (const trace::Lane& lane : run.trace.lanes)
            names.push_back(lane.name);
        EXPECT_EQ(names,
            (std::vector<std::string> {
                "ThreadPoolExecutor-0_0", "ThreadPoolExecutor-0_1", "SpawnProcess-1", "SpawnProcess-2" }));
    }
}

} // namespace
} // namespace poolscope::scenarios
