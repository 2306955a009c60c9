// trace_at(): the run as it stood at a moment, for replay and for `--export --at`.

#include "trace_test_support.h"

#include <poolscope/trace/trace_at.h>

#include <gtest/gtest.h>

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

TEST(TraceAtRefuses, ANegativeMoment)
{
    EXPECT_THROW(trace_at(synthetic_trace(), -1ns), std::invalid_argument);
}

} // namespace
} // namespace poolscope::trace
