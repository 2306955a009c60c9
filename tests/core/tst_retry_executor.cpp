// RetryExecutor: retry with exponential backoff around a ThreadPoolExecutor (exercise 11).
//
// Backoffs are tiny (1-2 ms) where the test only needs the chain to go on, and an hour where the
// chain must stay in its backoff while the test acts: an hour never elapses, so the test does not
// depend on how fast the machine is, and a destructor that waited for it would hang the test.

#include "test_support.h"

#include <atomic>
#include <cmath>
#include <latch>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace poolscope;
using namespace poolscope::testing;

namespace {

constexpr Duration an_hour = std::chrono::hours(1);

std::vector<Event> events_of(const EventLog& log, std::uint64_t task_id, EventKind kind)
{
    std::vector<Event> out;
    for (const auto& e : log.events()) {
        if (e.task_id == task_id && e.kind == kind)
            out.push_back(e);
    }
    return out;
}

std::vector<int> attempts_of(const std::vector<Event>& events)
{
    std::vector<int> out;
    for (const auto& e : events)
        out.push_back(e.attempt);
    return out;
}

std::vector<std::string> labels_of(const std::vector<Event>& events)
{
    std::vector<std::string> out;
    for (const auto& e : events)
        out.push_back(e.label);
    return out;
}

/// Opens once the log records a `retried` event for `attempt`: the chain is then in its backoff.
/// (The observer only touches the gate: observers must not call into futures or executors.)
class RetriedProbe {
public:
    RetriedProbe(EventLog& log, int attempt)
        : log_(log)
    {
        log_.set_observer([this, attempt](const Event& e) {
            if (e.kind == EventKind::retried && e.attempt == attempt)
                gate_.open();
        });
    }
    ~RetriedProbe() { log_.set_observer({}); }
    RetriedProbe(const RetriedProbe&) = delete;
    RetriedProbe& operator=(const RetriedProbe&) = delete;

    void wait() const { gate_.pass(); }

private:
    EventLog& log_;
    Gate gate_;
};

/// A call that throws Boom("attempt <n>") on its first `failures` attempts and then returns x * 2.
/// Copies share the count, as the attempts of one call do.
struct Flaky {
    int failures = 0;
    std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);

    int operator()(int x) const
    {
        const int n = (*calls)++;
        if (n < failures)
            throw Boom("attempt " + std::to_string(n));
        return x * 2;
    }
};

} // namespace

TEST(RetryExecutor, SucceedsOnTheThirdTry)
{
    EventLog log;
    Flaky flaky { .failures = 2 };
    std::atomic<int> callbacks { 0 };
    Future<int> future;
    {
        ThreadPoolExecutor pool({ .max_workers = 2, .events = &log });
        RetryExecutor retry(pool, RetryOptions { .max_retries = 3, .base_delay = 1ms });
        future = retry.submit(flaky, 21);
        future.add_done_callback([&callbacks](const Future<int>&) { ++callbacks; });
        EXPECT_EQ(future.result(generous), 42);
    }
    // Both executors are gone: every thread that could run the callback again has ended.
    EXPECT_EQ(flaky.calls->load(), 3);
    EXPECT_EQ(callbacks.load(), 1);
    EXPECT_EQ(future.state(), FutureState::finished);

    const std::uint64_t id = future.task_id();
    EXPECT_NE(id, 0u) << "the caller's future carries the task id of its attempts";
    EXPECT_EQ(attempts_of(events_of(log, id, EventKind::submitted)), (std::vector { 0, 1, 2 }));
    EXPECT_EQ(attempts_of(events_of(log, id, EventKind::started)), (std::vector { 0, 1, 2 }));
    EXPECT_EQ(attempts_of(events_of(log, id, EventKind::failed)), (std::vector { 0, 1 }));
    EXPECT_EQ(attempts_of(events_of(log, id, EventKind::finished)), (std::vector { 2 }));
    const auto retried = events_of(log, id, EventKind::retried);
    EXPECT_EQ(attempts_of(retried), (std::vector { 1, 2 }));
    EXPECT_EQ(labels_of(retried), (Strings { "backoff 0.001 s", "backoff 0.002 s" }));
    for (const auto& e : retried)
        EXPECT_EQ(e.worker, -1);
    const auto events = log.events();
    for (const auto& e : events) {
        if (e.task_id != 0) {
            EXPECT_EQ(e.task_id, id) << "one call is one task, whatever the number of attempts";
        }
    }
    EXPECT_EQ(find_invariant_violations(events, 2), Strings {});
}

