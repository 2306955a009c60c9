// TimeIndex: its search tree finds what std::lower_bound finds, at every size around the block
// boundaries (16, 256, 4096 entries), with runs of equal times and with a `from` past the answer.
#include <poolscope/timeline/time_index.h>

#include "case_name.h"
#include "timeline_test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

using namespace poolscope::timeline;

namespace {

struct IndexCase {
    const char* name;
    int entries;
    int maxStep; // each time is the last plus 0..maxStep, so 0-steps make runs of equal times
};

class TimeIndexSearch : public ::testing::TestWithParam<IndexCase> { };

TEST_P(TimeIndexSearch, findsTheLowerBound)
{
    const auto [name, entries, maxStep] = GetParam();
    TimeIndex index;
    std::vector<std::int64_t> times;
    poolscope::timeline_test::TestRandom rng { 777u };
    std::int64_t t = -50; // negative times too: a trace may start before the run's zero
    for (int i = 0; i < entries; ++i) {
        t += rng.next(maxStep + 1);
        index.push_back(t);
        times.push_back(t);
    }
    ASSERT_EQ(index.size(), times.size());
    ASSERT_EQ(index.times(), times);
    const std::int64_t last = times.empty() ? 0 : times.back();
    for (std::int64_t probe = -60; probe <= last + 3; ++probe) {
        const auto expected = static_cast<std::size_t>(std::lower_bound(times.begin(), times.end(), probe) - times.begin());
        ASSERT_EQ(index.firstAtOrAfter(probe), expected) << "time " << probe;
        for (const std::size_t from : {std::size_t{0}, expected / 2, expected, expected + 1, times.size() + 5}) {
            const std::size_t want = std::min(times.size(), std::max(from, expected));
            ASSERT_EQ(index.firstAtOrAfter(probe, from), want) << "time " << probe << " from " << from;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(TimeIndex, TimeIndexSearch,
    ::testing::Values(IndexCase{"empty", 0, 3}, IndexCase{"one", 1, 3}, IndexCase{"oneBlockLessOne", 15, 3},
        IndexCase{"oneBlock", 16, 3}, IndexCase{"oneBlockAndOne", 17, 3}, IndexCase{"secondLevelLessOne", 255, 2},
        IndexCase{"secondLevel", 256, 2}, IndexCase{"secondLevelAndOne", 257, 2},
        IndexCase{"thirdLevelAndOne", 4097, 1}, IndexCase{"allEqual", 5000, 0},
        IndexCase{"fourLevels", 70000, 1}),
    poolscope::timeline_test::caseName<IndexCase>);

} // namespace
