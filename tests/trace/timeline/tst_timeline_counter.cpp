// TimelineCounter: the step function's block maxima agree with a brute-force scan.
#include <poolscope/timeline/timeline_counter.h>

#include "case_name.h"
#include "timeline_test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

using namespace poolscope::timeline;

namespace {

struct PeakCase {
    const char* name;
    int points;
    int sameTimeEvery; // every n-th point is set at the previous point's time (0: never)
};

class CounterPeaks : public ::testing::TestWithParam<PeakCase> { };

TEST_P(CounterPeaks, matchBruteForce)
{
    const auto [name, points, sameTimeEvery] = GetParam();
    TimelineCounter counter;
    std::vector<std::int64_t> times;
    std::vector<int> values;
    poolscope::timeline_test::TestRandom rng { 12345u };
    auto random = [&rng](int n) { return static_cast<int>(rng.next(n)); };
    std::int64_t t = 0;
    for (int i = 0; i < points; ++i) {
        const bool same = sameTimeEvery > 0 && i % sameTimeEvery == 0 && !times.empty();
        if (!same)
            t += 1 + random(5);
        int v = random(1000);
        if (!values.empty() && v == values.back())
            ++v;
        counter.set(t, v);
        // the reference: a replacement overwrites, an equal value adds no step
        if (same) {
            values.back() = v;
        } else {
            times.push_back(t);
            values.push_back(v);
        }
    }
    ASSERT_EQ(counter.size(), values.size());
    for (int k = 0; k < 300; ++k) {
        std::size_t a = static_cast<std::size_t>(random(static_cast<int>(values.size())));
        std::size_t b = a + static_cast<std::size_t>(random(static_cast<int>(values.size() - a) + 1));
        const int expected = a < b ? *std::max_element(values.begin() + static_cast<std::ptrdiff_t>(a),
                                 values.begin() + static_cast<std::ptrdiff_t>(b))
                                   : 0;
        EXPECT_EQ(counter.maxOf(a, b), std::max(0, expected));
    }
    EXPECT_GE(counter.maximum(), *std::max_element(values.begin(), values.end()));
}

INSTANTIATE_TEST_SUITE_P(TimelineCounter, CounterPeaks,
    ::testing::Values(PeakCase { "fewPoints_oneLevel", 40, 0 }, PeakCase { "manyPoints_threeLevels", 5000, 0 },
        PeakCase { "manyPoints_withReplacedValues", 5000, 3 }),
    poolscope::timeline_test::caseName<PeakCase>);

} // namespace