TEST(RetryExecutor, ExhaustsItsRetriesAndRethrowsTheLastAttemptsError)
{
    EventLog log;
    std::atomic<int> calls { 0 };
    ThreadPoolExecutor pool({ .max_workers = 1, .events = &log });
    RetryExecutor retry(pool, RetryOptions { .max_retries = 2, .base_delay = 1ms });
    // Each attempt throws something else, so the caller can tell which one it got.
    auto future = retry.submit([&calls]() -> int {
        const int n = calls++;
        if (n < 2)
            throw Boom("attempt " + std::to_string(n));
        throw std::out_of_range("attempt " + std::to_string(n));
    });

    EXPECT_EQ(message_of<std::out_of_range>([&] { future.result(generous); }), "attempt 2");
    EXPECT_EQ(calls.load(), 3);
    EXPECT_EQ(future.state(), FutureState::finished);
    const auto failed = events_of(log, future.task_id(), EventKind::failed);
    EXPECT_EQ(attempts_of(failed), (std::vector { 0, 1, 2 }));
    EXPECT_EQ(labels_of(failed), (Strings { "attempt 0", "attempt 1", "attempt 2" }));
    EXPECT_EQ(attempts_of(events_of(log, future.task_id(), EventKind::retried)), (std::vector { 1, 2 }));
}

TEST(RetryExecutor, ZeroRetriesRunsOnceAndNeverRetries)
{
    EventLog log;
    Flaky flaky { .failures = 1 };
    ThreadPoolExecutor pool({ .max_workers = 1, .events = &log });
    RetryExecutor retry(pool, RetryOptions { .max_retries = 0, .base_delay = 1ms });
    auto future = retry.submit(flaky, 1);

    EXPECT_EQ(message_of<Boom>([&] { future.result(generous); }), "attempt 0");
    EXPECT_EQ(flaky.calls->load(), 1);
    EXPECT_EQ(attempts_of(events_of(log, future.task_id(), EventKind::submitted)), (std::vector { 0 }));
    EXPECT_TRUE(events_of(log, future.task_id(), EventKind::retried).empty());
}

TEST(RetryExecutor, CancellingWhileAnAttemptRunsLetsItFinishAndStartsNoOther)
{
    EventLog log;
    Gate gate;
    std::latch first_started { 1 };
    std::atomic<int> calls { 0 };
    std::atomic<int> callbacks { 0 };
    Future<int> future;
    {
        ThreadPoolExecutor pool({ .max_workers = 1, .events = &log });
        RetryExecutor retry(pool, RetryOptions { .max_retries = 3, .base_delay = 1ms });
        GateOpener opener(gate);
        future = retry.submit([&]() -> int {
            if (calls++ == 0)
                first_started.count_down();
            gate.pass();
            throw Boom("failed after the cancel");
        });
        future.add_done_callback([&callbacks](const Future<int>&) { ++callbacks; });
        first_started.wait();

        EXPECT_TRUE(future.cancel()) << "the caller's future stays PENDING while an attempt runs";
        EXPECT_EQ(future.state(), FutureState::cancelled);
        opener.open();
        // Lets the running attempt fail and its callback run: after this, a retry would be scheduled.
        pool.shutdown(true);
    }
    EXPECT_EQ(calls.load(), 1);
    EXPECT_EQ(future.state(), FutureState::cancelled);
    EXPECT_EQ(callbacks.load(), 1);
    EXPECT_EQ(message_of<CancelledError>([&] { future.result(0s); }), "the future was cancelled");
    const std::uint64_t id = future.task_id();
    EXPECT_EQ(attempts_of(events_of(log, id, EventKind::submitted)), (std::vector { 0 }));
    EXPECT_EQ(attempts_of(events_of(log, id, EventKind::failed)), (std::vector { 0 }));
    EXPECT_TRUE(events_of(log, id, EventKind::retried).empty());
    EXPECT_EQ(find_invariant_violations(log.events(), 1), Strings {});
}

