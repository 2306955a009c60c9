// Conformance tests for as_completed(): behaviours 23–25 of futures-behaviour.md, plus our
// deviation from CPython (a cancelled future is yielded, gh-87893).
//
// "Without blocking" is read from the event log, not from the clock: as_completed() records
// caller_blocked only when it goes to sleep, in the log of the first future that has one. So the
// sets under test include a Held executor future, which carries the log.

#include "test_support.h"

#include <cmath>
#include <concepts>
#include <iterator>
#include <optional>
#include <ranges>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace poolscope;
using namespace poolscope::testing;
using namespace poolscope::testing::standalone;

// Range-for and the std::ranges algorithms take it as an input range (one pass) of futures.
static_assert(std::input_iterator<AsCompleted<int>::iterator>);
static_assert(std::ranges::input_range<AsCompleted<int>>);
static_assert(std::same_as<std::ranges::range_value_t<AsCompleted<int>>, Future<int>>);

TEST(AsCompletedBehaviour, B23_EachDistinctFutureIsYieldedOnce)
{
    const auto a = finished(1);
    const auto b = failed();
    const auto c = cancelled();
    Future<int> p;
    Future<int> q;
    const Names name { { a, "a" }, { b, "b" }, { c, "c" }, { p, "p" }, { q, "q" } };

    Strings yielded;
    for (const auto& f : poolscope::as_completed(std::vector { a, b, a, c, b, a }))
        yielded.push_back(name(f));
    EXPECT_EQ(yielded, (Strings { "a", "b", "c" }));

    // Duplicates of pending futures too, completed from another thread.
    yielded.clear();
    auto completions = poolscope::as_completed(std::vector { p, a, q, p, q, q });
    std::thread completer([&] {
        q.set_result(2);
        p.set_result(3);
    });
    for (const auto& f : completions)
        yielded.push_back(name(f));
    completer.join();
    EXPECT_EQ(yielded, (Strings { "a", "q", "p" }));
    EXPECT_EQ(completions.next(), std::nullopt);
}

TEST(AsCompletedBehaviour, B24_DoneFuturesComeFirstWithoutBlockingThenCompletionOrder)
{
    Held held;
    const auto d1 = finished(1);
    const auto d2 = cancelled();
    const auto d3 = failed();
    Future<int> p1;
    Future<int> p2;
    const Names name { { held.future, "held" }, { d1, "d1" }, { d2, "d2" }, { d3, "d3" }, { p1, "p1" }, { p2, "p2" } };

    auto completions = poolscope::as_completed(std::vector { p1, d1, held.future, d2, p2, d3 });
    Strings yielded;
    for (int i = 0; i < 3; ++i) {
        auto f = completions.next();
        ASSERT_TRUE(f);
        yielded.push_back(name(*f));
    }
    EXPECT_EQ(yielded, (Strings { "d1", "d2", "d3" })); // input order
    EXPECT_EQ(blocked_count(held.log, "as_completed"), 0);

    // One thread completes the rest in a known order: p2, p1, then held (on the worker).
    std::thread completer([&] {
        p2.set_result(2);
        p1.set_result(1);
        held.release();
    });
    while (auto f = completions.next())
        yielded.push_back(name(*f));
    completer.join();
    EXPECT_EQ(yielded, (Strings { "d1", "d2", "d3", "p2", "p1", "held" }));
}

