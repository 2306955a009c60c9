#pragma once

// What the timeline tests share: event streams to build models from, Qt-free so that the model's
// tests (GoogleTest, under the sanitizers) and the painting tests (Qt Test) use the same runs.
#include <poolscope/event.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace poolscope::timeline_test {

/// Deterministic test data: a linear congruential generator (Numerical Recipes' constants), so that
/// a failing row fails the same way every time. next(n) is in [0, n).
struct TestRandom {
    std::uint32_t seed;
    std::int64_t next(std::int64_t n)
    {
        seed = seed * 1664525u + 1013904223u;
        return static_cast<std::int64_t>((seed >> 8) % static_cast<std::uint32_t>(n));
    }
};

inline Event ev(std::int64_t t, EventKind kind, std::uint64_t task, int worker, int attempt = 0, std::string label = {},
    int pid = 0)
{
    return Event { task, kind, worker, std::chrono::nanoseconds(t), attempt, std::move(label), pid };
}

// A thread pool with two workers and a retrying executor on top; the caller waits in result().
//   task 1 (1,)  worker 0  20 → 100  finished
//   task 2 (2,)  worker 1  20 → 150  failed "ValueError: boom", retried; attempt 1 on worker 1 260 → 300
//   task 3 (3,)  worker 0 110 → 310  finished; holds the GIL 115 → 200 after waiting 110 → 115
//   task 4 (4,)  never runs: cancelled at 120
inline std::vector<Event> threadPoolRun()
{
    return {
        ev(0, EventKind::worker_started, 0, 0, 0, "ThreadPoolExecutor-0_0"),
        ev(0, EventKind::worker_started, 0, 1, 0, "ThreadPoolExecutor-0_1"),
        ev(10, EventKind::submitted, 1, -1, 0, "(1,)"),
        ev(10, EventKind::submitted, 2, -1, 0, "(2,)"),
        ev(10, EventKind::submitted, 3, -1, 0, "(3,)"),
        ev(10, EventKind::submitted, 4, -1, 0, "(4,)"),
        ev(20, EventKind::started, 1, 0),
        ev(20, EventKind::started, 2, 1),
        ev(25, EventKind::caller_blocked, 1, -1, 0, "result()"),
        ev(100, EventKind::finished, 1, 0),
        ev(100, EventKind::caller_resumed, 1, -1, 0, "result()"),
        ev(110, EventKind::started, 3, 0),
        ev(110, EventKind::gil_requested, 3, 0),
        ev(115, EventKind::gil_acquired, 3, 0),
        ev(120, EventKind::cancelled, 4, -1),
        ev(150, EventKind::failed, 2, 1, 0, "ValueError: boom"),
        ev(150, EventKind::retried, 2, -1, 1, "backoff 0.1 s"),
        ev(200, EventKind::gil_released, 3, 0, 0, "switch"),
        ev(250, EventKind::submitted, 2, -1, 1, "(2,)"),
        ev(260, EventKind::started, 2, 1, 1),
        ev(300, EventKind::finished, 2, 1, 1),
        ev(310, EventKind::finished, 3, 0),
    };
}

// A process pool: worker 0 is spawned, tasks go through the call queue.
inline std::vector<Event> processPoolRun()
{
    return {
        ev(0, EventKind::worker_spawning, 0, 0, 0, "SpawnProcess-1"),
        ev(5, EventKind::submitted, 7, -1, 0, "(7,)"),
        ev(6, EventKind::dispatched, 7, -1),
        ev(40, EventKind::worker_started, 0, 0, 0, "SpawnProcess-1", 4242),
        ev(45, EventKind::started, 7, 0, 0, {}, 4242),
        ev(90, EventKind::finished, 7, 0, 0, {}, 4242),
    };
}

// Two workers, times in µs so that bars are wide enough to aim at in a window:
//   task 1 (1,)  worker 0  20 → 100 µs  finished
//   task 2 (2,)  worker 1  20 → 150 µs  failed "ValueError: boom", retried; attempt 1 260 → 300 µs
//   task 3 (3,)  worker 0 140 → 310 µs  finished
//   task 4 (4,)  cancelled at 150 µs before it ran
inline std::vector<Event> microsecondRun()
{
    const std::int64_t us = 1000;
    return {
        ev(0, EventKind::worker_started, 0, 0, 0, "worker-a"),
        ev(0, EventKind::worker_started, 0, 1, 0, "worker-b"),
        ev(10 * us, EventKind::submitted, 1, -1, 0, "(1,)"),
        ev(10 * us, EventKind::submitted, 2, -1, 0, "(2,)"),
        ev(10 * us, EventKind::submitted, 3, -1, 0, "(3,)"),
        ev(10 * us, EventKind::submitted, 4, -1, 0, "(4,)"),
        ev(20 * us, EventKind::started, 1, 0),
        ev(20 * us, EventKind::started, 2, 1),
        ev(100 * us, EventKind::finished, 1, 0),
        ev(140 * us, EventKind::started, 3, 0),
        ev(150 * us, EventKind::cancelled, 4, -1),
        ev(150 * us, EventKind::failed, 2, 1, 0, "ValueError: boom"),
        ev(150 * us, EventKind::retried, 2, -1, 1, "backoff 0.1 s"),
        ev(250 * us, EventKind::submitted, 2, -1, 1, "(2,)"),
        ev(260 * us, EventKind::started, 2, 1, 1),
        ev(300 * us, EventKind::finished, 2, 1, 1),
        ev(310 * us, EventKind::finished, 3, 0),
    };
}

} // namespace poolscope::timeline_test
