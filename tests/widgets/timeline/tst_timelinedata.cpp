#include "timeline/timelinedata.h"
#include "timeline/timelinestyle.h"

#include <QSet>
#include <QTest>

#include <algorithm>
#include <chrono>

using namespace poolscope;
using namespace poolscope::widgets;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(std::vector<poolscope::Event>)

namespace {
Event ev(std::int64_t t, EventKind kind, std::uint64_t task, int worker, int attempt = 0, std::string label = {},
    int pid = 0)
{
    return Event { task, kind, worker, std::chrono::nanoseconds(t), attempt, std::move(label), pid };
}

// A thread pool with two workers and a retrying executor on top; the caller waits in result().
//   task 1 (1,)  worker 0  20 → 100  finished
//   task 2 (2,)  worker 1  20 → 150  failed "ValueError: boom", retried; attempt 1 on worker 1 260 → 300
//   task 3 (3,)  worker 0 110 → 310  finished; holds the GIL 115 → 200 after waiting 110 → 115
//   task 4 (4,)  never runs: cancelled at 120
std::vector<Event> threadPoolRun()
{
    return {
        ev(0, EventKind::worker_started, 0, 0, 0, "ThreadPoolExecutor-0_0"),
        ev(0, EventKind::worker_started, 0, 1, 0, "ThreadPoolExecutor-0_1"),
        ev(10, EventKind::submitted, 1, -1, 0, "(1,)"),
        ev(10, EventKind::submitted, 2, -1, 0, "(2,)"),
        ev(10, EventKind::submitted, 3, -1, 0, "(3,)"),
        ev(10, EventKind::submitted, 4, -1, 0, "(4,)"),
        ev(20, EventKind::started, 1, 0),
        ev(20, EventKind::started, 2, 1),
        ev(25, EventKind::caller_blocked, 1, -1, 0, "result()"),
        ev(100, EventKind::finished, 1, 0),
        ev(100, EventKind::caller_resumed, 1, -1, 0, "result()"),
        ev(110, EventKind::started, 3, 0),
        ev(110, EventKind::gil_requested, 3, 0),
        ev(115, EventKind::gil_acquired, 3, 0),
        ev(120, EventKind::cancelled, 4, -1),
        ev(150, EventKind::failed, 2, 1, 0, "ValueError: boom"),
        ev(150, EventKind::retried, 2, -1, 1, "backoff 0.1 s"),
        ev(200, EventKind::gil_released, 3, 0, 0, "switch"),
        ev(250, EventKind::submitted, 2, -1, 1, "(2,)"),
        ev(260, EventKind::started, 2, 1, 1),
        ev(300, EventKind::finished, 2, 1, 1),
        ev(310, EventKind::finished, 3, 0),
    };
}

// A process pool: worker 0 is spawned, tasks go through the call queue.
std::vector<Event> processPoolRun()
{
    return {
        ev(0, EventKind::worker_spawning, 0, 0, 0, "SpawnProcess-1"),
        ev(5, EventKind::submitted, 7, -1, 0, "(7,)"),
        ev(6, EventKind::dispatched, 7, -1),
        ev(40, EventKind::worker_started, 0, 0, 0, "SpawnProcess-1", 4242),
        ev(45, EventKind::started, 7, 0, 0, {}, 4242),
        ev(90, EventKind::finished, 7, 0, 0, {}, 4242),
    };
}
} // namespace

class TestTimelineData : public QObject {
    Q_OBJECT
private slots:
    void startsWithTheCallerLane()
    {
        TimelineData data;
        QCOMPARE(data.rowCount(), 1);
        QCOMPARE(data.lanes()[0].worker, -1);
        QVERIFY(data.isEmpty());
        QCOMPARE(TimelineData::rowOfWorker(-1), 0);
        QCOMPARE(TimelineData::rowOfWorker(3), 4);
    }

