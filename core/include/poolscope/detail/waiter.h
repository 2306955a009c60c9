#pragma once

#include <poolscope/duration.h>

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace poolscope::detail {

class FutureCore;

/// What a Waiter waits for; one per wait() return_when plus as_completed().
enum class WaitMode { first_completed, first_exception, all_completed, as_completed };

/// Collects completions of a set of futures for wait() and as_completed(). Installed on each future;
/// a future that completes (or is already done when installed) calls on_done() under its own lock,
/// so the lock order is always future → waiter.
class Waiter {
public:
    Waiter(WaitMode mode, std::size_t total)
        : mode_(mode)
        , total_(total)
    {
    }

    /// Runs on the completing thread, under the future's lock.
    void on_done(std::shared_ptr<FutureCore> future, bool failed);

    /// Whether the mode's condition holds now.
    bool ready();

    /// Blocks until the mode's condition holds or the deadline passes; returns whether it holds.
    bool wait_until(const Deadline& deadline);

    /// Moves out everything reported since the last call, in completion order.
    std::vector<std::shared_ptr<FutureCore>> take_finished();

private:
    bool ready_locked() const;

    const WaitMode mode_;
    const std::size_t total_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::shared_ptr<FutureCore>> finished_;
    std::size_t finished_count_ = 0; // survives take_finished(), for all_completed
    bool any_failed_ = false;
};

} // namespace poolscope::detail
