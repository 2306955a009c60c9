#include "start_herald.h"

#include "spin.h"
#include "wire.h"

namespace poolscope::detail {

namespace {
// How often the herald looks at the running call. Together with `after` this bounds how late a
// long call appears on the timeline (the app redraws at most every 33 ms). Not much more often:
// each tick wakes a thread, which on a 2-core machine briefly takes a core from the pool.
constexpr std::chrono::milliseconds tick { 4 };
// After this many idle ticks the herald sleeps until the next call begins, so an idle worker
// costs nothing; in a stream of calls it keeps ticking and begin() never makes a system call.
constexpr int idle_ticks_before_sleep = 25;
} // namespace

StartHerald::StartHerald(Send send, std::chrono::nanoseconds after)
    : send_(std::move(send))
    , after_(after)
    , thread_([this] { run(); })
{
}

StartHerald::~StartHerald()
{
    stop_.store(true);
    // A sleeping herald waits for word_ to leave 0; no call begins any more, so any value will do.
    word_.store(heralded);
    word_.notify_all();
    thread_.join();
}

void StartHerald::begin(std::uint64_t seq, std::int64_t start_ns) noexcept
{
    start_ns_.store(start_ns, std::memory_order_relaxed);
    word_.store(seq << 2 | running); // seq_cst: ordered against the herald's asleep_ store
    if (asleep_.load())
        word_.notify_one();
}

bool StartHerald::end() noexcept
{
    std::uint64_t current = word_.load();
    if ((current & 3) == running && word_.compare_exchange_strong(current, 0))
        return false;
    // The herald took it: its message is being written; wait for that (microseconds).
    while ((word_.load(std::memory_order_acquire) & 3) != heralded)
        cpu_relax();
    word_.store(0);
    return true;
}

void StartHerald::run()
{
    int idle_ticks = 0;
    while (!stop_.load()) {
        std::uint64_t current = word_.load();
        if (current == 0) {
            if (++idle_ticks >= idle_ticks_before_sleep) {
                asleep_.store(true);
                if (!stop_.load())
                    word_.wait(0); // returns at once if a call began meanwhile
                asleep_.store(false);
                idle_ticks = 0;
                continue;
            }
        } else {
            idle_ticks = 0;
            const std::int64_t start = start_ns_.load(std::memory_order_relaxed);
            if ((current & 3) == running && wire::steady_now_ns() - start >= after_.count()
                && word_.compare_exchange_strong(current, (current & ~std::uint64_t { 3 }) | heralding)) {
                // The call cannot end meanwhile without waiting for us, so start_ns_ is still its own.
                send_(current >> 2, start_ns_.load(std::memory_order_relaxed));
                word_.store((current & ~std::uint64_t { 3 }) | heralded, std::memory_order_release);
            }
        }
        std::this_thread::sleep_for(tick);
    }
}

} // namespace poolscope::detail