    void lanesAreNamedByWorkerStarted()
    {
        TimelineData data;
        const TimelineChange change = data.appendEvents(threadPoolRun());
        QVERIFY(change.lanesChanged);
        QCOMPARE(change.events, threadPoolRun().size());
        QCOMPARE(change.from, std::int64_t { 0 });
        QCOMPARE(change.to, std::int64_t { 310 });
        QCOMPARE(data.rowCount(), 3);
        QCOMPARE(data.laneTitle(1), std::string("ThreadPoolExecutor-0_0"));
        QCOMPARE(data.laneTitle(2), std::string("ThreadPoolExecutor-0_1"));
        QCOMPARE(data.begin(), std::int64_t { 0 });
        QCOMPARE(data.now(), std::int64_t { 310 });
    }

    void traceLaneNamesWinAndProcessLanesShowPid()
    {
        trace::Trace t;
        t.lanes = { trace::Lane { 0, "SpawnProcess-9", 4242 } };
        t.events = processPoolRun();
        const TimelineData data = TimelineData::fromTrace(t);
        QCOMPARE(data.rowCount(), 2);
        QCOMPARE(data.lanes()[1].name, std::string("SpawnProcess-9"));
        QCOMPARE(data.laneTitle(1), std::string("SpawnProcess-9 (pid 4242)"));
    }

    void taskSpansCarryOutcomeQueueWaitAndError()
    {
        TimelineData data;
        data.appendEvents(threadPoolRun());
        const auto& lane0 = data.lanes()[1].tasks;
        QCOMPARE(lane0.size(), std::size_t { 2 });
        QCOMPARE(lane0[0].start, std::int64_t { 20 });
        QCOMPARE(lane0[0].end, std::int64_t { 100 });
        QCOMPARE(lane0[0].queued, std::int64_t { 10 });
        QCOMPARE(lane0[0].outcome, TimelineOutcome::Finished);
        QCOMPARE(data.tasks()[lane0[0].task].id, std::uint64_t { 1 });
        QCOMPARE(data.text(data.tasks()[lane0[0].task].label), std::string_view("(1,)"));
        QCOMPARE(lane0[1].start, std::int64_t { 110 });
        QCOMPARE(data.tasks()[lane0[1].task].id, std::uint64_t { 3 });
        // running sums of busy time, for folding
        QCOMPARE(lane0.busyOf(0, 2), std::int64_t { 80 + 200 });

        const auto& lane1 = data.lanes()[2].tasks;
        QCOMPARE(lane1.size(), std::size_t { 2 });
        QCOMPARE(lane1[0].outcome, TimelineOutcome::Retried); // failed, and the retry came after
        QCOMPARE(lane1[0].attempt, std::uint16_t { 0 });
        QCOMPARE(data.text(lane1[0].error), std::string_view("ValueError: boom"));
        QCOMPARE(lane1[1].outcome, TimelineOutcome::Finished);
        QCOMPARE(lane1[1].attempt, std::uint16_t { 1 });
        QCOMPARE(lane1[1].queued, std::int64_t { 250 });
        QCOMPARE(data.lanes()[2].notable.size(), std::size_t { 1 });
        QCOMPARE(data.lanes()[2].notable[0].index, std::uint32_t { 0 });
        QCOMPARE(data.lanes()[2].notable[0].outcome, TimelineOutcome::Retried); // follows the span
        QVERIFY(data.lanes()[1].notable.empty());
        QCOMPARE(data.tasks()[*data.taskIndex(2)].attempts, std::uint16_t { 2 });
        QCOMPARE(data.tasks()[*data.taskIndex(2)].outcome, TimelineOutcome::Finished);
    }

    void callerLaneHasBlockedSpansAndNeverRunMarks()
    {
        TimelineData data;
        data.appendEvents(threadPoolRun());
        const TimelineLane& caller = data.lanes()[0];
        const auto& blocked = caller.layer(TimelineSpanKind::CallerBlocked);
        QCOMPARE(blocked.size(), std::size_t { 1 });
        QCOMPARE(blocked[0].start, std::int64_t { 25 });
        QCOMPARE(blocked[0].end, std::int64_t { 100 });
        QCOMPARE(data.text(blocked[0].text), std::string_view("result()"));
        QCOMPARE(caller.marks.size(), std::size_t { 1 });
        QCOMPARE(caller.marks[0].time, std::int64_t { 120 });
        QCOMPARE(caller.marks[0].queued, std::int64_t { 10 });
        QCOMPARE(caller.marks[0].outcome, TimelineOutcome::Cancelled);
        QCOMPARE(data.tasks()[caller.marks[0].task].id, std::uint64_t { 4 });
    }

