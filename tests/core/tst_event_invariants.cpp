#include "test_support.h"

#include <atomic>
#include <map>
#include <random>
#include <set>
#include <unordered_map>

using namespace poolscope;
using namespace poolscope::testing;

namespace {

struct Counts {
    int finished = 0;
    int failed = 0;
    int cancelled = 0;
};

Counts terminal_counts(const std::vector<Event>& events)
{
    Counts c;
    for (const auto& e : events) {
        c.finished += e.kind == EventKind::finished;
        c.failed += e.kind == EventKind::failed;
        c.cancelled += e.kind == EventKind::cancelled;
    }
    return c;
}

Counts future_counts(const std::vector<Future<int>>& futures)
{
    Counts c;
    for (const auto& f : futures) {
        if (f.cancelled())
            ++c.cancelled;
        else if (f.exception(0s))
            ++c.failed;
        else
            ++c.finished;
    }
    return c;
}

// Runs `tasks` tasks on `workers` workers; a seeded share of them throw, and a seeded share of
// their futures are cancelled right after submission (which only succeeds while still queued).
// Returns the futures after the executor has shut down, with every event in `log`.
std::vector<Future<int>> run_mixed_workload(
    EventLog& log, int workers, int tasks, unsigned seed, bool cancel_on_shutdown)
{
    std::mt19937 rng(seed);
    std::bernoulli_distribution fails(0.1);
    std::bernoulli_distribution cancels(0.2);
    std::uniform_int_distribution<int> spin(0, 200);
    std::vector<Future<int>> futures;
    futures.reserve(tasks);
    ThreadPoolExecutor executor({ .max_workers = workers, .events = &log });
    for (int i = 0; i < tasks; ++i) {
        const bool fail = fails(rng);
        const int work = spin(rng);
        futures.push_back(executor.submit(
            [fail, work](int n) {
                volatile int sink = 0;
                for (int k = 0; k < work; ++k)
                    sink = sink + k;
                if (fail)
                    throw std::runtime_error("task " + std::to_string(n) + " failed");
                return n;
            },
            i));
        if (cancels(rng))
            futures.back().cancel();
    }
    executor.shutdown(true, cancel_on_shutdown);
    return futures;
}

} // namespace

TEST(EventInvariants, CheckerAcceptsAValidStreamAndNamesEachBrokenRule)
{
    using K = EventKind;
    auto ev = [](std::uint64_t id, K k, int w, long t) {
        return Event { id, k, w, std::chrono::nanoseconds(t), 0, {} };
    };
    const std::vector<Event> good { ev(1, K::submitted, -1, 1), ev(2, K::submitted, -1, 2), ev(1, K::started, 0, 3),
        ev(2, K::cancelled, -1, 4), ev(1, K::finished, 0, 5) };
    EXPECT_TRUE(find_invariant_violations(good, 1).empty());

    auto has = [](const std::vector<std::string>& problems, std::string_view text) {
        return std::any_of(problems.begin(), problems.end(), [&](const auto& p) { return p.find(text) != p.npos; });
    };
    EXPECT_TRUE(has(find_invariant_violations({ ev(1, K::submitted, -1, 1) }, 1), "no terminal event"));
    EXPECT_TRUE(has(
        find_invariant_violations({ ev(1, K::started, 0, 1), ev(1, K::submitted, -1, 2), ev(1, K::finished, 0, 3) }, 1),
        "started before it was submitted"));
    EXPECT_TRUE(has(find_invariant_violations(
                        { ev(1, K::submitted, -1, 1), ev(1, K::finished, 0, 2), ev(1, K::cancelled, -1, 3) }, 1),
        "after its end"));
    EXPECT_TRUE(
        has(find_invariant_violations({ ev(1, K::submitted, -1, 1), ev(2, K::submitted, -1, 1), ev(1, K::started, 0, 2),
                                          ev(2, K::started, 0, 3), ev(1, K::finished, 0, 4), ev(2, K::finished, 0, 5) },
                2),
            "while running"));
    EXPECT_TRUE(
        has(find_invariant_violations({ ev(1, K::submitted, -1, 1), ev(2, K::submitted, -1, 1), ev(1, K::started, 0, 2),
                                          ev(2, K::started, 1, 3), ev(1, K::finished, 0, 4), ev(2, K::finished, 1, 5) },
                1),
            "more than max_workers"));
    EXPECT_TRUE(
        has(find_invariant_violations({ ev(1, K::submitted, -1, 5), ev(1, K::cancelled, -1, 4) }, 1), "backwards"));
}

