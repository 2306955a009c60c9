// Conformance tests for Future: behaviours 1–17 of futures-behaviour.md (Python's
// concurrent.futures.Future). Most use standalone futures completed by the test itself; the
// executor is used only where a worker thread is the point (12, 17).

#include "test_support.h"

#include <atomic>
#include <cmath>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace {

using namespace poolscope;
using namespace poolscope::testing;

::testing::AssertionResult contains(const std::string& text, std::string_view part)
{
    if (text.find(part) != std::string::npos)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << '"' << text << "\" does not contain \"" << part << '"';
}

} // namespace

TEST(FutureBehaviour, B01_NewFutureIsPending)
{
    Future<int> f;
    EXPECT_EQ(f.state(), FutureState::pending);
    EXPECT_EQ(to_string(f.state()), "PENDING");
    EXPECT_FALSE(f.running());
    EXPECT_FALSE(f.done());
    EXPECT_FALSE(f.cancelled());
    EXPECT_EQ(f.task_id(), 0u);
}

TEST(FutureBehaviour, B02_CancelPendingRunsCallbacksInCancellingThread)
{
    Future<int> f;
    std::vector<std::thread::id> callback_threads;
    f.add_done_callback([&](Future<int> g) {
        callback_threads.push_back(std::this_thread::get_id());
        EXPECT_TRUE(g == f);
        EXPECT_TRUE(g.cancelled());
    });

    bool cancel_returned = false;
    std::size_t calls_when_cancel_returned = 0;
    std::thread canceller([&] {
        cancel_returned = f.cancel();
        calls_when_cancel_returned = callback_threads.size();
    });
    const auto canceller_id = canceller.get_id();
    canceller.join();

    EXPECT_TRUE(cancel_returned);
    EXPECT_EQ(calls_when_cancel_returned, 1u) << "callbacks must have run before cancel() returned";
    ASSERT_EQ(callback_threads.size(), 1u);
    EXPECT_EQ(callback_threads[0], canceller_id);
    EXPECT_EQ(f.state(), FutureState::cancelled);
    EXPECT_EQ(to_string(f.state()), "CANCELLED");
}

TEST(FutureBehaviour, B03_CancelCancelledReturnsTrueAndRunsNoCallbackAgain)
{
    Future<int> f;
    int calls = 0;
    f.add_done_callback([&](Future<int>) { ++calls; });
    ASSERT_TRUE(f.cancel());
    ASSERT_EQ(calls, 1);

    EXPECT_TRUE(f.cancel());
    EXPECT_TRUE(f.cancel());
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(f.state(), FutureState::cancelled);
}

TEST(FutureBehaviour, B04_CancelRunningOrFinishedReturnsFalseAndChangesNothing)
{
    Future<int> running;
    ASSERT_TRUE(running.set_running_or_notify_cancel());
    int calls = 0;
    running.add_done_callback([&](Future<int>) { ++calls; });
    EXPECT_FALSE(running.cancel());
    EXPECT_EQ(running.state(), FutureState::running);
    EXPECT_EQ(calls, 0) << "a refused cancel() must not run callbacks";

    running.set_result(3);
    EXPECT_EQ(calls, 1);
    EXPECT_FALSE(running.cancel());
    EXPECT_EQ(running.state(), FutureState::finished);
    EXPECT_EQ(running.result(0s), 3);
    EXPECT_EQ(calls, 1);

    Future<int> failed;
    const auto error = boom();
    failed.set_exception(error);
    EXPECT_FALSE(failed.cancel());
    EXPECT_EQ(failed.state(), FutureState::finished);
    EXPECT_EQ(failed.exception(0s), error);
}

