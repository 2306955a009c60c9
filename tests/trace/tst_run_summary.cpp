// The run summary the command line prints: counts per outcome and how busy each lane was.

#include <poolscope/trace/run_summary.h>

#include <gtest/gtest.h>

using namespace poolscope;
using namespace poolscope::trace;
using std::chrono::nanoseconds;

namespace {
Event at(std::int64_t t, EventKind kind, std::uint64_t task, int worker = -1, int attempt = 0)
{
    return Event { task, kind, worker, nanoseconds(t), attempt, {}, 0 };
}
} // namespace

TEST(RunSummary, CountsOutcomesAndLaneBusyTime)
{
    Trace t;
    t.wall_time = nanoseconds(100);
    t.lanes = { { 0, "w0", 0 }, { 1, "w1", 0 } };
    t.events = {
        at(0, EventKind::submitted, 1),
        at(1, EventKind::submitted, 2),
        at(2, EventKind::submitted, 3),
        at(10, EventKind::started, 1, 0),
        at(10, EventKind::started, 2, 1),
        at(30, EventKind::cancelled, 3),
        at(60, EventKind::finished, 1, 0),
        at(35, EventKind::failed, 2, 1),
        at(40, EventKind::retried, 2, -1, 1),
        at(50, EventKind::submitted, 2, -1, 1),
    };
    const RunSummary s = summarize(t);
    EXPECT_EQ(s.submitted, 4);
    EXPECT_EQ(s.finished, 1);
    EXPECT_EQ(s.failed, 1);
    EXPECT_EQ(s.cancelled, 1);
    EXPECT_EQ(s.retried, 1);
    EXPECT_EQ(s.unfinished, 1); // attempt 1 of task 2 never ended
    ASSERT_EQ(s.lanes.size(), 2u);
    EXPECT_EQ(s.lanes[0].busy, nanoseconds(50));
    EXPECT_DOUBLE_EQ(s.lanes[0].busy_fraction, 0.5);
    EXPECT_EQ(s.lanes[1].busy, nanoseconds(25));
    EXPECT_EQ(s.lanes[1].tasks, 1);
    const std::string text = format_summary(s);
    EXPECT_NE(text.find("w0"), std::string::npos);
    EXPECT_NE(text.find("busy  50%"), std::string::npos) << text;
    EXPECT_NE(text.find("4 submitted, 1 finished, 1 failed, 1 cancelled, 1 retried, 1 unfinished"), std::string::npos)
        << text;
}

TEST(RunSummary, AnEmptyTraceSummarisesToZeros)
{
    const RunSummary s = summarize(Trace {});
    EXPECT_EQ(s.submitted, 0);
    EXPECT_TRUE(s.lanes.empty());
    EXPECT_NE(format_summary(s).find("0 submitted"), std::string::npos);
}
