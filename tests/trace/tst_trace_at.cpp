// trace_at(): the run as it stood at a moment, for replay and for `--export --at`.

#include "trace_test_support.h"

#include <poolscope/trace/trace_at.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

namespace poolscope::trace {
namespace {

using testing::synthetic_trace;
using namespace std::chrono_literals;

struct Moment {
    const char* name;
    std::chrono::nanoseconds at;
    std::size_t events; // of synthetic_trace()'s 28
    const char* output;
};

void PrintTo(const Moment& row, std::ostream* os)
{
    *os << row.name;
}

class TraceAt : public ::testing::TestWithParam<Moment> { };

TEST_P(TraceAt, KeepsWhatHappenedUpToTheMomentAndTheLinesPrintedSoFar)
{
    const Trace whole = synthetic_trace();
    const Moment& m = GetParam();
    const Trace then = trace_at(whole, m.at);
    EXPECT_EQ(then.events.size(), m.events);
    EXPECT_EQ(then.output, m.output);
    EXPECT_EQ(then.wall_time, std::min(m.at, whole.wall_time));
    for (const Event& e : then.events)
        EXPECT_LE(e.time, m.at);
    // What the run is stays.
    EXPECT_EQ(then.lanes, whole.lanes);
    EXPECT_EQ(then.parameters, whole.parameters);
    EXPECT_EQ(then.source, whole.source);
    EXPECT_EQ(then.title, whole.title);
}

INSTANTIATE_TEST_SUITE_P(TraceAt, TraceAt,
    ::testing::Values(Moment { "theStart", 0ns, 1, "" },
        Moment { "justBeforeAnEvent", 29us, 6, "" },
        Moment { "exactlyAtAnEvent_itIsIncluded", 30us, 7, "" },
        Moment { "afterTheCallbackPrinted", 67us, 19, "printed by a callback\n" },
        Moment { "theEnd_theWholeRun", 95ms, 28, "line 1\nlíne 2 ✓\n" },
        Moment { "pastTheEnd_theWholeRun", 10s, 28, "line 1\nlíne 2 ✓\n" }),
    [](const ::testing::TestParamInfo<Moment>& row) { return std::string(row.param.name); });

TEST(TraceAt, EventsAfterTheWallTimeAreCutTooAndTheLastEventEndsTheRun)
{
    // A scenario's wall time is its program's; its workers stop a little later, still recorded.
    Trace whole = synthetic_trace();
    const std::chrono::nanoseconds last = whole.events.back().time;
    const std::chrono::nanoseconds before_last = last - 1ns;
    whole.wall_time = before_last;
    const Trace at_wall = trace_at(whole, before_last);
    const auto earlier = std::count_if(
        whole.events.begin(), whole.events.end(), [&](const Event& e) { return e.time <= before_last; });
    ASSERT_LT(std::size_t(earlier), whole.events.size());
    EXPECT_EQ(at_wall.events.size(), std::size_t(earlier));
    for (const Event& e : at_wall.events)
        EXPECT_LE(e.time, before_last);
    EXPECT_EQ(trace_at(whole, last).events.size(), whole.events.size());
    EXPECT_EQ(trace_at(whole, last), whole);
}

TEST(TraceAtRefuses, ANegativeMoment)
{
    EXPECT_THROW(trace_at(synthetic_trace(), -1ns), std::invalid_argument);
}

} // namespace
} // namespace poolscope::trace
