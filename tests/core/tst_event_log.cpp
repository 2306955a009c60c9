#include "test_support.h"

#include <atomic>
#include <set>
#include <thread>

using namespace poolscope;
using namespace poolscope::testing;

TEST(EventLog, RecordsFieldsAndOrdersByTime)
{
    EventLog log;
    log.record(EventKind::submitted, 7, -1, 0, "(1, 2)");
    log.record(EventKind::started, 7, 3, 1);
    const auto events = log.events();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].kind, EventKind::submitted);
    EXPECT_EQ(events[0].task_id, 7u);
    EXPECT_EQ(events[0].worker, -1);
    EXPECT_EQ(events[0].label, "(1, 2)");
    EXPECT_EQ(events[1].kind, EventKind::started);
    EXPECT_EQ(events[1].worker, 3);
    EXPECT_EQ(events[1].attempt, 1);
    EXPECT_LE(events[0].time, events[1].time);
    EXPECT_GE(events[0].time.count(), 0);
}

TEST(EventLog, TaskIdsAreUniqueAcrossThreads)
{
    EventLog log;
    constexpr int per_thread = 10000;
    std::vector<std::uint64_t> ids[2];
    std::thread a([&] {
        for (int i = 0; i < per_thread; ++i)
            ids[0].push_back(log.next_task_id());
    });
    std::thread b([&] {
        for (int i = 0; i < per_thread; ++i)
            ids[1].push_back(log.next_task_id());
    });
    a.join();
    b.join();
    std::set<std::uint64_t> all(ids[0].begin(), ids[0].end());
    all.insert(ids[1].begin(), ids[1].end());
    EXPECT_EQ(all.size(), 2u * per_thread);
    EXPECT_EQ(all.count(0), 0u) << "0 means 'no task' and is never handed out";
}

TEST(EventLog, ConcurrentRecordersLoseNothingAndMergeInTimeOrder)
{
    EventLog log;
    constexpr int threads = 4;
    constexpr int per_thread = 5000;
    std::latch start(threads);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            start.arrive_and_wait();
            for (int i = 0; i < per_thread; ++i)
                log.record(EventKind::started, static_cast<std::uint64_t>(t * per_thread + i + 1), t);
        });
    }
    for (auto& th : pool)
        th.join();
    const auto events = log.events();
    ASSERT_EQ(events.size(), static_cast<std::size_t>(threads * per_thread));
    EXPECT_EQ(log.size(), events.size());
    EXPECT_TRUE(
        std::is_sorted(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.time < b.time; }));
    // Within one thread, record order survives the merge.
    std::vector<std::uint64_t> last(threads, 0);
    for (const auto& e : events) {
        EXPECT_GT(e.task_id, last[e.worker]);
        last[e.worker] = e.task_id;
    }
}

TEST(EventLog, ObserverSeesEveryEventOnTheRecordingThread)
{
    EventLog log;
    std::vector<std::pair<EventKind, std::thread::id>> seen; // serialised by the log: no lock needed
    log.set_observer([&](const Event& e) { seen.emplace_back(e.kind, std::this_thread::get_id()); });
    std::thread other([&] { log.record(EventKind::started, 1, 0); });
    other.join();
    log.record(EventKind::finished, 1, 0);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].first, EventKind::started);
    EXPECT_NE(seen[0].second, std::this_thread::get_id());
    EXPECT_EQ(seen[1].second, std::this_thread::get_id());

    log.set_observer({});
    log.record(EventKind::submitted, 2, -1);
    EXPECT_EQ(seen.size(), 2u) << "a removed observer is not called";
    EXPECT_EQ(log.size(), 3u);
}

TEST(EventLog, ClearDropsEventsButKeepsIdsUnique)
{
    EventLog log;
    const auto first = log.next_task_id();
    log.record(EventKind::submitted, first, -1);
    log.clear();
    EXPECT_EQ(log.size(), 0u);
    EXPECT_TRUE(log.events().empty());
    EXPECT_GT(log.next_task_id(), first);
    log.record(EventKind::submitted, 9, -1);
    EXPECT_EQ(log.size(), 1u);
}

