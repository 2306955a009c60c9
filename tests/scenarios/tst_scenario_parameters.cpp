// ParameterValues::resolve(): defaults, the canonical text of every kind, and an error naming the
// parameter and its range for every value that does not fit.

#include "scenarios/parameter_values.h"
#include "scenarios/scenario.h"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace poolscope::scenarios;

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Parameter make(std::string name, ParameterKind kind, double minimum, double maximum, std::string default_value,
    std::string unit = {}, std::vector<std::string> choices = {})
{
    Parameter p;
    p.name = std::move(name);
    p.label = p.name;
    p.kind = kind;
    p.minimum = minimum;
    p.maximum = maximum;
    p.default_value = std::move(default_value);
    p.unit = std::move(unit);
    p.choices = std::move(choices);
    return p;
}

// One parameter of every kind.
const std::vector<Parameter>& every_kind()
{
    static const std::vector<Parameter> parameters {
        make("workers", ParameterKind::integer, 1, 64, "5"),
        make("timeout", ParameterKind::real, 0.01, 60, "0.50", "s"),
        make("verbose", ParameterKind::boolean, 0, 0, "no"),
        make("mode", ParameterKind::choice, 0, 0, "thread", {}, { "thread", "process" }),
    };
    return parameters;
}

struct ResolveRow {
    std::string name;
    Pairs overrides;
    Pairs expected_text; // empty when an error is expected
    std::string expected_error;
};

void PrintTo(const ResolveRow& row, std::ostream* os)
{
    *os << row.name;
}

class Resolve : public ::testing::TestWithParam<ResolveRow> { };

TEST_P(Resolve, GivesCanonicalTextOrNamesTheRange)
{
    const ResolveRow& row = GetParam();
    if (row.expected_error.empty()) {
        EXPECT_EQ(ParameterValues::resolve(every_kind(), row.overrides).as_text(), row.expected_text);
        return;
    }
    try {
        ParameterValues::resolve(every_kind(), row.overrides);
        ADD_FAILURE() << "resolved without an error";
    } catch (const ParameterError& e) {
        EXPECT_EQ(std::string(e.what()), row.expected_error);
    }
}

Pairs text(std::string workers, std::string timeout, std::string verbose, std::string mode)
{
    return { { "workers", std::move(workers) }, { "timeout", std::move(timeout) }, { "verbose", std::move(verbose) },
        { "mode", std::move(mode) } };
}

INSTANTIATE_TEST_SUITE_P(Rows, Resolve,
    ::testing::Values(
        // Defaults, in declaration order and canonical form ("0.50" → "0.5", "no" → "false").
        ResolveRow { "nothingGiven_defaultsInOrder", {}, text("5", "0.5", "false", "thread"), {} },
        ResolveRow {
            "integer_plusSignAndSpaces", { { "workers", " +12 " } }, text("12", "0.5", "false", "thread"), {} },
        ResolveRow { "integer_lowestBound", { { "workers", "1" } }, text("1", "0.5", "false", "thread"), {} },
        ResolveRow { "integer_highestBound", { { "workers", "64" } }, text("64", "0.5", "false", "thread"), {} },
        ResolveRow { "integer_lastOverrideWins", { { "workers", "3" }, { "workers", "4" } },
            text("4", "0.5", "false", "thread"), {} },
        ResolveRow { "real_exponent", { { "timeout", "2.5e1" } }, text("5", "25", "false", "thread"), {} },
        ResolveRow { "real_lowestBound", { { "timeout", "0.01" } }, text("5", "0.01", "false", "thread"), {} },
        ResolveRow { "real_integerText", { { "timeout", "60" } }, text("5", "60", "false", "thread"), {} },
        ResolveRow { "boolean_true", { { "verbose", "true" } }, text("5", "0.5", "true", "thread"), {} },
        ResolveRow { "boolean_one", { { "verbose", "1" } }, text("5", "0.5", "true", "thread"), {} },
        ResolveRow { "boolean_yes", { { "verbose", "yes" } }, text("5", "0.5", "true", "thread"), {} },
        ResolveRow { "boolean_onAnyCase", { { "verbose", "ON" } }, text("5", "0.5", "true", "thread"), {} },
        ResolveRow { "boolean_off", { { "verbose", "off" } }, text("5", "0.5", "false", "thread"), {} },
        ResolveRow { "boolean_zero", { { "verbose", "0" } }, text("5", "0.5", "false", "thread"), {} },
        ResolveRow { "boolean_False", { { "verbose", "False" } }, text("5", "0.5", "false", "thread"), {} },
        ResolveRow { "choice_other", { { "mode", "process" } }, text("5", "0.5", "false", "process"), {} },
        // Errors name the parameter and what it takes.
        ResolveRow {
            "integer_belowRange", { { "workers", "0" } }, {}, "workers must be an integer from 1 to 64, got 0" },
        ResolveRow {
            "integer_aboveRange", { { "workers", "65" } }, {}, "workers must be an integer from 1 to 64, got 65" },
        ResolveRow {
            "integer_fraction", { { "workers", "2.5" } }, {}, "workers must be an integer from 1 to 64, got 2.5" },
        ResolveRow {
            "integer_trailingText", { { "workers", "4x" } }, {}, "workers must be an integer from 1 to 64, got 4x" },
        ResolveRow {
            "integer_empty", { { "workers", "" } }, {}, "workers must be an integer from 1 to 64, got nothing" },
        ResolveRow { "integer_huge", { { "workers", "99999999999999999999999" } }, {},
            "workers must be an integer from 1 to 64, got 99999999999999999999999" },
        ResolveRow {
            "real_negative", { { "timeout", "-1" } }, {}, "timeout must be a number from 0.01 to 60 s, got -1" },
        ResolveRow {
            "real_aboveRange", { { "timeout", "60.5" } }, {}, "timeout must be a number from 0.01 to 60 s, got 60.5" },
        ResolveRow {
            "real_notANumber", { { "timeout", "nan" } }, {}, "timeout must be a number from 0.01 to 60 s, got nan" },
        ResolveRow {
            "real_infinite", { { "timeout", "inf" } }, {}, "timeout must be a number from 0.01 to 60 s, got inf" },
        ResolveRow {
            "real_text", { { "timeout", "soon" } }, {}, "timeout must be a number from 0.01 to 60 s, got soon" },
        ResolveRow { "boolean_maybe", { { "verbose", "maybe" } }, {}, "verbose must be true or false, got maybe" },
        ResolveRow { "choice_unknown", { { "mode", "fiber" } }, {}, "mode must be one of thread, process, got fiber" },
        ResolveRow {
            "choice_caseMatters", { { "mode", "Thread" } }, {}, "mode must be one of thread, process, got Thread" },
        ResolveRow { "unknownName_listsTheKnownOnes", { { "wokers", "4" } }, {},
            "unknown parameter 'wokers' for this scenario; known: workers, timeout, verbose, mode" }),
    [](const ::testing::TestParamInfo<ResolveRow>& p) { return p.param.name; });