TEST(FutureBehaviour, B05_DoneRunningCancelledReflectTheState)
{
    struct Row {
        const char* name;
        std::function<void(Future<int>&)> drive;
        FutureState state;
        bool running, done, cancelled;
    };
    const std::vector<Row> rows {
        { "pending", [](Future<int>&) {}, FutureState::pending, false, false, false },
        { "running", [](Future<int>& f) { f.set_running_or_notify_cancel(); }, FutureState::running, true, false,
            false },
        { "finishedWithValue", [](Future<int>& f) { f.set_result(1); }, FutureState::finished, false, true, false },
        { "finishedWithError", [](Future<int>& f) { f.set_exception(boom()); }, FutureState::finished, false, true,
            false },
        { "runningThenFinished",
            [](Future<int>& f) {
                f.set_running_or_notify_cancel();
                f.set_result(1);
            },
            FutureState::finished, false, true, false },
        { "cancelled", [](Future<int>& f) { f.cancel(); }, FutureState::cancelled, false, true, true },
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.name);
        Future<int> f;
        row.drive(f);
        EXPECT_EQ(f.state(), row.state);
        EXPECT_EQ(f.running(), row.running);
        EXPECT_EQ(f.done(), row.done);
        EXPECT_EQ(f.cancelled(), row.cancelled);
    }
}

TEST(FutureBehaviour, B06_SetRunningOrNotifyCancel)
{
    Future<int> pending;
    EXPECT_TRUE(pending.set_running_or_notify_cancel());
    EXPECT_EQ(pending.state(), FutureState::running);
    EXPECT_EQ(to_string(pending.state()), "RUNNING");

    // Cancelled: false, and a thread waiting on it is released (it counts as done).
    Future<int> cancelled;
    DoneAndNotDone<int> seen;
    std::thread waiter([&] { seen = poolscope::wait(std::vector { cancelled }, std::nullopt, FIRST_COMPLETED); });
    EXPECT_TRUE(cancelled.cancel());
    EXPECT_FALSE(cancelled.set_running_or_notify_cancel());
    waiter.join();
    EXPECT_EQ(cancelled.state(), FutureState::cancelled);
    ASSERT_EQ(seen.done.size(), 1u);
    EXPECT_TRUE(seen.done[0] == cancelled);
    EXPECT_TRUE(seen.not_done.empty());

    // Any other state: an error, and the state is kept.
    Future<int> running;
    ASSERT_TRUE(running.set_running_or_notify_cancel());
    EXPECT_EQ(
        message_of<InvalidStateError>([&] { running.set_running_or_notify_cancel(); }), "Future in unexpected state");
    EXPECT_EQ(running.state(), FutureState::running);

    Future<int> finished;
    finished.set_result(5);
    EXPECT_EQ(
        message_of<InvalidStateError>([&] { finished.set_running_or_notify_cancel(); }), "Future in unexpected state");
    EXPECT_EQ(finished.state(), FutureState::finished);
    EXPECT_EQ(finished.result(0s), 5);

    Future<int> failed;
    failed.set_exception(boom());
    EXPECT_EQ(
        message_of<InvalidStateError>([&] { failed.set_running_or_notify_cancel(); }), "Future in unexpected state");
    EXPECT_EQ(failed.state(), FutureState::finished);
}

TEST(FutureBehaviour, B07_CompletingFinishesWakesWaitersAndRunsCallbacksInCompletingThread)
{
    for (const bool from_running : { false, true }) {
        for (const bool with_error : { false, true }) {
            SCOPED_TRACE(
                std::string(from_running ? "running" : "pending") + (with_error ? "_setException" : "_setResult"));
            Future<int> f;
            if (from_running) {
                ASSERT_TRUE(f.set_running_or_notify_cancel());
            }
            const auto error = boom("completed with an error");

            std::latch waiting(1);
            std::optional<int> woke_with;
            std::exception_ptr woke_error;
            std::thread waiter([&] {
                waiting.count_down();
                try {
                    woke_with = f.result(generous);
                } catch (...) {
                    woke_error = std::current_exception();
                }
            });

            std::thread::id callback_thread;
            bool nested_ran = false;
            f.add_done_callback([&](Future<int> g) {
                callback_thread = std::this_thread::get_id();
                EXPECT_EQ(g.state(), FutureState::finished);
                // Both take the future's lock: they would deadlock if callbacks ran with it held.
                EXPECT_FALSE(g.cancel());
                g.add_done_callback([&](Future<int>) { nested_ran = true; });
            });

            waiting.wait();
            std::thread completer([&] {
                if (with_error)
                    f.set_exception(error);
                else
                    f.set_result(42);
            });
            const auto completer_id = completer.get_id();
            completer.join();
            waiter.join();

            EXPECT_EQ(f.state(), FutureState::finished);
            EXPECT_FALSE(f.running());
            EXPECT_EQ(callback_thread, completer_id);
            EXPECT_TRUE(nested_ran);
            if (with_error) {
                EXPECT_FALSE(woke_with.has_value());
                EXPECT_EQ(woke_error, error);
            } else {
                EXPECT_EQ(woke_with, 42);
                EXPECT_FALSE(woke_error);
            }
        }
    }
}

