#pragma once

// Private to the core: a process pool's manager thread, as the pool's other threads see it.

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

namespace poolscope::detail {

/// The thread a process pool's manager runs on (what it runs is ProcessPoolExecutor::Impl::manage()):
/// started once, woken through an eventfd it polls, asked "am I you?", and joined once. Python's
/// executor manager thread with its _ThreadWakeup.
class ManagerThread {
public:
    /// Makes the eventfd. Throws std::system_error.
    ManagerThread();
    /// Detaches a thread still joinable: that happens only when the pool is destroyed on the
    /// manager thread itself, as it lets go of the pool last.
    ~ManagerThread();
    ManagerThread(const ManagerThread&) = delete;
    ManagerThread& operator=(const ManagerThread&) = delete;

    /// Whether start() was called. Under the pool's mutex, which start() is called under too.
    bool started() const noexcept { return thread_.joinable(); }
    /// Runs body on a new thread. Throws std::system_error if it cannot be started.
    void start(std::function<void()> body);
    /// Blocks until the thread has ended; returns at once if it never started or if called on it.
    void join();

    bool is_current() const noexcept { return id_.load(std::memory_order_acquire) == std::this_thread::get_id(); }

    /// Makes the thread's next poll() return. Any thread.
    void wake() noexcept;
    /// What the thread polls (POLLIN) to be woken, and empties after it was.
    int wake_fd() const noexcept { return wake_fd_; }
    void drain() noexcept;

private:
    int wake_fd_ = -1;
    std::atomic<std::thread::id> id_ {};
    std::mutex join_mutex_;
    std::thread thread_;
};

} // namespace poolscope::detail
