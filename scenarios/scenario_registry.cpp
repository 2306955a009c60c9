#include "scenarios/scenario_registry.h"
#include "scenarios/basic_scenario.h"
#include "scenarios/scenario.h"

// Generated from POOLSCOPE_SCENARIOS in scenarios/CMakeLists.txt: POOLSCOPE_FOR_EACH_SCENARIO(X)
// expands to X(map) X(submit) ..., one per scenario, in the list's order.
#include "scenario_list.h"
// Generated too: <name>_texts, what the build embeds of each scenario's files (ScenarioTexts).
#include "scenario_texts.h"

#include <algorithm>

namespace poolscope::scenarios {

// Each <name>_scenario.cpp defines <name>_run() and <name>_check(); a listed scenario without them
// fails to link. Its accessor <name>_scenario() is made here, from them and the texts the build
// embeds (<name>_texts, from scenario_texts.h).
#define POOLSCOPE_DEFINE_SCENARIO(name)                                                                                \
    void name##_run(RunContext& context);                                                                              \
    std::string name##_check(const ParameterValues& params, const std::vector<std::string>& output);                   \
    const Scenario& name##_scenario()                                                                                  \
    {                                                                                                                  \
        static const BasicScenario instance(name##_texts, &name##_run, &name##_check);                                 \
        return instance;                                                                                               \
    }
POOLSCOPE_FOR_EACH_SCENARIO(POOLSCOPE_DEFINE_SCENARIO)
#undef POOLSCOPE_DEFINE_SCENARIO

const std::vector<const Scenario*>& all_scenarios()
{
#define POOLSCOPE_LIST_SCENARIO(name) &name##_scenario(),
    static const std::vector<const Scenario*> scenarios { POOLSCOPE_FOR_EACH_SCENARIO(POOLSCOPE_LIST_SCENARIO) };
#undef POOLSCOPE_LIST_SCENARIO
    return scenarios;
}

const Scenario* find_scenario(std::string_view id)
{
    const auto& scenarios = all_scenarios();
    const auto it = std::find_if(
        scenarios.begin(), scenarios.end(), [id](const Scenario* scenario) { return scenario->info().id == id; });
    return it == scenarios.end() ? nullptr : *it;
}

std::span<const ScenarioInfo> scenario_catalog() noexcept
{
    // Copies of the scenarios' own entries; the texts they view are held by the scenarios, which live
    // as long as the program.
    static const std::vector<ScenarioInfo> catalog = [] {
        std::vector<ScenarioInfo> out;
        for (const Scenario* scenario : all_scenarios())
            out.push_back(scenario->info());
        return out;
    }();
    return catalog;
}

} // namespace poolscope::scenarios
