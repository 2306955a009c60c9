#pragma once

// Private to the core: how a process pool's workers end, and what their end does to the pool.

#include <string>

namespace poolscope {
class EventLog;
}

namespace poolscope::detail {

class MessageReader;
class PoolBook;

/// The end of workers and the breaking of the pool, on the manager thread: a worker whose socket
/// closed is reaped and, if it had not said it was leaving, breaks the pool (Python's
/// _terminate_broken): every worker is killed and reaped, every future still held fails with
/// BrokenProcessPool. A worker that never says hello is killed, which then breaks the pool too.
class PoolTeardown {
public:
    PoolTeardown(PoolBook& book, MessageReader& reader, EventLog* log) noexcept
        : book_(book)
        , reader_(reader)
        , log_(log)
    {
    }

    /// The worker on `lane` closed its socket: reaps it, then breaks the pool if it ended
    /// abruptly, or asks for a successor if it retired while work waits.
    void worker_ended(int lane);

    /// Python's _terminate_broken: the pool is unusable; every worker is killed and reaped, and
    /// every future still pending or running fails. Does nothing if the pool is broken already.
    void break_pool(const std::string& why);

    /// Fails every future the pool still holds with BrokenProcessPool.
    void fail_everything_left();

    /// Kills workers that did not say hello within PoolBook::start_timeout; their end of file
    /// follows and breaks the pool.
    void check_start_timeouts();

private:
    PoolBook& book_;
    MessageReader& reader_;
    EventLog* const log_;
};

} // namespace poolscope::detail
