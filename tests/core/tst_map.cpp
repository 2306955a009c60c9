// Executor.map, behaviours 26–33 of /work/shared/futures-behaviour.md.

#include "test_support.h"

#include <atomic>
#include <concepts>
#include <deque>
#include <iterator>
#include <latch>
#include <list>
#include <mutex>
#include <optional>
#include <ranges>
#include <string>
#include <vector>

using namespace poolscope;
using namespace poolscope::testing;
using namespace poolscope::testing::states;

// Range-for and the std::ranges algorithms take the results as an input range (one pass).
static_assert(std::input_iterator<MapResult<int>::iterator>);
static_assert(std::ranges::input_range<MapResult<int>>);
static_assert(std::same_as<std::iter_reference_t<MapResult<std::string>::iterator>, const std::string&>);

TEST(MapBehaviour, B26_EveryTaskIsSubmittedBeforeMapReturnsAndRunsUnread)
{
    std::atomic<int> calls { 0 };
    Gate gate;
    ThreadPoolExecutor executor(1);
    GateOpener opener(gate);
    // Holds the only worker, so nothing map() submitted can have started when it returns.
    auto blocker = executor.submit([&gate] { gate.pass(); });
    auto results = executor.map(
        [&calls](int x) {
            ++calls;
            return x * 2;
        },
        std::vector { 1, 2, 3, 4, 5 });
    ASSERT_EQ(results.futures().size(), 5u);
    EXPECT_EQ(states_of(results.futures()), std::vector(5, pending));

    // From here on submit() throws, so whatever runs now was queued by map() itself.
    executor.shutdown(/*wait=*/false);
    opener.open();
    const auto split = wait(results.futures(), generous);
    EXPECT_EQ(split.done.size(), 5u);
    EXPECT_TRUE(split.not_done.empty());
    EXPECT_EQ(states_of(results.futures()), std::vector(5, finished));
    EXPECT_EQ(calls.load(), 5);
}

TEST(MapBehaviour, B27_ResultsComeInInputOrder)
{
    constexpr int n = 4;
    // Task i finishes only after task i + 1 has, so they complete in reverse input order.
    std::deque<std::latch> finished_task;
    for (int i = 0; i < n; ++i)
        finished_task.emplace_back(1);
    std::mutex mutex;
    std::vector<int> completion_order;

    ThreadPoolExecutor executor(n);
    auto results = executor.map(
        [&](int i) {
            if (i + 1 < n)
                finished_task[i + 1].wait();
            {
                std::lock_guard lock(mutex);
                completion_order.push_back(i);
            }
            finished_task[i].count_down();
            return i * 10;
        },
        std::views::iota(0, n));

    std::vector<int> yielded;
    for (int value : results)
        yielded.push_back(value);
    EXPECT_EQ(yielded, (std::vector { 0, 10, 20, 30 }));
    std::lock_guard lock(mutex);
    EXPECT_EQ(completion_order, (std::vector { 3, 2, 1, 0 }));
}

TEST(MapBehaviour, B28_SeveralRangesAreZippedToTheShortest)
{
    std::atomic<int> calls { 0 };
    ThreadPoolExecutor executor(2);
    const auto join = [&calls](int n, const std::string& word, char mark) {
        ++calls;
        return std::to_string(n) + word + mark;
    };

    auto shortest_last = executor.map(
        join, std::vector { 1, 2, 3, 4 }, std::vector<std::string> { "a", "bb", "ccc" }, std::vector { '!', '?' });
    EXPECT_EQ(shortest_last.futures().size(), 2u);
    EXPECT_EQ(shortest_last.to_vector(), (std::vector<std::string> { "1a!", "2bb?" }));

    auto shortest_first
        = executor.map(join, std::vector { 7 }, std::vector<std::string> { "x", "y" }, std::vector { '.', ',', ';' });
    EXPECT_EQ(shortest_first.to_vector(), (std::vector<std::string> { "7x." }));

    auto one_empty = executor.map(join, std::vector { 1, 2 }, std::vector<std::string> {}, std::vector { '.' });
    EXPECT_TRUE(one_empty.futures().empty());
    EXPECT_EQ(one_empty.next(), std::nullopt);

    executor.shutdown();
    EXPECT_EQ(calls.load(), 3);
}

