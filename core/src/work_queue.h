#pragma once

#include <poolscope/detail/work_item.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace poolscope::detail {

/// The thread pool's FIFO of work items: a two-lock queue (Michael & Scott) on links inside the
/// items. The submitting side and the workers touch different ends under different locks, so a
/// submit never waits for a worker taking an item, which with tiny tasks is most of the cost of a
/// single-lock queue. Pushes must be serialised by the caller (the executor's submit lock, which it
/// needs anyway to check for shutdown); pops and drains may come from any number of threads.
///
/// The queue owns what it holds through each item's queue_owner, and keeps the item last taken as
/// its head sentinel until the next one is taken.
class WorkQueue {
public:
    WorkQueue();
    ~WorkQueue();
    WorkQueue(const WorkQueue&) = delete;
    WorkQueue& operator=(const WorkQueue&) = delete;

    /// Appends an item and wakes one sleeping worker if any sleeps. Caller serialises pushes.
    void push(std::shared_ptr<WorkItem> item);

    /// Runs on a worker thread. Takes the oldest item; when there is none, polls for `spin` and then
    /// sleeps until one arrives. Returns null once the queue is closed and empty.
    std::shared_ptr<WorkItem> pop(std::chrono::nanoseconds spin);

    /// Makes pop() return null once the queue is empty and wakes every sleeping worker. Any thread.
    void close();

    /// Takes every queued item out, oldest first. Any thread.
    std::vector<std::shared_ptr<WorkItem>> drain();

private:
    std::unique_lock<std::mutex> lock_head();
    // Unlinks the oldest item, or returns null if none is linked yet. Needs head_mutex_.
    std::shared_ptr<WorkItem> take_locked(std::shared_ptr<WorkItem>& released);

    QueueLink stub_; // the first head sentinel, before any item was taken

    // Consumer end: workers.
    alignas(64) std::mutex head_mutex_;
    std::condition_variable cv_;
    QueueLink* head_ = &stub_;
    std::shared_ptr<WorkItem> head_hold_; // keeps the item serving as sentinel alive

    // Producer end: the submitting thread.
    alignas(64) QueueLink* tail_ = &stub_;

    // Polled by both ends.
    alignas(64) std::atomic<std::int64_t> size_ { 0 };
    std::atomic<int> sleepers_ { 0 };
    std::atomic<bool> closed_ { false };
    alignas(64) std::byte after_ {};
};

} // namespace poolscope::detail