TEST(RetryExecutor, CancellingWhileAnAttemptIsQueuedCancelsTheAttempt)
{
    EventLog log;
    Gate gate;
    std::atomic<int> calls { 0 };
    ThreadPoolExecutor pool({ .max_workers = 1, .events = &log });
    RetryExecutor retry(pool, RetryOptions { .max_retries = 3, .base_delay = 1ms });
    GateOpener opener(gate);
    // Holds the only worker, so the call's first attempt stays queued.
    auto blocker = pool.submit([&gate] { gate.pass(); });
    auto future = retry.submit([&calls] { return ++calls; });

    EXPECT_TRUE(future.cancel());
    opener.open();
    blocker.result(generous);
    pool.shutdown(true);
    EXPECT_EQ(calls.load(), 0) << "the queued attempt was cancelled with the call";
    EXPECT_EQ(future.state(), FutureState::cancelled);
    const std::uint64_t id = future.task_id();
    EXPECT_EQ(attempts_of(events_of(log, id, EventKind::submitted)), (std::vector { 0 }));
    EXPECT_EQ(attempts_of(events_of(log, id, EventKind::cancelled)), (std::vector { 0 }));
    EXPECT_TRUE(events_of(log, id, EventKind::started).empty());
    EXPECT_EQ(find_invariant_violations(log.events(), 1), Strings {});
}

TEST(RetryExecutor, CancellingDuringABackoffSubmitsNothingMore)
{
    EventLog log;
    Flaky flaky { .failures = 100 };
    Future<int> future;
    {
        ThreadPoolExecutor pool({ .max_workers = 1, .events = &log });
        RetryExecutor retry(pool, RetryOptions { .max_retries = 3, .base_delay = an_hour });
        RetriedProbe in_backoff(log, 1);
        future = retry.submit(flaky, 1);
        in_backoff.wait();

        EXPECT_TRUE(future.cancel());
        EXPECT_EQ(future.state(), FutureState::cancelled);
        // The destructor must not wait out the hour: the call is over.
    }
    EXPECT_EQ(flaky.calls->load(), 1);
    EXPECT_EQ(future.state(), FutureState::cancelled);
    const std::uint64_t id = future.task_id();
    EXPECT_EQ(attempts_of(events_of(log, id, EventKind::submitted)), (std::vector { 0 }));
    const auto retried = events_of(log, id, EventKind::retried);
    EXPECT_EQ(attempts_of(retried), (std::vector { 1 }));
    EXPECT_EQ(labels_of(retried), (Strings { "backoff 3600 s" }));
    EXPECT_EQ(find_invariant_violations(log.events(), 1), Strings {});
}

TEST(RetryExecutor, NoAttemptIsSubmittedBeforeItsBackoffElapsed)
{
    EventLog log;
    Flaky flaky { .failures = 100 };
    const Duration base = 2ms;
    ThreadPoolExecutor pool({ .max_workers = 2, .events = &log });
    RetryExecutor retry(pool, RetryOptions { .max_retries = 3, .base_delay = base });
    auto future = retry.submit(flaky, 1);
    EXPECT_EQ(message_of<Boom>([&] { future.result(generous); }), "attempt 3");

    const auto retried = events_of(log, future.task_id(), EventKind::retried);
    const auto submitted = events_of(log, future.task_id(), EventKind::submitted);
    ASSERT_EQ(attempts_of(retried), (std::vector { 1, 2, 3 }));
    ASSERT_EQ(attempts_of(submitted), (std::vector { 0, 1, 2, 3 }));
    for (int k = 1; k <= 3; ++k) {
        SCOPED_TRACE(k);
        // A lower bound holds however loaded the machine is; only an upper bound would be a timing test.
        const auto delay = std::chrono::duration_cast<std::chrono::nanoseconds>(base * std::ldexp(1.0, k - 1));
        EXPECT_GE(submitted[k].time - retried[k - 1].time, delay);
    }
}

