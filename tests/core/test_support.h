#pragma once

// Shared by the core tests: GoogleTest, the core, and a few synchronisation helpers. Tests never
// sleep to wait for a thread; they block on latches and futures with generous timeouts, and check
// order, counts and states, never durations.

#include <poolscope/futures.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <latch>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace poolscope {
// Lets failed expectations print "RUNNING" instead of raw bytes.
inline void PrintTo(FutureState state, std::ostream* os)
{
    *os << to_string(state);
}
} // namespace poolscope

namespace poolscope::testing {

using namespace std::chrono_literals;

/// Long enough that a healthy run never hits it on a loaded 2-core machine; a hang fails instead.
inline constexpr Duration generous = 60s;

/// A gate tasks block on until the test opens it. Opening is idempotent, so a test may open it
/// early and a scope guard again on the way out.
class Gate {
public:
    void open()
    {
        if (!opened_.exchange(true))
            latch_.count_down();
    }
    void pass() const { latch_.wait(); }

private:
    std::atomic<bool> opened_ { false };
    mutable std::latch latch_ { 1 };
};

/// Opens a gate at the latest when it goes out of scope. Declared after the executor, it lets a
/// failed ASSERT unwind without leaving a worker blocked in the executor's destructor.
class GateOpener {
public:
    explicit GateOpener(Gate& gate)
        : gate_(gate)
    {
    }
    ~GateOpener() { gate_.open(); }
    GateOpener(const GateOpener&) = delete;
    GateOpener& operator=(const GateOpener&) = delete;
    void open() { gate_.open(); }

private:
    Gate& gate_;
};

/// Captures what the core reports through the error handler while it lives.
class CapturedErrors {
public:
    CapturedErrors()
    {
        previous_ = set_error_handler([this](std::string_view message) {
            std::lock_guard lock(mutex_);
            messages_.emplace_back(message);
        });
    }
    ~CapturedErrors() { set_error_handler(std::move(previous_)); }
    std::vector<std::string> messages() const
    {
        std::lock_guard lock(mutex_);
        return messages_;
    }

private:
    ErrorHandler previous_;
    mutable std::mutex mutex_;
    std::vector<std::string> messages_;
};

/// What tests and tasks throw on purpose, so a test can tell it from any other error.
struct Boom : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline std::exception_ptr boom(const char* what = "boom")
{
    return std::make_exception_ptr(Boom(what));
}

/// The what() of the E that fn throws; fails the test if fn throws nothing or something else.
template <class E, class F> std::string message_of(F&& fn)
{
    try {
        fn();
    } catch (const E& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "threw another exception: " << e.what();
        return {};
    }
    ADD_FAILURE() << "threw nothing";
    return {};
}

template <class T> std::vector<FutureState> states_of(const std::vector<Future<T>>& futures)
{
    std::vector<FutureState> out;
    for (const auto& f : futures)
        out.push_back(f.state());
    return out;
}

/// Short names for comparing states_of(). A namespace of their own: `finished` and `cancelled`
/// would clash with the future makers in `standalone`.
namespace states {
inline constexpr auto pending = FutureState::pending;
inline constexpr auto running = FutureState::running;
inline constexpr auto cancelled = FutureState::cancelled;
inline constexpr auto finished = FutureState::finished;
} // namespace states

/// Submits a task that holds the executor's worker at `gate` and returns 0 once it opens, then
/// `queued` tasks that return 1, 2, ... `queued`; each task counts its call in `calls`. Returns
/// their futures, the holder first, once the holder runs: on a one-worker pool the rest are then
/// known to be queued behind it.
inline std::vector<Future<int>> submit_held_then_queued(
    ThreadPoolExecutor& executor, const Gate& gate, std::atomic<int>& calls, int queued)
{
    // Shared with the task: it may still be inside count_down() when wait() returns here.
    auto started = std::make_shared<std::latch>(1);
    std::vector<Future<int>> futures;
    futures.push_back(executor.submit([started, &gate, &calls] {
        started->count_down();
        gate.pass();
        ++calls;
        return 0;
    }));
    for (int i = 1; i <= queued; ++i) {
        futures.push_back(executor.submit([&calls, i] {
            ++calls;
            return i;
        }));
    }
    started->wait();
    return futures;
}

/// For the futures of submit_held_then_queued(): every task ran, once, and returned its index.
inline void expect_every_task_ran(const std::vector<Future<int>>& futures, const std::atomic<int>& calls)
{
    EXPECT_EQ(states_of(futures), std::vector(futures.size(), FutureState::finished));
    for (std::size_t i = 0; i < futures.size(); ++i)
        EXPECT_EQ(futures[i].result(0s), static_cast<int>(i));
    EXPECT_EQ(calls.load(), static_cast<int>(futures.size()));
}

/// Futures without an executor, already done.
namespace standalone {
inline Future<int> finished(int value)
{
    Future<int> f;
    f.set_result(value);
    return f;
}

inline Future<int> failed(const char* what = "boom")
{
    Future<int> f;
    f.set_exception(boom(what));
    return f;
}

inline Future<int> cancelled()
{
    Future<int> f;
    f.cancel();
    return f;
}
} // namespace standalone

/// An executor future that stays undone until release(), on a one-worker pool with an event log:
/// the log is where wait() and as_completed() record caller_blocked.
struct Held {
    Held() = default;
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;
    // The executor's destructor joins the worker, which must not still be stuck at the gate.
    ~Held() { release(); }

