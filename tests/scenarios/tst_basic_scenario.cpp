// BasicScenario reads a scenario's description (its <name>_scenario.json) and fills in the Python
// program's constants block; a description that does not fit is refused with the scenario's id.

#include "scenarios/basic_scenario.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

using namespace poolscope::scenarios;

namespace {

void no_run(RunContext&)
{
}

std::string no_check(const ParameterValues&, const std::vector<std::string>&)
{
    return {};
}

constexpr std::string_view program = "import time\n@constants@\nprint(WORKERS, DELAY, MODE, FAST)\n";

constexpr std::string_view description = R"json({
    "id": "demo", "title": "Demo", "hint": "A hint.", "explanation": "Why.",
    "parameters": [
        { "name": "workers", "label": "Workers", "kind": "integer", "minimum": 1, "maximum": 8, "default": "2",
          "help": "How many." },
        { "name": "delay", "label": "Delay", "kind": "real", "minimum": 0, "maximum": 1, "default": "0.5",
          "unit": "s", "help": "How long." },
        { "name": "mode", "label": "Mode", "kind": "choice", "choices": ["thread", "process"], "default": "thread",
          "help": "Which pool." },
        { "name": "fast", "label": "Fast", "kind": "boolean", "default": "false", "help": "Hurry." }
    ],
    "python_constants": { "workers": "WORKERS", "delay": "DELAY", "mode": "MODE", "fast": "FAST" },
    "presets": [ { "name": "many", "label": "Many", "description": "Eight workers.",
                   "values": { "workers": "8", "fast": "true" } } ],
    "lines": { "started": { "python": "print(", "cpp": "x();" } }
})json";

TEST(BasicScenario, readsTheDescription_pagePresetFirst)
{
    const BasicScenario s(
        { .description_json = description, .python_program = program, .marked_run_body = "x();\n" }, no_run, no_check);
    EXPECT_EQ(s.info().id, "demo");
    EXPECT_EQ(s.info().title, "Demo");
    EXPECT_EQ(s.info().hint, "A hint.");
    EXPECT_EQ(s.explanation(), "Why.");
    ASSERT_EQ(s.parameters().size(), 4u);
    EXPECT_EQ(s.parameters()[0].kind, ParameterKind::integer);
    EXPECT_EQ(s.parameters()[0].maximum, 8);
    EXPECT_EQ(s.parameters()[1].unit, "s");
    EXPECT_EQ(s.parameters()[2].choices, (std::vector<std::string> { "thread", "process" }));
    EXPECT_EQ(s.parameters()[3].default_value, "false");
    ASSERT_EQ(s.presets().size(), 2u);
    EXPECT_EQ(s.presets()[0].name, "page");
    EXPECT_EQ(s.presets()[1].values,
        (std::vector<std::pair<std::string, std::string>> { { "workers", "8" }, { "fast", "true" } }));
    EXPECT_EQ(s.cpp_listing(), "x();\n");
    ASSERT_EQ(s.code_links().entries().size(), 1u);
    EXPECT_EQ(s.code_links().entries()[0].first, "started");
    EXPECT_EQ(s.code_links().entries()[0].second.cpp, "x();");
    const Scenario& as_scenario = s; // python_listing() with the defaults is Scenario's
    EXPECT_EQ(as_scenario.python_listing(),
        "import time\nWORKERS = 2\nDELAY = 0.5\nMODE = 'thread'\nFAST = False\nprint(WORKERS, DELAY, MODE, FAST)\n");
}

struct BadDescription {
    std::string name;
    std::string json;
};

class RefusedDescription : public ::testing::TestWithParam<BadDescription> { };

TEST_P(RefusedDescription, throwsInvalidArgument)
{
    EXPECT_THROW(
        BasicScenario({ .description_json = GetParam().json, .python_program = program, .marked_run_body = "" }, no_run,
            no_check),
        std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Descriptions, RefusedDescription,
    ::testing::Values(BadDescription { "notJson", "{ id: demo" },
        BadDescription { "noTitle", R"({ "id": "demo", "hint": "", "explanation": "", "parameters": [],
            "python_constants": {}, "presets": [] })" },
        BadDescription { "unknownKind", R"({ "id": "demo", "title": "", "hint": "", "explanation": "",
            "parameters": [ { "name": "n", "label": "N", "kind": "count", "default": "1", "help": "" } ],
            "python_constants": {}, "presets": [] })" },
        BadDescription { "integerWithoutBounds", R"({ "id": "demo", "title": "", "hint": "", "explanation": "",
            "parameters": [ { "name": "n", "label": "N", "kind": "integer", "default": "1", "help": "" } ],
            "python_constants": {}, "presets": [] })" },
        BadDescription { "presetValueNotText", R"({ "id": "demo", "title": "", "hint": "", "explanation": "",
            "parameters": [], "python_constants": {},
            "presets": [ { "name": "p", "label": "P", "description": "", "values": { "n": 1 } } ] })" },
        BadDescription { "noLines", R"({ "id": "demo", "title": "", "hint": "", "explanation": "",
            "parameters": [], "python_constants": {}, "presets": [] })" },
        BadDescription { "lineWithoutCpp", R"({ "id": "demo", "title": "", "hint": "", "explanation": "",
            "parameters": [], "python_constants": {}, "presets": [],
            "lines": { "started": { "python": "def f" } } })" }),
    [](const ::testing::TestParamInfo<BadDescription>& p) { return p.param.name; });

TEST(BasicScenario, refusesMissingFunctions)
{
    EXPECT_THROW(BasicScenario({ .description_json = description, .python_program = program, .marked_run_body = "" },
                     nullptr, no_check),
        std::invalid_argument);
}

} // namespace
