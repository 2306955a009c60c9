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

} // namespace