TEST(FutureBehaviour, B08_CompletingADoneFutureThrowsInvalidStateErrorAndKeepsFirstOutcome)
{
    int calls = 0;
    const auto count = [&](Future<int>) { ++calls; };

    Future<int> finished;
    finished.add_done_callback(count);
    finished.set_result(1);
    EXPECT_TRUE(contains(message_of<InvalidStateError>([&] { finished.set_result(2); }), "FINISHED"));
    EXPECT_TRUE(contains(message_of<InvalidStateError>([&] { finished.set_exception(boom()); }), "FINISHED"));
    EXPECT_EQ(finished.result(0s), 1);
    EXPECT_EQ(finished.exception(0s), nullptr);
    EXPECT_EQ(calls, 1);

    calls = 0;
    Future<int> failed;
    failed.add_done_callback(count);
    const auto first_error = boom("first");
    failed.set_exception(first_error);
    EXPECT_TRUE(contains(message_of<InvalidStateError>([&] { failed.set_result(2); }), "FINISHED"));
    EXPECT_TRUE(contains(message_of<InvalidStateError>([&] { failed.set_exception(boom("second")); }), "FINISHED"));
    EXPECT_EQ(failed.exception(0s), first_error);
    EXPECT_EQ(calls, 1);

    calls = 0;
    Future<int> cancelled;
    cancelled.add_done_callback(count);
    ASSERT_TRUE(cancelled.cancel());
    EXPECT_TRUE(contains(message_of<InvalidStateError>([&] { cancelled.set_result(2); }), "CANCELLED"));
    EXPECT_TRUE(contains(message_of<InvalidStateError>([&] { cancelled.set_exception(boom()); }), "CANCELLED"));
    EXPECT_EQ(cancelled.state(), FutureState::cancelled);
    EXPECT_THROW(cancelled.result(0s), CancelledError);
    EXPECT_EQ(calls, 1);
}

TEST(FutureBehaviour, B09_ResultReturnsTheValueOrRethrowsTheSameExceptionObject)
{
    Future<int> ok;
    ok.set_result(7);
    EXPECT_EQ(ok.result(0s), 7);
    EXPECT_EQ(ok.result(), 7);

    Future<int> bad;
    const auto error = boom("the original");
    bad.set_exception(error);
    const Boom* first = nullptr;
    const Boom* second = nullptr;
    try {
        bad.result(0s);
    } catch (const Boom& e) {
        first = &e;
        EXPECT_STREQ(e.what(), "the original");
    }
    try {
        bad.result();
    } catch (const Boom& e) {
        second = &e;
    }
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first, second);
    try {
        std::rethrow_exception(error);
    } catch (const Boom& e) {
        EXPECT_EQ(&e, first) << "result() must rethrow the stored object, not a copy";
    }

    // Through an executor too: the caller catches the very object the task threw.
    std::atomic<const Boom*> thrown { nullptr };
    ThreadPoolExecutor executor(1);
    auto task = executor.submit([&thrown]() -> int {
        try {
            throw Boom("from the task");
        } catch (const Boom& e) {
            thrown = &e;
            throw;
        }
    });
    const Boom* caught = nullptr;
    try {
        task.result(generous);
    } catch (const Boom& e) {
        caught = &e;
        EXPECT_STREQ(e.what(), "from the task");
    }
    ASSERT_NE(caught, nullptr);
    EXPECT_EQ(caught, thrown.load());
}

