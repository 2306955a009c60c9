// TimelineData built from event streams: lanes, spans of every layer, marks, retry links, counters,
// and that appending in batches builds what one batch builds.
#include <poolscope/timeline/timeline_data.h>

#include "case_name.h"
#include "timeline_test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

using namespace poolscope;
using namespace poolscope::timeline;
using namespace poolscope::timeline_test;

namespace {

TEST(TimelineData, startsWithTheCallerLane)
{
    TimelineData data;
    EXPECT_EQ(data.rowCount(), 1);
    EXPECT_EQ(data.lanes()[0].worker, -1);
    EXPECT_TRUE(data.isEmpty());
    EXPECT_EQ(TimelineData::rowOfWorker(-1), 0);
    EXPECT_EQ(TimelineData::rowOfWorker(3), 4);
}

TEST(TimelineData, lanesAreNamedByWorkerStarted)
{
    TimelineData data;
    const TimelineChange change = data.appendEvents(threadPoolRun());
    EXPECT_TRUE(change.lanesChanged);
    EXPECT_EQ(change.events, threadPoolRun().size());
    EXPECT_EQ(change.from, std::int64_t { 0 });
    EXPECT_EQ(change.to, std::int64_t { 310 });
    EXPECT_EQ(data.rowCount(), 3);
    EXPECT_EQ(data.laneTitle(1), std::string("ThreadPoolExecutor-0_0"));
    EXPECT_EQ(data.laneTitle(2), std::string("ThreadPoolExecutor-0_1"));
    EXPECT_EQ(data.begin(), std::int64_t { 0 });
    EXPECT_EQ(data.now(), std::int64_t { 310 });
}

TEST(TimelineData, traceLaneNamesWinAndProcessLanesShowPid)
{
    trace::Trace t;
    t.lanes = { trace::Lane { 0, "SpawnProcess-9", 4242 } };
    t.events = processPoolRun();
    const TimelineData data = TimelineData::fromTrace(t);
    EXPECT_EQ(data.rowCount(), 2);
    EXPECT_EQ(data.lanes()[1].name, std::string("SpawnProcess-9"));
    EXPECT_EQ(data.laneTitle(1), std::string("SpawnProcess-9 (pid 4242)"));
}

TEST(TimelineData, taskSpansCarryOutcomeQueueWaitAndError)
{
    TimelineData data;
    data.appendEvents(threadPoolRun());
    const auto& lane0 = data.lanes()[1].tasks;
    ASSERT_EQ(lane0.size(), std::size_t { 2 });
    EXPECT_EQ(lane0[0].start, std::int64_t { 20 });
    EXPECT_EQ(lane0[0].end, std::int64_t { 100 });
    EXPECT_EQ(lane0[0].queued, std::int64_t { 10 });
    EXPECT_EQ(lane0[0].outcome, TimelineOutcome::Finished);
    EXPECT_EQ(data.tasks()[lane0[0].task].id, std::uint64_t { 1 });
    EXPECT_EQ(data.text(data.tasks()[lane0[0].task].label), std::string_view("(1,)"));
    EXPECT_EQ(lane0[1].start, std::int64_t { 110 });
    EXPECT_EQ(data.tasks()[lane0[1].task].id, std::uint64_t { 3 });
    // running sums of busy time, for folding
    EXPECT_EQ(lane0.busyOf(0, 2), std::int64_t { 80 + 200 });

    const auto& lane1 = data.lanes()[2].tasks;
    ASSERT_EQ(lane1.size(), std::size_t { 2 });
    EXPECT_EQ(lane1[0].outcome, TimelineOutcome::Retried); // failed, and the retry came after
    EXPECT_EQ(lane1[0].attempt, std::uint16_t { 0 });
    EXPECT_EQ(data.text(lane1[0].error), std::string_view("ValueError: boom"));
    EXPECT_EQ(lane1[1].outcome, TimelineOutcome::Finished);
    EXPECT_EQ(lane1[1].attempt, std::uint16_t { 1 });
    EXPECT_EQ(lane1[1].queued, std::int64_t { 250 });
    ASSERT_EQ(data.lanes()[2].notable.size(), std::size_t { 1 });
    EXPECT_EQ(data.lanes()[2].notable[0].index, std::uint32_t { 0 });
    EXPECT_EQ(data.lanes()[2].notable[0].outcome, TimelineOutcome::Retried); // follows the span
    EXPECT_TRUE(data.lanes()[1].notable.empty());
    EXPECT_EQ(data.tasks()[*data.taskIndex(2)].attempts, std::uint16_t { 2 });
    EXPECT_EQ(data.tasks()[*data.taskIndex(2)].outcome, TimelineOutcome::Finished);
}

TEST(TimelineData, callerLaneHasBlockedSpansAndNeverRunMarks)
{
    TimelineData data;
    data.appendEvents(threadPoolRun());
    const TimelineLane& caller = data.lanes()[0];
    const auto& blocked = caller.layer(TimelineSpanKind::CallerBlocked);
    ASSERT_EQ(blocked.size(), std::size_t { 1 });
    EXPECT_EQ(blocked[0].start, std::int64_t { 25 });
    EXPECT_EQ(blocked[0].end, std::int64_t { 100 });
    EXPECT_EQ(data.text(blocked[0].text), std::string_view("result()"));
    ASSERT_EQ(caller.marks.size(), std::size_t { 1 });
    EXPECT_EQ(caller.marks[0].time, std::int64_t { 120 });
    EXPECT_EQ(caller.marks[0].queued, std::int64_t { 10 });
    EXPECT_EQ(caller.marks[0].outcome, TimelineOutcome::Cancelled);
    EXPECT_EQ(data.tasks()[caller.marks[0].task].id, std::uint64_t { 4 });
}

TEST(TimelineData, doneCallbacksAreSpansOnTheLaneOfTheThreadThatRanThem)
{
    TimelineData data;
    data.appendEvents({
        ev(0, EventKind::submitted, 1, -1),
        ev(1, EventKind::started, 1, 0),
        ev(10, EventKind::finished, 1, 0),
        ev(10, EventKind::callback_started, 1, 0, 0, "done-callback"), // on the worker that finished it
        ev(11, EventKind::callback_finished, 1, 0, 0, "done-callback"),
        ev(20, EventKind::callback_started, 1, -1, 0, "late"), // added once done: on the caller
        ev(22, EventKind::callback_finished, 1, -1, 0, "late"),
    });
    const auto& worker = data.lanes()[1].layer(TimelineSpanKind::Callback);
    ASSERT_EQ(worker.size(), std::size_t { 1 });
    EXPECT_EQ(worker[0].start, std::int64_t { 10 });
    EXPECT_EQ(worker[0].end, std::int64_t { 11 });
    EXPECT_EQ(data.tasks()[worker[0].task].id, std::uint64_t { 1 });
    const auto& caller = data.lanes()[0].layer(TimelineSpanKind::Callback);
    ASSERT_EQ(caller.size(), std::size_t { 1 });
    EXPECT_EQ(data.text(caller[0].text), std::string_view("late"));
    EXPECT_FALSE(data.lanes()[1].openValid[static_cast<std::size_t>(TimelineSpanKind::Callback)]);
}

TEST(TimelineData, aWaitThatRanOutOfTimeIsADeadline)
{
    TimelineData data;
    data.appendEvents({
        ev(0, EventKind::submitted, 1, -1),
        ev(5, EventKind::caller_blocked, 1, -1, 0, "result"),
        ev(20, EventKind::caller_resumed, 1, -1, 0, "deadline"),
        ev(30, EventKind::caller_blocked, 1, -1, 0, "result"),
        ev(40, EventKind::caller_resumed, 1, -1, 0, "result"),
    });
    EXPECT_EQ(data.deadlines(), (std::vector<std::int64_t> { 20 }));
    EXPECT_EQ(data.lanes()[0].layer(TimelineSpanKind::CallerBlocked).size(), std::size_t { 2 });
}

TEST(TimelineData, gilSpansOnTheWorkerLane)
{
    TimelineData data;
    data.appendEvents(threadPoolRun());
    const TimelineLane& lane = data.lanes()[1];
    const auto& wait = lane.layer(TimelineSpanKind::GilWait);
    const auto& held = lane.layer(TimelineSpanKind::GilHeld);
    ASSERT_EQ(wait.size(), std::size_t { 1 });
    EXPECT_EQ(wait[0].start, std::int64_t { 110 });
    EXPECT_EQ(wait[0].end, std::int64_t { 115 });
    ASSERT_EQ(held.size(), std::size_t { 1 });
    EXPECT_EQ(held[0].start, std::int64_t { 115 });
    EXPECT_EQ(held[0].end, std::int64_t { 200 });
    EXPECT_EQ(data.text(held[0].text), std::string_view("switch"));
    EXPECT_EQ(data.tasks()[held[0].task].id, std::uint64_t { 3 });
}

TEST(TimelineData, retryLinkJoinsTheAttempts)
{
    TimelineData data;
    data.appendEvents(threadPoolRun());
    ASSERT_EQ(data.retryLinks().size(), std::size_t { 1 });
    const TimelineRetryLink& link = data.retryLinks()[0];
    EXPECT_EQ(link.fromTime, std::int64_t { 150 });
    EXPECT_EQ(link.toTime, std::int64_t { 260 });
    EXPECT_EQ(link.fromRow, 2);
    EXPECT_EQ(link.toRow, 2);
    EXPECT_EQ(link.attempt, std::uint16_t { 1 });
    EXPECT_EQ(data.text(link.text), std::string_view("backoff 0.1 s"));
    EXPECT_EQ(data.longestRetryLink(), std::int64_t { 110 });
}

TEST(TimelineData, retryAnnouncedBeforeTheFailure_stillMarksItRetried)
{
    // Equal stamps sort `retried` before the failure it answers.
    TimelineData data;
    data.appendEvents({
        ev(0, EventKind::submitted, 1, -1),
        ev(1, EventKind::started, 1, 0),
        ev(5, EventKind::retried, 1, -1, 1, "backoff 0.001 s"),
        ev(5, EventKind::failed, 1, 0, 0, "boom"),
        ev(9, EventKind::submitted, 1, -1, 1),
        ev(9, EventKind::cancelled, 1, -1, 1),
    });
    EXPECT_EQ(data.lanes()[1].tasks[0].outcome, TimelineOutcome::Retried);
    ASSERT_EQ(data.lanes()[0].marks.size(), std::size_t { 1 });
    EXPECT_EQ(data.lanes()[0].marks[0].attempt, std::uint16_t { 1 });
    EXPECT_EQ(data.tasks()[0].outcome, TimelineOutcome::Cancelled);
    EXPECT_TRUE(data.retryLinks().empty()); // the second attempt never started
}

TEST(TimelineData, countsAttemptsByOutcome_aRetriedFailureMovesOver)
{
    // threadPoolRun(): 1 and 3 finish, 2 fails and is retried (its second attempt finishes), 4 is cancelled.
    TimelineData data;
    const std::vector<Event> events = threadPoolRun();
    data.appendEvents(events);
    EXPECT_EQ(data.attemptsEndedAs(TimelineOutcome::Finished), 3u);
    EXPECT_EQ(data.attemptsEndedAs(TimelineOutcome::Retried), 1u);
    EXPECT_EQ(data.attemptsEndedAs(TimelineOutcome::Failed), 0u);
    EXPECT_EQ(data.attemptsEndedAs(TimelineOutcome::Cancelled), 1u);
    EXPECT_EQ(data.attemptsEndedAs(TimelineOutcome::Running), 0u);

    // The failure alone, before its retry is announced, counts as failed.
    TimelineData upToTheFailure;
    for (const Event& e : events) {
        if (e.kind == EventKind::retried)
            break;
        upToTheFailure.appendEvents({ e });
    }
    EXPECT_EQ(upToTheFailure.attemptsEndedAs(TimelineOutcome::Failed), 1u);
    EXPECT_EQ(upToTheFailure.attemptsEndedAs(TimelineOutcome::Retried), 0u);
}

TEST(TimelineData, processPoolHasCallQueueAndSpawnSpans)
{
    TimelineData data;
    data.appendEvents(processPoolRun());
    const TimelineLane& lane = data.lanes()[1];
    EXPECT_EQ(lane.pid, 4242);
    const auto& queue = lane.layer(TimelineSpanKind::CallQueue);
    ASSERT_EQ(queue.size(), std::size_t { 1 });
    EXPECT_EQ(queue[0].start, std::int64_t { 6 });
    EXPECT_EQ(queue[0].end, std::int64_t { 45 });
    const auto& spawn = lane.layer(TimelineSpanKind::Spawn);
    ASSERT_EQ(spawn.size(), std::size_t { 1 });
    EXPECT_EQ(spawn[0].start, std::int64_t { 0 });
    EXPECT_EQ(spawn[0].end, std::int64_t { 40 });
    EXPECT_EQ(lane.tasks[0].queued, std::int64_t { 5 });
}

TEST(TimelineData, countersStepWithTheRun)
{
    TimelineData data;
    data.appendEvents(threadPoolRun());
    const TimelineCounter& running = data.running();
    const TimelineCounter& queued = data.queued();
    EXPECT_EQ(queued.valueAt(9), 0);
    EXPECT_EQ(queued.valueAt(10), 4);
    EXPECT_EQ(queued.valueAt(20), 2);
    EXPECT_EQ(queued.valueAt(110), 1);
    EXPECT_EQ(queued.valueAt(120), 0); // task 4 cancelled
    EXPECT_EQ(queued.valueAt(255), 1); // the retry waits
    EXPECT_EQ(running.valueAt(20), 2);
    EXPECT_EQ(running.valueAt(100), 1);
    EXPECT_EQ(running.valueAt(110), 2);
    EXPECT_EQ(running.valueAt(150), 1);
    EXPECT_EQ(running.valueAt(265), 2);
    EXPECT_EQ(running.valueAt(400), 0);
    EXPECT_EQ(running.maximum(), 2);
    EXPECT_EQ(queued.maximum(), 4);
    EXPECT_EQ(running.maxIn(100, 105), 1);
    EXPECT_EQ(running.maxIn(100, 110), 2);
}

TEST(TimelineData, openSpansReachNow)
{
    TimelineData data;
    data.appendEvents({
        ev(0, EventKind::submitted, 1, -1),
        ev(10, EventKind::started, 1, 0),
        ev(12, EventKind::gil_requested, 1, 0),
    });
    const TimelineLane& lane = data.lanes()[1];
    EXPECT_TRUE(lane.openTaskValid);
    EXPECT_EQ(lane.openTask.start, std::int64_t { 10 });
    EXPECT_EQ(lane.openTask.outcome, TimelineOutcome::Running);
    EXPECT_TRUE(lane.openValid[static_cast<int>(TimelineSpanKind::GilWait)]);
    EXPECT_EQ(data.now(), std::int64_t { 12 });
    data.setNow(500);
    EXPECT_EQ(data.now(), std::int64_t { 500 });
    data.setNow(100); // never backwards
    EXPECT_EQ(data.now(), std::int64_t { 500 });
    const auto ref = data.findAttempt(1, 0);
    ASSERT_TRUE(ref);
    EXPECT_EQ(ref->where, TimelineAttemptRef::Where::Open);
    EXPECT_EQ(data.taskSpan(*ref), &lane.openTask);
}

TEST(TimelineData, findAttemptLocatesEveryAttempt)
{
    TimelineData data;
    data.appendEvents(threadPoolRun());
    const auto first = data.findAttempt(2, 0);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->where, TimelineAttemptRef::Where::Span);
    EXPECT_EQ(first->row, 2);
    EXPECT_EQ(first->index, std::uint32_t { 0 });
    const auto second = data.findAttempt(2, 1);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->index, std::uint32_t { 1 });
    EXPECT_EQ(data.taskSpan(*second)->attempt, std::uint16_t { 1 });
    const auto cancelled = data.findAttempt(4, 0);
    ASSERT_TRUE(cancelled);
    EXPECT_EQ(cancelled->where, TimelineAttemptRef::Where::Mark);
    EXPECT_FALSE(data.findAttempt(2, 5));
    EXPECT_FALSE(data.findAttempt(99, 0));
}