    void gilSpansOnTheWorkerLane()
    {
        TimelineData data;
        data.appendEvents(threadPoolRun());
        const TimelineLane& lane = data.lanes()[1];
        const auto& wait = lane.layer(TimelineSpanKind::GilWait);
        const auto& held = lane.layer(TimelineSpanKind::GilHeld);
        QCOMPARE(wait.size(), std::size_t { 1 });
        QCOMPARE(wait[0].start, std::int64_t { 110 });
        QCOMPARE(wait[0].end, std::int64_t { 115 });
        QCOMPARE(held.size(), std::size_t { 1 });
        QCOMPARE(held[0].start, std::int64_t { 115 });
        QCOMPARE(held[0].end, std::int64_t { 200 });
        QCOMPARE(data.text(held[0].text), std::string_view("switch"));
        QCOMPARE(data.tasks()[held[0].task].id, std::uint64_t { 3 });
    }

    void retryLinkJoinsTheAttempts()
    {
        TimelineData data;
        data.appendEvents(threadPoolRun());
        QCOMPARE(data.retryLinks().size(), std::size_t { 1 });
        const TimelineRetryLink& link = data.retryLinks()[0];
        QCOMPARE(link.fromTime, std::int64_t { 150 });
        QCOMPARE(link.toTime, std::int64_t { 260 });
        QCOMPARE(link.fromRow, 2);
        QCOMPARE(link.toRow, 2);
        QCOMPARE(link.attempt, std::uint16_t { 1 });
        QCOMPARE(data.text(link.text), std::string_view("backoff 0.1 s"));
        QCOMPARE(data.longestRetryLink(), std::int64_t { 110 });
    }

