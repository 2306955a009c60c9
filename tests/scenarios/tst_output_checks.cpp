// The helpers Scenario::check() compares printed output with.

#include "scenarios/output_checks.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

using namespace poolscope::scenarios;

namespace {

TEST(ParseIntList, ReadsPrintedListsOnly)
{
    EXPECT_EQ(parse_int_list("[3, 1, 2]"), (std::vector<long long> { 3, 1, 2 }));
    EXPECT_EQ(parse_int_list("[]"), std::vector<long long> {});
    EXPECT_EQ(parse_int_list("[1,2]"), std::nullopt);
    EXPECT_EQ(parse_int_list("[1, x]"), std::nullopt);
    EXPECT_EQ(parse_int_list("1, 2"), std::nullopt);
}

TEST(MatchCounts, ReadsTheCountsOfALineOfThatShape)
{
    EXPECT_EQ(match_counts("Got: 4, Timed out: 6", "Got: N, Timed out: N"), (std::vector<long long> { 4, 6 }));
    EXPECT_EQ(match_counts("Got: 4, Timed out: ", "Got: N, Timed out: N"), std::nullopt);
    EXPECT_EQ(match_counts("Got: 4, Timed out: 6 ", "Got: N, Timed out: N"), std::nullopt);
    EXPECT_EQ(match_counts("Got: -4, Timed out: 6", "Got: N, Timed out: N"), std::nullopt);
}

TEST(CompareLines, NamesTheFirstDifference)
{
    EXPECT_EQ(compare_lines({ "a", "b" }, { "a", "b" }), "");
    EXPECT_EQ(compare_lines({ "a", "b" }, { "a", "c" }), "line 2: expected b, got c");
    EXPECT_EQ(compare_lines({ "a", "b" }, { "a" }), "expected 2 lines, got 1");
}

} // namespace
