// Conformance tests for wait(): behaviours 18–22 of futures-behaviour.md, plus our deviation from
// CPython (a cancelled future is done for wait(), gh-87893).
//
// "Returns at once" and "had to block" are read from the event log, not from the clock: wait()
// records caller_blocked only when it goes to sleep, in the log of the first future that has one.
// So the sets under test include a Held executor future, which carries the log.

#include "test_support.h"

#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace poolscope;
using namespace poolscope::testing;
using namespace poolscope::testing::standalone;

// wait() without a timeout on a set the test expects it to return from at once. Should it go to
// sleep instead (a bug), held is released so the test fails rather than hangs.
DoneAndNotDone<int> wait_expecting_no_sleep(Held& held, const std::vector<Future<int>>& fs, ReturnWhen when)
{
    const long before = blocked_count(held.log, "wait");
    BlockedProbe blocked(held.log, "wait");
    std::thread rescuer([&] {
        blocked.wait();
        if (blocked_count(held.log, "wait") > before)
            held.release();
    });
    auto result = poolscope::wait(fs, std::nullopt, when);
    blocked.open();
    rescuer.join();
    EXPECT_EQ(blocked_count(held.log, "wait"), before) << "wait() slept although it could return at once";
    return result;
}

} // namespace

TEST(WaitBehaviour, B18_DuplicatesAreRemovedAndAnEmptyListReturnsTwoEmptySets)
{
    // No timeout: with nothing to wait for, returning at all is the check.
    for (const auto when : { FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED }) {
        SCOPED_TRACE(when);
        const auto result = poolscope::wait(std::vector<Future<int>> {}, std::nullopt, when);
        EXPECT_TRUE(result.done.empty());
        EXPECT_TRUE(result.not_done.empty());
    }

    const auto a = finished(1);
    const auto b = failed();
    Future<int> p;
    const Names name { { a, "a" }, { b, "b" }, { p, "p" } };

    // Counted twice, `a` would leave ALL_COMPLETED waiting for a fifth completion forever.
    auto result = poolscope::wait(std::vector { a, b, a, a, b });
    EXPECT_EQ(name(result.done), (Strings { "a", "b" }));
    EXPECT_TRUE(result.not_done.empty());

    result = poolscope::wait(std::vector { p, a, p, p }, 0s);
    EXPECT_EQ(name(result.done), (Strings { "a" }));
    EXPECT_EQ(name(result.not_done), (Strings { "p" }));
}

TEST(WaitBehaviour, B19_FirstCompletedWithSomethingDoneReturnsAtOnce)
{
    Held held;
    const auto a = finished(1);
    const auto b = cancelled();
    const auto c = failed();
    const Names name { { held.future, "held" }, { a, "a" }, { b, "b" }, { c, "c" } };

    const auto result = wait_expecting_no_sleep(held, { held.future, a, b, c }, FIRST_COMPLETED);
    EXPECT_EQ(name(result.done), (Strings { "a", "b", "c" }));
    EXPECT_EQ(name(result.not_done), (Strings { "held" }));

    // Nothing done yet: it returns with the first future another thread completes.
    Future<int> p;
    Future<int> q;
    const Names name2 { { held.future, "held" }, { p, "p" }, { q, "q" } };
    BlockedProbe blocked(held.log, "wait");
    std::thread completer([&] {
        blocked.wait();
        p.set_result(2);
    });
    const auto second = poolscope::wait(std::vector { q, held.future, p }, std::nullopt, FIRST_COMPLETED);
    blocked.open();
    completer.join();
    EXPECT_EQ(name2(second.done), (Strings { "p" }));
    EXPECT_EQ(name2(second.not_done), (Strings { "q", "held" }));
    EXPECT_EQ(blocked_count(held.log, "wait"), 1);
}

