// InterpreterLock and py::, the emulation of CPython's global interpreter lock. Nothing here times
// anything: switches are proven by tasks seeing each other's progress, releases by a task that can
// only finish while another has let the lock go, and the rest by the recorded events.

#include "test_support.h"

#include <poolscope/event_invariants.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <future>
#include <iterator>
#include <latch>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace poolscope;
using namespace poolscope::testing;

namespace {

bool is_gil_event(EventKind kind)
{
    return kind == EventKind::gil_requested || kind == EventKind::gil_acquired || kind == EventKind::gil_released;
}

std::vector<Event> gil_events(const EventLog& log)
{
    std::vector<Event> out;
    for (const Event& e : log.events()) {
        if (is_gil_event(e.kind))
            out.push_back(e);
    }
    return out;
}

std::vector<Event> of_task(const std::vector<Event>& events, std::uint64_t task_id)
{
    std::vector<Event> out;
    std::copy_if(
        events.begin(), events.end(), std::back_inserter(out), [&](const Event& e) { return e.task_id == task_id; });
    return out;
}

// The kinds in order, for readable failures: "requested acquired released(done)".
std::string spell(const std::vector<Event>& events)
{
    std::string out;
    for (const Event& e : events) {
        if (!out.empty())
            out += ' ';
        out += std::string(to_string(e.kind)).substr(4); // drop "gil_"
        if (e.kind == EventKind::gil_released)
            out += "(" + e.label + ")";
    }
    return out;
}

// Empty if `events` reads requested → acquired → (released → requested → acquired)* → released,
// with one task id per hold period; otherwise what is wrong.
std::string hold_grammar_problem(const std::vector<Event>& events)
{
    static constexpr EventKind cycle[] = { EventKind::gil_requested, EventKind::gil_acquired, EventKind::gil_released };
    if (events.empty())
        return "no events";
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (events[i].kind != cycle[i % 3])
            return "event " + std::to_string(i) + " out of order in: " + spell(events);
        if (i % 3 != 0 && events[i].task_id != events[i - 1].task_id)
            return "task changes within a hold period in: " + spell(events);
    }
    if (events.back().kind != EventKind::gil_released)
        return "ends holding the lock: " + spell(events);
    return {};
}

// Checks the grammar for every task and for every lane of one log.
void expect_well_formed(const std::vector<Event>& events)
{
    std::map<std::uint64_t, std::vector<Event>> by_task;
    std::map<int, std::vector<Event>> by_lane;
    for (const Event& e : events) {
        by_task[e.task_id].push_back(e);
        by_lane[e.worker].push_back(e);
    }
    for (const auto& [task, seq] : by_task)
        EXPECT_EQ(hold_grammar_problem(seq), "") << "task " << task;
    for (const auto& [lane, seq] : by_lane)
        EXPECT_EQ(hold_grammar_problem(seq), "") << "lane " << lane;
}

struct HoldPeriod {
    Clock::time_point acquired;
    Clock::time_point released;
    int worker;
    std::uint64_t task_id;
};

// The acquired → released periods of a log, as steady-clock instants so that logs can be merged.
std::vector<HoldPeriod> hold_periods(const EventLog& log)
{
    std::map<int, Clock::time_point> open;
    std::vector<HoldPeriod> out;
    for (const Event& e : gil_events(log)) {
        const Clock::time_point at = log.origin() + std::chrono::duration_cast<Clock::duration>(e.time);
        if (e.kind == EventKind::gil_acquired)
            open[e.worker] = at;
        if (e.kind == EventKind::gil_released && open.count(e.worker)) {
            out.push_back({ open[e.worker], at, e.worker, e.task_id });
            open.erase(e.worker);
        }
    }
    return out;
}

