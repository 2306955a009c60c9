// Executor shutdown, behaviours 34–38 of /work/shared/futures-behaviour.md.

#include "test_support.h"

#include <atomic>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

using namespace poolscope;
using namespace poolscope::testing;
using namespace poolscope::testing::states;

namespace {

constexpr const char* shutdown_message = "cannot schedule new futures after shutdown";

} // namespace

TEST(ShutdownBehaviour, B34_SubmitAfterShutdownThrowsAndShutdownTwiceIsHarmless)
{
    static_assert(std::is_base_of_v<std::runtime_error, ExecutorShutdownError>);
    ThreadPoolExecutor executor(2);
    auto before = executor.submit([] { return 1; });
    executor.shutdown();
    EXPECT_EQ(before.result(0s), 1);

    EXPECT_EQ(message_of<ExecutorShutdownError>([&] { executor.submit([] { return 2; }); }), shutdown_message);
    EXPECT_NO_THROW(executor.shutdown());
    EXPECT_NO_THROW(executor.shutdown(/*wait=*/false, /*cancel_futures=*/true));
    EXPECT_EQ(message_of<ExecutorShutdownError>([&] { executor.submit([] { return 3; }); }), shutdown_message);

    ThreadPoolExecutor never_used(2);
    EXPECT_NO_THROW(never_used.shutdown());
    EXPECT_NO_THROW(never_used.shutdown());
    EXPECT_EQ(never_used.thread_count(), 0);
}

TEST(ShutdownBehaviour, B35_ShutdownWaitReturnsAfterQueuedWorkIsDone)
{
    constexpr int queued_count = 5;
    std::atomic<int> calls { 0 };
    Gate gate;
    ThreadPoolExecutor executor(1);
    GateOpener opener(gate);

    const auto futures = submit_held_then_queued(executor, gate, calls, queued_count);
    auto withdrawn = executor.submit([&calls] {
        ++calls;
        return -1;
    });
    EXPECT_TRUE(withdrawn.cancel());

    {
        // Opened from another thread, most likely while this one already waits inside shutdown():
        // either way shutdown must not return before the queued work behind the gate has run.
        std::jthread releaser([&opener] { opener.open(); });
        executor.shutdown(/*wait=*/true);
    }
    EXPECT_TRUE(withdrawn.cancelled());
    expect_every_task_ran(futures, calls); // all but the cancelled one
}

TEST(ShutdownBehaviour, B36_ShutdownWithoutWaitReturnsAtOnceAndQueuedWorkStillRuns)
{
    std::atomic<int> calls { 0 };
    Gate gate;
    std::vector<Future<int>> futures;
    {
        ThreadPoolExecutor executor(1);
        GateOpener opener(gate);
        futures = submit_held_then_queued(executor, gate, calls, 3);
        // The only worker is held at the gate: returning at all shows shutdown did not wait for it.
        executor.shutdown(/*wait=*/false);
        EXPECT_EQ(states_of(futures), (std::vector { running, pending, pending, pending }));
        EXPECT_EQ(calls.load(), 0);
        EXPECT_EQ(message_of<ExecutorShutdownError>([&] { executor.submit([] { return 4; }); }), shutdown_message);
        opener.open();
    } // the destructor waits for the queued work
    expect_every_task_ran(futures, calls);
}

TEST(ShutdownBehaviour, B37_CancelFuturesCancelsQueuedWorkAndRunningWorkFinishes)
{
    std::atomic<int> calls { 0 };
    Gate gate;
    ThreadPoolExecutor executor(1);
    GateOpener opener(gate);

    std::vector<Future<int>> queued = submit_held_then_queued(executor, gate, calls, 4);
    const Future<int> in_progress = queued.front();
    queued.erase(queued.begin());
    // Cancelling runs callbacks in the cancelling thread, so this opens the gate from inside
    // shutdown(), after the queue is cancelled and before it waits for the running task.
    queued.front().add_done_callback([&opener](const Future<int>&) { opener.open(); });

    executor.shutdown(/*wait=*/true, /*cancel_futures=*/true);
    EXPECT_EQ(in_progress.state(), finished);
    EXPECT_EQ(in_progress.result(0s), 0);
    EXPECT_EQ(states_of(queued), std::vector(4, cancelled));
    for (const auto& f : queued)
        EXPECT_EQ(message_of<CancelledError>([&] { f.result(generous); }), "the future was cancelled");
    EXPECT_EQ(calls.load(), 1);

    // Unlike CPython (gh-87893, gh-109934), futures cancelled by shutdown count as done for waiters.
    const auto split = wait(queued, generous);
    EXPECT_EQ(split.done.size(), 4u);
    EXPECT_TRUE(split.not_done.empty());
    int yielded = 0;
    for (const auto& f : as_completed(queued, generous)) {
        EXPECT_TRUE(f.cancelled());
        ++yielded;
    }
    EXPECT_EQ(yielded, 4);
}

TEST(ShutdownBehaviour, B38_LeavingTheScopeWaitsAndCancelsNothing)
{
    std::atomic<int> calls { 0 };
    Gate gate;
    std::vector<Future<int>> futures;
    {
        ThreadPoolExecutor executor(1);
        // Declared after the executor: opens the gate as the scope ends, just before the destructor
        // runs, while the other tasks are still queued.
        GateOpener opener(gate);
        futures = submit_held_then_queued(executor, gate, calls, 3);
        EXPECT_EQ(states_of(futures), (std::vector { running, pending, pending, pending }));
    }
    expect_every_task_ran(futures, calls);
}

