// ThreadPoolExecutor, behaviours 39–44 of /work/shared/futures-behaviour.md.

#include "test_support.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <future>
#include <latch>
#include <limits>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <pthread.h>

using namespace poolscope;
using namespace poolscope::testing;

namespace {

std::string worker_name()
{
    return std::string(current_worker_name());
}

// k in "ThreadPoolExecutor-<k>_0", or -1 when the name has another shape.
int pool_number(const std::string& name)
{
    const std::string head = "ThreadPoolExecutor-";
    const std::string tail = "_0";
    if (!name.starts_with(head) || !name.ends_with(tail) || name.size() <= head.size() + tail.size())
        return -1;
    const std::string digits = name.substr(head.size(), name.size() - head.size() - tail.size());
    if (!std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
        return -1;
    return std::stoi(digits);
}

// Set by the initializer on the worker it runs on, read by that worker's tasks.
thread_local bool initializer_ran_here = false;

constexpr const char* broken_message = "A thread initializer failed, the thread pool is not usable anymore";

// While it lives, starting a thread fails as it does when the system is out of resources: the
// default stack of a new thread (what std::thread asks for) is made larger than any address space,
// so pthread_create() fails with EAGAIN and std::thread throws std::system_error. A real failure
// of a real std::thread, with no hook in the executor; start no other thread meanwhile.
class ThreadsCannotStart {
public:
    ThreadsCannotStart()
    {
        EXPECT_EQ(::pthread_getattr_default_np(&saved_), 0);
        pthread_attr_t huge;
        ::pthread_attr_init(&huge);
        EXPECT_EQ(::pthread_attr_setstacksize(&huge, std::numeric_limits<std::size_t>::max() / 2), 0);
        EXPECT_EQ(::pthread_setattr_default_np(&huge), 0);
        ::pthread_attr_destroy(&huge);
    }
    ~ThreadsCannotStart()
    {
        EXPECT_EQ(::pthread_setattr_default_np(&saved_), 0);
        ::pthread_attr_destroy(&saved_);
    }
    ThreadsCannotStart(const ThreadsCannotStart&) = delete;
    ThreadsCannotStart& operator=(const ThreadsCannotStart&) = delete;

private:
    pthread_attr_t saved_ {};
};

} // namespace

TEST(ThreadPoolBehaviour, B39_MaxWorkersDefaultsLikePythonAndMustBePositive)
{
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    ThreadPoolExecutor by_default;
    EXPECT_EQ(by_default.max_workers(), std::min(32, cores + 4));
    ThreadPoolExecutor from_empty_options(ThreadPoolOptions {});
    EXPECT_EQ(from_empty_options.max_workers(), std::min(32, cores + 4));
    ThreadPoolExecutor explicit_one(1);
    EXPECT_EQ(explicit_one.max_workers(), 1);

    for (int bad : { 0, -1, -100 }) {
        SCOPED_TRACE(bad);
        EXPECT_EQ(message_of<std::invalid_argument>([bad] { ThreadPoolExecutor executor(bad); }),
            "max_workers must be greater than 0");
    }
}

TEST(ThreadPoolBehaviour, B40_IdleThreadsAreReusedAndNewOnesStartUpToMaxWorkers)
{
    {
        Gate gate;
        std::atomic<int> started { 0 };
        std::latch all_workers_busy { 4 };
        ThreadPoolExecutor executor(4);
        GateOpener opener(gate);
        EXPECT_EQ(executor.thread_count(), 0) << "threads start on demand";
        std::vector<Future<std::string>> futures;
        for (int i = 0; i < 60; ++i) {
            futures.push_back(executor.submit([&] {
                if (++started <= 4)
                    all_workers_busy.count_down();
                gate.pass();
                return worker_name();
            }));
        }
        EXPECT_EQ(executor.thread_count(), 4);
        // Otherwise a worker that starts late could find the queue already drained by the others.
        all_workers_busy.wait();
        opener.open();
        std::set<std::string> used;
        for (const auto& f : futures)
            used.insert(f.result(generous));
        const auto names = executor.thread_names();
        EXPECT_EQ(used, std::set<std::string>(names.begin(), names.end()));
        EXPECT_EQ(executor.thread_count(), 4);
    }
    {
        ThreadPoolExecutor executor(4);
        std::set<std::string> used;
        for (int i = 0; i < 3; ++i)
            used.insert(executor.submit(worker_name).result(generous));
        EXPECT_EQ(executor.thread_count(), 1);
        EXPECT_EQ(used.size(), 1u);
    }
}

TEST(ThreadPoolBehaviour, B41_ThreadsAreNamedPrefixAndIndexInCreationOrder)
{
    EXPECT_EQ(worker_name(), "") << "the test's own thread is no worker";
    {
        Gate gate;
        std::latch all_workers_busy { 3 };
        ThreadPoolExecutor executor(ThreadPoolOptions { .max_workers = 3, .thread_name_prefix = "fetch" });
        GateOpener opener(gate);
        std::vector<Future<std::string>> futures;
        for (int i = 0; i < 3; ++i) {
            futures.push_back(executor.submit([&] {
                all_workers_busy.count_down();
                gate.pass();
                return worker_name();
            }));
        }
        EXPECT_EQ(executor.thread_names(), (std::vector<std::string> { "fetch_0", "fetch_1", "fetch_2" }));
        // Each worker holds one task, so every name shows up in the results.
        all_workers_busy.wait();
        opener.open();
        std::set<std::string> used;
        for (const auto& f : futures)
            used.insert(f.result(generous));
        EXPECT_EQ(used, (std::set<std::string> { "fetch_0", "fetch_1", "fetch_2" }));
    }

    std::string first;
    std::string second;
    {
        ThreadPoolExecutor executor(1);
        first = executor.submit(worker_name).result(generous);
        EXPECT_EQ(executor.thread_names(), std::vector { first });
    }
    {
        ThreadPoolExecutor executor(2);
        second = executor.submit(worker_name).result(generous);
    }
    const int k_first = pool_number(first);
    const int k_second = pool_number(second);
    EXPECT_GE(k_first, 0) << first;
    EXPECT_GE(k_second, 0) << second;
    EXPECT_EQ(k_second, k_first + 1) << "k counts pools process-wide";
}

TEST(ThreadPoolBehaviour, B42_TaskExceptionIsStoredAndTheWorkerGoesOn)
{
    CapturedErrors errors;
    ThreadPoolExecutor executor(1);
    auto failing = executor.submit([]() -> int { throw Boom("task failed"); });
    auto after = executor.submit(worker_name);

    EXPECT_EQ(message_of<Boom>([&] { failing.result(generous); }), "task failed");
    EXPECT_EQ(failing.state(), FutureState::finished);
    const std::exception_ptr error = failing.exception(0s);
    ASSERT_TRUE(error);
    EXPECT_EQ(message_of<Boom>([&] { std::rethrow_exception(error); }), "task failed");

    EXPECT_EQ(after.result(generous), executor.thread_names().at(0));
    EXPECT_EQ(executor.thread_count(), 1);
    EXPECT_TRUE(errors.messages().empty()) << "a task's exception belongs to its future, not the error handler";
}

TEST(ThreadPoolBehaviour, B43_CancelledQueuedFutureNeverRuns)
{
    CapturedErrors errors;
    std::atomic<int> calls { 0 };
    Gate gate;
    ThreadPoolExecutor executor(1);
    GateOpener opener(gate);
    auto futures = submit_held_then_queued(executor, gate, calls, 2);
    Future<int>& doomed = futures[1];
    EXPECT_TRUE(doomed.cancel());
    opener.open();

    EXPECT_EQ(futures[0].result(generous), 0);
    // FIFO on one worker: by the time this result is in, the cancelled item was dequeued.
    EXPECT_EQ(futures[2].result(generous), 2);
    EXPECT_EQ(calls.load(), 2) << "the cancelled task never ran";
    EXPECT_EQ(doomed.state(), FutureState::cancelled);
    EXPECT_EQ(message_of<CancelledError>([&] { doomed.result(generous); }), "the future was cancelled");
    EXPECT_EQ(executor.thread_count(), 1);
    EXPECT_TRUE(errors.messages().empty());
}

// A learner's done-callback is recorded around its run, on the lane of the thread that ran it:
// the worker that finished the task, or the caller (-1) for a callback added once it was done.
// The library's own callbacks (map's chunks, retries) are not: no learner's code runs there.
TEST(ThreadPoolExtras, DoneCallbacksAreRecordedOnTheLaneOfTheThreadThatRanThem)
{
    EventLog log;
    std::atomic<int> calls { 0 };
    Gate gate;
    std::vector<Future<int>> futures;
    {
        ThreadPoolExecutor executor(ThreadPoolOptions { .max_workers = 1, .events = &log });
        GateOpener opener(gate);
        futures = submit_held_then_queued(executor, gate, calls, 0);
        futures[0].add_done_callback([](Future<int>) {}); // runs on the worker, once the gate opens
        futures[0].add_done_callback([](Future<int>) {}, detail::untraced); // bookkeeping: never recorded
        opener.open();
        EXPECT_EQ(futures[0].result(generous), 0);
        executor.shutdown();
    }
    futures[0].add_done_callback([](Future<int>) {}); // already done: runs now, on this thread

    const std::vector<Event> events = log.events(); // a copy: begin() and end() of one vector
    std::vector<Event> callbacks;
    for (const Event& e : events)
        if (e.kind == EventKind::callback_started || e.kind == EventKind::callback_finished)
            callbacks.push_back(e);
    ASSERT_EQ(callbacks.size(), 4u);
    EXPECT_EQ(callbacks[0].kind, EventKind::callback_started);
    EXPECT_EQ(callbacks[1].kind, EventKind::callback_finished);
    EXPECT_EQ(callbacks[0].worker, 0) << "on the worker that finished the task";
    EXPECT_EQ(callbacks[1].worker, 0);
    EXPECT_EQ(callbacks[2].worker, -1) << "added when done: on the caller";
    EXPECT_EQ(callbacks[3].kind, EventKind::callback_finished);
    for (const Event& e : callbacks)
        EXPECT_EQ(e.task_id, futures[0].task_id());
    const auto finished
        = std::find_if(events.begin(), events.end(), [](const Event& e) { return e.kind == EventKind::finished; });
    ASSERT_NE(finished, events.end());
    EXPECT_LE(finished->time, callbacks[0].time) << "a callback runs once the task is done";
}

// cancel() that returns False leaves a cancel_failed event: on the caller's lane (-1) or on the
// worker's that asked, saying whether the task was running or had finished.
TEST(ThreadPoolExtras, ARefusedCancelIsRecordedWithTheStateThatRefusedIt)
{
    EventLog log;
    std::atomic<int> calls { 0 };
    Gate gate;
    ThreadPoolExecutor executor(ThreadPoolOptions { .max_workers = 1, .events = &log });
    GateOpener opener(gate);
    auto futures = submit_held_then_queued(executor, gate, calls, 1);
    EXPECT_FALSE(futures[0].cancel()); // running: submit_held_then_queued returns once it started
    opener.open();
    EXPECT_EQ(futures[1].result(generous), 1);
    EXPECT_FALSE(futures[1].cancel()); // finished
    executor.shutdown();

    std::vector<Event> refused;
    for (const Event& e : log.events())
        if (e.kind == EventKind::cancel_failed)
            refused.push_back(e);
    ASSERT_EQ(refused.size(), 2u);
    EXPECT_EQ(refused[0].label, "running");
    EXPECT_EQ(refused[1].label, "finished");
    for (const Event& e : refused)
        EXPECT_EQ(e.worker, -1) << "asked from the test's thread, not a worker";
    EXPECT_LT(refused[0].time, refused[1].time);
}

TEST(ThreadPoolBehaviour, B44_InitializerRunsOncePerWorkerAndItsFailureBreaksThePool)
{
    {
        std::atomic<int> initializer_calls { 0 };
        std::mutex mutex;
        std::vector<std::string> initialised_workers;
        Gate gate;
        ThreadPoolExecutor executor(ThreadPoolOptions { .max_workers = 3, .initializer = [&] {
                                                           ++initializer_calls;
                                                           initializer_ran_here = true;
                                                           std::lock_guard lock(mutex);
                                                           initialised_workers.push_back(worker_name());
                                                       } });
        GateOpener opener(gate);
        std::vector<Future<bool>> futures;
        for (int i = 0; i < 9; ++i) {
            futures.push_back(executor.submit([&gate] {
                gate.pass();
                return initializer_ran_here;
            }));
        }
        opener.open();
        for (int i = 0; i < 3; ++i)
            futures.push_back(executor.submit([] { return initializer_ran_here; }));
        for (const auto& f : futures)
            EXPECT_TRUE(f.result(generous)) << "a task ran on a worker before its initializer";
        // A worker that started late may have found no task left; once joined, each has initialised.
        executor.shutdown();

        EXPECT_EQ(initializer_calls.load(), 3);
        EXPECT_EQ(executor.thread_count(), 3);
        std::lock_guard lock(mutex);
        auto expected = executor.thread_names();
        std::sort(expected.begin(), expected.end());
        std::sort(initialised_workers.begin(), initialised_workers.end());
        EXPECT_EQ(initialised_workers, expected);
    }
    {
        CapturedErrors errors;
        std::atomic<int> task_calls { 0 };
        Gate gate;
        // The initializer fails only once the tasks are queued behind it.
        ThreadPoolExecutor executor(
            ThreadPoolOptions { .max_workers = 1, .thread_name_prefix = "doomed", .initializer = [&gate] {
                                   gate.pass();
                                   throw std::runtime_error("no database");
                               } });
        GateOpener opener(gate);
        const auto task = [&task_calls] {
            ++task_calls;
            return 1;
        };
        std::vector<Future<int>> futures;
        for (int i = 0; i < 3; ++i)
            futures.push_back(executor.submit(task));
        opener.open();

        for (const auto& f : futures) {
            EXPECT_EQ(message_of<BrokenThreadPool>([&] { f.result(generous); }), broken_message);
            EXPECT_EQ(message_of<BrokenExecutor>([&] { std::rethrow_exception(f.exception(0s)); }), broken_message);
        }
        EXPECT_EQ(message_of<BrokenThreadPool>([&] { executor.submit(task); }), broken_message);
        EXPECT_EQ(message_of<BrokenThreadPool>([&] { executor.map([](int x) { return x; }, std::vector { 1 }); }),
            broken_message);
        EXPECT_EQ(task_calls.load(), 0);

        const auto reported = errors.messages();
        ASSERT_EQ(reported.size(), 1u);
        EXPECT_NE(reported[0].find("initializer"), std::string::npos) << reported[0];
        EXPECT_NE(reported[0].find("doomed_0"), std::string::npos) << reported[0];
        EXPECT_NE(reported[0].find("no database"), std::string::npos) << reported[0];
    }
}

TEST(ThreadPoolExtras, NegativeMaxWorkersInOptionsIsRejected)
{
    EXPECT_EQ(
        message_of<std::invalid_argument>([] { ThreadPoolExecutor executor(ThreadPoolOptions { .max_workers = -1 }); }),
        "max_workers must be greater than 0");
    EXPECT_EQ(
        message_of<std::invalid_argument>([] { ThreadPoolExecutor executor(ThreadPoolOptions { .max_workers = 0 }); }),
        "max_workers must be greater than 0");
}

TEST(ThreadPoolExtras, SubmitMovesMoveOnlyArgumentsAndCallables)
{
    ThreadPoolExecutor executor(2);
    auto from_argument = executor.submit([](std::unique_ptr<int> p) { return *p * 2; }, std::make_unique<int>(21));
    auto from_capture = executor.submit([p = std::make_unique<int>(5)] { return *p + 1; });
    auto by_value = std::make_unique<std::string>("moved");
    auto from_lvalue_moved = executor.submit([](std::unique_ptr<std::string> s) { return *s; }, std::move(by_value));
    EXPECT_EQ(from_argument.result(generous), 42);
    EXPECT_EQ(from_capture.result(generous), 6);
    EXPECT_EQ(from_lvalue_moved.result(generous), "moved");
}

TEST(ThreadPoolExtras, AWorkerKnowsItsEventLaneAndOtherThreadsHaveNone)
{
    EXPECT_EQ(current_worker_lane(), -1) << "the test's own thread is no worker";
    // Two workers busy at once, so each lane shows up; first_lane shifts them as it shifts their events.
    Gate gate;
    std::latch both_busy { 2 };
    ThreadPoolExecutor executor(ThreadPoolOptions { .max_workers = 2, .first_lane = 3 });
    GateOpener opener(gate);
    std::vector<Future<int>> futures;
    for (int i = 0; i < 2; ++i) {
        futures.push_back(executor.submit([&] {
            both_busy.count_down();
            gate.pass();
            return current_worker_lane();
        }));
    }
    both_busy.wait();
    opener.open();
    std::set<int> lanes;
    for (const auto& f : futures)
        lanes.insert(f.result(generous));
    EXPECT_EQ(lanes, (std::set<int> { 3, 4 }));
    EXPECT_EQ(current_worker_lane(), -1);
}

TEST(ThreadPoolExtras, ThreadCountAndNamesSurviveShutdown)
{
    Gate gate;
    ThreadPoolExecutor executor(ThreadPoolOptions { .max_workers = 2, .thread_name_prefix = "kept" });
    GateOpener opener(gate);
    auto a = executor.submit([&gate] { gate.pass(); });
    auto b = executor.submit([&gate] { gate.pass(); });
    opener.open();
    executor.shutdown();
    EXPECT_EQ(executor.thread_count(), 2);
    EXPECT_EQ(executor.thread_names(), (std::vector<std::string> { "kept_0", "kept_1" }));
    EXPECT_EQ(executor.max_workers(), 2);
}

// Python's _adjust_thread_count adds a thread to _threads only once it has started: one that cannot
// start leaves no name behind, submit() raises, and the call stays queued for a worker that exists.
TEST(ThreadPoolExtras, AThreadThatCannotStartLeavesNoNameAndThePoolGoesOn)
{
    std::promise<void> queued_ran;
    Gate gate;
    ThreadPoolExecutor executor({ .max_workers = 2, .thread_name_prefix = "p" });
    GateOpener opener(gate);
    auto busy = executor.submit([&gate] {
        gate.pass();
        return 1;
    });
    {
        ThreadsCannotStart no_threads;
        EXPECT_THROW(executor.submit([&queued_ran] { queued_ran.set_value(); }), std::system_error);
    }
    EXPECT_EQ(executor.thread_names(), (std::vector<std::string> { "p_0" }));
    EXPECT_EQ(executor.thread_count(), 1);
    opener.open();
    EXPECT_EQ(busy.result(generous), 1);
    EXPECT_EQ(queued_ran.get_future().wait_for(generous), std::future_status::ready);
    EXPECT_EQ(executor.submit([] { return 2; }).result(generous), 2);
}

// With no worker at all, the next thread that starts takes the name the failed one would have had.
TEST(ThreadPoolExtras, TheFirstThreadFailingToStartLeavesTheNameForTheNext)
{
    std::promise<void> queued_ran;
    ThreadPoolExecutor executor({ .max_workers = 1, .thread_name_prefix = "p" });
    {
        ThreadsCannotStart no_threads;
        EXPECT_THROW(executor.submit([&queued_ran] { queued_ran.set_value(); }), std::system_error);
        EXPECT_TRUE(executor.thread_names().empty());
        EXPECT_EQ(executor.thread_count(), 0);
    }
    EXPECT_EQ(executor.submit(worker_name).result(generous), "p_0");
    // It ran the call left queued first.
    EXPECT_EQ(queued_ran.get_future().wait_for(std::chrono::seconds(0)), std::future_status::ready);
    EXPECT_EQ(executor.thread_names(), (std::vector<std::string> { "p_0" }));
}
