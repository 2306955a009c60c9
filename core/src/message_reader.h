#pragma once

// Private to the core: the parent's side of the messages workers send (see wire.h).

#include "pool_book.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

namespace poolscope {
class EventLog;
}

namespace poolscope::detail {

class ManagerThread;

namespace wire {
struct Frame;
}

/// Reads the workers' sockets, books each message in the PoolBook and records its event, and
/// delivers the answers: completes their futures and runs the done-callbacks. The manager thread
/// reads, or one caller at a time that helps while it waits (CallerAssist); an end of file is
/// always the manager's to handle (PoolTeardown).
class MessageReader {
public:
    using Answer = PoolBook::Answer;

    MessageReader(PoolBook& book, ManagerThread& manager, EventLog* log) noexcept
        : book_(book)
        , manager_(manager)
        , log_(log)
    {
    }

    /// Reads what the worker on `lane` sent and delivers the answers among it. Returns true at end
    /// of file (or after a damaged message, for which the worker is killed). Manager thread.
    bool read_worker(int lane);

    /// What the workers sent, if no one else reads right now; the answers go to `answers`, for
    /// deliver(). Returns true if it found something only the manager handles (an end of file, a
    /// damaged message). A helping caller's thread.
    bool read_for_helper(std::vector<Answer>& answers);

    /// Completes the futures of `answers`, and of any other answers booked and not yet delivered,
    /// and runs their done-callbacks. Without the book's mutex. The answers go through one queue,
    /// so that a done-callback that waits for another future finds that future's answer even when
    /// it was read in the same batch as its own.
    void deliver(std::vector<Answer>& answers);

    /// Keeps everyone from polling or reading the workers' sockets while the holder closes one
    /// (its number could be reused at once). Taken before the book's mutex, never after it.
    [[nodiscard]] std::unique_lock<std::mutex> hold_off_readers() { return std::unique_lock(read_mutex_); }

private:
    bool read_locked(int lane, std::vector<Answer>& answers);
    void handle(int lane, const wire::Frame& frame, std::vector<Answer>& answers);
    std::chrono::nanoseconds log_time(std::int64_t steady_ns) const;

    PoolBook& book_;
    ManagerThread& manager_;
    EventLog* const log_;
    // Reading the workers' sockets and booking their messages: the manager thread or one helping
    // caller at a time, so that one worker's messages are booked in the order it sent them.
    std::mutex read_mutex_;
    std::mutex answers_mutex_; // guards ready_answers_ only; taken alone
    std::deque<Answer> ready_answers_; // booked, future not completed yet; see deliver()
};

} // namespace poolscope::detail
