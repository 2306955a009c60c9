// The fold arithmetic: which spans get bars and which fold, how busy a folded column is (from the
// span list's sums or the lane summary, which must agree), and where failure marks go over a fold.
#include <poolscope/timeline/timeline_fold.h>

#include "case_name.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace poolscope::timeline;

namespace {

// 1 px = `nsPerPixel` ns, `width` px from x = 0 starting at `start` ns.
TimelineMapping pixels(double start, double nsPerPixel, double width)
{
    TimelineMapping m;
    m.left = 0;
    m.width = width;
    m.start = start;
    m.end = start + nsPerPixel * width;
    m.setDataRange(m.start, m.end);
    return m;
}

// `count` spans `length` ns long every `period` ns from `from`.
TimelineSpanList<TimelineSpan> periodic(int count, std::int64_t from, std::int64_t length, std::int64_t period)
{
    TimelineSpanList<TimelineSpan> list;
    for (int i = 0; i < count; ++i)
        list.push(TimelineSpan { from + i * period, from + i * period + length });
    return list;
}

struct Sweep {
    int bars = 0;
    int folds = 0;
    std::size_t foldedSpans = 0;
};

Sweep sweepAll(const TimelineSpanList<TimelineSpan>& list, std::int64_t t0, std::int64_t t1, double minWidth)
{
    Sweep s;
    sweepSpans(
        list, t0, t1, minWidth, [&](std::size_t) { ++s.bars; },
        [&](std::size_t i, std::size_t j, std::int64_t, std::int64_t) {
            ++s.folds;
            s.foldedSpans += j - i;
        });
    return s;
}

struct SweepCase {
    const char* name;
    std::int64_t length;
    std::int64_t period;
    double minWidth;
    int bars;
    int folds;
};

class SweepTest : public ::testing::TestWithParam<SweepCase> { };

TEST_P(SweepTest, barsAndFoldsCoverEverySpanOnce)
{
    const SweepCase& c = GetParam();
    const auto list = periodic(100, 0, c.length, c.period);
    const Sweep s = sweepAll(list, 0, 100 * c.period, c.minWidth);
    EXPECT_EQ(s.bars, c.bars);
    EXPECT_EQ(s.folds, c.folds);
    EXPECT_EQ(static_cast<std::size_t>(s.bars) + s.foldedSpans, list.size());
}

INSTANTIATE_TEST_SUITE_P(TimelineFold, SweepTest,
    ::testing::Values(SweepCase { "wideSpans_allBars", 100, 200, 50, 100, 0 },
        SweepCase { "narrowSpansCloseTogether_oneFold", 10, 20, 50, 0, 1 },
        SweepCase { "narrowSpansFarApart_oneFoldEach", 10, 200, 50, 0, 100 }),
    poolscope::timeline_test::caseName<SweepCase>);

TEST(TimelineFold, onlyVisibleSpansAreVisited)
{
    const auto list = periodic(1000, 0, 100, 200);
    const Sweep s = sweepAll(list, 10'000, 20'000, 50);
    EXPECT_EQ(s.bars, 51); // spans 50..100 overlap [10000, 20000]
}

// A range wider than the data (a longer run on the same axis): nothing is drawn past the data.
TEST(TimelineFold, rangeWiderThanTheDataDrawsNothingPastIt)
{
    const auto list = periodic(1000, 0, 10, 20); // 20 µs of data
    const TimelineMapping map = pixels(0, 100, 1000); // 100 µs on screen
    double lastX = 0;
    sweepSpans(
        list, 0, 100'000, 300, [](std::size_t) {},
        [&](std::size_t, std::size_t, std::int64_t from, std::int64_t to) {
            foldColumns(list, &list.summary(), map, from, to, 0, 1000,
                [&](double, double x1, int) { lastX = std::max(lastX, x1); });
        });
    EXPECT_GT(lastX, 150);
    EXPECT_LE(lastX, 202); // 20 µs at 100 ns a pixel, plus the 3 px shading window
}

struct ShadeCase {
    const char* name;
    std::int64_t length;
    std::int64_t period;
    int level; // the shade of the columns inside the fold
};

class FoldShade : public ::testing::TestWithParam<ShadeCase> { };

// Zoomed out far enough for the summary: it shades as the exact sums do.
TEST_P(FoldShade, summaryAndExactSumsAgree)
{
    const ShadeCase& c = GetParam();
    const auto list = periodic(200'000, 0, c.length, c.period);
    const double nsPerPixel = static_cast<double>(200'000 * c.period) / 1000;
    ASSERT_TRUE(list.summary().usableAt(nsPerPixel));
    const TimelineMapping map = pixels(0, nsPerPixel, 1000);
    auto shades = [&](const LaneSummary* summary) {
        std::vector<int> columns(1000, 0);
        foldColumns(list, summary, map, 0, 200'000 * c.period, 0, 1000, [&](double x0, double x1, int level) {
            for (auto x = static_cast<int>(x0); x < static_cast<int>(x1) && x < 1000; ++x)
                columns[static_cast<std::size_t>(x)] = level;
        });
        return columns;
    };
    const std::vector<int> exact = shades(nullptr);
    const std::vector<int> summarised = shades(&list.summary());
    for (std::size_t x = 5; x < 995; ++x) {
        EXPECT_EQ(exact[x], c.level) << "column " << x;
        EXPECT_EQ(summarised[x], c.level) << "column " << x;
    }
}

INSTANTIATE_TEST_SUITE_P(TimelineFold, FoldShade,
    ::testing::Values(ShadeCase { "halfBusy_middleShade", 10'000, 20'000, foldLevels / 2 },
        ShadeCase { "quarterBusy_quarterShade", 5'000, 20'000, foldLevels / 4 },
        ShadeCase { "fullyBusy_darkestShade", 20'000, 20'000, foldLevels }),
    poolscope::timeline_test::caseName<ShadeCase>);

TEST(TimelineFold, foldLevelRoundsAndNeverShadesNothing)
{
    EXPECT_EQ(foldLevel(0), 0);
    EXPECT_EQ(foldLevel(0.001), 1); // a sliver still shows
    EXPECT_EQ(foldLevel(0.5), foldLevels / 2);
    EXPECT_EQ(foldLevel(2.0), foldLevels);
}

// A failure among a thousand short spans shows as a mark; many close together merge into one run,
// and there is never more than one mark per two pixels.
TEST(TimelineFold, notableMarksAtMostOnePerTwoPixels)
{
    std::vector<TimelineNotable> notable;
    for (int i = 0; i < 10'000; ++i)
        notable.push_back(TimelineNotable { i * 100, i * 100 + 50, static_cast<std::uint32_t>(i),
            i % 2 ? TimelineOutcome::Failed : TimelineOutcome::Retried });
    const TimelineMapping map = pixels(0, 1000, 1000); // 10 failures a pixel
    int runs = 0;
    const int marks = notableMarks(notable, map, 0, 1'000'000, 3000, [&](double x0, double x1, TimelineOutcome) {
        ++runs;
        EXPECT_LT(x0, x1);
    });
    EXPECT_LE(marks, 500);
    EXPECT_GE(marks, 250);
    EXPECT_LE(runs, marks);
}

TEST(TimelineFold, notableMarksSkipWhatHasABarOfItsOwn)
{
    const std::vector<TimelineNotable> notable { { 0, 10'000, 0, TimelineOutcome::Failed },
        { 20'000, 20'010, 1, TimelineOutcome::Failed } };
    int runs = 0;
    const int marks
        = notableMarks(notable, pixels(0, 100, 1000), 0, 100'000, 300, [&](double x0, double, TimelineOutcome) {
              ++runs;
              EXPECT_EQ(x0, 200);
          });
    EXPECT_EQ(marks, 1);
    EXPECT_EQ(runs, 1);
}

// Zoomed out, the summary path finds exactly the bars the fold walk finds, and shades the columns
// the walk shades, without walking the folds.
TEST(TimelineFold, drawFromSummaryFindsTheSameBarsAsTheWalk)
{
    TimelineSpanList<TimelineSpan> list;
    std::int64_t t = 0;
    std::vector<std::size_t> longOnes;
    for (int i = 0; i < 100'000; ++i) {
        const bool isLong = i % 9973 == 0 || i == 1; // a handful, one of them near the start
        const std::int64_t length = isLong ? 20'000'000 : 20'000;
        if (isLong)
            longOnes.push_back(list.size());
        list.push(TimelineSpan { t, t + length });
        t += length + 10'000;
    }
    const double nsPerPixel = static_cast<double>(t) / 1000;
    ASSERT_TRUE(list.summary().usableAt(nsPerPixel));
    const TimelineMapping map = pixels(0, nsPerPixel, 1000);
    const double minWidth = 3 * nsPerPixel;
    // Start the view inside the second (long) span: the one that straddles t0 must still be drawn.
    const std::int64_t t0 = list.startOf(1) + 1000;
    std::vector<std::size_t> walked;
    std::vector<std::size_t> summarised;
    sweepSpans(
        list, t0, t, minWidth, [&](std::size_t i) { walked.push_back(i); },
        [](std::size_t, std::size_t, std::int64_t, std::int64_t) {});
    std::vector<int> shaded(1000, 0);
    drawFromSummary(
        list, map, t0, t, minWidth, 0, 1000, [&](std::size_t i) { summarised.push_back(i); },
        [&](double x0, double x1, int level) {
            for (auto x = static_cast<int>(x0); x < static_cast<int>(x1) && x < 1000; ++x)
                shaded[static_cast<std::size_t>(x)] = level;
        });
    EXPECT_EQ(summarised, walked);
    EXPECT_EQ(walked, std::vector<std::size_t>(longOnes.begin() + 1, longOnes.end()));
    // Short spans 2/3 of the time between the long ones: shaded, never blank, inside the data.
    for (std::size_t x = 100; x < 990; ++x)
        EXPECT_GT(shaded[x], 0) << "column " << x;
}

TEST(TimelineFold, callerMarksAtMostOnePerThreePixels)
{
    std::vector<TimelineMark> marks;
    for (int i = 0; i < 1000; ++i)
        marks.push_back(TimelineMark { i * 100 });
    int drawn = 0;
    callerMarks(marks, pixels(0, 100, 1000), 0, 100'000, [&](double, const TimelineMark&) { ++drawn; });
    EXPECT_EQ(drawn, 334); // one a pixel in the data: every third is drawn, 0, 3, … 999
}

} // namespace
