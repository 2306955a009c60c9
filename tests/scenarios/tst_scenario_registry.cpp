// The registry: every scenario once, in the order of the practice page, found by id, and the
// catalog the scenario list shows is the scenarios' own entries.

#include "scenarios/scenario.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

using namespace poolscope::scenarios;

namespace {

TEST(AllScenarios, OnePerExerciseInPageOrder_eachFoundByItsId)
{
    const auto& scenarios = all_scenarios();
    ASSERT_FALSE(scenarios.empty());
    // The page's first exercise comes first; the registry's own size is the count everywhere else.
    EXPECT_EQ(scenarios.front()->info().id, "map");
    std::set<std::string_view> ids;
    for (const Scenario* scenario : scenarios) {
        ASSERT_NE(scenario, nullptr);
        SCOPED_TRACE(std::string(scenario->info().id));
        EXPECT_TRUE(ids.insert(scenario->info().id).second) << "listed twice";
        EXPECT_EQ(find_scenario(scenario->info().id), scenario);
        EXPECT_FALSE(scenario->info().title.empty());
        EXPECT_FALSE(scenario->info().hint.empty());
        EXPECT_FALSE(scenario->explanation().empty());
    }
    EXPECT_EQ(find_scenario("no-such-scenario"), nullptr);
    EXPECT_EQ(find_scenario(""), nullptr);
}

TEST(ScenarioCatalog, IsEveryScenariosInfoInTheSameOrder)
{
    const auto& scenarios = all_scenarios();
    const auto catalog = scenario_catalog();
    ASSERT_EQ(catalog.size(), scenarios.size());
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        EXPECT_EQ(catalog[i].id, scenarios[i]->info().id);
        EXPECT_EQ(catalog[i].title, scenarios[i]->info().title);
        EXPECT_EQ(catalog[i].hint, scenarios[i]->info().hint);
    }
}

// A parameter that applies only for some values of another names a choice parameter of the same
// scenario and values it can take; the panel would otherwise disable it for good.
TEST(AllScenarios, ParametersApplyOnlyForValuesTheirChoiceCanTake)
{
    int conditional = 0;
    for (const Scenario* scenario : all_scenarios()) {
        const auto& parameters = scenario->parameters();
        for (const Parameter& parameter : parameters) {
            if (parameter.applies_if.empty()) {
                EXPECT_TRUE(parameter.applies_for.empty()) << parameter.name;
                continue;
            }
            ++conditional;
            SCOPED_TRACE(std::string(scenario->info().id) + " " + parameter.name);
            const auto other = std::find_if(parameters.begin(), parameters.end(),
                [&](const Parameter& p) { return p.name == parameter.applies_if; });
            ASSERT_NE(other, parameters.end());
            EXPECT_EQ(other->kind, ParameterKind::choice);
            EXPECT_FALSE(parameter.applies_for.empty());
            for (const std::string& value : parameter.applies_for)
                EXPECT_NE(std::find(other->choices.begin(), other->choices.end(), value), other->choices.end())
                    << value;
        }
    }
    // Exercise 7's interpreter lock, switch interval and start method.
    EXPECT_GE(conditional, 3);
}

} // namespace