// Never two holders at once in event time: each period starts after the previous one ended.
void expect_no_overlap(std::vector<HoldPeriod> periods)
{
    std::sort(periods.begin(), periods.end(), [](const auto& a, const auto& b) { return a.acquired < b.acquired; });
    for (std::size_t i = 1; i < periods.size(); ++i) {
        EXPECT_GT(periods[i].acquired, periods[i - 1].released)
            << "task " << periods[i].task_id << " (lane " << periods[i].worker << ") took the lock before task "
            << periods[i - 1].task_id << " (lane " << periods[i - 1].worker << ") let it go";
    }
}

long count_released(const std::vector<Event>& events, std::string_view label)
{
    return std::count_if(events.begin(), events.end(),
        [&](const Event& e) { return e.kind == EventKind::gil_released && e.label == label; });
}

long count_kind(const std::vector<Event>& events, EventKind kind)
{
    return std::count_if(events.begin(), events.end(), [&](const Event& e) { return e.kind == kind; });
}

// The task id of every submitted event.
std::set<std::uint64_t> submitted_ids(const EventLog& log)
{
    std::set<std::uint64_t> ids;
    for (const Event& e : log.events()) {
        if (e.kind == EventKind::submitted)
            ids.insert(e.task_id);
    }
    return ids;
}

// How many threads are inside task code at once, at most: enter() and leave() go around each
// stretch of work between two checkpoints.
class Occupancy {
public:
    void enter()
    {
        const int now = inside_.fetch_add(1) + 1;
        int seen = most_.load();
        while (now > seen && !most_.compare_exchange_weak(seen, now)) { }
    }
    void leave() { inside_.fetch_sub(1); }
    int most() const { return most_.load(); }

private:
    std::atomic<int> inside_ { 0 };
    std::atomic<int> most_ { 0 };
};

// Work the optimiser cannot drop: a few rounds of a linear congruential generator.
std::uint64_t churn(std::uint64_t x, int rounds)
{
    for (int i = 0; i < rounds; ++i)
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return x;
}

// A CPU-bound task body: `chunks` stretches of work, a checkpoint after each.
std::uint64_t crunch(Occupancy& occupancy, int chunks)
{
    std::uint64_t x = 1;
    for (int i = 0; i < chunks; ++i) {
        occupancy.enter();
        x = churn(x, 200);
        occupancy.leave();
        py::tick();
    }
    return x;
}

constexpr Duration one_ms = std::chrono::milliseconds(1);
// A switch interval no test outlasts: with it a waiter never asks, so the lock changes hands only
// where the holder gives it up by itself.
constexpr Duration never_ask = std::chrono::hours(1);

} // namespace

TEST(InterpreterLock, TasksRunOneAtATime)
{
    EventLog log;
    InterpreterLock lock({ .switch_interval = Duration(0.0001) });
    Occupancy occupancy;
    std::vector<Future<std::uint64_t>> futures;
    {
        ThreadPoolExecutor executor({ .max_workers = 4, .events = &log, .interpreter_lock = &lock });
        for (int i = 0; i < 8; ++i)
            futures.push_back(executor.submit([&] { return crunch(occupancy, 3000); }));
        for (const auto& f : futures)
            EXPECT_NE(f.result(generous), 0u);
    }
    EXPECT_EQ(occupancy.most(), 1);

    const auto events = gil_events(log);
    expect_well_formed(events);
    expect_no_overlap(hold_periods(log));
    EXPECT_GE(count_kind(events, EventKind::gil_acquired), 8);
    EXPECT_EQ(find_invariant_violations(log.events(), 4), std::vector<std::string> {});
}