TEST(MapBehaviour, B29_TaskExceptionIsThrownAtItsPositionAndTheRestIsCancelled)
{
    std::atomic<int> late_calls { 0 };
    Gate gate;
    std::latch third_started { 1 };
    ThreadPoolExecutor executor(1);
    GateOpener opener(gate);
    auto results = executor.map(
        [&](int i) {
            if (i == 1)
                throw Boom("item 1 failed");
            if (i == 2) {
                third_started.count_down();
                gate.pass();
            }
            if (i > 2)
                ++late_calls;
            return i * 10;
        },
        std::vector { 0, 1, 2, 3, 4 });
    const auto futures = results.futures();
    ASSERT_EQ(futures.size(), 5u);

    EXPECT_EQ(results.next(), std::optional(0));
    // Item 2 holds the only worker, so items 3 and 4 are still queued when item 1's error surfaces.
    third_started.wait();
    EXPECT_EQ(message_of<Boom>([&] { results.next(); }), "item 1 failed");
    EXPECT_EQ(states_of(futures), (std::vector { finished, finished, running, cancelled, cancelled }));
    EXPECT_EQ(results.next(), std::nullopt) << "iteration ends after the error";

    opener.open();
    EXPECT_EQ(futures[2].result(generous), 20) << "a running task is not cancelled";
    executor.shutdown();
    EXPECT_EQ(late_calls.load(), 0);
}

TEST(MapBehaviour, B30_TimeoutCountsFromTheMapCallAndCancelsWhatIsLeft)
{
    std::atomic<int> calls { 0 };
    Gate first_gate;
    Gate second_gate;
    std::latch item_1_started { 1 };
    ThreadPoolExecutor executor(1);
    GateOpener first_opener(first_gate);
    GateOpener second_opener(second_gate);

    // A zero timeout puts the deadline at the map() call, so every later step is past it.
    auto results = executor.map(
        [&](int i) {
            ++calls;
            if (i == 1) {
                item_1_started.count_down();
                first_gate.pass();
            }
            return i;
        },
        std::vector { 0, 1, 2, 3 }, poolscope::timeout(0s));
    const auto futures = results.futures();
    ASSERT_EQ(futures.size(), 4u);
    // The single worker published item 0 before it picked up item 1.
    item_1_started.wait();
    EXPECT_EQ(results.next(), std::optional(0)) << "a result that is ready is returned after the deadline";
    EXPECT_EQ(message_of<TimeoutError>([&] { results.next(); }), "timed out");
    EXPECT_EQ(states_of(futures), (std::vector { finished, running, cancelled, cancelled }));
    EXPECT_EQ(results.next(), std::nullopt);
    first_opener.open();
    EXPECT_EQ(futures[1].result(generous), 1);

    // Now the awaited future itself is still queued: the 0.2 s run out while the worker is held.
    auto blocker = executor.submit([&second_gate] { second_gate.pass(); });
    auto held_back = executor.map(
        [&calls](int i) {
            ++calls;
            return i;
        },
        std::vector { 10, 11, 12 }, poolscope::timeout(0.2s));
    const auto held_futures = held_back.futures();
    EXPECT_EQ(message_of<TimeoutError>([&] { held_back.next(); }), "timed out");
    EXPECT_EQ(states_of(held_futures), std::vector(3, cancelled));
    second_opener.open();
    blocker.result(generous);

    executor.shutdown();
    EXPECT_EQ(calls.load(), 2) << "only items 0 and 1 of the first map ever ran";
}

TEST(MapBehaviour, B31_DestroyingTheResultCancelsWhatWasNotYielded)
{
    std::atomic<int> calls { 0 };
    Gate gate;
    std::latch item_1_started { 1 };
    ThreadPoolExecutor executor(1);
    GateOpener opener(gate);
    std::vector<Future<int>> futures;
    {
        auto results = executor.map(
            [&](int i) {
                ++calls;
                if (i == 1) {
                    item_1_started.count_down();
                    gate.pass();
                }
                return i;
            },
            std::vector { 0, 1, 2, 3 });
        futures = results.futures();
        EXPECT_EQ(results.next(), std::optional(0));
        item_1_started.wait();
    } // abandoned with item 1 running on the only worker and items 2 and 3 queued
    EXPECT_EQ(states_of(futures), (std::vector { finished, running, cancelled, cancelled }));

    opener.open();
    EXPECT_EQ(futures[1].result(generous), 1);
    executor.shutdown();
    EXPECT_EQ(calls.load(), 2);
}

TEST(MapBehaviour, B32_MapAfterShutdownThrowsFromTheCallItself)
{
    std::atomic<int> calls { 0 };
    ThreadPoolExecutor executor(2);
    executor.shutdown();
    const auto message = message_of<ExecutorShutdownError>([&] {
        // Deliberately not iterated: the error must come from map() itself.
        auto results = executor.map(
            [&calls](int x) {
                ++calls;
                return x;
            },
            std::vector { 1, 2, 3 });
        ADD_FAILURE() << "map() returned " << results.futures().size() << " futures";
    });
    EXPECT_EQ(message, "cannot schedule new futures after shutdown");
    EXPECT_EQ(calls.load(), 0);
}