TEST(EventInvariants, CallbacksLateCancelsAndOutputMayFollowATasksEnd)
{
    using K = EventKind;
    auto ev = [](std::uint64_t id, K k, int w, long t) {
        return Event { id, k, w, std::chrono::nanoseconds(t), 0, {} };
    };
    const std::vector<Event> events { ev(1, K::submitted, -1, 1), ev(1, K::started, 0, 2), ev(1, K::finished, 0, 3),
        ev(1, K::callback_started, 0, 4), ev(0, K::output, 0, 5), ev(1, K::callback_finished, 0, 6),
        ev(1, K::cancel_failed, -1, 7), ev(0, K::error_output, -1, 8) };
    EXPECT_EQ(find_invariant_violations(events, 1), std::vector<std::string> {});
    // Other events about a task still belong inside its run.
    std::vector<Event> late = events;
    late.push_back(ev(1, K::dispatched, -1, 9));
    EXPECT_FALSE(find_invariant_violations(late, 1).empty());
}

TEST(EventInvariants, EveryTaskOfAPlainRunHasOneSubmitStartAndFinish)
{
    EventLog log;
    std::vector<Future<int>> futures;
    {
        ThreadPoolExecutor executor({ .max_workers = 3, .events = &log });
        for (int i = 0; i < 200; ++i)
            futures.push_back(executor.submit([](int n) { return n * 2; }, i));
        for (int i = 0; i < 200; ++i)
            EXPECT_EQ(futures[i].result(generous), i * 2);
    }
    const auto events = log.events();
    EXPECT_EQ(find_invariant_violations(events, 3), std::vector<std::string> {});
    std::map<EventKind, int> per_kind;
    std::set<int> lanes;
    for (const auto& e : events) {
        ++per_kind[e.kind];
        if (e.kind == EventKind::started)
            lanes.insert(e.worker);
    }
    EXPECT_EQ(per_kind[EventKind::submitted], 200);
    EXPECT_EQ(per_kind[EventKind::started], 200);
    EXPECT_EQ(per_kind[EventKind::finished], 200);
    EXPECT_EQ(per_kind[EventKind::worker_started], per_kind[EventKind::worker_stopped]);
    EXPECT_LE(per_kind[EventKind::worker_started], 3);
    for (int lane : lanes) {
        EXPECT_GE(lane, 0);
        EXPECT_LT(lane, 3);
    }
}

TEST(EventInvariants, TimesNeverGoBackwardsPerTaskInRecordingOrder)
{
    // The observer sees events in the order they were recorded, before any sorting by time.
    EventLog log;
    std::unordered_map<std::uint64_t, std::chrono::nanoseconds> last_time;
    std::unordered_map<std::uint64_t, std::vector<EventKind>> sequence;
    std::set<std::uint64_t> refused;
    int backwards = 0;
    log.set_observer([&](const Event& e) {
        if (e.task_id == 0)
            return;
        auto [it, fresh] = last_time.try_emplace(e.task_id, e.time);
        if (!fresh) {
            backwards += e.time < it->second;
            it->second = e.time;
        }
        // A refused cancel() is the caller's act, not a step of the task's life: it may land
        // anywhere after the submit, so it is counted apart.
        if (e.kind == EventKind::cancel_failed)
            refused.insert(e.task_id);
        else if (e.kind != EventKind::caller_blocked && e.kind != EventKind::caller_resumed)
            sequence[e.task_id].push_back(e.kind);
    });
    const auto futures = run_mixed_workload(log, 2, 2000, 7, false);
    log.set_observer({});
    EXPECT_EQ(backwards, 0);
    for (const auto& [id, kinds] : sequence) {
        ASSERT_FALSE(kinds.empty());
        EXPECT_EQ(kinds.front(), EventKind::submitted) << "task " << id;
        if (kinds.back() == EventKind::cancelled) {
            EXPECT_EQ(kinds.size(), 2u) << "a cancelled task never starts; task " << id;
        } else {
            ASSERT_EQ(kinds.size(), 3u) << "task " << id;
            EXPECT_EQ(kinds[1], EventKind::started);
            EXPECT_TRUE(is_terminal(kinds[2]));
        }
    }
    EXPECT_EQ(sequence.size(), futures.size());
    for (const auto id : refused) {
        ASSERT_TRUE(sequence.count(id)) << "a refused cancel of an unknown task " << id;
        EXPECT_NE(sequence[id].back(), EventKind::cancelled) << "cancel() refused, yet task " << id << " was cancelled";
    }
}

