#pragma once

#include <poolscope/event.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace poolscope {

/// A thread-safe recorder of lifecycle events.
///
/// Every recording thread appends to a buffer of its own (found through a one-entry thread-local
/// cache), so worker threads never contend with each other on a hot path; events() merges the
/// buffers by time. An executor writes to the log it was given in its options; the log must outlive
/// that executor and every future it made.
class EventLog {
public:
    /// Called on the recording thread, possibly while core locks are held, for every event after it
    /// is stored. Calls are serialised (never two at once), so the observer needs no lock of its own,
    /// but it must be cheap and must not call back into futures or executors.
    using Observer = std::function<void(const Event&)>;

    EventLog();
    ~EventLog();
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    /// Records one event stamped with now(). Any thread. Never throws except std::bad_alloc.
    void record(EventKind kind, std::uint64_t task_id, int worker, int attempt = 0, std::string_view label = {});

    /// Records an event as given, time included: for events stamped elsewhere, such as in a worker
    /// process (see to_log_time()). Any thread.
    void record(Event event);

    /// A steady-clock instant as an event time of this log. Steady-clock readings of every process
    /// on the machine share one clock (CLOCK_MONOTONIC), so a worker process's stamp converts too.
    std::chrono::nanoseconds to_log_time(std::chrono::steady_clock::time_point t) const noexcept
    {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(t - origin_);
    }

    /// A copy of everything recorded so far, ordered by time (ties: lifecycle order of the kinds).
    std::vector<Event> events() const;

    /// How many events are stored.
    std::size_t size() const;

    /// Drops every stored event. Task ids keep counting, so they stay unique for the log's lifetime.
    void clear();

    /// A fresh task id, unique in this log, starting at 1. Any thread.
    std::uint64_t next_task_id() noexcept { return next_task_id_.fetch_add(1, std::memory_order_relaxed); }

    /// Installs (or, with an empty function, removes) the live observer. Any thread.
    void set_observer(Observer observer);

    /// The steady-clock instant that event times count from.
    std::chrono::steady_clock::time_point origin() const noexcept { return origin_; }

    /// Time since origin(), as an event would be stamped now.
    std::chrono::nanoseconds now() const noexcept
    {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - origin_);
    }

private:
    struct Shard;
    Shard& shard_for_this_thread();

    const std::uint64_t uid_; // process-wide unique, so a thread-local cache never matches a dead log
    const std::chrono::steady_clock::time_point origin_;
    // On a cache line of its own: the submitting thread bumps it for every task, while workers read
    // uid_ and origin_ for every event they record.
    alignas(64) std::atomic<std::uint64_t> next_task_id_ { 1 };
    alignas(64) std::byte after_next_task_id_ {};

    mutable std::mutex shards_mutex_;
    std::vector<std::unique_ptr<Shard>> shards_;

    std::atomic<bool> has_observer_ { false };
    std::mutex observer_mutex_;
    Observer observer_;
};

} // namespace poolscope