TEST(FutureBehaviour, B10_CancelledResultAndExceptionThrowCancelledErrorWhateverTheTimeout)
{
    Future<int> f;
    ASSERT_TRUE(f.cancel());
    const std::vector<std::optional<Duration>> timeouts { std::nullopt, 0s, -1s, 50ms, generous, Duration(1e300) };
    for (const auto& timeout : timeouts) {
        SCOPED_TRACE(timeout ? std::to_string(timeout->count()) + "s" : std::string("none"));
        EXPECT_EQ(message_of<CancelledError>([&] { f.result(timeout); }), CancelledError().what());
        EXPECT_EQ(message_of<CancelledError>([&] { f.exception(timeout); }), CancelledError().what());
    }
}

TEST(FutureBehaviour, B11_PendingOrRunningResultWithZeroTimeoutThrowsTimeoutError)
{
    Future<int> pending;
    Future<int> running;
    ASSERT_TRUE(running.set_running_or_notify_cancel());
    for (auto* f : { &pending, &running }) {
        SCOPED_TRACE(to_string(f->state()));
        const auto state = f->state();
        for (const Duration timeout : { Duration(0s), Duration(-1s) }) {
            EXPECT_EQ(message_of<TimeoutError>([&] { f->result(timeout); }), TimeoutError().what());
            EXPECT_EQ(message_of<TimeoutError>([&] { f->exception(timeout); }), TimeoutError().what());
        }
        EXPECT_EQ(f->state(), state);
    }
}

TEST(FutureBehaviour, B12_BlockedResultWakesWhenAnotherThreadCompletesOrCancels)
{
    EventLog log;
    Gate gate;
    ThreadPoolExecutor executor({ .max_workers = 1, .events = &log });
    auto running = executor.submit([&gate] {
        gate.pass();
        return 7;
    });
    auto queued = executor.submit([] { return 8; }); // stays PENDING behind `running`

    // A generous timeout: returning a value or CancelledError, not TimeoutError, shows it woke early.
    {
        BlockedProbe blocked(log, "result", queued.task_id());
        std::string outcome;
        std::thread waiter([&] {
            try {
                outcome = "value " + std::to_string(queued.result(generous));
            } catch (const CancelledError&) {
                outcome = "CancelledError";
            } catch (const std::exception& e) {
                outcome = e.what();
            }
            blocked.open();
        });
        blocked.wait();
        EXPECT_TRUE(queued.cancel());
        waiter.join();
        EXPECT_EQ(outcome, "CancelledError");
    }
    {
        BlockedProbe blocked(log, "result", running.task_id());
        std::string outcome;
        std::thread waiter([&] {
            try {
                outcome = "value " + std::to_string(running.result(generous));
            } catch (const std::exception& e) {
                outcome = e.what();
            }
            blocked.open();
        });
        blocked.wait();
        gate.open(); // the worker completes it
        waiter.join();
        EXPECT_EQ(outcome, "value 7");
    }
}

TEST(FutureBehaviour, B13_ExceptionReturnsNullOnSuccessOrTheErrorWithoutThrowing)
{
    Future<int> ok;
    ok.set_result(1);
    EXPECT_EQ(ok.exception(0s), nullptr);
    EXPECT_EQ(ok.exception(), nullptr);

    Future<int> bad;
    const auto error = boom("returned, not thrown");
    bad.set_exception(error);
    std::exception_ptr got;
    EXPECT_NO_THROW(got = bad.exception(0s));
    EXPECT_EQ(got, error);
    EXPECT_NO_THROW(got = bad.exception());
    EXPECT_EQ(got, error);

    ThreadPoolExecutor executor(1);
    auto task = executor.submit([]() -> int { throw Boom("task error"); });
    EXPECT_NO_THROW(got = task.exception(generous));
    ASSERT_TRUE(got);
    EXPECT_EQ(message_of<Boom>([&] { std::rethrow_exception(got); }), "task error");
}