TEST(EventLog, TwoLogsOnOneThreadStaySeparate)
{
    // The thread-local buffer cache must not send one log's events into another.
    EventLog a;
    EventLog b;
    for (int i = 0; i < 10; ++i) {
        a.record(EventKind::submitted, 1, -1);
        b.record(EventKind::started, 2, 0);
    }
    const auto ea = a.events();
    const auto eb = b.events();
    ASSERT_EQ(ea.size(), 10u);
    ASSERT_EQ(eb.size(), 10u);
    for (const auto& e : ea)
        EXPECT_EQ(e.kind, EventKind::submitted);
    for (const auto& e : eb)
        EXPECT_EQ(e.kind, EventKind::started);
}

TEST(EventLog, ExecutorRecordsWorkerAndCallerEvents)
{
    EventLog log;
    {
        ThreadPoolExecutor executor({ .max_workers = 1, .thread_name_prefix = "lane", .events = &log });
        Gate gate;
        // Open the gate only once the caller has blocked, so the caller lane is sure to show it.
        log.set_observer([&gate](const Event& e) {
            if (e.kind == EventKind::caller_blocked)
                gate.open();
        });
        auto f = executor.submit(
            [&gate](int n) {
                gate.pass();
                return n;
            },
            5);
        EXPECT_EQ(f.result(generous), 5);
        log.set_observer({});
    }
    const auto events = log.events();
    auto find = [&](EventKind kind) {
        return std::find_if(events.begin(), events.end(), [kind](const Event& e) { return e.kind == kind; });
    };
    ASSERT_NE(find(EventKind::worker_started), events.end());
    EXPECT_EQ(find(EventKind::worker_started)->label, "lane_0");
    EXPECT_EQ(find(EventKind::worker_started)->worker, 0);
    ASSERT_NE(find(EventKind::submitted), events.end());
    EXPECT_EQ(find(EventKind::submitted)->label, "(5)");
    ASSERT_NE(find(EventKind::caller_blocked), events.end());
    EXPECT_EQ(find(EventKind::caller_blocked)->label, "result");
    EXPECT_EQ(find(EventKind::caller_blocked)->worker, -1);
    EXPECT_LT(find(EventKind::caller_blocked), find(EventKind::finished));
    EXPECT_LT(find(EventKind::finished), find(EventKind::caller_resumed));
    EXPECT_NE(find(EventKind::worker_stopped), events.end());
    EXPECT_TRUE(find_invariant_violations(events, 1).empty());
}

TEST(EventLog, FailedEventCarriesTheErrorMessage)
{
    EventLog log;
    {
        ThreadPoolExecutor executor({ .max_workers = 1, .events = &log });
        auto f = executor.submit([] { throw std::invalid_argument("Bad value: 3"); });
        EXPECT_THROW(f.result(generous), std::invalid_argument);
    }
    const auto events = log.events();
    auto failed
        = std::find_if(events.begin(), events.end(), [](const Event& e) { return e.kind == EventKind::failed; });
    ASSERT_NE(failed, events.end());
    EXPECT_EQ(failed->label, "Bad value: 3");
    EXPECT_EQ(failed->worker, 0);
}

TEST(EventLog, KindNamesAreDistinct)
{
    std::set<std::string_view> names;
    for (int k = 0; k < event_kind_count; ++k)
        names.insert(to_string(static_cast<EventKind>(k)));
    EXPECT_EQ(names.size(), static_cast<std::size_t>(event_kind_count));
    EXPECT_EQ(names.count("unknown"), 0u);
    EXPECT_EQ(to_string(EventKind::worker_started), "worker_started");
    // The count ends where the names do.
    EXPECT_EQ(to_string(static_cast<EventKind>(event_kind_count - 1)), "error_output");
    EXPECT_EQ(to_string(static_cast<EventKind>(event_kind_count)), "unknown");
}