TEST(InterpreterLock, SwitchIntervalHandsTheLockBackAndForth)
{
    // Each task counts how often it found that the other had moved on since it last looked. Under
    // the lock that only happens when the lock changed hands in between, so once both have seen it
    // `turns` times, each had the lock at least `turns` times: a handoff, without a clock.
    constexpr int turns = 5;
    EventLog log;
    InterpreterLock lock({ .switch_interval = one_ms });
    Occupancy occupancy;
    std::atomic<std::uint64_t> progress[2] {};
    std::atomic<int> seen_moving[2] {};
    std::atomic<bool> stop { false };
    const auto task = [&](int me) {
        const int other = 1 - me;
        std::uint64_t last_seen = 0;
        while (!stop.load()) {
            occupancy.enter();
            progress[me].fetch_add(1);
            const std::uint64_t now = progress[other].load();
            if (now != last_seen) {
                last_seen = now;
                seen_moving[me].fetch_add(1);
            }
            if (seen_moving[me].load() >= turns && seen_moving[other].load() >= turns)
                stop.store(true);
            occupancy.leave();
            py::tick();
        }
        return seen_moving[me].load();
    };

    std::vector<Future<int>> futures;
    {
        ThreadPoolExecutor executor({ .max_workers = 2, .events = &log, .interpreter_lock = &lock });
        futures.push_back(executor.submit(task, 0));
        futures.push_back(executor.submit(task, 1));
        const auto outcome = wait(futures, generous);
        // A lock that never switches would keep both tasks looping: end them, then fail.
        stop.store(true);
        EXPECT_TRUE(outcome.not_done.empty()) << "the tasks never saw each other's progress " << turns << " times";
    }
    for (const auto& f : futures)
        EXPECT_GE(f.result(generous), turns);
    EXPECT_EQ(occupancy.most(), 1);

    const auto events = gil_events(log);
    expect_well_formed(events);
    expect_no_overlap(hold_periods(log));
    for (int lane = 0; lane < 2; ++lane) {
        std::vector<Event> mine;
        std::copy_if(
            events.begin(), events.end(), std::back_inserter(mine), [&](const Event& e) { return e.worker == lane; });
        EXPECT_GE(count_released(mine, "switch"), 1) << "lane " << lane << ": " << spell(mine);
    }
    // Each sighting happened in a hold period of its own: within one, the other cannot move.
    for (const std::uint64_t id : submitted_ids(log))
        EXPECT_GE(count_kind(of_task(events, id), EventKind::gil_acquired), turns) << "task " << id;
}

TEST(InterpreterLock, WithoutALockTasksOverlapAndTickDoesNothing)
{
    EventLog log;
    Occupancy occupancy;
    std::latch both_inside { 2 };
    std::vector<Future<bool>> futures;
    {
        ThreadPoolExecutor executor({ .max_workers = 2, .events = &log });
        for (int i = 0; i < 2; ++i) {
            futures.push_back(executor.submit([&] {
                py::tick();
                occupancy.enter();
                // Both tasks in task code at once, or this never returns.
                both_inside.arrive_and_wait();
                occupancy.leave();
                py::tick();
                {
                    py::ReleaseGil io;
                }
                py::sleep(Duration(0));
                return py::holds_gil();
            }));
        }
        for (const auto& f : futures)
            EXPECT_FALSE(f.result(generous));
    }
    EXPECT_EQ(occupancy.most(), 2);
    EXPECT_TRUE(gil_events(log).empty()) << spell(gil_events(log));
}

