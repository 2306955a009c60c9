// Every event of every scenario links to the line of each listing that causes it: the lines
// table of <id>_scenario.json names, per kind of event, text of the Python line and of the C++
// one, and a run of each preset must find, for every event it produced, a line that exists and
// holds that text — so a listing edited without its table, or a new kind of event, fails here.

#include "scenarios/scenario.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace poolscope;
using namespace poolscope::scenarios;

namespace {

// The preset's values, with exercise 7's workload at the page's size: the lines are the same, and
// the sanitizer builds stay quick.
std::vector<std::pair<std::string, std::string>> quick(const Scenario& scenario, const Preset& preset)
{
    auto values = preset.values;
    if (scenario.info().id == "cpu-bound")
        values.emplace_back("scale", "1");
    return values;
}

class CodeLinksOf : public ::testing::TestWithParam<const Scenario*> { };

TEST_P(CodeLinksOf, EveryMarkerIsOnALineOfItsListing)
{
    const Scenario& scenario = *GetParam();
    const std::string python = scenario.python_listing();
    const std::string_view cpp = scenario.cpp_listing();
    ASSERT_FALSE(scenario.code_links().entries().empty());
    for (const auto& [key, marker] : scenario.code_links().entries()) {
        EXPECT_GT(line_holding(python, marker.python), 0) << key << ": no Python line holds '" << marker.python << "'";
        EXPECT_GT(line_holding(cpp, marker.cpp), 0) << key << ": no C++ line holds '" << marker.cpp << "'";
    }
}

TEST_P(CodeLinksOf, EveryEventOfEveryPresetMapsToALineHoldingItsCall)
{
    const Scenario& scenario = *GetParam();
    std::set<std::string> kinds;
    for (const Preset& preset : scenario.presets()) {
        SCOPED_TRACE("preset " + preset.name);
        const ParameterValues params = ParameterValues::resolve(scenario.parameters(), quick(scenario, preset));
        EventLog log;
        const ScenarioRun run = run_scenario(scenario, params, log);
        ASSERT_TRUE(run.failure.empty()) << run.failure;
        const std::vector<Event>& events = run.trace.events;
        ASSERT_FALSE(events.empty());
        const std::string python = scenario.python_listing(params);
        const std::string cpp(scenario.cpp_listing());
        for (const bool inPython : { true, false }) {
            const std::string& listing = inPython ? python : cpp;
            const std::vector<int> lines = scenario.code_links().lines(events, listing, inPython);
            const std::vector<const CodeLinks::Marker*> markers = scenario.code_links().markers(events);
            ASSERT_EQ(lines.size(), events.size());
            ASSERT_EQ(markers.size(), events.size());
            std::vector<int> blocked;
            for (std::size_t i = 0; i < events.size(); ++i) {
                const Event& e = events[i];
                const std::string what = std::string(to_string(e.kind)) + (e.label.empty() ? "" : " " + e.label)
                    + " (event " + std::to_string(i) + ", " + (inPython ? "Python" : "C++") + ")";
                kinds.insert(std::string(to_string(e.kind)));
                ASSERT_GT(lines[i], 0) << what << " has no line";
                const std::string_view text = listing_line(listing, lines[i]);
                ASSERT_FALSE(text.empty()) << what << ": line " << lines[i] << " is past the end";
                if (e.kind == EventKind::caller_resumed) {
                    // The line of the blocking call it ends.
                    ASSERT_FALSE(blocked.empty()) << what;
                    EXPECT_EQ(lines[i], blocked.back()) << what;
                    blocked.pop_back();
                    continue;
                }
                const CodeLinks::Marker* marker = markers[i];
                ASSERT_NE(marker, nullptr) << what;
                const std::string& call = inPython ? marker->python : marker->cpp;
                EXPECT_NE(text.find(call), std::string_view::npos) << what << ": line " << lines[i] << " '" << text
                                                                   << "' does not hold '" << call << "'";
                if (e.kind == EventKind::caller_blocked)
                    blocked.push_back(lines[i]);
            }
        }
    }
    // The runs did something worth linking: tasks were submitted, ran and ended.
    EXPECT_TRUE(kinds.contains("submitted") && kinds.contains("started")) << scenario.info().id;
}

std::string idOf(const ::testing::TestParamInfo<const Scenario*>& info)
{
    std::string id(info.param->info().id);
    for (char& c : id)
        c = c == '-' ? '_' : c;
    return id;
}

INSTANTIATE_TEST_SUITE_P(AllScenarios, CodeLinksOf, ::testing::ValuesIn(all_scenarios()), idOf);

// The pipeline's second stage points at the second stage's lines: each item runs once in
// stage1_fetch and once in stage2_process, and the listing says which.
TEST(CodeLinks, ThePipelinesSecondStageHasItsOwnLines)
{
    const Scenario& pipeline = *find_scenario("pipeline");
    const ParameterValues params = ParameterValues::resolve(pipeline.parameters(), {});
    EventLog log;
    const ScenarioRun run = run_scenario(pipeline, params, log);
    const std::string python = pipeline.python_listing(params);
    const std::vector<int> lines = pipeline.code_links().lines(run.trace.events, python, true);
    const int items = static_cast<int>(params.integer("items"));
    int first = 0;
    int second = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (run.trace.events[i].kind != EventKind::started)
            continue;
        const std::string_view text = listing_line(python, lines[i]);
        first += text.find("def stage1_fetch") != std::string_view::npos ? 1 : 0;
        second += text.find("def stage2_process") != std::string_view::npos ? 1 : 0;
    }
    EXPECT_EQ(first, items);
    EXPECT_EQ(second, items);
}

