// The glossary of event kinds and the one-line explanations a replay step shows.

#include "trace_test_support.h"

#include <poolscope/trace/event_explanation.h>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace poolscope::trace {
namespace {

using testing::make_event;

TEST(EventKindGlossary, ExplainsEveryKindOnceInTheEnumsOrder)
{
    const auto& entries = event_kind_glossary();
    ASSERT_EQ(entries.size(), static_cast<std::size_t>(event_kind_count));
    std::set<std::string_view> titles;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        EXPECT_EQ(static_cast<std::size_t>(entries[i].kind), i);
        EXPECT_FALSE(entries[i].python.empty()) << entries[i].title;
        EXPECT_FALSE(entries[i].meaning.empty()) << entries[i].title;
        EXPECT_TRUE(titles.insert(entries[i].title).second) << "two kinds called " << entries[i].title;
    }
}

struct Explained {
    const char* name;
    Event event;
    const char* line;
};

void PrintTo(const Explained& row, std::ostream* os)
{
    *os << row.name;
}

class ExplainEvent : public ::testing::TestWithParam<Explained> { };

TEST_P(ExplainEvent, SaysWhatHappenedInPlainWords)
{
    Trace t;
    t.lanes = { { 0, "ThreadPoolExecutor-0_0", 0 }, { 2, "ThreadPoolExecutor-0_2", 0 } };
    EXPECT_EQ(explain_event(t, GetParam().event), GetParam().line);
}

using K = EventKind;
INSTANTIATE_TEST_SUITE_P(Rows, ExplainEvent,
    ::testing::Values(
        Explained { "aFailure_namesTheErrorAndWhereItGoes", make_event(1, K::failed, 3, 0, 0, "ValueError: Bad value: 3"),
            "task 3 raised ValueError: Bad value: 3 — future.exception() will return it" },
        Explained { "aRefusedCancel_saysWhy", make_event(1, K::cancel_failed, 2, -1, 0, "running"),
            "cancel() returned False: task 2 is already running" },
        Explained { "aCallback_onTheThreadThatFinishedTheTask", make_event(1, K::callback_started, 4, 2, 0, "log_done"),
            "the callback log_done ran on ThreadPoolExecutor-0_2, the thread that finished the task" },
        Explained { "aStart_namesTheLane", make_event(1, K::started, 1, 0),
            "task 1 started on ThreadPoolExecutor-0_0: cancel() returns False from now on" },
        Explained { "anUndeclaredLane_byNumber", make_event(1, K::finished, 1, 5),
            "task 1 finished on worker 5: future.result() returns its value" },
        Explained { "theWithBlocksEnd", make_event(1, K::caller_blocked, 0, -1, 0, "__exit__"),
            "the caller waits in the end of the with block (shutdown(wait=True))" },
        Explained { "aBlockingCall", make_event(1, K::caller_blocked, 0, -1, 0, "as_completed"),
            "the caller waits in as_completed()" },
        Explained { "aSubmissionWithItsArguments", make_event(1, K::submitted, 7, -1, 0, "(7,)"),
            "task 7 submitted with (7,): it waits in the queue" },
        Explained { "aDeadlinePassed_mapsResultsRaise", make_event(1, K::caller_resumed, 1, -1, 0, "deadline"),
            "the deadline passed: the waiting call raises TimeoutError, and map() cancels the results not yet read" }),
    [](const ::testing::TestParamInfo<Explained>& row) { return std::string(row.param.name); });

TEST(ExplainEventCovers, EveryKind)
{
    const Trace t;
    for (int k = 0; k < event_kind_count; ++k) {
        const std::string line = explain_event(t, make_event(1, static_cast<EventKind>(k), 1, 0));
        EXPECT_FALSE(line.empty());
        EXPECT_NE(line, "an event of an unknown kind") << to_string(static_cast<EventKind>(k));
    }
}

} // namespace
} // namespace poolscope::trace
