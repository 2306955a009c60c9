#include <poolscope/thread_pool_executor.h>

#include "caller_block.h"
#include "work_queue.h"

#include <poolscope/error_handler.h>
#include <poolscope/errors.h>
#include <poolscope/event_log.h>
#include <poolscope/interpreter_lock.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include <pthread.h>

namespace poolscope {

namespace {
std::atomic<int> pool_counter { 0 };
thread_local std::string_view this_worker_name;
thread_local const void* this_worker_pool = nullptr;
thread_local int this_worker_lane = -1;

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

int current_worker_lane() noexcept
{
    return this_worker_lane;
}

class ThreadPoolExecutor::Impl : public std::enable_shared_from_this<Impl> {
public:
    explicit Impl(ThreadPoolOptions options)
        : max_workers_(checked_max_workers(options.max_workers))
        , prefix_(options.thread_name_prefix.empty() ? "ThreadPoolExecutor-" + std::to_string(pool_counter++)
                                                     : std::move(options.thread_name_prefix))
        , initializer_(std::move(options.initializer))
        , log_(options.events)
        , gil_(options.interpreter_lock)
        , first_lane_(options.first_lane)
    {
        if (first_lane_ < 0)
            throw std::invalid_argument("first_lane must be 0 or greater");
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
    void enqueue(std::shared_ptr<detail::WorkItem> item, TaskIdentity identity, const std::string& label)
    {
        // The submit lock: workers never take it while running tasks, so it is only contended by
        // other submitters and by shutdown.
        std::lock_guard lock(mutex_);
        if (!broken_.empty())
            throw BrokenThreadPool(broken_);
        if (shutdown_)
            throw ExecutorShutdownError();
        // Recorded before the item becomes visible, so `started` can never precede `submitted`.
        if (log_)
            log_->record(EventKind::submitted, identity.task_id, -1, identity.attempt, label);
        queue_.push(std::move(item));
        adjust_thread_count_locked();
    }

    // `what` names the caller's block: "shutdown", or "__exit__" for the destructor, the end of
    // the scope that stands for Python's `with` block (the tracer's names for the two).
    void shutdown(bool wait, bool cancel_futures, const char* what = "shutdown")
    {
        bool workers_left = false;
        {
            std::lock_guard lock(mutex_);
            shutdown_ = true;
            workers_left = live_workers_ > (this_worker_pool == this ? 1 : 0);
        }
        // Nothing is pushed after shutdown_ is set, so the drain gets everything still queued.
        std::vector<std::shared_ptr<detail::WorkItem>> drained;
        if (cancel_futures)
            drained = queue_.drain();
        queue_.close();
        // Outside the pool's lock: cancelling runs the futures' callbacks.
        for (auto& item : drained)
            item->core().cancel(false);
        if (wait) {
            // A worker that shuts its own pool down is no caller; a pool whose workers are gone
            // (shut down before, or never started) keeps nobody waiting, as in the tracer.
            std::optional<detail::CallerBlock> block;
            if (workers_left && current_worker_lane() < 0)
                block.emplace(log_, what);
            wait_for_workers();
        }
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
        // With every worker started there is nothing left to decide, and the tokens are never
        // looked at again; skipping them spares a cache line that workers and submitter would
        // otherwise pass back and forth for every task.
        if (static_cast<int>(threads_.size()) >= max_workers_)
            return;
        int tokens = idle_tokens_.load(std::memory_order_acquire);
        while (tokens > 0) {
            if (idle_tokens_.compare_exchange_weak(tokens, tokens - 1, std::memory_order_acq_rel))
                return;
        }
        if (static_cast<int>(threads_.size()) >= max_workers_)
            return;
        // The name is booked only once the thread runs, as Python adds a thread to _threads only
        // after start(): when std::thread throws (std::system_error, out to submit()), nothing is
        // left behind, and the next thread takes the same index. Room first, so that booking it
        // cannot throw after the thread has started.
        const int index = static_cast<int>(threads_.size());
        std::string name = prefix_ + "_" + std::to_string(index);
        names_.reserve(names_.size() + 1);
        threads_.emplace_back([self = shared_from_this(), index, name] { self->work(index, name); });
        names_.push_back(std::move(name));
        ++live_workers_;
        if (static_cast<int>(threads_.size()) == max_workers_)
            pool_full_.store(true, std::memory_order_relaxed);
    }

    // Runs on worker thread `index` for its whole life.
    void work(int index, const std::string& name)
    {
        this_worker_name = name;
        this_worker_pool = this;
        this_worker_lane = first_lane_ + index;
        set_os_thread_name(name, index);
        if (log_)
            log_->record(EventKind::worker_started, 0, first_lane_ + index, 0, name);
        if (initializer_) {
            try {
                initializer_();
            } catch (...) {
                report_error("Exception in initializer of " + name + ": " + exception_message(std::current_exception()));
                break_pool();
                leave(index, name);
                return;
            }
        }
        while (auto item = pop()) {
            bool ran = false;
            try {
                ran = item->execute(first_lane_ + index, gil_);
            } catch (...) {
                report_error("task " + std::to_string(item->core().task_id())
                    + " could not start: " + exception_message(std::current_exception()));
            }
            // Idle before the result is published: a caller that submits again right after
            // result() returns then reuses this thread instead of starting another.
            if (!pool_full_.load(std::memory_order_relaxed))
                idle_tokens_.fetch_add(1, std::memory_order_acq_rel);
            if (ran) {
                try {
                    item->publish();
                } catch (...) {
                    report_error("task " + std::to_string(item->core().task_id())
                        + " could not complete: " + exception_message(std::current_exception()));
                }
            }
        }
        leave(index, name);
    }

    // The last thing a worker does with the pool.
    void leave(int index, const std::string& name)
    {
        if (log_)
            log_->record(EventKind::worker_stopped, 0, first_lane_ + index, 0, name);
        std::lock_guard lock(mutex_);
        --live_workers_;
        exited_cv_.notify_all();
    }

    // Runs on a worker thread. Returns null once the pool is shut down and the queue is empty.
    std::shared_ptr<detail::WorkItem> pop() { return queue_.pop(worker_spin_budget); }

    // Python's _initializer_failed: the pool stops accepting work and fails everything queued.
    void break_pool()
    {
        std::string message;
        {
            std::lock_guard lock(mutex_);
            broken_ = "A thread initializer failed, the thread pool is not usable anymore";
            message = broken_;
        }
        // Nothing is pushed once broken_ is set, so the drain gets everything still queued.
        const auto drained = queue_.drain();
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
    InterpreterLock* const gil_;
    const int first_lane_;
    std::atomic<bool> pool_full_ { false }; // all max_workers started: idle tokens no longer matter (written once)
    alignas(64) std::atomic<std::uint64_t> local_task_ids_ { 1 }; // bumped by the submitter only

    // What the submitter and the workers write for every task sits apart from the read-only fields
    // above and from each other's hot fields, so one thread's write does not evict another's line.
    detail::WorkQueue queue_; // aligns its own ends

    alignas(64) mutable std::mutex mutex_; // the submit lock; guards what follows
    bool shutdown_ = false;
    std::string broken_;
    std::vector<std::thread> threads_;
    std::vector<std::string> names_;
    alignas(64) std::atomic<int> idle_tokens_ { 0 }; // Python's _idle_semaphore
    int live_workers_ = 0; // started and not yet out of their loop
    std::condition_variable exited_cv_;
    alignas(64) std::byte after_hot_fields_ {};
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
    impl_->shutdown(true, false, "__exit__");
    impl_->join_workers();
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
    std::shared_ptr<detail::WorkItem> item, TaskIdentity identity, const std::string& label)
{
    impl_->enqueue(std::move(item), identity, label);
}

} // namespace poolscope