TEST(CodeLinks, TheMostSpecificKeyWinsAndResumingTakesItsBlockingLine)
{
    CodeLinks links;
    links.add("caller_blocked", { "block()", "block();" });
    links.add("caller_blocked result", { "f.result()", "f.result();" });
    links.add("started", { "def work", "auto work" });
    links.add("started@process", { "def cpu", "auto cpu" });
    links.add("started", { "ignored", "ignored" }); // a later key does not replace an earlier one
    const std::string listing = "def work\nblock()\nf.result()\ndef cpu\n";
    const std::vector<Event> events {
        { 1, EventKind::started, 0, {}, 0, {}, 0, 0 },
        { 2, EventKind::started, 1, {}, 0, {}, 4242, 0 },
        { 1, EventKind::caller_blocked, -1, {}, 0, "result", 0, 0 },
        { 1, EventKind::caller_blocked, -1, {}, 0, "wait", 0, 0 },
        { 0, EventKind::caller_resumed, -1, {}, 0, {}, 0, 0 },
        { 0, EventKind::caller_resumed, -1, {}, 0, {}, 0, 0 },
        { 0, EventKind::output, -1, {}, 0, "hi", 0, 0 },
    };
    EXPECT_EQ(links.lines(events, listing, true), (std::vector<int> { 1, 4, 3, 2, 2, 3, 0 }));
    EXPECT_EQ(line_holding(listing, "nowhere"), 0);

    // A second burst of submissions, after the caller blocked: the second stage's keys.
    links.add("submitted", { "stage1.submit(", "" });
    links.add("submitted#2", { "stage2.submit(", "" });
    links.add("started#2", { "def stage2", "" });
    const std::string staged = "stage1.submit(\nblock()\nstage2.submit(\ndef work\ndef stage2\n";
    const std::vector<Event> pipeline {
        { 1, EventKind::submitted, -1, {}, 0, {}, 0, 0 },
        { 1, EventKind::started, 0, {}, 0, {}, 0, 0 },
        { 1, EventKind::caller_blocked, -1, {}, 0, "wait", 0, 0 },
        { 0, EventKind::caller_resumed, -1, {}, 0, {}, 0, 0 },
        { 2, EventKind::submitted, -1, {}, 0, {}, 0, 0 },
        { 2, EventKind::started, 0, {}, 0, {}, 0, 0 },
    };
    EXPECT_EQ(links.lines(pipeline, staged, true), (std::vector<int> { 1, 4, 2, 2, 3, 5 }));
    EXPECT_EQ(line_holding(listing, ""), 0);
    EXPECT_EQ(listing_line(listing, 3), "f.result()");
    EXPECT_EQ(listing_line(listing, 9), "");
}

} // namespace