class EventInvariantsStress : public ::testing::TestWithParam<std::tuple<int, unsigned, bool>> { };

TEST_P(EventInvariantsStress, TenThousandTasksWithRandomCancelsAndFailures)
{
    const auto [workers, seed, cancel_on_shutdown] = GetParam();
    EventLog log;
    const auto futures = run_mixed_workload(log, workers, 10000, seed, cancel_on_shutdown);
    const auto events = log.events();

    EXPECT_EQ(find_invariant_violations(events, workers), std::vector<std::string> {});

    // The log and the futures tell the same story, task by task.
    const Counts from_events = terminal_counts(events);
    const Counts from_futures = future_counts(futures);
    EXPECT_EQ(from_events.finished, from_futures.finished);
    EXPECT_EQ(from_events.failed, from_futures.failed);
    EXPECT_EQ(from_events.cancelled, from_futures.cancelled);
    EXPECT_EQ(from_events.finished + from_events.failed + from_events.cancelled, 10000);
    EXPECT_GT(from_futures.cancelled, 0);
    if (!cancel_on_shutdown) {
        // Everything not cancelled right after submission ran: some tasks must have thrown.
        EXPECT_GT(from_futures.failed, 0);
        EXPECT_GT(from_futures.finished, 0);
    }
    for (const auto& f : futures)
        EXPECT_TRUE(f.done());
}

INSTANTIATE_TEST_SUITE_P(Seeds, EventInvariantsStress,
    ::testing::Values(std::make_tuple(2, 1u, false), std::make_tuple(4, 2u, false), std::make_tuple(1, 3u, true),
        std::make_tuple(8, 4u, true)),
    [](const auto& row) {
        return "workers" + std::to_string(std::get<0>(row.param)) + "_seed" + std::to_string(std::get<1>(row.param))
            + (std::get<2>(row.param) ? "_cancelOnShutdown" : "_drain");
    });