struct BatchCase {
    const char* name;
    std::vector<Event> (*run)();
    int batch;
};

class IncrementalAppends : public ::testing::TestWithParam<BatchCase> { };

TEST_P(IncrementalAppends, equalOneShot)
{
    const std::vector<Event> events = GetParam().run();
    const int batch = GetParam().batch;
    TimelineData oneShot;
    oneShot.appendEvents(events);
    TimelineData incremental;
    std::size_t changed = 0;
    for (std::size_t i = 0; i < events.size(); i += static_cast<std::size_t>(batch)) {
        const auto end = std::min(events.size(), i + static_cast<std::size_t>(batch));
        const std::vector<Event> part(
            events.begin() + static_cast<std::ptrdiff_t>(i), events.begin() + static_cast<std::ptrdiff_t>(end));
        const TimelineChange change = incremental.appendEvents(part);
        EXPECT_EQ(change.events, part.size());
        EXPECT_EQ(change.to, part.back().time.count());
        changed += change.events;
    }
    EXPECT_EQ(changed, events.size());
    EXPECT_TRUE(incremental == oneShot);
}

INSTANTIATE_TEST_SUITE_P(TimelineData, IncrementalAppends,
    ::testing::Values(BatchCase { "threadPool_oneByOne", threadPoolRun, 1 },
        BatchCase { "threadPool_pairs", threadPoolRun, 2 }, BatchCase { "threadPool_sevens", threadPoolRun, 7 },
        BatchCase { "processPool_threes", processPoolRun, 3 }),
    poolscope::timeline_test::caseName<BatchCase>);