    void retryAnnouncedBeforeTheFailure_stillMarksItRetried()
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
        QCOMPARE(data.lanes()[1].tasks[0].outcome, TimelineOutcome::Retried);
        QCOMPARE(data.lanes()[0].marks.size(), std::size_t { 1 });
        QCOMPARE(data.lanes()[0].marks[0].attempt, std::uint16_t { 1 });
        QCOMPARE(data.tasks()[0].outcome, TimelineOutcome::Cancelled);
        QVERIFY(data.retryLinks().empty()); // the second attempt never started
    }

    void processPoolHasCallQueueAndSpawnSpans()
    {
        TimelineData data;
        data.appendEvents(processPoolRun());
        const TimelineLane& lane = data.lanes()[1];
        QCOMPARE(lane.pid, 4242);
        const auto& queue = lane.layer(TimelineSpanKind::CallQueue);
        QCOMPARE(queue.size(), std::size_t { 1 });
        QCOMPARE(queue[0].start, std::int64_t { 6 });
        QCOMPARE(queue[0].end, std::int64_t { 45 });
        const auto& spawn = lane.layer(TimelineSpanKind::Spawn);
        QCOMPARE(spawn.size(), std::size_t { 1 });
        QCOMPARE(spawn[0].start, std::int64_t { 0 });
        QCOMPARE(spawn[0].end, std::int64_t { 40 });
        QCOMPARE(lane.tasks[0].queued, std::int64_t { 5 });
    }

    void countersStepWithTheRun()
    {
        TimelineData data;
        data.appendEvents(threadPoolRun());
        const TimelineCounter& running = data.running();
        const TimelineCounter& queued = data.queued();
        QCOMPARE(queued.valueAt(9), 0);
        QCOMPARE(queued.valueAt(10), 4);
        QCOMPARE(queued.valueAt(20), 2);
        QCOMPARE(queued.valueAt(110), 1);
        QCOMPARE(queued.valueAt(120), 0); // task 4 cancelled
        QCOMPARE(queued.valueAt(255), 1); // the retry waits
        QCOMPARE(running.valueAt(20), 2);
        QCOMPARE(running.valueAt(100), 1);
        QCOMPARE(running.valueAt(110), 2);
        QCOMPARE(running.valueAt(150), 1);
        QCOMPARE(running.valueAt(265), 2);
        QCOMPARE(running.valueAt(400), 0);
        QCOMPARE(running.maximum(), 2);
        QCOMPARE(queued.maximum(), 4);
        QCOMPARE(running.maxIn(100, 105), 1);
        QCOMPARE(running.maxIn(100, 110), 2);
    }

    void counterPeaksMatchBruteForce_data()
    {
        QTest::addColumn<int>("points");
        QTest::addColumn<int>("sameTimeEvery");
        QTest::newRow("fewPoints_oneLevel") << 40 << 0;
        QTest::newRow("manyPoints_threeLevels") << 5000 << 0;
        QTest::newRow("manyPoints_withReplacedValues") << 5000 << 3;
    }
    void counterPeaksMatchBruteForce()
    {
        QFETCH(int, points);
        QFETCH(int, sameTimeEvery);
        TimelineCounter counter;
        std::vector<std::int64_t> times;
        std::vector<int> values;
        std::uint32_t seed = 12345;
        auto random = [&seed](int n) {
            seed = seed * 1664525u + 1013904223u;
            return static_cast<int>((seed >> 8) % static_cast<std::uint32_t>(n));
        };
        std::int64_t t = 0;
        for (int i = 0; i < points; ++i) {
            const bool same = sameTimeEvery > 0 && i % sameTimeEvery == 0 && !times.empty();
            if (!same)
                t += 1 + random(5);
            int v = random(1000);
            if (!values.empty() && v == values.back())
                ++v;
            counter.set(t, v);
            // the reference: a replacement overwrites, an equal value adds no step
            if (same) {
                values.back() = v;
            } else {
                times.push_back(t);
                values.push_back(v);
            }
        }
        QCOMPARE(counter.size(), values.size());
        for (int k = 0; k < 300; ++k) {
            std::size_t a = static_cast<std::size_t>(random(static_cast<int>(values.size())));
            std::size_t b = a + static_cast<std::size_t>(random(static_cast<int>(values.size() - a) + 1));
            const int expected = a < b ? *std::max_element(values.begin() + static_cast<std::ptrdiff_t>(a),
                                     values.begin() + static_cast<std::ptrdiff_t>(b))
                                       : 0;
            QCOMPARE(counter.maxOf(a, b), std::max(0, expected));
        }
        QCOMPARE(counter.maximum() >= *std::max_element(values.begin(), values.end()), true);
    }

    void openSpansReachNow()
    {
        TimelineData data;
        data.appendEvents({
            ev(0, EventKind::submitted, 1, -1),
            ev(10, EventKind::started, 1, 0),
            ev(12, EventKind::gil_requested, 1, 0),
        });
        const TimelineLane& lane = data.lanes()[1];
        QVERIFY(lane.openTaskValid);
        QCOMPARE(lane.openTask.start, std::int64_t { 10 });
        QCOMPARE(lane.openTask.outcome, TimelineOutcome::Running);
        QVERIFY(lane.openValid[static_cast<int>(TimelineSpanKind::GilWait)]);
        QCOMPARE(data.now(), std::int64_t { 12 });
        data.setNow(500);
        QCOMPARE(data.now(), std::int64_t { 500 });
        data.setNow(100); // never backwards
        QCOMPARE(data.now(), std::int64_t { 500 });
        const auto ref = data.findAttempt(1, 0);
        QVERIFY(ref);
        QCOMPARE(ref->where, TimelineAttemptRef::Where::Open);
        QCOMPARE(data.taskSpan(*ref), &lane.openTask);
    }

    void findAttemptLocatesEveryAttempt()
    {
        TimelineData data;
        data.appendEvents(threadPoolRun());
        const auto first = data.findAttempt(2, 0);
        QVERIFY(first);
        QCOMPARE(first->where, TimelineAttemptRef::Where::Span);
        QCOMPARE(first->row, 2);
        QCOMPARE(first->index, std::uint32_t { 0 });
        const auto second = data.findAttempt(2, 1);
        QVERIFY(second);
        QCOMPARE(second->index, std::uint32_t { 1 });
        QCOMPARE(data.taskSpan(*second)->attempt, std::uint16_t { 1 });
        const auto cancelled = data.findAttempt(4, 0);
        QVERIFY(cancelled);
        QCOMPARE(cancelled->where, TimelineAttemptRef::Where::Mark);
        QVERIFY(!data.findAttempt(2, 5));
        QVERIFY(!data.findAttempt(99, 0));
    }

    void incrementalAppendsEqualOneShot_data()
    {
        QTest::addColumn<std::vector<Event>>("events");
        QTest::addColumn<int>("batch");
        QTest::newRow("threadPool_oneByOne") << threadPoolRun() << 1;
        QTest::newRow("threadPool_pairs") << threadPoolRun() << 2;
        QTest::newRow("threadPool_sevens") << threadPoolRun() << 7;
        QTest::newRow("processPool_threes") << processPoolRun() << 3;
    }
    void incrementalAppendsEqualOneShot()
    {
        QFETCH(std::vector<Event>, events);
        QFETCH(int, batch);
        TimelineData oneShot;
        oneShot.appendEvents(events);
        TimelineData incremental;
        std::size_t changed = 0;
        for (std::size_t i = 0; i < events.size(); i += static_cast<std::size_t>(batch)) {
            const auto end = std::min(events.size(), i + static_cast<std::size_t>(batch));
            const std::vector<Event> part(
                events.begin() + static_cast<std::ptrdiff_t>(i), events.begin() + static_cast<std::ptrdiff_t>(end));
            const TimelineChange change = incremental.appendEvents(part);
            QCOMPARE(change.events, part.size());
            QCOMPARE(change.to, part.back().time.count());
            changed += change.events;
        }
        QCOMPARE(changed, events.size());
        QVERIFY(incremental == oneShot);
    }

    void damagedEventsAreDropped()
    {
        TimelineData data;
        data.appendEvents({
            ev(0, EventKind::finished, 5, 0), // end without a start
            ev(1, EventKind::started, 6, 0), // start without a submit
            ev(2, EventKind::submitted, 7, -1), ev(3, EventKind::submitted, 7, -1), // twice
            ev(4, EventKind::started, 7, 2'000'000), // absurd worker
            ev(5, EventKind::caller_resumed, 0, -1), // resumed without blocking
        });
        QCOMPARE(data.rowCount(), 1);
        QCOMPARE(data.tasks().size(), std::size_t { 1 });
        QCOMPARE(data.queued().current(), 1);
        QCOMPARE(data.eventCount(), std::size_t { 6 });
    }

    void sparseTaskIdsAreFound()
    {
        TimelineData data;
        const std::uint64_t big = 1ULL << 60;
        data.appendEvents({ ev(0, EventKind::submitted, big, -1), ev(1, EventKind::submitted, 3, -1) });
        QCOMPARE(data.taskIndex(big).value_or(99), std::uint32_t { 0 });
        QCOMPARE(data.taskIndex(3).value_or(99), std::uint32_t { 1 });
        QVERIFY(!data.taskIndex(4));
    }

    void everyOutcomeHasItsOwnColour()
    {
        QSet<QRgb> colours;
        for (auto outcome : { TimelineOutcome::Running, TimelineOutcome::Finished, TimelineOutcome::Failed,
                 TimelineOutcome::Cancelled, TimelineOutcome::Retried })
            colours.insert(TimelineStyle::outcomeColor(outcome).rgb());
        for (int k = 0; k < timelineSpanKindCount; ++k)
            colours.insert(TimelineStyle::spanColor(static_cast<TimelineSpanKind>(k)).rgb());
        QCOMPARE(colours.size(), 5 + timelineSpanKindCount);
        QCOMPARE(static_cast<int>(TimelineStyle::legendEntries().size()), 15);
    }
};

QTEST_GUILESS_MAIN(TestTimelineData)
#include "tst_timelinedata.moc"