TEST(ResolveUnknownName, ListsTheScenariosParametersInOrder)
{
    const std::vector<Parameter> parameters {
        make("workers", ParameterKind::integer, 1, 64, "5"),
        make("tasks", ParameterKind::integer, 1, 1000, "5"),
        make("delay", ParameterKind::real, 0, 10, "0.1", "s"),
    };
    try {
        ParameterValues::resolve(parameters, { { "wokers", "2" } });
        ADD_FAILURE() << "resolved without an error";
    } catch (const ParameterError& e) {
        EXPECT_EQ(std::string(e.what()), "unknown parameter 'wokers' for this scenario; known: workers, tasks, delay");
    }
}

TEST(ResolveUnknownName, AScenarioWithoutParametersSaysSo)
{
    EXPECT_THROW(ParameterValues::resolve({}, { { "workers", "2" } }), ParameterError);
    EXPECT_TRUE(ParameterValues::resolve({}).as_text().empty());
}

TEST(ResolveDefaults, ABrokenDefaultIsReportedLikeAnOverride)
{
    const std::vector<Parameter> parameters { make("workers", ParameterKind::integer, 1, 64, "0") };
    EXPECT_THROW(ParameterValues::resolve(parameters), ParameterError);
}

TEST(TypedAccess, ReturnsTheResolvedValues)
{
    const auto values = ParameterValues::resolve(
        every_kind(), { { "workers", "7" }, { "timeout", "1.25" }, { "verbose", "yes" }, { "mode", "process" } });
    EXPECT_EQ(values.integer("workers"), 7);
    EXPECT_DOUBLE_EQ(values.real("timeout"), 1.25);
    EXPECT_TRUE(values.boolean("verbose"));
    EXPECT_EQ(values.choice("mode"), "process");
}

TEST(TypedAccess, AnotherKindOrAnUnknownNameThrowsOutOfRange)
{
    const auto values = ParameterValues::resolve(every_kind());
    EXPECT_THROW((void)values.integer("timeout"), std::out_of_range);
    EXPECT_THROW((void)values.real("workers"), std::out_of_range);
    EXPECT_THROW((void)values.boolean("mode"), std::out_of_range);
    EXPECT_THROW((void)values.choice("verbose"), std::out_of_range);
    EXPECT_THROW((void)values.integer("threads"), std::out_of_range);
}

// Every scenario's own declarations resolve, and every default is already canonical text.
TEST(ScenarioParameters, EveryScenarioDefaultResolvesToItself)
{
    for (const Scenario* scenario : all_scenarios()) {
        SCOPED_TRACE(std::string(scenario->info().id));
        const auto values = ParameterValues::resolve(scenario->parameters());
        ASSERT_EQ(values.as_text().size(), scenario->parameters().size());
        for (std::size_t i = 0; i < values.as_text().size(); ++i) {
            const Parameter& p = scenario->parameters()[i];
            EXPECT_EQ(values.as_text()[i].first, p.name);
            EXPECT_EQ(values.as_text()[i].second, p.default_value);
            EXPECT_FALSE(p.label.empty());
            EXPECT_FALSE(p.help.empty());
        }
    }
}

} // namespace