TEST(InterpreterLock, SleepLetsAnotherTaskRun)
{
    // A holds the lock and sleeps in a loop until B has run; with a switch interval that never
    // elapses, the only way for B to get the lock is A's sleep letting it go.
    constexpr int most_sleeps = 60000; // a minute of 1 ms sleeps at the very least
    EventLog log;
    InterpreterLock lock({ .switch_interval = never_ask });
    std::latch a_holds { 1 };
    std::atomic<bool> b_ran { false };
    ThreadPoolExecutor executor({ .max_workers = 2, .events = &log, .interpreter_lock = &lock });
    auto a = executor.submit([&] {
        a_holds.count_down();
        int sleeps = 0;
        while (!b_ran.load() && sleeps < most_sleeps) {
            py::sleep(one_ms);
            ++sleeps;
            if (!py::holds_gil())
                return false;
        }
        return b_ran.load();
    });
    a_holds.wait();
    auto b = executor.submit([&] {
        b_ran.store(true);
        return py::holds_gil();
    });
    EXPECT_TRUE(b.result(generous));
    EXPECT_TRUE(a.result(generous)) << "B never ran while A slept";
    executor.shutdown();

    const auto events = gil_events(log);
    expect_well_formed(events);
    expect_no_overlap(hold_periods(log));
    const auto a_events = of_task(events, a.task_id());
    const auto b_events = of_task(events, b.task_id());
    EXPECT_GE(count_released(a_events, "sleep"), 1) << spell(a_events);
    EXPECT_EQ(count_released(a_events, "switch"), 0) << spell(a_events);
    EXPECT_EQ(spell(b_events), "requested acquired released(done)");
    // B's turn sits between one of A's sleep releases and A's next acquisition.
    const auto b_acquired = std::find_if(
        b_events.begin(), b_events.end(), [](const Event& e) { return e.kind == EventKind::gil_acquired; });
    ASSERT_NE(b_acquired, b_events.end());
    const Event* before = nullptr;
    for (const Event& e : a_events) {
        if (e.kind == EventKind::gil_released && e.time < b_acquired->time)
            before = &e;
    }
    ASSERT_NE(before, nullptr) << spell(a_events);
    EXPECT_EQ(before->label, "sleep");
}

TEST(InterpreterLock, ReleaseGilLetsAnotherTaskRunAndTakesTheLockBack)
{
    EventLog log;
    InterpreterLock lock({ .switch_interval = never_ask });
    std::latch a_holds { 1 };
    std::promise<void> b_ran;
    std::shared_future<void> b_ran_seen = b_ran.get_future().share();
    struct Seen {
        bool before = false;
        bool during = false;
        bool nested = false;
        bool b_ran = false;
        bool after = false;
    };
    ThreadPoolExecutor executor({ .max_workers = 2, .events = &log, .interpreter_lock = &lock });
    auto a = executor.submit([&] {
        Seen seen;
        seen.before = py::holds_gil();
        a_holds.count_down();
        {
            py::ReleaseGil io;
            seen.during = py::holds_gil();
            {
                // Nothing to release a second time, and sleeping without the lock just sleeps.
                py::ReleaseGil nested;
                py::sleep(Duration(0));
                seen.nested = py::holds_gil();
            }
            // B can only finish while A is in here, since A holds the lock everywhere else.
            seen.b_ran = b_ran_seen.wait_for(generous) == std::future_status::ready;
        }
        seen.after = py::holds_gil();
        return seen;
    });
    a_holds.wait();
    auto b = executor.submit([&] { b_ran.set_value(); });
    b.result(generous);
    const Seen seen = a.result(generous);
    executor.shutdown();
    EXPECT_TRUE(seen.before);
    EXPECT_FALSE(seen.during);
    EXPECT_FALSE(seen.nested);
    EXPECT_TRUE(seen.b_ran);
    EXPECT_TRUE(seen.after);

    const auto events = gil_events(log);
    expect_well_formed(events);
    expect_no_overlap(hold_periods(log));
    EXPECT_EQ(spell(of_task(events, a.task_id())), "requested acquired released(io) requested acquired released(done)");
    EXPECT_EQ(spell(of_task(events, b.task_id())), "requested acquired released(done)");
}

