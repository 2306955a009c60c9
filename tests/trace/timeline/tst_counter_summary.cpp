// CounterSummary: the bucket peaks the zoomed-out counter track reads never lose a peak and never
// move one by more than a bucket, through coarsening and through values replaced at the same time.
#include <poolscope/timeline/timeline_counter.h>

#include "case_name.h"
#include "timeline_test_support.h"

#include <gtest/gtest.h>

#include <cstdint>

using namespace poolscope::timeline;

namespace {

struct SummaryCase {
    const char* name;
    int points;
    int maxGapNs; // the time between points is 0..maxGapNs
    int sameTimeEvery; // every n-th point is set again at the same time (0: never)
};

class CounterSummaryPeaks : public ::testing::TestWithParam<SummaryCase> { };

TEST_P(CounterSummaryPeaks, boundTheExactPeak)
{
    const auto [name, points, maxGapNs, sameTimeEvery] = GetParam();
    TimelineCounter counter;
    poolscope::timeline_test::TestRandom rng { 99u };
    auto random = [&rng](int n) { return static_cast<int>(rng.next(n)); };
    std::int64_t t = 5000;
    for (int i = 0; i < points; ++i) {
        t += random(maxGapNs + 1);
        counter.set(t, random(40));
        if (sameTimeEvery > 0 && i % sameTimeEvery == 0)
            counter.set(t, random(40)); // replaces: the first value was never in effect
    }
    const CounterSummary& summary = counter.summary();
    ASSERT_GT(summary.bucketCount(), 0u);
    ASSERT_LE(summary.bucketCount(), CounterSummary::maximumBuckets);
    const std::int64_t w = summary.bucketNs();
    const std::int64_t end = t + 3 * w;
    for (int probe = 0; probe < 3000; ++probe) {
        const std::int64_t from = 4000 + random(static_cast<int>(end - 4000));
        const std::int64_t to = from + 1 + random(static_cast<int>(8 * w));
        const int read = summary.peakIn(from, to);
        ASSERT_GE(read, counter.maxIn(from, to - 1)) << "[" << from << ", " << to << ")";
        ASSERT_LE(read, counter.maxIn(from - w, to - 1 + w)) << "[" << from << ", " << to << ")";
    }
    // On bucket boundaries the reading is exact.
    for (std::int64_t k = 0; k + 3 < static_cast<std::int64_t>(summary.bucketCount()); k += 7) {
        const std::int64_t from = summary.origin() + k * w;
        ASSERT_EQ(summary.peakIn(from, from + 3 * w), counter.maxIn(from, from + 3 * w - 1)) << "bucket " << k;
    }
}

INSTANTIATE_TEST_SUITE_P(CounterSummary, CounterSummaryPeaks,
    ::testing::Values(SummaryCase{"onePoint", 1, 10, 0}, SummaryCase{"denseWithinOneBucket", 500, 1, 3},
        SummaryCase{"sparse", 300, 20000, 0}, SummaryCase{"sameTimeReplacements", 5000, 300, 2},
        SummaryCase{"coarsenedManyTimes", 200000, 2000, 5}),
    poolscope::timeline_test::caseName<SummaryCase>);

} // namespace