TEST(FutureBehaviour, B14_CallbacksAddedBeforeCompletionRunOnceEachInOrderAdded)
{
    const std::vector<std::pair<const char*, std::function<void(Future<int>&)>>> completions {
        { "setResult", [](Future<int>& f) { f.set_result(1); } },
        { "setException", [](Future<int>& f) { f.set_exception(boom()); } },
        { "cancel", [](Future<int>& f) { f.cancel(); } },
        { "runningThenSetResult",
            [](Future<int>& f) {
                f.set_running_or_notify_cancel();
                f.set_result(1);
            } },
    };
    for (const auto& [name, complete] : completions) {
        SCOPED_TRACE(name);
        Future<int> f;
        std::vector<int> order;
        f.add_done_callback([&](Future<int>) { order.push_back(1); });
        f.add_done_callback([&](Future<int>) { order.push_back(2); });
        const std::function<void(Future<int>)> same = [&](Future<int>) { order.push_back(3); };
        f.add_done_callback(same);
        f.add_done_callback(same); // two registrations, two calls (as Python)
        EXPECT_TRUE(order.empty());

        complete(f);
        EXPECT_EQ(order, (std::vector { 1, 2, 3, 3 }));

        // Later attempts to complete it again run nothing.
        EXPECT_EQ(f.cancel(), f.cancelled());
        EXPECT_THROW(f.set_result(9), InvalidStateError);
        EXPECT_EQ(order, (std::vector { 1, 2, 3, 3 }));
    }
}

TEST(FutureBehaviour, B15_AddDoneCallbackOnDoneFutureRunsItNowInTheCallersThread)
{
    Future<int> finished;
    finished.set_result(1);
    Future<int> failed;
    failed.set_exception(boom());
    Future<int> cancelled;
    cancelled.cancel();

    for (auto* f : { &finished, &failed, &cancelled }) {
        SCOPED_TRACE(to_string(f->state()));
        std::thread::id callback_thread;
        bool ran_before_return = false;
        std::thread adder([&] {
            bool ran = false;
            f->add_done_callback([&](Future<int> g) {
                ran = true;
                callback_thread = std::this_thread::get_id();
                EXPECT_TRUE(g == *f);
            });
            ran_before_return = ran;
        });
        const auto adder_id = adder.get_id();
        adder.join();
        EXPECT_TRUE(ran_before_return);
        EXPECT_EQ(callback_thread, adder_id);
    }
}

TEST(FutureBehaviour, B16_ThrowingCallbackIsReportedNotPropagatedAndLaterCallbacksRun)
{
    CapturedErrors errors;
    std::vector<int> ran;

    Future<int> f;
    f.add_done_callback([&](Future<int>) {
        ran.push_back(1);
        throw std::runtime_error("first callback exploded");
    });
    f.add_done_callback([&](Future<int>) {
        ran.push_back(2);
        throw 42; // not a std::exception
    });
    f.add_done_callback([&](Future<int>) { ran.push_back(3); });
    EXPECT_NO_THROW(f.set_result(1));
    EXPECT_EQ(ran, (std::vector { 1, 2, 3 }));
    EXPECT_EQ(f.result(0s), 1);

    // Added to a done future: runs now, still reported rather than thrown.
    EXPECT_NO_THROW(f.add_done_callback([&](Future<int>) {
        ran.push_back(4);
        throw std::logic_error("late callback exploded");
    }));
    EXPECT_EQ(ran, (std::vector { 1, 2, 3, 4 }));

    // Through cancel() too.
    Future<int> c;
    c.add_done_callback([](Future<int>) { throw std::runtime_error("cancel callback exploded"); });
    c.add_done_callback([&](Future<int>) { ran.push_back(5); });
    bool cancelled = false;
    EXPECT_NO_THROW(cancelled = c.cancel());
    EXPECT_TRUE(cancelled);
    EXPECT_EQ(ran, (std::vector { 1, 2, 3, 4, 5 }));

    const auto messages = errors.messages();
    ASSERT_EQ(messages.size(), 4u);
    for (const auto& message : messages)
        EXPECT_TRUE(contains(message, "callback"));
    EXPECT_TRUE(contains(messages[0], "first callback exploded"));
    EXPECT_TRUE(contains(messages[2], "late callback exploded"));
    EXPECT_TRUE(contains(messages[3], "cancel callback exploded"));
}

