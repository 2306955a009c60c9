#pragma once

// Private to the core: what a process pool knows about its calls and its workers.

#include "worker_process.h"

#include <poolscope/detail/submission.h>
#include <poolscope/process_pool_executor.h>
#include <poolscope/task_identity.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <poll.h>

namespace poolscope::detail {

/// A process pool's bookkeeping: every call on its way (pending, dispatched into the call queue,
/// running in a worker), every worker as its messages describe it, and the call queue the calls
/// travel in (one SOCK_SEQPACKET pair: the pool writes one end, every worker reads the other; see
/// wire.h). Python keeps the same in the executor's pending dict, call queue and process table.
///
/// Not locked by itself: apart from the constructor and the constant accessors, every member runs
/// under mutex(), which the pool's parts hold around their own steps, because several steps often
/// make one change (a submit books a call and dispatches it under one lock). Blocking work (reaping,
/// running done-callbacks) happens outside it, on what the members hand back.
class PoolBook {
public:
    enum class WorkerState { starting, idle, busy, exiting, gone };

    struct Worker {
        int lane = 0;
        std::string name;
        WorkerProcess process;
        WorkerState state = WorkerState::starting;
        std::uint64_t current = 0; // the seq of the call it runs, 0 for none
        std::string inbuf; // received, not yet a whole message
        bool exit_announced = false;
        int tasks_taken = 0; // it leaves after max_tasks_per_child of them
        std::chrono::steady_clock::time_point spawned_at;
    };

    /// A call in the call queue: RUNNING, not yet answered.
    struct Call {
        std::uint64_t seq = 0;
        std::shared_ptr<Submission> submission;
        int lane = -1; // the worker that said it started it; -1 while it waits in the queue
    };

    struct Started {
        TaskIdentity identity;
        int pid = 0;
    };

    /// A call's answer, booked and waiting to complete its future.
    struct Answer {
        std::shared_ptr<Submission> submission;
        int lane = 0;
        int pid = 0;
        std::int64_t ended_ns = 0;
        bool failed = false;
        std::string value; // the encoded result, or the error's message
        std::string type; // the error's type name
        std::string traceback;
    };

    /// Calls that could not be written to the call queue, each with the errno that stopped it.
    using Unsendable = std::vector<std::pair<std::shared_ptr<Submission>, int>>;

    /// A worker that has not said hello by then is not going to: most likely the program's main()
    /// does not call run_worker_if_spawned(), and the "worker" is running the whole program instead.
    static constexpr std::chrono::seconds start_timeout { 30 };

    /// Checks the options (std::invalid_argument, naming the option) and makes the call queue
    /// (std::system_error).
    explicit PoolBook(const ProcessPoolOptions& options);
    ~PoolBook();
    PoolBook(const PoolBook&) = delete;
    PoolBook& operator=(const PoolBook&) = delete;

    std::mutex& mutex() const noexcept { return mutex_; }
    int max_workers() const noexcept { return max_workers_; }
    StartMethod start_method() const noexcept { return method_; }
    std::optional<int> max_tasks() const noexcept { return max_tasks_; }
    /// The pool's end of the call queue (poll it for room), and the end every worker reads.
    int call_fd() const noexcept { return call_fd_; }
    int call_queue_worker_end() const noexcept { return call_peer_fd_; }

    // The pool's state.
    bool broken() const noexcept { return broken_; }
    /// Throws BrokenProcessPool once the pool is broken, then ExecutorShutdownError after shutdown.
    void check_accepting() const;
    void shut_down() noexcept { shutdown_ = true; }
    /// Breaks the pool and kills every live worker; false if it was broken already.
    bool mark_broken(const std::string& why);
    /// The manager thread's work is over: every worker has ended, and nothing is left to run, or
    /// nothing can run anymore.
    bool finished() const;

    // Calls.
    /// A submitted call: pending, and a worker for it reused or wanted (Python's _adjust_process_count).
    void add(std::shared_ptr<Submission> submission);
    std::deque<std::shared_ptr<Submission>> take_pending();
    /// Python's _add_call_item_to_queue: moves pending calls into the call queue while fewer than
    /// max_workers + 1 are in flight; they report RUNNING from here on. Then writes them to the
    /// workers' shared socket until it is full. Returns the calls that could not be written at all.
    Unsendable dispatch();
    /// Dispatched calls still waiting for room in the call queue.
    bool has_unsent() const noexcept { return !unsent_.empty(); }
    /// A write to the call queue would block: poll call_fd() for POLLOUT before the next.
    bool call_queue_full() const noexcept { return call_queue_full_; }
    void call_queue_has_room() noexcept { call_queue_full_ = false; }
    /// After the last call, one stop per worker that still reads the call queue, as Python puts a
    /// None per process. Stops taken by workers whose goodbye has not arrived yet still count, so
    /// none is sent twice for the same reader. Manager thread.
    void send_stops();
    /// Every call still held, pending, dispatched or running, to be failed; no worker runs one now.
    std::vector<std::shared_ptr<Submission>> take_everything_left();
    /// Python's feeder thread fails a call it cannot put on the queue; so do we. Without mutex():
    /// done-callbacks run here.
    static void fail_unsendable(Unsendable& calls);