TEST(WaitBehaviour, B20_FirstExceptionReturnsAtTheFirstFailureOrWhenAllAreDone)
{
    Held held;
    const auto ok = finished(1);
    const auto gone = cancelled();
    const auto bad = failed();

    {
        SCOPED_TRACE("an already failed future: returns at once");
        const Names name { { held.future, "held" }, { ok, "ok" }, { bad, "bad" } };
        const auto result = wait_expecting_no_sleep(held, { ok, held.future, bad }, FIRST_EXCEPTION);
        EXPECT_EQ(name(result.done), (Strings { "ok", "bad" }));
        EXPECT_EQ(name(result.not_done), (Strings { "held" }));
    }
    {
        SCOPED_TRACE("returns at the first failure");
        Future<int> p;
        Future<int> q;
        Future<int> r;
        const Names name { { held.future, "held" }, { p, "p" }, { q, "q" }, { r, "r" } };
        BlockedProbe blocked(held.log, "wait");
        std::thread completer([&] {
            blocked.wait();
            p.set_result(1);
            q.cancel();
            // A window in which a wrong early return would show: r is still pending when it ends.
            EXPECT_THROW(r.result(50ms), TimeoutError);
            r.set_exception(std::make_exception_ptr(Boom("first failure")));
        });
        const auto result = poolscope::wait(std::vector { p, q, r, held.future }, std::nullopt, FIRST_EXCEPTION);
        blocked.open();
        completer.join();
        EXPECT_EQ(name(result.done), (Strings { "p", "q", "r" }));
        EXPECT_EQ(name(result.not_done), (Strings { "held" }));
        EXPECT_EQ(blocked_count(held.log, "wait"), 1);
    }
    {
        // With a success and a cancellation already in, it still goes to sleep, and returns only
        // once the last future is done.
        SCOPED_TRACE("successes and cancellations only count down");
        const Names name { { held.future, "held" }, { ok, "ok" }, { gone, "gone" } };
        BlockedProbe blocked(held.log, "wait");
        std::thread releaser([&] {
            blocked.wait();
            held.release();
        });
        const auto result = poolscope::wait(std::vector { ok, gone, held.future }, std::nullopt, FIRST_EXCEPTION);
        blocked.open();
        releaser.join();
        EXPECT_EQ(blocked_count(held.log, "wait"), 2);
        EXPECT_EQ(name(result.done), (Strings { "ok", "gone", "held" }));
        EXPECT_TRUE(result.not_done.empty());
        EXPECT_EQ(held.future.result(0s), 0);
    }
}

TEST(WaitBehaviour, B21_AllCompletedReturnsWhenEveryFutureIsFinishedOrCancelled)
{
    Held held;
    const auto ok = finished(1);
    const auto bad = failed();
    const auto gone = cancelled();
    Future<int> last;
    const Names name { { held.future, "held" }, { ok, "ok" }, { bad, "bad" }, { gone, "gone" }, { last, "last" } };

    // A failure already in does not end it; the last two complete while it sleeps, one finishing
    // on the worker, the other cancelled.
    BlockedProbe blocked(held.log, "wait");
    std::thread completer([&] {
        blocked.wait();
        held.release();
        EXPECT_EQ(held.future.result(generous), 0);
        // A window in which a wrong early return would show: `last` is still pending when it ends.
        EXPECT_THROW(last.result(50ms), TimeoutError);
        EXPECT_TRUE(last.cancel());
    });
    const auto result = poolscope::wait(std::vector { ok, held.future, bad, last, gone });
    blocked.open();
    completer.join();
    EXPECT_EQ(blocked_count(held.log, "wait"), 1);
    EXPECT_EQ(name(result.done), (Strings { "ok", "held", "bad", "last", "gone" }));
    EXPECT_TRUE(result.not_done.empty());
}

