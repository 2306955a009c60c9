#pragma once

// Private to the core, worker-process side.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>

namespace poolscope::detail {

/// Tells the parent that a call has started only once it has run for a while. A quick call's start
/// travels with its answer instead: one message fewer per call, and on the parent's side one wake-up
/// fewer, which is most of what a tiny task costs. A long call still shows on the live timeline at
/// once (give or take `after` plus a tick), because this object's own thread sends its start.
///
/// Threads: begin() and end() run on the worker's main thread, which must not write to the
/// parent's socket between them; the `send` function runs on the herald's thread, only between them.
class StartHerald {
public:
    /// Sends a started message for call `seq` that began at `start_ns` (steady clock).
    using Send = std::function<void(std::uint64_t seq, std::int64_t start_ns)>;

    StartHerald(Send send, std::chrono::nanoseconds after);
    ~StartHerald();
    StartHerald(const StartHerald&) = delete;
    StartHerald& operator=(const StartHerald&) = delete;

    /// Call `seq` starts now, at `start_ns`. Costs an atomic store, and a wake-up of the herald's
    /// thread only when it went to sleep after a long idle spell.
    void begin(std::uint64_t seq, std::int64_t start_ns) noexcept;

    /// The call has ended. True if its started message went out (then the answer must not carry
    /// the start again); false if the answer has to carry it.
    bool end() noexcept;

private:
    void run(); // the herald's thread

    // word_ holds seq << 2 | phase, or 0 while no call runs. The phase moves running → heralding
    // → heralded on the herald's thread; end() takes it from running to 0, or waits for heralded.
    static constexpr std::uint64_t running = 1;
    static constexpr std::uint64_t heralding = 2;
    static constexpr std::uint64_t heralded = 3;

    Send send_;
    const std::chrono::nanoseconds after_;
    std::atomic<std::uint64_t> word_ { 0 };
    std::atomic<std::int64_t> start_ns_ { 0 };
    std::atomic<bool> asleep_ { false };
    std::atomic<bool> stop_ { false };
    std::thread thread_;
};

} // namespace poolscope::detail