TEST(InterpreterLock, HoldsGilOnlyWhileHoldingALock)
{
    EXPECT_FALSE(py::holds_gil()) << "the test's own thread holds nothing";
    {
        py::ReleaseGil nothing_to_release;
        EXPECT_FALSE(py::holds_gil());
    }
    py::tick();
    EXPECT_FALSE(py::holds_gil());

    InterpreterLock lock;
    {
        ThreadPoolExecutor with_lock({ .max_workers = 1, .interpreter_lock = &lock });
        EXPECT_TRUE(with_lock.submit(py::holds_gil).result(generous));
        ThreadPoolExecutor without_lock(1);
        EXPECT_FALSE(without_lock.submit(py::holds_gil).result(generous));
    }

    EventLog log;
    {
        InterpreterLock::Hold hold(lock, &log, 7, 42);
        EXPECT_TRUE(py::holds_gil());
        py::tick();
        EXPECT_TRUE(py::holds_gil()) << "nobody asked, so tick() keeps the lock";
        EXPECT_THROW(InterpreterLock::Hold(lock, &log, 7, 43), std::logic_error);
        InterpreterLock other;
        EXPECT_THROW(InterpreterLock::Hold(other, &log, 7, 44), std::logic_error);
        EXPECT_TRUE(py::holds_gil()) << "a refused hold leaves the first one alone";
    }
    EXPECT_FALSE(py::holds_gil());
    const auto events = gil_events(log);
    EXPECT_EQ(spell(events), "requested acquired released(done)");
    for (const Event& e : events) {
        EXPECT_EQ(e.worker, 7);
        EXPECT_EQ(e.task_id, 42u);
    }
}

TEST(InterpreterLock, SleepRejectsNegativeAndNaNLengthsAndKeepsTheLock)
{
    InterpreterLock lock;
    EventLog log;
    InterpreterLock::Hold hold(lock, &log, 0, 1);
    EXPECT_THROW(py::sleep(Duration(-0.001)), std::invalid_argument);
    EXPECT_THROW(py::sleep(Duration(std::numeric_limits<double>::quiet_NaN())), std::invalid_argument);
    EXPECT_TRUE(py::holds_gil());
    py::sleep(Duration(0));
    EXPECT_TRUE(py::holds_gil());
    EXPECT_EQ(spell(gil_events(log)), "requested acquired released(sleep) requested acquired");
}

TEST(InterpreterLock, SwitchIntervalMustBePositive)
{
    InterpreterLock lock;
    EXPECT_EQ(lock.switch_interval(), Duration(0.005)) << "CPython's default";
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const double bad : { 0.0, -0.0, -1.0, nan }) {
        SCOPED_TRACE(bad);
        EXPECT_EQ(message_of<std::invalid_argument>([&] { lock.set_switch_interval(Duration(bad)); }),
            "switch interval must be strictly positive");
        EXPECT_EQ(lock.switch_interval(), Duration(0.005)) << "a refused value changes nothing";
        EXPECT_EQ(
            message_of<std::invalid_argument>([&] { InterpreterLock refused({ .switch_interval = Duration(bad) }); }),
            "switch interval must be strictly positive");
    }
    lock.set_switch_interval(Duration(0.002));
    EXPECT_EQ(lock.switch_interval(), Duration(0.002));
    InterpreterLock built({ .switch_interval = Duration(0.01) });
    EXPECT_EQ(built.switch_interval(), Duration(0.01));
    // Huge is fine: it means a waiter practically never asks.
    lock.set_switch_interval(Duration(std::numeric_limits<double>::infinity()));
    EXPECT_TRUE(std::isinf(lock.switch_interval().count()));
}

TEST(InterpreterLock, EventsFollowRequestAcquireReleaseForEveryTask)
{
    EventLog log;
    InterpreterLock lock({ .switch_interval = Duration(0.0002) });
    Occupancy occupancy;
    std::vector<Future<std::uint64_t>> futures;
    {
        ThreadPoolExecutor executor({ .max_workers = 3, .events = &log, .interpreter_lock = &lock });
        for (int i = 0; i < 12; ++i) {
            futures.push_back(executor.submit([&, i] {
                std::uint64_t x = crunch(occupancy, 500);
                if (i % 3 == 0)
                    py::sleep(Duration(0));
                if (i % 3 == 1) {
                    py::ReleaseGil io;
                    x = churn(x, 1000);
                }
                return x + crunch(occupancy, 500);
            }));
        }
        for (const auto& f : futures)
            f.result(generous);
    }
    EXPECT_EQ(occupancy.most(), 1);

    const auto events = gil_events(log);
    expect_well_formed(events);
    expect_no_overlap(hold_periods(log));
    const auto ids = submitted_ids(log);
    EXPECT_EQ(ids.size(), 12u);
    for (const Event& e : events)
        EXPECT_TRUE(ids.count(e.task_id)) << "a " << to_string(e.kind) << " event for unknown task " << e.task_id;
    for (const std::uint64_t id : ids) {
        const auto mine = of_task(events, id);
        ASSERT_FALSE(mine.empty()) << "task " << id << " never asked for the lock";
        EXPECT_EQ(mine.back().label, "done") << "task " << id << ": " << spell(mine);
        for (const Event& e : mine) {
            if (e.kind == EventKind::gil_released) {
                EXPECT_TRUE(e.label == "switch" || e.label == "sleep" || e.label == "io" || e.label == "done")
                    << e.label;
            }
        }
    }
    EXPECT_EQ(count_released(events, "sleep"), 4);
    EXPECT_EQ(count_released(events, "io"), 4);
    EXPECT_EQ(count_released(events, "done"), 12);
    EXPECT_EQ(find_invariant_violations(log.events(), 3), std::vector<std::string> {});
}