TEST(TimelineData, damagedEventsAreDropped)
{
    TimelineData data;
    data.appendEvents({
        ev(0, EventKind::finished, 5, 0), // end without a start
        ev(1, EventKind::started, 6, 0), // start without a submit
        ev(2, EventKind::submitted, 7, -1), ev(3, EventKind::submitted, 7, -1), // twice
        ev(4, EventKind::started, 7, 2'000'000), // absurd worker
        ev(5, EventKind::caller_resumed, 0, -1), // resumed without blocking
    });
    EXPECT_EQ(data.rowCount(), 1);
    ASSERT_EQ(data.tasks().size(), std::size_t { 1 });
    EXPECT_EQ(data.queued().current(), 1);
    EXPECT_EQ(data.eventCount(), std::size_t { 6 });
}

TEST(TimelineData, sparseTaskIdsAreFound)
{
    TimelineData data;
    const std::uint64_t big = 1ULL << 60;
    data.appendEvents({ ev(0, EventKind::submitted, big, -1), ev(1, EventKind::submitted, 3, -1) });
    EXPECT_EQ(data.taskIndex(big).value_or(99), std::uint32_t { 0 });
    EXPECT_EQ(data.taskIndex(3).value_or(99), std::uint32_t { 1 });
    EXPECT_FALSE(data.taskIndex(4));
}

} // namespace
