#include "work_queue.h"

#include "spin.h"

#include <utility>

namespace poolscope::detail {

WorkQueue::WorkQueue() = default;

WorkQueue::~WorkQueue()
{
    // Queued items own themselves through queue_owner; take them out so they are freed.
    drain();
}

void WorkQueue::push(std::shared_ptr<WorkItem> item)
{
    WorkItem* raw = item.get();
    raw->queue_next.store(nullptr, std::memory_order_relaxed);
    raw->queue_owner = std::move(item);
    // Counted before it is linked: a worker that sees the count but not yet the link takes the
    // sleeping path, which looks at the link again before it sleeps.
    size_.fetch_add(1, std::memory_order_relaxed);
    // seq_cst pairs with the sleeper's seq_cst increment and reload: either this push sees the
    // sleeper and wakes it, or the sleeper sees this link and does not sleep.
    tail_->queue_next.store(raw, std::memory_order_seq_cst);
    tail_ = raw;
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
        // Under the head lock, so the notification cannot fall between a sleeper's last look at
        // the link and its wait.
        std::lock_guard lock(head_mutex_);
        cv_.notify_one();
    }
}

std::unique_lock<std::mutex> WorkQueue::lock_head()
{
    // Workers hold the head lock for a few dozen nanoseconds; waiting that out beats a futex sleep.
    for (int i = 0; i < 200; ++i) {
        if (head_mutex_.try_lock())
            return std::unique_lock(head_mutex_, std::adopt_lock);
        cpu_relax();
    }
    return std::unique_lock(head_mutex_);
}

std::shared_ptr<WorkItem> WorkQueue::take_locked(std::shared_ptr<WorkItem>& released)
{
    QueueLink* next = head_->queue_next.load(std::memory_order_seq_cst);
    if (!next)
        return nullptr;
    // Only items are ever linked after the stub, so the cast is safe.
    auto* item = static_cast<WorkItem*>(next);
    std::shared_ptr<WorkItem> taken = std::move(item->queue_owner);
    head_ = item;
    released = std::exchange(head_hold_, taken);
    size_.fetch_sub(1, std::memory_order_relaxed);
    return taken;
}

std::shared_ptr<WorkItem> WorkQueue::pop(std::chrono::nanoseconds spin)
{
    if (size_.load(std::memory_order_relaxed) <= 0) {
        spin_until(
            [this] {
                return size_.load(std::memory_order_relaxed) > 0 || closed_.load(std::memory_order_relaxed);
            },
            spin);
    }
    // The previous sentinel is let go after the lock, as its destructor may free a task's result.
    std::shared_ptr<WorkItem> released;
    auto lock = lock_head();
    for (;;) {
        if (auto item = take_locked(released))
            return item;
        if (closed_.load(std::memory_order_acquire))
            return nullptr;
        sleepers_.fetch_add(1, std::memory_order_seq_cst);
        cv_.wait(lock, [this] {
            return head_->queue_next.load(std::memory_order_seq_cst) != nullptr
                || closed_.load(std::memory_order_acquire);
        });
        sleepers_.fetch_sub(1, std::memory_order_relaxed);
    }
}

void WorkQueue::close()
{
    closed_.store(true, std::memory_order_release);
    std::lock_guard lock(head_mutex_);
    cv_.notify_all();
}

std::vector<std::shared_ptr<WorkItem>> WorkQueue::drain()
{
    std::vector<std::shared_ptr<WorkItem>> items;
    std::vector<std::shared_ptr<WorkItem>> released;
    std::lock_guard lock(head_mutex_);
    std::shared_ptr<WorkItem> old;
    while (auto item = take_locked(old)) {
        items.push_back(std::move(item));
        released.push_back(std::move(old));
    }
    return items;
}

} // namespace poolscope::detail