TEST(InterpreterLock, UncontendedHoldRecordsRequestAndAcquireAndNeverSwitches)
{
    EventLog log;
    InterpreterLock lock({ .switch_interval = Duration(0.000001) });
    Occupancy occupancy;
    Future<std::uint64_t> future;
    {
        ThreadPoolExecutor executor({ .max_workers = 1, .events = &log, .interpreter_lock = &lock });
        future = executor.submit([&] { return crunch(occupancy, 2000); });
        future.result(generous);
    }
    const auto events = gil_events(log);
    EXPECT_EQ(spell(events), "requested acquired released(done)");
    for (const Event& e : events) {
        EXPECT_EQ(e.task_id, future.task_id());
        EXPECT_EQ(e.worker, 0);
    }
}

TEST(InterpreterLock, PoolsSharingOneLockTakeTurns)
{
    EventLog logs[2];
    InterpreterLock lock({ .switch_interval = Duration(0.0002) });
    Occupancy occupancy;
    std::vector<Future<std::uint64_t>> futures;
    {
        ThreadPoolExecutor first({ .max_workers = 2, .events = &logs[0], .interpreter_lock = &lock });
        ThreadPoolExecutor second({ .max_workers = 2, .events = &logs[1], .interpreter_lock = &lock });
        for (int i = 0; i < 4; ++i) {
            futures.push_back(first.submit([&] { return crunch(occupancy, 1500); }));
            futures.push_back(second.submit([&] { return crunch(occupancy, 1500); }));
        }
        for (const auto& f : futures)
            f.result(generous);
    }
    EXPECT_EQ(occupancy.most(), 1);
    std::vector<HoldPeriod> periods;
    for (const EventLog& log : logs) {
        expect_well_formed(gil_events(log));
        const auto mine = hold_periods(log);
        periods.insert(periods.end(), mine.begin(), mine.end());
    }
    // Across both logs, on the one clock they share.
    expect_no_overlap(periods);
}

TEST(InterpreterLock, CanBeDestroyedOnceNoHoldIsLeft)
{
    EventLog log;
    for (int round = 0; round < 3; ++round) {
        auto lock = std::make_unique<InterpreterLock>(InterpreterLockOptions { .switch_interval = one_ms });
        {
            ThreadPoolExecutor executor({ .max_workers = 2, .events = &log, .interpreter_lock = lock.get() });
            auto f = executor.submit(py::holds_gil);
            auto g = executor.submit(py::holds_gil);
            EXPECT_TRUE(f.result(generous));
            EXPECT_TRUE(g.result(generous));
        }
        {
            // This thread, too, held it and let it go before it is destroyed.
            InterpreterLock::Hold hold(*lock, nullptr, 0, 0);
            EXPECT_TRUE(py::holds_gil());
        }
        lock.reset();
        py::tick();
        EXPECT_FALSE(py::holds_gil());
    }
    expect_well_formed(gil_events(log));
}
