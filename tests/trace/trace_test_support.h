#pragma once

// Shared by the trace tests: a trace written to a string, a synthetic trace that uses every event
// kind (with unicode, quotes, newlines and empty labels), a real run of a ThreadPoolExecutor, and a
// scratch directory.

#include <poolscope/event_log.h>
#include <poolscope/future.h>
#include <poolscope/thread_pool_executor.h>
#include <poolscope/trace/lane.h>
#include <poolscope/trace/trace.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <latch>
#include <limits>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

namespace poolscope::trace::testing {

using namespace std::chrono_literals;

inline Event make_event(std::int64_t time_us, EventKind kind, std::uint64_t task_id, int worker, int attempt = 0,
    std::string label = {}, int pid = 0, int line = 0)
{
    Event e;
    e.time = std::chrono::microseconds(time_us);
    e.kind = kind;
    e.task_id = task_id;
    e.worker = worker;
    e.attempt = attempt;
    e.label = std::move(label);
    e.pid = pid;
    e.line = line;
    return e;
}

/// What `write` (the stream overload of save_trace, write_csv or write_chrome_trace) writes for `t`.
inline std::string written(const Trace& t, void (*write)(const Trace&, std::ostream&))
{
    std::ostringstream out;
    write(t, out);
    return out.str();
}

/// Lane 0 a thread (with the interpreter lock), lane 1 a worker process (pid 4242) that fails task 1
/// once and runs it again, lane 2 declared but idle; a done-callback, a late cancel() and printed
/// lines, some events with source lines, and every optional field of the run. Times are whole
/// microseconds.
inline Trace synthetic_trace()
{
    using K = EventKind;
    constexpr int proc = 4242;
    Trace t;
    t.scenario = "retry_demo";
    t.title = "Retries — naïve ☃ \"quoted\"";
    t.parameters = { { "tasks", "3" }, { "empty", "" }, { "", "nameless" }, { "text", "a,b\n\"c\"" } };
    t.pool_kind = "process";
    t.max_workers = 3;
    t.host = "";
    t.started_at = "2024-05-01T12:34:56Z";
    t.wall_time = 95ms;
    t.output = "line 1\nlíne 2 ✓\n";
    t.origin = "cpython";
    t.python_version = "3.11.2";
    t.program = "/tmp/prögram.py";
    t.arguments = { "--flag", "two words", "" };
    t.exit_code = -15;
    t.source = "import time\n\nprint('hi')\n";
    t.lanes = { { 0, "ThreadPoolExecutor-0_0", 0 }, { 1, "SpawnProcess-1", proc }, { 2, "工作者-2", 0 } };
    const std::string args = "(1, 'naïve ☃')";
    t.events = {
        make_event(0, K::worker_spawning, 0, 1),
        make_event(5, K::worker_started, 0, 0, 0, "ThreadPoolExecutor-0_0"),
        make_event(10, K::submitted, 1, -1, 0, args, 0, 3),
        make_event(12, K::submitted, 2, -1, 0, ""),
        make_event(15, K::dispatched, 1, -1),
        make_event(20, K::worker_started, 0, 1, 0, "SpawnProcess-1", proc),
        make_event(30, K::started, 1, 1, 0, "", proc),
        make_event(32, K::started, 2, 0),
        make_event(33, K::gil_requested, 2, 0),
        make_event(35, K::caller_blocked, 1, -1, 0, "result"),
        make_event(40, K::gil_acquired, 2, 0),
        make_event(50, K::failed, 1, 1, 0, "ValueError: boom, \"quoted\"\nsecond line", proc),
        make_event(51, K::retried, 1, -1, 1),
        make_event(52, K::submitted, 1, -1, 1, args),
        make_event(55, K::started, 1, 1, 1, "", proc),
        make_event(60, K::gil_released, 2, 0),
        make_event(65, K::finished, 2, 0),
        make_event(66, K::callback_started, 2, 0, 0, "on_done"),
        make_event(67, K::output, 0, 0, 0, "printed by a callback"),
        make_event(68, K::callback_finished, 2, 0, 0, "on_done"),
        make_event(69, K::cancel_failed, 2, -1, 0, "finished", 0, 12),
        make_event(69, K::error_output, 0, -1, 0, "Traceback (most recent call last):"),
        make_event(70, K::finished, 1, 1, 1, "", proc),
        make_event(71, K::caller_resumed, 1, -1, 0, "result"),
        make_event(80, K::submitted, std::numeric_limits<std::uint64_t>::max(), -1, 0, "''"),
        make_event(81, K::cancelled, std::numeric_limits<std::uint64_t>::max(), -1),
        make_event(90, K::worker_stopped, 0, 0, 0, "ThreadPoolExecutor-0_0"),
        make_event(90, K::worker_stopped, 0, 1, 0, "SpawnProcess-1", proc),
    };
    return t;
}

/// A real run: two workers, five tasks with arguments, one that throws, one cancelled while queued
/// (both workers are held on a latch until it is), and the caller blocking in result().
inline Trace real_run_trace()
{
    EventLog log;
    {
        ThreadPoolExecutor pool(ThreadPoolOptions { .max_workers = 2, .events = &log });
        std::latch gate(1);
        auto blocker_a = pool.submit(
            [&gate](int x) {
                gate.wait();
                return x;
            },
            1);
        auto blocker_b = pool.submit(
            [&gate](int x) {
                gate.wait();
                return x;
            },
            2);
        auto doomed = pool.submit([](int x) { return x; }, 99);
        EXPECT_TRUE(doomed.cancel()) << "both workers are held, so it is still queued";
        auto thrower = pool.submit([](const std::string& what) -> int { throw std::runtime_error("boom: " + what); },
            std::string("naïve, \"x\""));
        auto plain = pool.submit([](int a, int b) { return a + b; }, 3, 4);
        gate.count_down();
        EXPECT_EQ(blocker_a.result(), 1);
        EXPECT_EQ(blocker_b.result(), 2);
        EXPECT_THROW(thrower.result(), std::runtime_error);
        EXPECT_EQ(plain.result(), 7);
        pool.shutdown(true);
    }
    Trace t;
    t.scenario = "real_run";
    t.title = "A real ThreadPoolExecutor run";
    t.pool_kind = "thread";
    t.max_workers = 2;
    t.host = "test";
    t.started_at = "2024-05-01T00:00:00Z";
    t.events = log.events();
    t.lanes = lanes_from_events(t.events);
    if (!t.events.empty())
        t.wall_time = t.events.back().time;
    return t;
}

/// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class ScratchDir {
public:
    ScratchDir()
    {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = std::filesystem::temp_directory_path()
            / ("poolscope-trace-" + std::to_string(::getpid()) + "-" + (info ? info->name() : "test"));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~ScratchDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

} // namespace poolscope::trace::testing
