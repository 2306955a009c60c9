// LaneSummary: busy time per bucket agrees with the span list's exact running sums, stays bounded
// for long runs by coarsening, and is what a span list keeps as spans are pushed.
#include <poolscope/timeline/lane_summary.h>
#include <poolscope/timeline/timeline_span_list.h>
#include <poolscope/timeline/timeline_types.h>

#include "case_name.h"
#include "timeline_test_support.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

using namespace poolscope::timeline;

namespace {

struct SummaryCase {
    const char* name;
    int spans;
    std::int64_t length; // ns a span lasts (plus up to `length` more, pseudo-randomly)
    std::int64_t gap; // ns between spans (likewise)
};

class LaneSummaryTest : public ::testing::TestWithParam<SummaryCase> { };

TEST_P(LaneSummaryTest, agreesWithTheExactSums)
{
    const SummaryCase& c = GetParam();
    TimelineSpanList<TimelineSpan> list;
    poolscope::timeline_test::TestRandom rng { 7u };
    auto random = [&rng](std::int64_t n) { return rng.next(n); };
    std::int64_t t = 1'000'000'000; // the EventLog clock does not start at 0
    for (int i = 0; i < c.spans; ++i) {
        const std::int64_t start = t + random(c.gap + 1);
        const std::int64_t end = start + c.length + random(c.length + 1);
        list.push(TimelineSpan { start, end });
        t = end;
    }
    const LaneSummary& summary = list.summary();
    ASSERT_LE(summary.bucketCount(), LaneSummary::maximumBuckets);
    EXPECT_EQ(summary.total(), list.busyOf(0, list.size()));
    const std::int64_t first = list.startOf(0);
    const std::int64_t last = list.endOf(list.size() - 1);
    // Exact at every bucket boundary, within one bucket's length anywhere else.
    for (std::size_t k = 0; k <= summary.bucketCount(); k += 1 + summary.bucketCount() / 500) {
        const std::int64_t boundary = summary.origin() + static_cast<std::int64_t>(k) * summary.bucketNs();
        std::size_t hint = 0;
        EXPECT_EQ(summary.busyBefore(boundary), list.busyBefore(boundary, hint)) << "boundary " << k;
    }
    for (int probe = 0; probe < 500; ++probe) {
        const double fraction = static_cast<double>(random(1 << 20)) / (1 << 20);
        const std::int64_t time
            = first - 10 + static_cast<std::int64_t>(fraction * static_cast<double>(last - first + 20));
        std::size_t hint = 0;
        EXPECT_NEAR(static_cast<double>(summary.busyBefore(time)), static_cast<double>(list.busyBefore(time, hint)),
            static_cast<double>(summary.bucketNs()))
            << "at " << time;
    }
    EXPECT_EQ(summary.busyBefore(first - 1), 0);
    EXPECT_EQ(summary.busyBefore(last + 1), summary.total());
}

INSTANTIATE_TEST_SUITE_P(LaneSummary, LaneSummaryTest,
    ::testing::Values(SummaryCase { "fewShortSpans_finestBuckets", 20, 100, 50 },
        SummaryCase { "manyTinySpans_manyPerBucket", 200000, 200, 100 },
        SummaryCase { "longSpansAcrossBuckets", 300, 50'000, 20'000 },
        SummaryCase { "longSparseRun_coarsens", 2000, 1'000, 10'000'000 },
        SummaryCase { "backToBack_fullyBusy", 5000, 3'000, 0 }),
    poolscope::timeline_test::caseName<SummaryCase>);

TEST(LaneSummary, usableOnlyWhenBucketsAreAQuarterColumnOrLess)
{
    LaneSummary summary;
    EXPECT_FALSE(summary.usableAt(1e9)); // empty
    summary.add(0, 10);
    EXPECT_EQ(summary.bucketNs(), LaneSummary::minimumBucketNs);
    EXPECT_TRUE(summary.usableAt(4.0 * LaneSummary::minimumBucketNs));
    EXPECT_FALSE(summary.usableAt(4.0 * LaneSummary::minimumBucketNs - 1));
}

TEST(LaneSummary, coarseningKeepsTheEarlierBoundariesExact)
{
    LaneSummary summary;
    summary.add(0, 512); // half of the first bucket
    const std::int64_t before = summary.busyBefore(1024);
    summary.add(100'000'000, 100'000'001); // forces the buckets ever wider
    EXPECT_GT(summary.bucketNs(), LaneSummary::minimumBucketNs);
    EXPECT_LE(summary.bucketCount(), LaneSummary::maximumBuckets);
    EXPECT_EQ(before, 512);
    EXPECT_EQ(summary.busyBefore(summary.bucketNs()), 512);
    EXPECT_EQ(summary.total(), 513);
}

} // namespace