TEST(WaitBehaviour, B22_TimeoutRunningOutReturnsTheSplitAndNeverThrows)
{
    Future<int> p;
    Future<int> q;
    const auto ok = finished(1);
    const auto gone = cancelled();
    const Names name { { p, "p" }, { q, "q" }, { ok, "ok" }, { gone, "gone" } };

    struct Row {
        ReturnWhen when;
        std::vector<Future<int>> fs;
        Strings done, not_done;
    };
    const std::vector<Row> rows {
        { FIRST_COMPLETED, { p, q }, {}, { "p", "q" } },
        { FIRST_EXCEPTION, { p, ok, gone }, { "ok", "gone" }, { "p" } },
        { ALL_COMPLETED, { ok, p, gone, q }, { "ok", "gone" }, { "p", "q" } },
    };
    for (const auto& row : rows) {
        for (const Duration timeout : { Duration(50ms), Duration(0s), Duration(-1s) }) {
            SCOPED_TRACE(std::to_string(row.when) + " after " + std::to_string(timeout.count()) + "s");
            DoneAndNotDone<int> result;
            EXPECT_NO_THROW(result = poolscope::wait(row.fs, timeout, row.when));
            EXPECT_EQ(name(result.done), row.done);
            EXPECT_EQ(name(result.not_done), row.not_done);
        }
    }
    EXPECT_FALSE(p.done());
    EXPECT_FALSE(q.done());
}

TEST(WaitBehaviour, B22_Deviation_WaitWithoutTimeoutReturnsWhenTheLastFutureIsCancelled)
{
    Held held;
    const auto ok = finished(1);
    auto queued = held.executor.submit([] { return 2; }); // PENDING behind held.future
    const Names name { { ok, "ok" }, { queued, "queued" } };

    BlockedProbe blocked(held.log, "wait");
    bool cancel_returned = false;
    std::thread canceller([&] {
        blocked.wait();
        cancel_returned = queued.cancel();
    });
    const auto result = poolscope::wait(std::vector { ok, queued });
    blocked.open();
    canceller.join();
    EXPECT_TRUE(cancel_returned);
    EXPECT_TRUE(queued.cancelled());
    EXPECT_EQ(name(result.done), (Strings { "ok", "queued" }));
    EXPECT_TRUE(result.not_done.empty());
}

TEST(WaitBehaviour, B22_Deviation_WaitWithoutTimeoutReturnsWhenShutdownCancelsFutures)
{
    // CPython never notifies these waiters (gh-87893, gh-109934); we do.
    Held held;
    auto queued1 = held.executor.submit([] { return 1; });
    auto queued2 = held.executor.submit([] { return 2; });
    const Names name { { queued1, "queued1" }, { queued2, "queued2" } };

    BlockedProbe blocked(held.log, "wait");
    std::thread canceller([&] {
        blocked.wait();
        held.executor.shutdown(/*wait=*/false, /*cancel_futures=*/true);
    });
    const auto result = poolscope::wait(std::vector { queued1, queued2 });
    blocked.open();
    canceller.join();
    EXPECT_TRUE(queued1.cancelled());
    EXPECT_TRUE(queued2.cancelled());
    EXPECT_EQ(name(result.done), (Strings { "queued1", "queued2" }));
    EXPECT_TRUE(result.not_done.empty());
}

TEST(WaitEdge, NanTimeoutThrowsInvalidArgument)
{
    Future<int> p;
    const Duration nan(std::nan(""));
    EXPECT_THROW(poolscope::wait(std::vector { p }, nan), std::invalid_argument);
    EXPECT_THROW(poolscope::wait(std::vector<Future<int>> {}, nan), std::invalid_argument);
}

TEST(WaitEdge, InvalidReturnWhenThrowsInvalidArgument)
{
    Future<int> p;
    EXPECT_THROW(poolscope::wait(std::vector { p }, std::nullopt, static_cast<ReturnWhen>(42)), std::invalid_argument);
    // The failed call left nothing behind on the future.
    p.set_result(1);
    EXPECT_EQ(poolscope::wait(std::vector { p }).done.size(), 1u);
}

TEST(WaitEdge, FutureOfVoid)
{
    Future<void> a;
    Future<void> b;
    a.set_result();
    const auto result = poolscope::wait(std::vector { a, b, a }, 0s);
    ASSERT_EQ(result.done.size(), 1u);
    EXPECT_TRUE(result.done[0] == a);
    ASSERT_EQ(result.not_done.size(), 1u);
    EXPECT_TRUE(result.not_done[0] == b);
}