    // Workers.
    /// Takes one of the workers asked for, if any; the manager thread starts it.
    bool take_wanted_worker() noexcept;
    void want_no_more_workers() noexcept { spawn_wanted_ = 0; }
    bool workers_wanted() const noexcept { return spawn_wanted_ > 0; }
    /// Work waits but no worker will take it: the last ones retired (max_tasks_per_child) before
    /// the work came. Asks for one.
    void ensure_a_worker();
    /// A worker retired after max_tasks_per_child: asks for its successor if work waits.
    void replace_retired_worker();
    /// The lowest lane no live worker uses.
    int free_lane() const;
    void add_worker(
        int lane, std::string name, WorkerProcess process, std::chrono::steady_clock::time_point spawned_at);
    int live_workers() const;
    Worker* worker_on_lane(int lane);
    /// The first worker not gone yet, or null.
    Worker* any_live_worker();
    /// The pid of the worker on `lane`, -1 if none lives there.
    pid_t pid_of(int lane);
    std::vector<int> worker_pids() const;
    int process_count() const noexcept { return process_count_; }
    void signal_workers(int signal) const;
    /// The live workers' sockets, to poll for their messages, and their lanes.
    void add_worker_fds(std::vector<pollfd>& fds, std::vector<int>& lanes) const;
    /// Milliseconds until the next worker still starting runs out of start_timeout; -1 for none.
    int ms_to_next_start_timeout(std::chrono::steady_clock::time_point now) const;
    /// Workers that never said hello within start_timeout.
    std::vector<WorkerProcess> late_starters(std::chrono::steady_clock::time_point now) const;
    /// Closes the socket of the worker on `lane` and books it gone; returns its name. The caller
    /// keeps readers away meanwhile (MessageReader::hold_off_readers()).
    std::string close_worker(int lane);

    // What the workers' messages say (see wire::Message). Each throws SerializationError for a
    // message that contradicts the book: the worker is then treated as damaged.
    /// `ready`: the worker's name, or nothing if no worker lives on `lane`.
    std::optional<std::string> worker_ready(int lane);
    /// `started`: the call's identity and the worker's pid; nothing once the pool is broken.
    std::optional<Started> mark_started(int lane, std::uint64_t seq);
    /// `result` / `error`: takes the call out of the book; nothing once the pool is broken. The
    /// answer names its submission, lane and pid; the caller fills in the rest.
    std::optional<Answer> take_answer(int lane, std::uint64_t seq);
    /// `exiting`: the worker's pid, or nothing if no worker lives on `lane`.
    std::optional<int> worker_exiting(int lane, const std::string& reason);

private:
    int in_flight() const noexcept { return static_cast<int>(unsent_.size() + sent_.size()); }
    // Calls no worker has taken yet: pending, waiting to be written, or in the queue unstarted.
    bool work_waits() const;
    bool retiring(const Worker& w) const { return max_tasks_ && w.tasks_taken >= *max_tasks_; }
    // Will this worker take another message off the call queue?
    bool reads_calls(const Worker& w) const
    {
        return w.state != WorkerState::gone && w.state != WorkerState::exiting && !w.exit_announced && !retiring(w);
    }
    Call* sent_call(std::uint64_t seq);

    const int max_workers_;
    const std::optional<int> max_tasks_;
    const StartMethod method_;
    const int first_lane_;
    int call_fd_ = -1; // the call queue: the pool writes this end...
    int call_peer_fd_ = -1; // ...every worker reads this one (kept for workers yet to start)

    mutable std::mutex mutex_;
    std::deque<std::shared_ptr<Submission>> pending_; // submitted, not yet dispatched
    std::deque<Call> unsent_; // dispatched (RUNNING), waiting for room in the call queue
    std::vector<Call> sent_; // in the call queue or running in a worker; at most max_workers + 1
    std::uint64_t last_seq_ = 0;
    std::vector<Worker> workers_;
    int idle_tokens_ = 0; // Python's _idle_worker_semaphore
    int spawn_wanted_ = 0; // workers the manager should start
    int stops_sent_ = 0; // stop messages written to the call queue
    int stops_taken_ = 0; // workers that left because they took one
    bool call_queue_full_ = false;
    std::string broken_reason_; // for the record: what broke the pool
    int process_count_ = 0;
    bool shutdown_ = false;
    bool broken_ = false;
};

} // namespace poolscope::detail