namespace {

// One retry scenario: an event stream and the violation it must produce (empty: none).
struct RetryRow {
    std::string name;
    std::vector<Event> events;
    std::string expected;
};

// Lets a failing row print its name rather than raw bytes.
void PrintTo(const RetryRow& row, std::ostream* os)
{
    *os << row.name;
}

Event at(EventKind kind, long time, int attempt, int worker = -1)
{
    return Event { 1, kind, worker, std::chrono::nanoseconds(time), attempt, {} };
}

std::vector<RetryRow> retry_rows()
{
    using K = EventKind;
    // submitted, started, failed: one failed attempt on worker 0, from `time` on.
    const auto failed_attempt = [](int attempt, long time) {
        return std::vector<Event> { at(K::submitted, time, attempt), at(K::started, time + 1, attempt, 0),
            at(K::failed, time + 2, attempt, 0) };
    };
    const auto join = [](std::initializer_list<std::vector<Event>> parts) {
        std::vector<Event> all;
        for (const auto& part : parts)
            all.insert(all.end(), part.begin(), part.end());
        return all;
    };
    return {
        { "validChain_failFailFinish",
            join({ failed_attempt(0, 10), { at(K::retried, 13, 1) }, failed_attempt(1, 20), { at(K::retried, 23, 2) },
                { at(K::submitted, 40, 2), at(K::started, 41, 2, 0), at(K::finished, 42, 2, 0) } }),
            "" },
        { "validChain_retriedSortsBeforeFailureInTheSameNanosecond",
            { at(K::submitted, 10, 0), at(K::started, 11, 0, 0), at(K::retried, 12, 1), at(K::failed, 12, 0, 0),
                at(K::submitted, 20, 1), at(K::started, 21, 1, 0), at(K::finished, 22, 1, 0) },
            "" },
        { "validChain_cancelledDuringBackoff", join({ failed_attempt(0, 10), { at(K::retried, 13, 1) } }), "" },
        { "validChain_queuedRetryCancelled",
            join(
                { failed_attempt(0, 10), { at(K::retried, 13, 1), at(K::submitted, 20, 1), at(K::cancelled, 21, 1) } }),
            "" },
        { "invalid_attemptSubmittedTwice",
            join({ failed_attempt(0, 10),
                { at(K::retried, 13, 1), at(K::submitted, 20, 1), at(K::submitted, 21, 1), at(K::started, 22, 1, 0),
                    at(K::finished, 23, 1, 0) } }),
            "task 1 attempt 1 was submitted twice" },
        { "invalid_attemptSubmittedWithoutRetriedEvent",
            join({ failed_attempt(0, 10), { at(K::submitted, 20, 1), at(K::cancelled, 21, 1) } }),
            "task 1 attempt 1 was submitted without a retried event" },
        { "invalid_attemptSubmittedBeforeThePreviousEnded",
            { at(K::submitted, 10, 0), at(K::started, 11, 0, 0), at(K::retried, 12, 1), at(K::submitted, 13, 1),
                at(K::failed, 14, 0, 0), at(K::cancelled, 15, 1) },
            "task 1 attempt 1 was submitted before attempt 0 ended" },
        { "invalid_retriedAttemptWithoutTerminalEvent",
            join({ failed_attempt(0, 10), { at(K::retried, 13, 1), at(K::submitted, 20, 1) } }),
            "task 1 attempt 1 has no terminal event" },
        { "invalid_lastAttemptEndsTwice",
            join({ failed_attempt(0, 10), { at(K::retried, 13, 1) }, failed_attempt(1, 20),
                { at(K::cancelled, 30, 1) } }),
            "task 1 attempt 1 has cancelled after its end" },
        { "invalid_retriedTwice",
            join({ failed_attempt(0, 10),
                { at(K::retried, 13, 1), at(K::retried, 14, 1), at(K::submitted, 20, 1), at(K::cancelled, 21, 1) } }),
            "task 1 attempt 1 was retried twice" },
        { "invalid_retriedBeforeSubmitted", { at(K::retried, 1, 1) },
            "task 1 attempt 1 was retried before attempt 0 was submitted" },
        { "invalid_retriedAfterSuccess",
            { at(K::submitted, 10, 0), at(K::started, 11, 0, 0), at(K::finished, 12, 0, 0), at(K::retried, 13, 1) },
            "task 1 attempt 1 was retried although attempt 0 did not fail (it finished)" },
    };
}

} // namespace

class EventInvariantsRetry : public ::testing::TestWithParam<RetryRow> { };

TEST_P(EventInvariantsRetry, ARetriedEventReopensTheTaskForOneMoreAttempt)
{
    const RetryRow& row = GetParam();
    const auto problems = find_invariant_violations(row.events, 1);
    if (row.expected.empty()) {
        EXPECT_EQ(problems, std::vector<std::string> {});
    } else {
        EXPECT_TRUE(std::find(problems.begin(), problems.end(), row.expected) != problems.end())
            << "expected \"" << row.expected << "\" among:\n"
            << ::testing::PrintToString(problems);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Rows, EventInvariantsRetry, ::testing::ValuesIn(retry_rows()), [](const auto& row) { return row.param.name; });