TEST(AsCompletedBehaviour, B25_DeadlinePassedThrowsTimeoutErrorAfterYieldingDoneFutures)
{
    const auto d1 = finished(1);
    const auto d2 = failed();
    Future<int> p1;
    Future<int> p2;
    const Names name { { d1, "d1" }, { d2, "d2" }, { p1, "p1" }, { p2, "p2" } };
    // Six entries, four distinct futures: M is 4.
    const std::vector fs { d1, p1, d1, p2, d2, p1 };

    for (const Duration timeout : { Duration(50ms), Duration(0s), Duration(-1s) }) {
        SCOPED_TRACE(std::to_string(timeout.count()) + "s");
        Strings yielded;
        std::string message;
        try {
            for (const auto& f : poolscope::as_completed(fs, timeout))
                yielded.push_back(name(f));
        } catch (const TimeoutError& e) {
            message = e.what();
        }
        EXPECT_EQ(yielded, (Strings { "d1", "d2" }));
        EXPECT_EQ(message, "2 (of 4) futures unfinished");
    }

    // A future that completes before the iteration notices the deadline is yielded as well, and
    // is no longer counted as unfinished.
    auto completions = poolscope::as_completed(fs, 0s);
    p2.set_result(2);
    Strings yielded;
    std::string message;
    try {
        while (auto f = completions.next())
            yielded.push_back(name(*f));
    } catch (const TimeoutError& e) {
        message = e.what();
    }
    EXPECT_EQ(yielded, (Strings { "d1", "d2", "p2" }));
    EXPECT_EQ(message, "1 (of 4) futures unfinished");
}

TEST(AsCompletedBehaviour, B25_Deviation_CancelledFuturesAreYielded)
{
    // CPython never yields futures cancelled by shutdown(cancel_futures=True) (gh-87893); we do.
    Held held;
    auto queued1 = held.executor.submit([] { return 1; }); // both PENDING behind held.future
    auto queued2 = held.executor.submit([] { return 2; });
    const Names name { { queued1, "queued1" }, { queued2, "queued2" } };

    BlockedProbe blocked(held.log, "as_completed");
    std::thread canceller([&] {
        blocked.wait();
        EXPECT_TRUE(queued1.cancel());
        held.executor.shutdown(/*wait=*/false, /*cancel_futures=*/true);
    });
    Strings yielded;
    for (const auto& f : poolscope::as_completed(std::vector { queued2, queued1 })) {
        EXPECT_TRUE(f.cancelled());
        yielded.push_back(name(f));
    }
    blocked.open();
    canceller.join();
    EXPECT_EQ(yielded, (Strings { "queued1", "queued2" })); // cancellation order
}

TEST(AsCompletedEdge, EmptyListYieldsNothing)
{
    for (const auto& timeout : { std::optional<Duration> {}, std::optional<Duration>(0s) }) {
        int count = 0;
        EXPECT_NO_THROW({
            for (const auto& f : poolscope::as_completed(std::vector<Future<int>> {}, timeout)) {
                (void)f;
                ++count;
            }
        });
        EXPECT_EQ(count, 0);
    }
}

TEST(AsCompletedEdge, AllDoneBeforeAnExpiredDeadlineIsNoTimeout)
{
    const auto a = finished(1);
    const auto b = cancelled();
    int count = 0;
    EXPECT_NO_THROW({
        for (const auto& f : poolscope::as_completed(std::vector { a, b }, 0s)) {
            EXPECT_TRUE(f.done());
            ++count;
        }
    });
    EXPECT_EQ(count, 2);
}

TEST(AsCompletedEdge, NanTimeoutThrowsInvalidArgument)
{
    Future<int> p;
    EXPECT_THROW(poolscope::as_completed(std::vector { p }, Duration(std::nan(""))), std::invalid_argument);
}

TEST(AsCompletedEdge, LeavingTheLoopEarlyDetachesFromTheFutures)
{
    const auto a = finished(1);
    Future<int> p;
    {
        auto completions = poolscope::as_completed(std::vector { a, p });
        for (const auto& f : completions) {
            EXPECT_TRUE(f == a);
            break;
        }
    }
    // Completing p afterwards must not reach the destroyed iteration (ASan/TSan would tell).
    p.set_result(2);
    EXPECT_EQ(p.result(0s), 2);
}

TEST(AsCompletedEdge, FutureOfVoid)
{
    Future<void> a;
    Future<void> b;
    b.set_result();
    auto completions = poolscope::as_completed(std::vector { a, b, a });
    std::thread completer([&] { a.set_result(); });
    std::vector<Future<void>> yielded;
    for (const auto& f : completions)
        yielded.push_back(f);
    completer.join();
    ASSERT_EQ(yielded.size(), 2u);
    EXPECT_TRUE(yielded[0] == b);
    EXPECT_TRUE(yielded[1] == a);
}