TEST(RetryExecutor, WrappedPoolShutDownBeforeTheRetryIsDueFailsTheCall)
{
    EventLog log;
    std::atomic<int> calls { 0 };
    ThreadPoolExecutor pool({ .max_workers = 1, .events = &log });
    RetryExecutor retry(pool, RetryOptions { .max_retries = 3, .base_delay = 1ms });
    // The attempt shuts the pool down itself, so the shutdown surely comes before the retry is due.
    auto future = retry.submit([&]() -> int {
        ++calls;
        pool.shutdown(false);
        throw Boom("first attempt");
    });

    EXPECT_EQ(message_of<ExecutorShutdownError>([&] { future.result(generous); }),
        "cannot schedule new futures after shutdown");
    EXPECT_EQ(calls.load(), 1);
    const std::uint64_t id = future.task_id();
    EXPECT_EQ(attempts_of(events_of(log, id, EventKind::submitted)), (std::vector { 0 }));
    EXPECT_EQ(attempts_of(events_of(log, id, EventKind::retried)), (std::vector { 1 }));
    pool.shutdown(true);
    EXPECT_EQ(find_invariant_violations(log.events(), 1), Strings {});
    EXPECT_EQ(message_of<ExecutorShutdownError>([&] { retry.submit([] { return 1; }); }),
        "cannot schedule new futures after shutdown")
        << "the first attempt's refusal reaches the caller of submit()";
}

TEST(RetryExecutor, DestructorCompletesEveryChainInFlight)
{
    EventLog log;
    std::vector<Future<int>> recovering;
    std::vector<Future<int>> hopeless;
    {
        ThreadPoolExecutor pool({ .max_workers = 2, .events = &log });
        {
            RetryExecutor retry(pool, RetryOptions { .max_retries = 2, .base_delay = 1ms });
            for (int i = 0; i < 8; ++i) {
                recovering.push_back(retry.submit(Flaky { .failures = i % 3 }, i));
                hopeless.push_back(retry.submit(Flaky { .failures = 100 }, i));
            }
        }
        // The RetryExecutor is gone but the pool is not: its destructor waited for every call.
        for (int i = 0; i < 8; ++i) {
            SCOPED_TRACE(i);
            ASSERT_TRUE(recovering[i].done());
            ASSERT_TRUE(hopeless[i].done());
            EXPECT_EQ(recovering[i].result(0s), i * 2);
            // Read while the pool lives. The caller's future shares this exception object with the
            // last attempt's future, which a pool worker may release after the pool's destructor
            // returned (it does not join its threads); TSan cannot see exception_ptr's reference
            // count, so a read after that point would look like a race with the worker's delete.
            EXPECT_EQ(message_of<Boom>([&] { hopeless[i].result(0s); }), "attempt 2");
        }
    }
    EXPECT_EQ(find_invariant_violations(log.events(), 2), Strings {});
}

TEST(RetryExecutor, ShutdownWithCancelFuturesCancelsCallsInBackoff)
{
    EventLog log;
    ThreadPoolExecutor pool({ .max_workers = 1, .events = &log });
    RetryExecutor retry(pool, RetryOptions { .max_retries = 3, .base_delay = an_hour });
    RetriedProbe in_backoff(log, 1);
    auto waiting = retry.submit(Flaky { .failures = 100 }, 1);
    in_backoff.wait();

    retry.shutdown(true, true);
    EXPECT_EQ(waiting.state(), FutureState::cancelled);
    EXPECT_EQ(message_of<ExecutorShutdownError>([&] { retry.submit(Flaky {}, 2); }),
        "cannot schedule new futures after shutdown");
    EXPECT_EQ(attempts_of(events_of(log, waiting.task_id(), EventKind::submitted)), (std::vector { 0 }));
}

