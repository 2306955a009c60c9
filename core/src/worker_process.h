#pragma once

// Private to the core: one worker process of a process pool, seen from the parent.

#include <poolscope/process_pool_executor.h>

#include <atomic>
#include <string>

#include <sys/types.h>

namespace poolscope::detail {

/// Moves fd to a number >= 10, close-on-exec: a worker gets its sockets as descriptors 3 and 4,
/// and duplicating one onto those must never overwrite the other. Closes fd; returns -1 (errno
/// set) on failure.
int high_fd(int fd);

/// A worker process: its pid and the parent's end of the socket it answers on. A plain handle
/// that copies freely (the pool's bookkeeping holds one, the thread that reaps it another); the
/// socket is closed by close_socket(), once, by whoever retires the worker.
///
/// Made in two steps, as Python makes a Process object and then start()s it: with_socket() makes
/// the socket pair, start() the process.
class WorkerProcess {
public:
    WorkerProcess() = default;

    /// A process not yet started, with its socket pair. Throws std::system_error.
    static WorkerProcess with_socket();

    /// Starts the process: with StartMethod::spawn it runs `executable` in worker mode, with
    /// StartMethod::fork it forks this process. Either way the worker's end of the socket becomes
    /// its descriptor 3 and `call_queue_fd` (the workers' end of the pool's call queue) its
    /// descriptor 4. The worker's end is closed here, started or not. Throws std::system_error,
    /// after closing the parent's end too. Manager thread: a worker dies with the thread that
    /// started it (PR_SET_PDEATHSIG).
    void start(StartMethod method, const std::string& executable, int call_queue_fd, int lane, const std::string& name,
        int max_tasks);

    /// "SpawnProcess-3", "ForkProcess-1": numbered by `counter` if given (ProcessPoolOptions::
    /// process_counter), else across the whole program, as multiprocessing does.
    static std::string next_name(StartMethod method, std::atomic<int>* counter = nullptr);

    /// "killed by signal 9 (Killed)", "exited with code 1": a wait status in words.
    static std::string describe_status(int status);

    pid_t pid() const noexcept { return pid_; }
    /// The parent's end of the worker's socket; -1 once closed.
    int fd() const noexcept { return fd_; }

    /// Sends the process `signal`, if it was started.
    void signal(int signal) const;

    /// Waits for the process to end, killing it if it has not within a short grace period, and
    /// returns its wait status. Blocks; never under the pool's locks.
    int reap() const;

    void close_socket();

private:
    pid_t pid_ = -1;
    int fd_ = -1;
    int child_fd_ = -1; // the worker's end, until start()
};

} // namespace poolscope::detail
