#pragma once

// Private to the core: bounded spinning before blocking. On this kind of workload (tiny tasks,
// a caller that immediately waits) a futex sleep/wake costs microseconds while the awaited change
// usually lands within one; so waiters look for it briefly, then yield, then block.

#include <chrono>
#include <thread>

namespace poolscope::detail {

inline void cpu_relax() noexcept
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

/// Polls ready() for up to `budget`, pausing and then yielding the core; returns its last answer.
template <class Ready> bool spin_until(Ready&& ready, std::chrono::nanoseconds budget)
{
    for (int i = 0; i < 64; ++i) {
        if (ready())
            return true;
        cpu_relax();
    }
    const auto until = std::chrono::steady_clock::now() + budget;
    do {
        for (int i = 0; i < 16; ++i) {
            if (ready())
                return true;
            cpu_relax();
        }
        std::this_thread::yield();
    } while (std::chrono::steady_clock::now() < until);
    return ready();
}

} // namespace poolscope::detail