TEST(RetryExecutor, RetryIfChoosesWhichErrorsAreRetried)
{
    ThreadPoolExecutor pool(1);
    RetryExecutor retry(
        pool, RetryOptions { .max_retries = 5, .base_delay = 1ms, .retry_if = [](const std::exception_ptr& error) {
                                try {
                                    std::rethrow_exception(error);
                                } catch (const Boom&) {
                                    return true;
                                } catch (...) {
                                    return false;
                                }
                            } });

    std::atomic<int> calls { 0 };
    auto future = retry.submit([&calls]() -> int {
        if (calls++ == 0)
            throw Boom("worth a retry");
        throw std::logic_error("not worth one");
    });
    EXPECT_EQ(message_of<std::logic_error>([&] { future.result(generous); }), "not worth one");
    EXPECT_EQ(calls.load(), 2);

    std::atomic<int> cancelled_calls { 0 };
    auto cancelled_inside = retry.submit([&cancelled_calls]() -> int {
        ++cancelled_calls;
        throw CancelledError();
    });
    EXPECT_EQ(message_of<CancelledError>([&] { cancelled_inside.result(generous); }), "the future was cancelled");
    EXPECT_EQ(cancelled_calls.load(), 1) << "CancelledError is never retried";
}

TEST(RetryExecutor, VoidCallsAndPoolsWithoutALogWork)
{
    ThreadPoolExecutor pool(2);
    RetryExecutor retry(pool, RetryOptions { .max_retries = 1, .base_delay = 0s });
    std::atomic<int> calls { 0 };
    Future<void> future = retry.submit([&calls] {
        if (calls++ == 0)
            throw Boom("once");
    });
    future.result(generous);
    EXPECT_EQ(calls.load(), 2);
    EXPECT_EQ(future.state(), FutureState::finished);
}

TEST(RetryExecutor, DestroyedFromACallbackOnItsTimerThreadCancelsWhatItCannotWaitFor)
{
    const auto test_thread = std::this_thread::get_id();
    Gate gate;
    std::latch destroyed { 1 };
    std::atomic<bool> on_timer_thread { false };
    ThreadPoolExecutor pool(1);
    GateOpener opener(gate);
    auto retry = std::make_unique<RetryExecutor<ThreadPoolExecutor>>(
        pool, RetryOptions { .max_retries = 3, .base_delay = 1ms });
    // Holds the only worker until the callback below is in place.
    pool.submit([&gate] { gate.pass(); });
    // `refused` shuts the pool down and fails, so its retry is refused on the timer thread, which
    // completes its future there. `waiting` fails after it and waits in a backoff that only that
    // same thread could end: the destructor there must cancel it, not wait for it.
    auto refused = retry->submit([&pool]() -> int {
        pool.shutdown(false);
        throw Boom("shut my own pool down");
    });
    auto waiting = retry->submit([]() -> int { throw Boom("backoff outlives its executor"); });
    refused.add_done_callback([&](const Future<int>&) {
        on_timer_thread = std::this_thread::get_id() != test_thread && current_worker_name().empty();
        retry.reset();
        destroyed.count_down();
    });
    opener.open();

    destroyed.wait();
    EXPECT_TRUE(on_timer_thread.load());
    EXPECT_EQ(message_of<ExecutorShutdownError>([&] { refused.result(generous); }),
        "cannot schedule new futures after shutdown");
    EXPECT_EQ(message_of<CancelledError>([&] { waiting.result(generous); }), "the future was cancelled");
}

TEST(RetryExecutor, BadOptionsThrowInvalidArgumentNamingTheOption)
{
    ThreadPoolExecutor pool(1);
    const auto make = [&pool](RetryOptions options) { RetryExecutor retry(pool, std::move(options)); };
    EXPECT_EQ(message_of<std::invalid_argument>([&] { make({ .max_retries = -1 }); }),
        "max_retries must be 0 or greater, got -1");
    EXPECT_EQ(message_of<std::invalid_argument>([&] { make({ .base_delay = -1ms }); }),
        "base_delay must be a finite number of seconds, 0 or greater, got -0.001");
    EXPECT_EQ(message_of<std::invalid_argument>(
                  [&] { make({ .base_delay = Duration(std::numeric_limits<double>::infinity()) }); }),
        "base_delay must be a finite number of seconds, 0 or greater, got inf");
    EXPECT_EQ(message_of<std::invalid_argument>(
                  [&] { make({ .base_delay = Duration(std::numeric_limits<double>::quiet_NaN()) }); }),
        "base_delay must be a finite number of seconds, 0 or greater, got nan");
    // The edges of the ranges are allowed.
    make({ .max_retries = 0, .base_delay = 0s });
}