    void release() { gate.open(); }

    EventLog log;
    Gate gate;
    ThreadPoolExecutor executor { ThreadPoolOptions { .max_workers = 1, .events = &log } };
    Future<int> future = executor.submit([this] {
        gate.pass();
        return 0;
    });
};

/// How often a caller went to sleep in `label` ("wait", "as_completed", "result").
inline long blocked_count(const EventLog& log, std::string_view label)
{
    const auto events = log.events();
    return std::count_if(events.begin(), events.end(),
        [&](const Event& e) { return e.kind == EventKind::caller_blocked && e.label == label; });
}

/// Opens once a caller first goes to sleep in `label` (for one task only, if task_id is given), so
/// another thread can then complete or cancel futures knowing the waiter is (about to be) asleep.
/// The event is recorded under the future's lock, which the sleeper holds until it sleeps, so a
/// completion that follows cannot slip in before the wait: a real wake-up, without sleeping.
class BlockedProbe {
public:
    BlockedProbe(EventLog& log, std::string label, std::optional<std::uint64_t> task_id = std::nullopt)
        : log_(log)
    {
        log_.set_observer([this, label = std::move(label), task_id](const Event& e) {
            if (e.kind == EventKind::caller_blocked && e.label == label && (!task_id || e.task_id == *task_id))
                open();
        });
    }
    ~BlockedProbe() { log_.set_observer({}); }
    BlockedProbe(const BlockedProbe&) = delete;
    BlockedProbe& operator=(const BlockedProbe&) = delete;

    void wait() const { gate_.pass(); }
    /// Also called by the test once the waiter is done, so a waiter that never blocked (a bug)
    /// fails the test instead of hanging it.
    void open() { gate_.open(); }

private:
    EventLog& log_;
    Gate gate_;
};

using Strings = std::vector<std::string>;

/// Names futures so that a failing comparison prints something readable.
class Names {
public:
    Names(std::initializer_list<std::pair<Future<int>, std::string>> names)
        : names_(names)
    {
    }
    std::string operator()(const Future<int>& f) const
    {
        auto it = std::find_if(names_.begin(), names_.end(), [&](const auto& n) { return n.first == f; });
        return it == names_.end() ? "?" : it->second;
    }
    Strings operator()(const std::vector<Future<int>>& fs) const
    {
        Strings out;
        for (const auto& f : fs)
            out.push_back((*this)(f));
        return out;
    }

private:
    std::vector<std::pair<Future<int>, std::string>> names_;
};

} // namespace poolscope::testing
