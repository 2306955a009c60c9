#include <poolscope/thread_pool_executor.h>

#include "spin.h"

#include <poolscope/error_handler.h>
#include <poolscope/event_log.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <pthread.h>

namespace poolscope {

namespace {
std::atomic<int> pool_counter { 0 };
thread_local std::string_view this_worker_name;
thread_local const void* this_worker_pool = nullptr;

// How long an idle worker looks for new work before it sleeps; see spin.h.
constexpr std::chrono::microseconds worker_spin_budget { 50 };

int default_max_workers()
{
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return std::min(32, cores + 4);
}

int checked_max_workers(std::optional<int> requested)
{
    if (!requested)
        return default_max_workers();
    if (*requested <= 0)
        throw std::invalid_argument("max_workers must be greater than 0");
    return *requested;
}

std::string describe_current_exception()
{
    try {
        throw;
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

// Linux keeps 15 characters of a thread name; keep the "_<n>" suffix that tells workers apart.
void set_os_thread_name(const std::string& name, int index)
{
    std::string os_name = name;
    if (os_name.size() > 15) {
        std::string suffix = "_";
        suffix.append(std::to_string(index));
        os_name.resize(15 - std::min<std::size_t>(suffix.size(), 15));
        os_name.append(suffix);
    }
    pthread_setname_np(pthread_self(), os_name.c_str());
}
} // namespace

std::string_view current_worker_name() noexcept
{
    return this_worker_name;
}

class ThreadPoolExecutor::Impl : public std::enable_shared_from_this<Impl> {
public:
    explicit Impl(ThreadPoolOptions options)
        : max_workers_(checked_max_workers(options.max_workers))
        , prefix_(options.thread_name_prefix.empty() ? "ThreadPoolExecutor-" + std::to_string(pool_counter++)
                                                     : std::move(options.thread_name_prefix))
        , initializer_(std::move(options.initializer))
        , log_(options.events)
    {
    }

    // Runs on a worker only when the executor was destroyed inside one of its own tasks: that worker
    // could not be joined, and lets go of the pool last.
    ~Impl()
    {
        for (auto& thread : threads_) {
            if (thread.joinable())
                thread.detach();
        }
    }

    std::uint64_t next_task_id() noexcept
    {
        return log_ ? log_->next_task_id() : local_task_ids_.fetch_add(1, std::memory_order_relaxed);
    }

    // Runs on the submitting thread.
    void enqueue(std::shared_ptr<detail::WorkItem> item, std::uint64_t task_id, const std::string& label)
    {
        auto lock = lock_queue();
        if (!broken_.empty())
            throw BrokenThreadPool(broken_);
        if (shutdown_)
            throw ExecutorShutdownError();
        // Recorded before the item becomes visible, so `started` can never precede `submitted`.
        if (log_)
            log_->record(EventKind::submitted, task_id, -1, 0, label);
        queue_.push_back(std::move(item));
        queued_.store(queue_.size(), std::memory_order_relaxed);
        adjust_thread_count_locked();
        // One wake-up per sleeper: a woken worker stays counted in sleepers_ until it has the lock
        // again, and waking it twice would only cost a system call.
        const bool wake = sleepers_ > wakes_pending_;
        if (wake)
            ++wakes_pending_;
        lock.unlock();
        if (wake)
            cv_.notify_one();
    }

    void shutdown(bool wait, bool cancel_futures)
    {
        std::deque<std::shared_ptr<detail::WorkItem>> drained;
        {
            std::lock_guard lock(mutex_);
            shutdown_ = true;
            stopping_.store(true, std::memory_order_relaxed);
            if (cancel_futures) {
                drained.swap(queue_);
                queued_.store(0, std::memory_order_relaxed);
            }
        }
        cv_.notify_all();
        // Outside the pool's lock: cancelling runs the futures' callbacks.
        for (auto& item : drained)
            item->core().cancel();
        if (wait)
            wait_for_workers();
    }

    // Called once, by the executor's destructor, after shutdown(wait=true): every worker but the
    // calling one has ended by now, so these joins do not block for long. Only this function joins,
    // so a task that shuts its own pool down never waits on a join that waits on it.
    void join_workers()
    {
        for (auto& thread : threads_) {
            if (thread.joinable() && thread.get_id() != std::this_thread::get_id())
                thread.join();
        }
    }

    int thread_count() const
    {
        std::lock_guard lock(mutex_);
        return static_cast<int>(threads_.size());
    }

    std::vector<std::string> thread_names() const
    {
        std::lock_guard lock(mutex_);
        return names_;
    }

    int max_workers() const noexcept { return max_workers_; }
    EventLog* log() const noexcept { return log_; }

private:
    // Python's _adjust_thread_count: reuse an idle worker if one has said it is idle, otherwise
    // start another while there are fewer than max_workers.
    void adjust_thread_count_locked()
    {
        int tokens = idle_tokens_.load(std::memory_order_acquire);
        while (tokens > 0) {
            if (idle_tokens_.compare_exchange_weak(tokens, tokens - 1, std::memory_order_acq_rel))
                return;
        }
        if (static_cast<int>(threads_.size()) >= max_workers_)
            return;
        const int index = static_cast<int>(threads_.size());
        names_.push_back(prefix_ + "_" + std::to_string(index));
        threads_.emplace_back([self = shared_from_this(), index, name = names_.back()] { self->work(index, name); });
        ++live_workers_;
    }

    // Runs on worker thread `index` for its whole life.
    void work(int index, const std::string& name)
    {
        this_worker_name = name;
        this_worker_pool = this;
        set_os_thread_name(name, index);
        if (log_)
            log_->record(EventKind::worker_started, 0, index, 0, name);
        if (initializer_) {
            try {
                initializer_();
            } catch (...) {
                report_error("Exception in initializer of " + name + ": " + describe_current_exception());
                break_pool();
                leave(index, name);
                return;
            }
        }
        while (auto item = pop()) {
            bool ran = false;
            try {
                ran = item->execute(index);
            } catch (...) {
                report_error("task " + std::to_string(item->core().task_id())
                    + " could not start: " + describe_current_exception());
            }
            // Idle before the result is published: a caller that submits again right after
            // result() returns then reuses this thread instead of starting another.
            idle_tokens_.fetch_add(1, std::memory_order_acq_rel);
            if (ran) {
                try {
                    item->publish();
                } catch (...) {
                    report_error("task " + std::to_string(item->core().task_id())
                        + " could not complete: " + describe_current_exception());
                }
            }
        }
        leave(index, name);
    }

    // The last thing a worker does with the pool.
    void leave(int index, const std::string& name)
    {
        if (log_)
            log_->record(EventKind::worker_stopped, 0, index, 0, name);
        std::lock_guard lock(mutex_);
        --live_workers_;
        exited_cv_.notify_all();
    }

    // The queue lock is held for a few dozen nanoseconds at a time, by the submitter and every
    // worker. Blocking on it at once turns each collision into a futex sleep and wake, which costs
    // far more than waiting the holder out; so try for a little while first (an adaptive mutex).
    std::unique_lock<std::mutex> lock_queue()
    {
        for (int i = 0; i < 200; ++i) {
            if (mutex_.try_lock())
                return std::unique_lock(mutex_, std::adopt_lock);
            detail::cpu_relax();
        }
        return std::unique_lock(mutex_);
    }

    // Runs on a worker thread. Returns null once the pool is shut down and the queue is empty.
    std::shared_ptr<detail::WorkItem> pop()
    {
        if (queued_.load(std::memory_order_relaxed) == 0) {
            detail::spin_until(
                [this] {
                    return queued_.load(std::memory_order_relaxed) > 0 || stopping_.load(std::memory_order_relaxed);
                },
                worker_spin_budget);
        }
        auto lock = lock_queue();
        while (queue_.empty()) {
            if (shutdown_)
                return nullptr;
            ++sleepers_;
            cv_.wait(lock);
            --sleepers_;
            wakes_pending_ = std::max(0, wakes_pending_ - 1);
        }
        auto item = std::move(queue_.front());
        queue_.pop_front();
        queued_.store(queue_.size(), std::memory_order_relaxed);
        return item;
    }

    // Python's _initializer_failed: the pool stops accepting work and fails everything queued.
    void break_pool()
    {
        std::deque<std::shared_ptr<detail::WorkItem>> drained;
        std::string message;
        {
            std::lock_guard lock(mutex_);
            broken_ = "A thread initializer failed, the thread pool is not usable anymore";
            message = broken_;
            drained.swap(queue_);
            queued_.store(0, std::memory_order_relaxed);
        }
        for (auto& item : drained) {
            if (item->core().state() == FutureState::cancelled)
                continue;
            try {
                item->core().set_exception(std::make_exception_ptr(BrokenThreadPool(message)));
            } catch (const InvalidStateError&) {
                // cancelled in the meantime: nothing to fail
            }
        }
    }

    // Blocks until every worker has left its loop; a task calling this on its own pool does not wait
    // for itself (Python would raise "cannot join current thread" there).
    void wait_for_workers()
    {
        std::unique_lock lock(mutex_);
        const int self = this_worker_pool == this ? 1 : 0;
        exited_cv_.wait(lock, [&] { return live_workers_ <= self; });
    }

    const int max_workers_;
    const std::string prefix_;
    const std::function<void()> initializer_;
    EventLog* const log_;
    std::atomic<std::uint64_t> local_task_ids_ { 1 };

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::shared_ptr<detail::WorkItem>> queue_;
    std::atomic<std::size_t> queued_ { 0 }; // queue_.size() for lock-free polling
    std::atomic<bool> stopping_ { false }; // shutdown_ for lock-free polling
    int sleepers_ = 0;
    int wakes_pending_ = 0; // notifications sent to sleepers that have not woken yet
    bool shutdown_ = false;
    std::string broken_;
    std::vector<std::thread> threads_;
    std::vector<std::string> names_;
    std::atomic<int> idle_tokens_ { 0 }; // Python's _idle_semaphore
    int live_workers_ = 0; // started and not yet out of their loop
    std::condition_variable exited_cv_;
};

ThreadPoolExecutor::ThreadPoolExecutor()
    : ThreadPoolExecutor(ThreadPoolOptions {})
{
}

ThreadPoolExecutor::ThreadPoolExecutor(int max_workers)
    : ThreadPoolExecutor(ThreadPoolOptions { .max_workers = max_workers })
{
}

ThreadPoolExecutor::ThreadPoolExecutor(ThreadPoolOptions options)
    : impl_(std::make_shared<Impl>(std::move(options)))
{
}

ThreadPoolExecutor::~ThreadPoolExecutor()
{
    impl_->shutdown(true, false);
}

void ThreadPoolExecutor::shutdown(bool wait, bool cancel_futures)
{
    impl_->shutdown(wait, cancel_futures);
}
int ThreadPoolExecutor::thread_count() const
{
    return impl_->thread_count();
}
std::vector<std::string> ThreadPoolExecutor::thread_names() const
{
    return impl_->thread_names();
}
int ThreadPoolExecutor::max_workers() const noexcept
{
    return impl_->max_workers();
}
EventLog* ThreadPoolExecutor::events() const noexcept
{
    return impl_->log();
}
std::uint64_t ThreadPoolExecutor::next_task_id() noexcept
{
    return impl_->next_task_id();
}

void ThreadPoolExecutor::enqueue(
    std::shared_ptr<detail::WorkItem> item, std::uint64_t task_id, const std::string& label)
{
    impl_->enqueue(std::move(item), task_id, label);
}

} // namespace poolscope
