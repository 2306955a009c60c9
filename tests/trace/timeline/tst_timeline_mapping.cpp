// TimelineMapping: time ↔ pixel, zoom around a cursor, pan, fit and clamp, with named rows.
#include <poolscope/timeline/timeline_mapping.h>

#include "case_name.h"

#include <gtest/gtest.h>

#include <string>

using poolscope::timeline::TimelineMapping;

namespace {
// 1 s of data on 1000 px starting at x = 100, fitted: fit adds 2 % on each side.
TimelineMapping fitted()
{
    TimelineMapping m;
    m.left = 100;
    m.width = 1000;
    m.setDataRange(0, 1e9);
    m.fit();
    return m;
}

TimelineMapping showing(double from, double to)
{
    TimelineMapping m = fitted();
    m.start = from;
    m.end = to;
    return m;
}

struct RoundTrip {
    const char* name;
    TimelineMapping mapping;
    double time;
    double pixel;
};
class TimeAndPixel : public ::testing::TestWithParam<RoundTrip> { };

TEST_P(TimeAndPixel, roundTrip)
{
    const RoundTrip& c = GetParam();
    EXPECT_DOUBLE_EQ(c.mapping.toPixel(c.time), c.pixel);
    EXPECT_DOUBLE_EQ(c.mapping.toTime(c.pixel), c.time);
}
INSTANTIATE_TEST_SUITE_P(TimelineMapping, TimeAndPixel,
    ::testing::Values(RoundTrip { "fitted_leftEdgeIsFitStart", fitted(), -2e7, 100.0 },
        RoundTrip { "fitted_rightEdgeIsFitEnd", fitted(), 1.02e9, 1100.0 },
        RoundTrip { "zoomed_midpoint", showing(1e8, 2e8), 1.5e8, 600.0 },
        RoundTrip { "zoomed_leftOfView_negativePixels", showing(1e8, 2e8), 0.0, -900.0 }),
    poolscope::timeline_test::caseName<RoundTrip>);

struct Zoom {
    const char* name;
    TimelineMapping before;
    double cursor;
    double factor;
    double expectedRange;
    bool cursorTimeKept;
};
class ZoomAt : public ::testing::TestWithParam<Zoom> { };

TEST_P(ZoomAt, keepsTheCursorTimeAndStaysInTheFit)
{
    const Zoom& c = GetParam();
    TimelineMapping after = c.before;
    after.zoomAt(c.cursor, c.factor);
    EXPECT_NEAR(after.range(), c.expectedRange, c.expectedRange * 1e-9);
    if (c.cursorTimeKept) {
        EXPECT_NEAR(after.toTime(c.cursor), c.before.toTime(c.cursor), 1e-3);
    }
    EXPECT_GE(after.start, after.fitStart() - 1e-3);
    EXPECT_LE(after.end, after.fitEnd() + 1e-3);
}
INSTANTIATE_TEST_SUITE_P(TimelineMapping, ZoomAt,
    ::testing::Values(Zoom { "zoomInAroundCursor_keepsCursorTime", fitted(), 350.0, 2.0, 0.52e9, true },
        Zoom { "zoomInAtLeftEdge_keepsCursorTime", fitted(), 100.0, 4.0, 0.26e9, true },
        Zoom { "zoomOutAroundCursor_keepsCursorTime", showing(4e8, 5e8), 800.0, 0.5, 2e8, true },
        Zoom { "zoomOutPastEverything_clampsToFit", showing(4e8, 5e8), 800.0, 0.001, 1.04e9, false },
        Zoom { "zoomInBelowMinimum_stopsAtMinimumRange", showing(4e8, 4e8 + 1000), 600.0, 100.0,
            TimelineMapping::minimumRange, true },
        Zoom { "zoomNonsenseFactor_changesNothing", showing(4e8, 5e8), 600.0, -1.0, 1e8, true }),
    poolscope::timeline_test::caseName<Zoom>);

struct Pan {
    const char* name;
    TimelineMapping before;
    double dpx;
    double expectedStart;
};
class PanBy : public ::testing::TestWithParam<Pan> { };

TEST_P(PanBy, movesWithoutZooming)
{
    const Pan& c = GetParam();
    TimelineMapping after = c.before;
    after.pan(c.dpx);
    EXPECT_NEAR(after.start, c.expectedStart, 1e-3);
    EXPECT_NEAR(after.range(), c.before.range(), 1e-6); // panning never zooms
}
INSTANTIATE_TEST_SUITE_P(TimelineMapping, PanBy,
    ::testing::Values(Pan { "dragRight_showsEarlierTimes", showing(4e8, 5e8), 100.0, 3.9e8 },
        Pan { "dragLeft_showsLaterTimes", showing(4e8, 5e8), -100.0, 4.1e8 },
        Pan { "dragPastTheStart_stopsAtFitStart", showing(4e8, 5e8), 1e5, -2e7 },
        Pan { "dragPastTheEnd_stopsAtFitEnd", showing(4e8, 5e8), -1e5, 1.02e9 - 1e8 }),
    poolscope::timeline_test::caseName<Pan>);

TEST(TimelineMapping, fitShowsDataWithMargins)
{
    TimelineMapping m = showing(3e8, 4e8);
    m.fit();
    EXPECT_DOUBLE_EQ(m.start, -2e7);
    EXPECT_DOUBLE_EQ(m.end, 1.02e9);
}

TEST(TimelineMapping, emptyDataStillHasARange)
{
    TimelineMapping m;
    m.setDataRange(5, 5);
    m.fit();
    EXPECT_GT(m.range(), 0);
}

TEST(TimelineMapping, zoomToTakesEitherOrder)
{
    TimelineMapping m = fitted();
    m.zoomTo(3e8, 2e8);
    EXPECT_DOUBLE_EQ(m.start, 2e8);
    EXPECT_DOUBLE_EQ(m.end, 3e8);
}

// Runs of different length on one axis: the data range is the union of the runs', so the shorter
// run's plot spans the longer one's whole length and times past its own end still map to pixels.
TEST(TimelineMapping, rangeWiderThanOneRunsData)
{
    TimelineMapping m = fitted(); // the shorter run: 1 s of data
    m.setDataRange(0, 3e9); // the longer run lasts 3 s
    m.zoomTo(0, 3e9);
    EXPECT_DOUBLE_EQ(m.start, 0);
    EXPECT_DOUBLE_EQ(m.end, 3e9);
    EXPECT_DOUBLE_EQ(m.toPixel(1e9), 100 + 1000.0 / 3); // the shorter run ends a third of the way
    EXPECT_DOUBLE_EQ(m.toPixel(3e9), 1100);
    m.fit();
    EXPECT_DOUBLE_EQ(m.end, 3e9 + 0.02 * 3e9);
}

} // namespace