// B33 (process-pool map with chunksize) is in tst_process_pool.cpp, which is also a worker program.

// The wait that the deadline ends says so: its caller_resumed is labelled "deadline" (the timeline
// draws a line there), while a wait that got its result is labelled with the call.
TEST(MapExtras, AWaitEndedByTheDeadlineIsRecordedAsSuch)
{
    EventLog log;
    Gate gate;
    ThreadPoolExecutor executor(ThreadPoolOptions { .max_workers = 1, .events = &log });
    GateOpener opener(gate);
    auto blocker = executor.submit([&gate] { gate.pass(); });
    auto results = executor.map([](int i) { return i; }, std::vector { 1, 2 }, poolscope::timeout(0.05s));
    EXPECT_EQ(message_of<TimeoutError>([&] { results.next(); }), "timed out");
    opener.open();
    blocker.result(generous);
    executor.shutdown();

    std::vector<std::string> resumed;
    for (const Event& e : log.events())
        if (e.kind == EventKind::caller_resumed)
            resumed.push_back(e.label);
    ASSERT_FALSE(resumed.empty());
    EXPECT_EQ(resumed.front(), "deadline");
    EXPECT_EQ(std::count(resumed.begin(), resumed.end(), std::string("deadline")), 1);
}

TEST(MapExtras, NegativeTimeoutStillReturnsReadyResults)
{
    std::atomic<int> calls { 0 };
    Gate gate;
    ThreadPoolExecutor executor(1);
    GateOpener opener(gate);
    const auto square = [&calls](int x) {
        ++calls;
        return x * x;
    };

    // The deadline is already behind us (Python: check once, don't wait), yet every result is ready.
    auto ready = executor.map(square, std::vector { 1, 2, 3 }, poolscope::timeout(-1s));
    EXPECT_TRUE(wait(ready.futures(), generous).not_done.empty());
    EXPECT_EQ(ready.to_vector(), (std::vector { 1, 4, 9 }));

    auto blocker = executor.submit([&gate] { gate.pass(); });
    auto not_ready = executor.map(square, std::vector { 4, 5 }, poolscope::timeout(-1s));
    const auto futures = not_ready.futures();
    EXPECT_EQ(message_of<TimeoutError>([&] { not_ready.next(); }), "timed out");
    EXPECT_EQ(states_of(futures), std::vector(2, cancelled));

    opener.open();
    executor.shutdown();
    EXPECT_EQ(calls.load(), 3);
}

TEST(MapExtras, RangesOfDifferentTypesIncludingAnEndlessOne)
{
    ThreadPoolExecutor executor(2);
    const std::list<std::string> words { "a", "b", "c" };
    // iota(1) never ends: only zip-shortest stops the submission loop.
    auto results = executor.map(
        [](const std::string& word, int n) { return word + std::to_string(n); }, words, std::views::iota(1));
    std::vector<std::string> yielded;
    for (const std::string& value : results)
        yielded.push_back(value);
    EXPECT_EQ(yielded, (std::vector<std::string> { "a1", "b2", "c3" }));
}

TEST(MapExtras, ToVectorCollectsWhatIsLeftAndThrowsLikeNext)
{
    ThreadPoolExecutor executor(2);
    const auto identity = [](int x) { return x; };

    auto results = executor.map(identity, std::vector { 1, 2, 3, 4 });
    EXPECT_EQ(results.next(), std::optional(1));
    EXPECT_EQ(results.to_vector(), (std::vector { 2, 3, 4 }));
    EXPECT_EQ(results.next(), std::nullopt);
    EXPECT_TRUE(results.to_vector().empty());

    auto failing = executor.map(
        [](int x) {
            if (x == 2)
                throw Boom("two is not allowed");
            return x;
        },
        std::vector { 1, 2, 3 });
    EXPECT_EQ(message_of<Boom>([&] { failing.to_vector(); }), "two is not allowed");
    EXPECT_EQ(failing.next(), std::nullopt);
}

TEST(MapExtras, EmptyRangeSubmitsNothing)
{
    ThreadPoolExecutor executor(2);
    auto results = executor.map([](int x) { return x; }, std::vector<int> {});
    EXPECT_TRUE(results.futures().empty());
    EXPECT_TRUE(results.begin() == results.end());
    EXPECT_EQ(executor.thread_count(), 0);
}