TEST(ShutdownExtras, ShutdownWithoutWaitFromInsideATask)
{
    Gate gate;
    ThreadPoolExecutor executor(1);
    GateOpener opener(gate);
    auto stopper = executor.submit([&] {
        gate.pass();
        executor.shutdown(/*wait=*/false);
        return std::string(current_worker_name());
    });
    auto queued = executor.submit([] { return 7; });
    opener.open();
    EXPECT_EQ(stopper.result(generous), executor.thread_names().at(0));
    EXPECT_EQ(queued.result(generous), 7) << "work queued before the shutdown still runs";
    EXPECT_EQ(message_of<ExecutorShutdownError>([&] { executor.submit([] { return 8; }); }), shutdown_message);
}

TEST(ShutdownExtras, DestructorStillWaitsAfterShutdownWithWaitFromInsideATask)
{
    std::atomic<int> calls { 0 };
    Gate gate;
    std::latch queued_submitted { 1 };
    std::latch shutdown_returned { 1 };
    Future<int> inner;
    Future<int> queued;
    {
        ThreadPoolExecutor executor(1);
        GateOpener opener(gate);
        inner = executor.submit([&] {
            queued_submitted.wait();
            try {
                // A worker cannot join itself. Python raises here; returning is fine too.
                executor.shutdown(/*wait=*/true);
            } catch (const std::exception&) {
            }
            shutdown_returned.count_down();
            gate.pass();
            ++calls;
            return 1;
        });
        queued = executor.submit([&calls] {
            ++calls;
            return 2;
        });
        queued_submitted.count_down();
        shutdown_returned.wait();
        EXPECT_EQ(queued.state(), pending);
    } // the destructor is shutdown(wait=true) from this thread, which can join the worker
    const bool inner_done = inner.done();
    const bool queued_done = queued.done();
    // Should the destructor not have waited, let both finish before this test's locals go away.
    EXPECT_TRUE(wait(std::vector { inner, queued }, generous).not_done.empty());
    EXPECT_TRUE(inner_done) << "the destructor returned while a task was still running";
    EXPECT_TRUE(queued_done) << "the destructor returned before queued work ran";
    EXPECT_EQ(queued.result(0s), 2);
    EXPECT_EQ(calls.load(), 2);
}

TEST(ShutdownExtras, CancelFuturesWithoutWaiting)
{
    std::atomic<int> calls { 0 };
    Gate gate;
    ThreadPoolExecutor executor(1);
    GateOpener opener(gate);
    const auto futures = submit_held_then_queued(executor, gate, calls, 1);
    const Future<int>& in_progress = futures[0];
    executor.shutdown(/*wait=*/false, /*cancel_futures=*/true);
    EXPECT_EQ(in_progress.state(), running);
    EXPECT_EQ(futures[1].state(), cancelled);
    opener.open();
    EXPECT_EQ(in_progress.result(generous), 0);
    executor.shutdown();
    EXPECT_EQ(calls.load(), 1);
}

TEST(ShutdownExtras, TaskShuttingDownItsPoolWhileTheOwnerDestroysItDoesNotDeadlock)
{
    // The owner's destructor and a task's shutdown(wait=true) both wait for the workers; neither may
    // end up waiting on the other. Both orders of arrival are likely over a few dozen rounds.
    for (int round = 0; round < 40; ++round) {
        Gate gate;
        std::latch started(2);
        std::atomic<int> ran { 0 };
        std::thread opener;
        {
            ThreadPoolExecutor executor(2);
            executor.submit([&] {
                started.count_down();
                gate.pass();
                executor.shutdown(true);
                ++ran;
            });
            executor.submit([&] {
                started.count_down();
                gate.pass();
                ++ran;
            });
            started.wait();
            opener = std::thread([&] { gate.open(); });
        }
        opener.join();
        EXPECT_EQ(ran.load(), 2) << "round " << round;
    }
}

// The caller's lane shows where it waits for the pool: shutdown(wait=true) as "shutdown", the end of
// the pool's scope (Python's `with` exit) as "__exit__", each only while workers are left to wait
// for, so an explicit shutdown(wait=true) leaves nothing for the destructor to wait on.
TEST(ShutdownExtras, TheCallerBlocksInShutdownAndAtTheEndOfThePoolsScope)
{
    const auto caller_blocks = [](const EventLog& log) {
        std::vector<std::string> blocks;
        for (const Event& e : log.events()) {
            if (e.kind == EventKind::caller_blocked)
                blocks.push_back(e.label);
            if (e.kind == EventKind::caller_resumed)
                blocks.push_back("/" + e.label);
        }
        return blocks;
    };
    {
        EventLog log;
        {
            ThreadPoolExecutor executor(ThreadPoolOptions { .max_workers = 2, .events = &log });
            executor.submit([] { return 1; });
        }
        EXPECT_EQ(caller_blocks(log), (std::vector<std::string> { "__exit__", "/__exit__" }));
    }
    {
        EventLog log;
        {
            ThreadPoolExecutor executor(ThreadPoolOptions { .max_workers = 2, .events = &log });
            executor.submit([] { return 1; });
            executor.shutdown(true);
        }
        EXPECT_EQ(caller_blocks(log), (std::vector<std::string> { "shutdown", "/shutdown" }));
    }
    {
        EventLog log;
        {
            ThreadPoolExecutor executor(ThreadPoolOptions { .max_workers = 2, .events = &log });
        }
        EXPECT_EQ(caller_blocks(log), std::vector<std::string> {}) << "no worker ever started";
    }
}
