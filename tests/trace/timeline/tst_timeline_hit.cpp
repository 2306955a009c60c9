// hitTest(): what is at a time on a lane, with a tolerance, in the bar or the strip band.
#include <poolscope/timeline/timeline_data.h>
#include <poolscope/timeline/timeline_hit.h>

#include "case_name.h"
#include "timeline_test_support.h"

#include <gtest/gtest.h>

#include <string>

using namespace poolscope::timeline;
using poolscope::timeline_test::threadPoolRun;
using Kind = TimelineHit::Kind;

namespace {

constexpr TimelineHitBands bar { true, false };
constexpr TimelineHitBands strip { false, true };

struct HitCase {
    const char* name;
    int row;
    double time;
    double tolerance;
    TimelineHitBands bands;
    Kind kind;
    std::int64_t index; // the span, mark or layer index the hit names; -1 for the open one
    TimelineSpanKind spanKind = TimelineSpanKind::CallQueue;
};

class HitTest : public ::testing::TestWithParam<HitCase> {
protected:
    static const TimelineData& data()
    {
        static const TimelineData d = [] {
            TimelineData built;
            built.appendEvents(threadPoolRun());
            return built;
        }();
        return d;
    }
};

TEST_P(HitTest, findsWhatIsThere)
{
    const HitCase& c = GetParam();
    const TimelineHit hit = hitTest(data(), c.row, c.time, c.tolerance, c.bands);
    ASSERT_EQ(hit.kind, c.kind);
    if (c.kind == Kind::None)
        return;
    EXPECT_EQ(hit.row, c.row);
    if (c.kind == Kind::Span) {
        EXPECT_EQ(hit.spanKind, c.spanKind);
        EXPECT_EQ(hit.spanIndex, c.index);
    } else {
        EXPECT_EQ(static_cast<std::int64_t>(hit.ref.index), c.index);
    }
}

INSTANTIATE_TEST_SUITE_P(TimelineHit, HitTest,
    ::testing::Values(HitCase { "insideTheFirstBar", 1, 50, 0, bar, Kind::Task, 0 },
        HitCase { "insideTheSecondBar", 1, 200, 0, bar, Kind::Task, 1 },
        HitCase { "gapBetweenBars_noTolerance_nothing", 2, 200, 0, bar, Kind::None, 0 },
        HitCase { "gapBetweenBars_withinTolerance_nearestWins", 2, 255, 10, bar, Kind::Task, 1 },
        HitCase { "tieBetweenBars_earlierWins", 1, 105, 10, bar, Kind::Task, 0 },
        HitCase { "cancelledMarkOnTheCallerLane", 0, 121, 2, bar, Kind::Mark, 0 },
        HitCase { "callerWaitingInResult", 0, 50, 0, bar, Kind::Span, 0, TimelineSpanKind::CallerBlocked },
        HitCase { "gilHeldInTheStrip", 1, 150, 0, strip, Kind::Span, 0, TimelineSpanKind::GilHeld },
        HitCase { "gilWaitBeatsGilHeldInTheStrip", 1, 112, 0, strip, Kind::Span, 0, TimelineSpanKind::GilWait },
        HitCase { "stripPointDoesNotHitBars", 1, 50, 0, strip, Kind::None, 0 },
        HitCase { "pastTheEnd_nothing", 1, 400, 5, bar, Kind::None, 0 },
        HitCase { "rowOutOfRange_nothing", 7, 50, 0, bar, Kind::None, 0 }),
    poolscope::timeline_test::caseName<HitCase>);

TEST(TimelineHit, openTaskReachesNowAndNamesItsAttempt)
{
    using poolscope::EventKind;
    using poolscope::timeline_test::ev;
    TimelineData data;
    data.appendEvents({ ev(0, EventKind::submitted, 9, -1), ev(10, EventKind::started, 9, 0) });
    data.setNow(1000);
    const TimelineHit hit = hitTest(data, 1, 900, 0, bar);
    ASSERT_EQ(hit.kind, Kind::Task);
    EXPECT_EQ(hit.ref.where, TimelineAttemptRef::Where::Open);
    const auto key = taskKeyOf(data, hit);
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->taskId, 9u);
    EXPECT_EQ(key->attempt, 0);
}

TEST(TimelineHit, markNamesTheCancelledTask)
{
    TimelineData data;
    data.appendEvents(threadPoolRun());
    const auto key = taskKeyOf(data, hitTest(data, 0, 120, 0, bar));
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->taskId, 4u);
    EXPECT_FALSE(taskKeyOf(data, TimelineHit {}).has_value());
}

} // namespace
