// Each scenario's cpp_listing() is exactly the body of its run(): the code between the
// `// listing:begin` and `// listing:end` comments of <id>_scenario.cpp, de-indented.

#include "scenarios/scenario.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

using namespace poolscope::scenarios;

namespace {

std::vector<std::string> split_lines(std::string_view text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        lines.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

bool blank(const std::string& line)
{
    return line.find_first_not_of(" \t\r") == std::string::npos;
}

// Without leading and trailing blank lines, nor trailing spaces.
std::vector<std::string> tidied(std::vector<std::string> lines)
{
    for (auto& line : lines)
        line.erase(line.find_last_not_of(" \t\r") + 1);
    while (!lines.empty() && lines.front().empty())
        lines.erase(lines.begin());
    while (!lines.empty() && lines.back().empty())
        lines.pop_back();
    return lines;
}

std::vector<std::string> marked_region(const std::string& source, std::string& error)
{
    const auto lines = split_lines(source);
    const auto is_marker = [](const std::string& line, std::string_view marker) {
        const auto first = line.find_first_not_of(" \t");
        return first != std::string::npos && std::string_view(line).substr(first) == marker;
    };
    const auto begin
        = std::find_if(lines.begin(), lines.end(), [&](const auto& l) { return is_marker(l, "// listing:begin"); });
    const auto end
        = std::find_if(lines.begin(), lines.end(), [&](const auto& l) { return is_marker(l, "// listing:end"); });
    if (begin == lines.end() || end == lines.end() || end < begin) {
        error = "no // listing:begin ... // listing:end region";
        return {};
    }
    if (std::count_if(lines.begin(), lines.end(), [&](const auto& l) { return is_marker(l, "// listing:begin"); })
        != 1) {
        error = "more than one // listing:begin";
        return {};
    }
    std::vector<std::string> region(begin + 1, end);
    std::size_t indent = std::string::npos;
    for (const auto& line : region) {
        if (!blank(line))
            indent = std::min(indent, line.find_first_not_of(' '));
    }
    for (auto& line : region)
        line = blank(line) ? std::string() : line.substr(indent);
    return tidied(region);
}

std::string joined(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& line : lines)
        out += line + "\n";
    return out;
}

class Listing : public ::testing::TestWithParam<std::string> { };

TEST_P(Listing, CppListingIsTheMarkedBodyOfRun)
{
    const Scenario* scenario = find_scenario(GetParam());
    ASSERT_NE(scenario, nullptr);
    std::string file = GetParam();
    std::replace(file.begin(), file.end(), '-', '_');
    const std::string path = std::string(SCENARIOS_SOURCE_DIR) + "/" + file + "_scenario.cpp";
    std::ifstream in(path);
    ASSERT_TRUE(in) << "cannot read " << path;
    std::stringstream source;
    source << in.rdbuf();

    std::string error;
    const auto region = marked_region(source.str(), error);
    ASSERT_EQ(error, "") << path;
    ASSERT_FALSE(region.empty()) << path;
    EXPECT_EQ(joined(tidied(split_lines(scenario->cpp_listing()))), joined(region)) << path;
}

TEST_P(Listing, PythonListingIsAProgramOfItsOwn)
{
    const Scenario* scenario = find_scenario(GetParam());
    ASSERT_NE(scenario, nullptr);
    const std::string python = scenario->python_listing();
    EXPECT_NE(python.find("concurrent.futures"), std::string::npos);
    EXPECT_NE(python.find("print("), std::string::npos);
    EXPECT_EQ(python.find("@constants@"), std::string::npos);
}

std::vector<std::string> all_ids()
{
    std::vector<std::string> ids;
    for (const auto& info : scenario_catalog())
        ids.emplace_back(info.id);
    return ids;
}

INSTANTIATE_TEST_SUITE_P(
    AllScenarios, Listing, ::testing::ValuesIn(all_ids()), [](const ::testing::TestParamInfo<std::string>& p) {
        std::string name = p.param;
        std::replace(name.begin(), name.end(), '-', '_');
        return name;
    });

} // namespace