TEST(FutureBehaviour, B17_ExecutorCallbacksRunOnTheWorkerThread)
{
    // Declared before the executor: its worker writes them until the executor is gone.
    Gate gate;
    Future<std::string> ok_seen;
    Future<std::string> failed_seen;
    ThreadPoolExecutor executor({ .max_workers = 1, .thread_name_prefix = "callbacks" });

    auto ok = executor.submit([&gate] {
        gate.pass();
        return 1;
    });
    auto failed = executor.submit([]() -> int { throw Boom("task failed"); });
    // Both are still undone (the gate is shut), so the callbacks are queued, not run here.
    ok.add_done_callback([&](Future<int>) { ok_seen.set_result(std::string(current_worker_name())); });
    failed.add_done_callback([&](Future<int>) { failed_seen.set_result(std::string(current_worker_name())); });
    EXPECT_TRUE(current_worker_name().empty());
    gate.open();

    EXPECT_EQ(ok_seen.result(generous), "callbacks_0");
    EXPECT_EQ(failed_seen.result(generous), "callbacks_0");
    EXPECT_EQ(executor.thread_names(), (std::vector<std::string> { "callbacks_0" }));
    EXPECT_TRUE(current_worker_name().empty());
}

TEST(FutureEdge, NanTimeoutThrowsInvalidArgument)
{
    Future<int> f;
    const Duration nan(std::nan(""));
    EXPECT_TRUE(contains(message_of<std::invalid_argument>([&] { f.result(nan); }), "NaN"));
    EXPECT_TRUE(contains(message_of<std::invalid_argument>([&] { f.exception(nan); }), "NaN"));
    EXPECT_EQ(f.state(), FutureState::pending);
}

TEST(FutureEdge, FutureOfVoid)
{
    Future<void> ok;
    int calls = 0;
    ok.add_done_callback([&](Future<void> g) {
        ++calls;
        EXPECT_TRUE(g.done());
    });
    ASSERT_TRUE(ok.set_running_or_notify_cancel());
    ok.set_result();
    EXPECT_EQ(calls, 1);
    EXPECT_NO_THROW(ok.result(0s));
    EXPECT_EQ(ok.exception(0s), nullptr);
    EXPECT_TRUE(contains(message_of<InvalidStateError>([&] { ok.set_result(); }), "FINISHED"));

    Future<void> bad;
    bad.set_exception(boom("void failed"));
    EXPECT_EQ(message_of<Boom>([&] { bad.result(0s); }), "void failed");

    Future<void> pending;
    EXPECT_THROW(pending.result(0s), TimeoutError);
    EXPECT_TRUE(pending.cancel());
    EXPECT_THROW(pending.result(), CancelledError);
}

TEST(FutureEdge, CopiesShareOneStateAndHashByIdentity)
{
    Future<int> a;
    Future<int> copy = a;
    Future<int> other;
    EXPECT_TRUE(copy == a);
    EXPECT_FALSE(other == a);
    const std::unordered_set<Future<int>> set { a, copy, other };
    EXPECT_EQ(set.size(), 2u);

    copy.set_result(4);
    EXPECT_TRUE(a.done());
    EXPECT_EQ(a.result(0s), 4);
    EXPECT_FALSE(other.done());
}
