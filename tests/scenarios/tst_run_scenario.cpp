// run_scenario(): what the command line and the GUI get from a run besides the scenario's output.

#include "scenarios/scenario.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

using namespace poolscope;
using namespace poolscope::scenarios;

namespace {

TEST(RunScenario, PrintedLinesReachTheHookAsTheyArePrinted)
{
    const Scenario* scenario = find_scenario("exceptions");
    ASSERT_NE(scenario, nullptr);
    std::vector<std::string> seen;
    std::mutex mutex;
    EventLog log;
    const ScenarioRun run = run_scenario(*scenario, ParameterValues::resolve(scenario->parameters()), log,
        RunHooks { .on_output =
                       [&](const std::string& line) {
                           std::lock_guard lock(mutex);
                           seen.push_back(line);
                       },
            .stop = {} });
    EXPECT_EQ(run.failure, "");
    EXPECT_EQ(run.check_error, "");
    EXPECT_EQ(
        seen, (std::vector<std::string> { "Successes: [10, 20, 40, 50]", "Errors: ['Bad value: 3', 'Bad value: 6']" }));
    EXPECT_EQ(run.trace.output, "Successes: [10, 20, 40, 50]\nErrors: ['Bad value: 3', 'Bad value: 6']");
}

TEST(RunScenario, EachPrintedLineIsAnOutputEventInPrintOrder)
{
    // One stream for a live display: the lines arrive through the log's observer with the other
    // events, so the events alone give the output.
    const Scenario* scenario = find_scenario("exceptions");
    ASSERT_NE(scenario, nullptr);
    EventLog log;
    std::vector<Event> observed; // the observer's calls are serialised
    log.set_observer([&](const Event& e) { observed.push_back(e); });
    const ScenarioRun run = run_scenario(*scenario, ParameterValues::resolve(scenario->parameters()), log);
    log.set_observer({});
    EXPECT_EQ(run.failure, "");

    const auto printed = [](const std::vector<Event>& events) {
        std::vector<std::string> lines;
        for (const Event& e : events) {
            if (e.kind == EventKind::output) {
                EXPECT_EQ(e.task_id, 0u);
                EXPECT_EQ(e.worker, -1) << "the scenario prints on its own thread, not a worker's";
                lines.push_back(e.label);
            }
        }
        return lines;
    };
    const std::vector<std::string> expected { "Successes: [10, 20, 40, 50]",
        "Errors: ['Bad value: 3', 'Bad value: 6']" };
    EXPECT_EQ(printed(run.trace.events), expected);
    EXPECT_EQ(printed(observed), expected);
    EXPECT_EQ(observed.size(), run.trace.events.size());
}

} // namespace
