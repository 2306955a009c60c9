#include <poolscope/process_pool_executor.h>

#include "wire.h"
#include "worker_loop.h"

#include <poolscope/error_handler.h>
#include <poolscope/event_log.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace poolscope {

namespace wire = detail::wire;

namespace {
// multiprocessing numbers its processes across the whole program: SpawnProcess-1, -2, ...
std::atomic<int> process_counter { 0 };

constexpr const char* broken_future_message
    = "A process in the process pool was terminated abruptly while the future was running or pending.";
constexpr const char* broken_pool_message
    = "A child process terminated abruptly, the process pool is not usable anymore";

// A worker that has not said hello by then is not going to: most likely the program's main() does
// not call run_worker_if_spawned(), and the "worker" is running the whole program instead.
constexpr std::chrono::seconds start_timeout { 30 };

// How long the manager thread keeps polling after its last activity before it sleeps in poll():
// the next answer usually comes within microseconds of the last, while waking a sleeping thread
// costs tens of them on a virtual machine. Short, so that an idle pool goes quiet almost at once.
constexpr std::chrono::microseconds manager_spin { 100 };

int checked_max_workers(std::optional<int> requested)
{
    if (!requested)
        return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (*requested <= 0)
        throw std::invalid_argument("max_workers must be greater than 0");
    return *requested;
}

std::optional<int> checked_max_tasks(const ProcessPoolOptions& options)
{
    if (!options.max_tasks_per_child)
        return std::nullopt;
    if (*options.max_tasks_per_child < 1)
        throw std::invalid_argument("max_tasks_per_child must be >= 1");
    if (options.start_method == StartMethod::fork)
        throw std::invalid_argument("max_tasks_per_child is incompatible with the 'fork' start method");
    return options.max_tasks_per_child;
}

std::string describe_status(int status)
{
    if (WIFSIGNALED(status))
        return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
    if (WIFEXITED(status))
        return "exited with code " + std::to_string(WEXITSTATUS(status));
    return "ended";
}

// Reaps pid, killing it first if it has not ended within a short grace period. Manager thread.
int reap(pid_t pid)
{
    int status = 0;
    for (int i = 0; i < 200; ++i) {
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            return status;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    return status;
}
} // namespace

class ProcessPoolExecutor::Impl : public detail::Progress, public std::enable_shared_from_this<Impl> {
public:
    explicit Impl(ProcessPoolOptions options)
        : max_workers_(checked_max_workers(options.max_workers))
        , max_tasks_(checked_max_tasks(options))
        , method_(options.start_method)
        , log_(options.events)
        , executable_(options.executable.empty() ? std::string("/proc/self/exe") : std::move(options.executable))
        , first_lane_(options.first_lane)
        , process_counter_(options.process_counter ? *options.process_counter : process_counter)
    {
        if (first_lane_ < 0)
            throw std::invalid_argument("first_lane must be 0 or greater");
        int sv[2];
        if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
            throw std::system_error(errno, std::generic_category(), "socketpair");
        call_fd_ = high_fd(sv[0]);
        call_peer_fd_ = high_fd(sv[1]);
        wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (wake_fd_ < 0 || call_fd_ < 0 || call_peer_fd_ < 0) {
            const int err = errno;
            close_fds();
            throw std::system_error(err, std::generic_category(), "process pool: cannot create its descriptors");
        }
    }

    ~Impl()
    {
        if (manager_.joinable())
            manager_.detach(); // only when destroyed on the manager thread itself
        close_fds();
    }

    std::uint64_t next_task_id() noexcept
    {
        return log_ ? log_->next_task_id() : local_task_ids_.fetch_add(1, std::memory_order_relaxed);
    }

    // Runs on the submitting thread.
    void enqueue(Submission s)
    {
        std::unique_lock lock(mutex_);
        if (broken_)
            throw BrokenProcessPool(broken_pool_message);
        if (shutdown_)
            throw ExecutorShutdownError();
        if (log_)
            log_->record(EventKind::submitted, s.identity.task_id, -1, s.identity.attempt, s.label);
        if (s.error) {
            // Python fails such a future when it tries to pickle the call; the pool is unharmed.
            lock.unlock();
            s.core->set_exception(s.error);
            return;
        }
        pending_.push_back(std::make_shared<Submission>(std::move(s)));
        adjust_process_count_locked();
        bool wake_manager = spawn_wanted_ > 0;
        if (!manager_.joinable()) {
            manager_ = std::thread([self = shared_from_this()] { self->manage(); });
            wake_manager = true;
        }
        // In Python the manager thread moves the call to the call queue; when there is room, doing it
        // here spares a hand-off between threads on every call. The manager still hears of what only
        // it can do: start a worker, or wait for room in a full queue.
        auto unsendable = dispatch_locked();
        wake_manager = wake_manager || !unsent_.empty();
        lock.unlock();
        fail_unsendable(unsendable);
        if (wake_manager)
            wake();
    }

    void shutdown(bool wait, bool cancel_futures)
    {
        std::deque<std::shared_ptr<Submission>> cancelled;
        {
            std::lock_guard lock(mutex_);
            shutdown_ = true;
            if (cancel_futures)
                cancelled.swap(pending_);
        }
        for (auto& s : cancelled)
            s->core->cancel();
        wake();
        if (wait)
            join_manager();
    }

    void end_workers(int signal)
    {
        shutdown(false, true);
        {
            std::lock_guard lock(mutex_);
            for (auto& w : workers_) {
                if (w.state != WorkerState::gone)
                    ::kill(w.pid, signal);
            }
        }
        wake();
        join_manager();
    }

    int max_workers() const noexcept { return max_workers_; }
    EventLog* log() const noexcept { return log_; }
    int process_count() const
    {
        std::lock_guard lock(mutex_);
        return process_count_;
    }
    std::vector<int> worker_pids() const
    {
        std::lock_guard lock(mutex_);
        std::vector<int> pids;
        for (const auto& w : workers_) {
            if (w.state != WorkerState::gone)
                pids.push_back(w.pid);
        }
        return pids;
    }

private:
    enum class WorkerState { starting, idle, busy, exiting, gone };

    struct Worker {
        int lane = 0;
        pid_t pid = -1;
        int fd = -1;
        std::string name;
        WorkerState state = WorkerState::starting;
        std::uint64_t current = 0; // the seq of the call it runs, 0 for none
        std::string inbuf;
        bool exit_announced = false;
        int tasks_taken = 0; // it leaves after max_tasks_per_child of them
        std::chrono::steady_clock::time_point spawned_at;
    };

    // A call in the call queue: RUNNING, not yet answered.
    struct Call {
        std::uint64_t seq = 0;
        std::shared_ptr<Submission> submission;
        int lane = -1; // the worker that said it started it; -1 while it waits in the queue
    };

    struct Started {
        TaskIdentity identity;
        int pid = 0;
    };

    // A call's answer, booked and waiting to complete its future.
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

    // Calls that could not be written to the call queue, each with the errno that stopped it.
    using Unsendable = std::vector<std::pair<std::shared_ptr<Submission>, int>>;

    // Moves fd to a number >= 10, close-on-exec: a worker gets its sockets as descriptors 3 and 4,
    // and duplicating one onto those must never overwrite the other. -1 (errno set) on failure.
    static int high_fd(int fd)
    {
        const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
        const int err = errno;
        ::close(fd);
        errno = err;
        return moved;
    }

    void close_fds()
    {
        for (int fd : { wake_fd_, call_fd_, call_peer_fd_ }) {
            if (fd >= 0)
                ::close(fd);
        }
        wake_fd_ = call_fd_ = call_peer_fd_ = -1;
    }

    void wake()
    {
        const std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
    }

    void join_manager()
    {
        std::lock_guard join_lock(join_mutex_);
        if (!manager_.joinable() || manager_.get_id() == std::this_thread::get_id())
            return;
        manager_.join();
    }

    int live_workers_locked() const
    {
        return static_cast<int>(std::count_if(
            workers_.begin(), workers_.end(), [](const Worker& w) { return w.state != WorkerState::gone; }));
    }

    int in_flight_locked() const { return static_cast<int>(unsent_.size() + sent_.size()); }

    // Calls no worker has taken yet: pending, waiting to be written, or in the queue unstarted.
    bool work_waits_locked() const
    {
        return !pending_.empty() || !unsent_.empty()
            || std::any_of(sent_.begin(), sent_.end(), [](const Call& c) { return c.lane < 0; });
    }

    bool retiring(const Worker& w) const { return max_tasks_ && w.tasks_taken >= *max_tasks_; }

    // Will this worker take another message off the call queue?
    bool reads_calls(const Worker& w) const
    {
        return w.state != WorkerState::gone && w.state != WorkerState::exiting && !w.exit_announced && !retiring(w);
    }

    // Python's _adjust_process_count, on the submitting thread: reuse an idle worker if one said it is
    // idle; otherwise start another while there are fewer than max_workers. Fork starts them all.
    // The manager thread does the starting: a worker is bound to the thread that started it (its
    // parent-death signal fires when that thread ends), and only the manager lives as long as the pool.
    void adjust_process_count_locked()
    {
        if (method_ == StartMethod::fork) {
            spawn_wanted_ = max_workers_ - live_workers_locked();
            return;
        }
        if (idle_tokens_ > 0) {
            --idle_tokens_;
            return;
        }
        if (live_workers_locked() + spawn_wanted_ < max_workers_)
            ++spawn_wanted_;
    }

    // Python's _add_call_item_to_queue: moves pending calls into the call queue while fewer than
    // max_workers + 1 are in flight; they report RUNNING from here on. Then writes them to the
    // workers' shared socket until it is full. Returns the calls that could not be written at all.
    // Any thread, under mutex_.
    Unsendable dispatch_locked()
    {
        Unsendable unsendable;
        while (!pending_.empty() && in_flight_locked() < max_workers_ + 1) {
            auto s = std::move(pending_.front());
            pending_.pop_front();
            if (!s->core->set_running_or_notify_cancel(-1, EventKind::dispatched))
                continue; // cancelled while pending
            unsent_.push_back({ ++last_seq_, std::move(s), -1 });
        }
        while (!unsent_.empty() && !call_queue_full_) {
            Call& call = unsent_.front();
            const wire::SendResult r = wire::send_call(call_fd_, wire::Message::task, encode(call));
            if (r == wire::SendResult::would_block) {
                call_queue_full_ = true; // the manager polls for room
                break;
            }
            if (r == wire::SendResult::sent)
                sent_.push_back(std::move(call));
            else
                unsendable.emplace_back(std::move(call.submission), errno);
            unsent_.pop_front();
        }
        return unsendable;
    }

    static std::string encode(const Call& call)
    {
        const Submission& s = *call.submission;
        std::string payload;
        codec::Writer writer(payload);
        writer.put_u64(call.seq);
        writer.put_u64(s.identity.task_id);
        writer.put_i64(s.identity.attempt);
        writer.put_bytes(s.function);
        if (s.chunk) {
            writer.put_u64(s.chunk_args.size());
            for (const auto& a : s.chunk_args)
                writer.put_bytes(a);
        } else {
            writer.put_u64(0);
            writer.put_bytes(s.args);
        }
        return payload;
    }

    // Python's feeder thread fails a call it cannot put on the queue; so do we. Without mutex_:
    // done-callbacks run here.
    static void fail_unsendable(Unsendable& calls)
    {
        for (auto& [s, err] : calls) {
            s->core->set_exception(std::make_exception_ptr(std::system_error(
                err ? err : EIO, std::generic_category(), "cannot pass the call to a worker process")));
        }
    }

    // After the last call, one stop per worker that still reads the call queue, as Python puts a
    // None per process. Stops taken by workers whose goodbye has not arrived yet still count, so
    // none is sent twice for the same reader. Manager thread, under mutex_.
    void send_stops_locked()
    {
        if (!shutdown_ || !pending_.empty() || !unsent_.empty() || call_queue_full_)
            return;
        const int readers = static_cast<int>(
            std::count_if(workers_.begin(), workers_.end(), [&](const Worker& w) { return reads_calls(w); }));
        while (stops_sent_ - stops_taken_ < readers) {
            if (wire::send_call(call_fd_, wire::Message::stop, {}) != wire::SendResult::sent) {
                call_queue_full_ = true;
                return;
            }
            ++stops_sent_;
        }
    }

    // Starts the workers asked for. Manager thread, under mutex_. Returns false if none could be
    // started and none is alive, which leaves the pool unable to run anything.
    bool spawn_wanted_locked()
    {
        while (spawn_wanted_ > 0) {
            --spawn_wanted_;
            try {
                spawn_locked();
            } catch (const std::exception& e) {
                spawn_wanted_ = 0;
                report_error(std::string("process pool: ") + e.what());
                if (live_workers_locked() == 0)
                    return false;
            }
        }
        return true;
    }

    int free_lane_locked() const
    {
        for (int lane = first_lane_;; ++lane) {
            const bool used = std::any_of(workers_.begin(), workers_.end(),
                [&](const Worker& w) { return w.lane == lane && w.state != WorkerState::gone; });
            if (!used)
                return lane;
        }
    }

    // Starts one worker process on the lowest free lane: its own socket becomes its descriptor 3
    // (answers to the parent), the pool's call queue its descriptor 4. Manager thread, under mutex_.
    void spawn_locked()
    {
        int sv[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
            throw std::system_error(errno, std::generic_category(), "socketpair");
        const int child_end = high_fd(sv[1]);
        if (child_end < 0) {
            const int err = errno;
            ::close(sv[0]);
            throw std::system_error(err, std::generic_category(), "fcntl");
        }
        Worker w;
        w.lane = free_lane_locked();
        w.name = std::string(method_ == StartMethod::spawn ? "SpawnProcess-" : "ForkProcess-")
            + std::to_string(++process_counter_);
        w.fd = sv[0];
        w.spawned_at = std::chrono::steady_clock::now();
        if (log_)
            log_->record(EventKind::worker_spawning, 0, w.lane, 0, w.name);

        pid_t pid = -1;
        if (method_ == StartMethod::spawn) {
            const std::string lane = std::to_string(w.lane);
            const std::string parent = std::to_string(::getpid());
            const std::string max_tasks = std::to_string(max_tasks_.value_or(0));
            std::string exe = executable_;
            std::vector<char*> argv { exe.data(), const_cast<char*>(detail::worker_flag), const_cast<char*>("3"),
                const_cast<char*>("4"), const_cast<char*>(lane.c_str()), w.name.data(),
                const_cast<char*>(parent.c_str()), const_cast<char*>(max_tasks.c_str()), nullptr };
            posix_spawn_file_actions_t actions;
            posix_spawn_file_actions_init(&actions);
            // dup2 onto 3 and 4 clears close-on-exec there; every other descriptor of ours is CLOEXEC.
            posix_spawn_file_actions_adddup2(&actions, child_end, 3);
            posix_spawn_file_actions_adddup2(&actions, call_peer_fd_, 4);
            const int rc = ::posix_spawn(&pid, executable_.c_str(), &actions, nullptr, argv.data(), environ);
            posix_spawn_file_actions_destroy(&actions);
            if (rc != 0) {
                ::close(sv[0]);
                ::close(child_end);
                throw std::system_error(rc, std::generic_category(), "cannot start worker process " + executable_);
            }
        } else {
            pid = ::fork();
            if (pid < 0) {
                const int err = errno;
                ::close(sv[0]);
                ::close(child_end);
                throw std::system_error(err, std::generic_category(), "fork");
            }
            if (pid == 0) {
                // The child: only this thread exists now. Keep its two sockets as descriptors 3 and
                // 4 and nothing else of the parent's, so other workers' end-of-file stays theirs.
                ::dup2(child_end, 3);
                ::dup2(call_peer_fd_, 4);
                ::close_range(5, ~0U, 0);
                ::prctl(PR_SET_PDEATHSIG, SIGKILL);
                std::_Exit(detail::worker_loop(3, 4, w.lane, w.name, 0, false));
            }
        }
        ::close(child_end);
        w.pid = pid;
        workers_.push_back(std::move(w));
        ++process_count_;
    }

    // The manager thread: Python's executor manager thread. Reads the workers' answers, completes
    // the futures and runs their done-callbacks, refills the call queue, starts and reaps workers.
    void manage()
    {
        manager_id_.store(std::this_thread::get_id(), std::memory_order_release);
        std::vector<pollfd> fds;
        std::vector<int> lanes_polled;
        auto spin_until = std::chrono::steady_clock::now() + manager_spin;
        for (;;) {
            bool unable = false;
            {
                std::lock_guard lock(mutex_);
                if (!broken_)
                    ensure_a_worker_locked();
                unable = !broken_ && !spawn_wanted_locked();
            }
            if (unable) {
                break_pool("no worker process could be started");
                continue;
            }
            Unsendable unsendable;
            int timeout_ms = -1;
            // While callers help (see assist()), leave the workers' sockets to them and only look in
            // now and then; an end of file or a damaged message they find brings us back at once.
            const bool parked = assistants_.load(std::memory_order_acquire) > 0
                && !manager_needed_.load(std::memory_order_acquire);
            if (!parked)
                manager_needed_.store(false, std::memory_order_release);
            {
                std::lock_guard lock(mutex_);
                if (!broken_) {
                    unsendable = dispatch_locked();
                    send_stops_locked();
                }
                if ((shutdown_ || broken_) && live_workers_locked() == 0
                    && (broken_ || (pending_.empty() && in_flight_locked() == 0)))
                    break;
                fds.clear();
                lanes_polled.clear();
                fds.push_back({ wake_fd_, POLLIN, 0 });
                fds.push_back({ call_fd_, static_cast<short>(call_queue_full_ && !broken_ ? POLLOUT : 0), 0 });
                const auto now = std::chrono::steady_clock::now();
                if (!parked)
                    add_worker_fds_locked(fds, lanes_polled);
                for (const auto& w : workers_) {
                    if (w.state == WorkerState::starting) {
                        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            w.spawned_at + start_timeout - now);
                        const int ms = static_cast<int>(std::max<std::int64_t>(0, left.count()) + 1);
                        timeout_ms = timeout_ms < 0 ? ms : std::min(timeout_ms, ms);
                    }
                }
            }
            fail_unsendable(unsendable);

            int n = 0;
            if (parked) {
                const int look_in_ms = 1;
                n = ::poll(fds.data(), fds.size(), timeout_ms < 0 ? look_in_ms : std::min(timeout_ms, look_in_ms));
            } else {
                // Poll without sleeping for a moment after the last activity: see manager_spin.
                for (;;) {
                    n = ::poll(fds.data(), fds.size(), 0);
                    if (n != 0 || std::chrono::steady_clock::now() >= spin_until)
                        break;
                    std::this_thread::yield();
                }
                if (n == 0)
                    n = ::poll(fds.data(), fds.size(), timeout_ms);
            }
            if (n < 0 && errno != EINTR) {
                report_error("process pool manager: poll failed");
                break_pool("poll failed");
                continue;
            }
            if (n > 0)
                spin_until = std::chrono::steady_clock::now() + manager_spin;
            if (fds[0].revents & POLLIN) {
                std::uint64_t count;
                [[maybe_unused]] auto r = ::read(wake_fd_, &count, sizeof count);
            }
            if (fds[1].revents & POLLOUT) {
                std::lock_guard lock(mutex_);
                call_queue_full_ = false;
            }
            for (std::size_t i = 2; i < fds.size(); ++i) {
                if (fds[i].revents == 0)
                    continue;
                read_worker(lanes_polled[i - 2]);
            }
            // Answers a helper booked and has not delivered yet (it is inside a done-callback).
            std::vector<Answer> none;
            deliver(none);
            check_start_timeouts();
        }
        // Every worker has ended; fail whatever could not run (only after a break).
        fail_everything_left();
    }

    // Work waits but no worker will take it: the last ones retired (max_tasks_per_child) before
    // the work came. Manager thread, under mutex_.
    void ensure_a_worker_locked()
    {
        if (!work_waits_locked())
            return;
        const bool someone = std::any_of(workers_.begin(), workers_.end(), [&](const Worker& w) { return reads_calls(w); });
        if (!someone && spawn_wanted_ == 0 && live_workers_locked() < max_workers_)
            ++spawn_wanted_;
    }

    Worker* worker_on_lane_locked(int lane)
    {
        for (auto& w : workers_) {
            if (w.lane == lane && w.state != WorkerState::gone)
                return &w;
        }
        return nullptr;
    }

    Call* sent_call_locked(std::uint64_t seq)
    {
        const auto it = std::find_if(sent_.begin(), sent_.end(), [&](const Call& c) { return c.seq == seq; });
        return it == sent_.end() ? nullptr : &*it;
    }

    // Reads what the worker on `lane` sent and acts on every complete message. Manager thread.
    void read_worker(int lane)
    {
        std::vector<Answer> answers;
        bool eof = false;
        {
            std::lock_guard reading(read_mutex_);
            eof = read_locked(lane, answers);
        }
        deliver(answers);
        if (eof)
            worker_ended(lane);
    }

    // Reads what the worker on `lane` sent and books every complete message; the answers among
    // them go to `answers`, to be delivered once read_mutex_ is released. Returns true at end of
    // file (or a damaged message, after which the worker is killed). Under read_mutex_.
    bool read_locked(int lane, std::vector<Answer>& answers)
    {
        int fd = -1;
        std::string buffer;
        {
            std::lock_guard lock(mutex_);
            Worker* w = worker_on_lane_locked(lane);
            if (!w)
                return false;
            fd = w->fd;
            buffer.swap(w->inbuf);
        }
        bool eof = false;
        char chunk[65536];
        for (;;) {
            const ssize_t r = ::recv(fd, chunk, sizeof chunk, MSG_DONTWAIT);
            if (r > 0) {
                buffer.append(chunk, static_cast<std::size_t>(r));
                if (static_cast<std::size_t>(r) < sizeof chunk)
                    break; // drained; asking again only to hear EAGAIN costs a system call per answer
                continue;
            }
            if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
                eof = true;
            if (r < 0 && errno == EINTR)
                continue;
            break;
        }
        try {
            while (auto frame = wire::take_frame(buffer))
                handle(lane, *frame, answers);
        } catch (const SerializationError& e) {
            report_error(std::string("process pool: damaged message from a worker: ") + e.what());
            eof = true;
            ::kill(pid_of(lane), SIGKILL);
        }
        {
            std::lock_guard lock(mutex_);
            if (Worker* w = worker_on_lane_locked(lane))
                w->inbuf.swap(buffer);
        }
        return eof;
    }

    // Completes the futures of `answers`, and of any other answers booked and not yet delivered,
    // and runs their done-callbacks. Without read_mutex_ or mutex_. The answers go through one
    // queue, so that a done-callback that waits for another future finds that future's answer
    // even when it was read in the same batch as its own.
    void deliver(std::vector<Answer>& answers)
    {
        if (!answers.empty()) {
            std::lock_guard lock(answers_mutex_);
            for (auto& a : answers)
                ready_answers_.push_back(std::move(a));
        }
        answers.clear();
        bool told_manager = on_manager_thread();
        for (;;) {
            Answer a;
            bool more = false;
            {
                std::lock_guard lock(answers_mutex_);
                if (ready_answers_.empty())
                    return;
                a = std::move(ready_answers_.front());
                ready_answers_.pop_front();
                more = !ready_answers_.empty();
            }
            if (more && !told_manager) {
                // A done-callback below may block (in wait(), say) with the rest still queued:
                // have the manager deliver them then.
                wake();
                told_manager = true;
            }
            a.submission->core->stamp_completion(a.lane, log_ ? log_time(a.ended_ns) : std::chrono::nanoseconds(0), a.pid);
            if (!a.failed)
                a.submission->complete(a.value);
            else
                a.submission->core->set_exception(make_remote_exception(a.type, a.value, a.traceback));
        }
    }

    // Progress: a caller spinning in result() reads the workers' answers itself. While one does,
    // the manager thread stops polling the workers (it would only compete for the core and the
    // same messages) and looks in every millisecond; see manage().
    void assist_begin() noexcept override { assistants_.fetch_add(1, std::memory_order_acq_rel); }
    void assist_end() noexcept override { assistants_.fetch_sub(1, std::memory_order_acq_rel); }
    bool waiting_blocks_progress() const noexcept override { return on_manager_thread(); }

    bool on_manager_thread() const noexcept
    {
        return manager_id_.load(std::memory_order_acquire) == std::this_thread::get_id();
    }

    // The live workers' sockets, to poll for their messages, and their lanes. Under mutex_.
    void add_worker_fds_locked(std::vector<pollfd>& fds, std::vector<int>& lanes) const
    {
        for (const auto& w : workers_) {
            if (w.state == WorkerState::gone)
                continue;
            fds.push_back({ w.fd, POLLIN, 0 });
            lanes.push_back(w.lane);
        }
    }

    // assist()'s reading: what the workers sent, if no one else reads right now. Returns true if
    // it found something only the manager handles (an end of file, a damaged message).
    bool read_for_helper(std::vector<Answer>& answers)
    {
        std::unique_lock reading(read_mutex_, std::try_to_lock);
        if (!reading)
            return false; // the manager or another caller reads right now
        thread_local std::vector<pollfd> fds;
        thread_local std::vector<int> lanes;
        fds.clear();
        lanes.clear();
        {
            std::lock_guard lock(mutex_);
            if (broken_)
                return false;
            add_worker_fds_locked(fds, lanes);
        }
        if (fds.empty() || ::poll(fds.data(), fds.size(), 0) <= 0)
            return false;
        bool need_manager = false;
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].revents != 0 && read_locked(lanes[i], answers))
                need_manager = true; // an end of file is the manager's to handle
        }
        return need_manager;
    }

    void assist() override
    {
        std::vector<Answer> answers;
        if (read_for_helper(answers)) {
            manager_needed_.store(true, std::memory_order_release);
            wake();
        }
        if (!answers.empty()) {
            // The answers made room in the call queue: refill it now rather than at the manager's
            // next look.
            Unsendable unsendable;
            bool wake_manager = false;
            {
                std::lock_guard lock(mutex_);
                if (!broken_)
                    unsendable = dispatch_locked();
                wake_manager = !unsent_.empty();
            }
            fail_unsendable(unsendable);
            if (wake_manager)
                wake();
        }
        // While done-callbacks run here this thread is no helper: a callback that waits for another
        // of our futures (by result(), wait() or as_completed()) may sleep, and then the manager
        // must read that answer, so it must not stand back on our account.
        assistants_.fetch_sub(1, std::memory_order_acq_rel);
        struct Rejoin {
            std::atomic<int>& count;
            ~Rejoin() { count.fetch_add(1, std::memory_order_acq_rel); }
        } rejoin { assistants_ };
        deliver(answers); // also answers another thread booked and has not delivered yet
    }

    pid_t pid_of(int lane)
    {
        std::lock_guard lock(mutex_);
        Worker* w = worker_on_lane_locked(lane);
        return w ? w->pid : -1;
    }

    std::chrono::nanoseconds log_time(std::int64_t steady_ns) const
    {
        return log_->to_log_time(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(steady_ns)));
    }


    // The worker on `lane` says it started call `seq`. Manager thread.
    std::optional<Started> mark_started(int lane, std::uint64_t seq)
    {
        std::lock_guard lock(mutex_);
        if (broken_)
            return std::nullopt; // every call has failed already
        Worker* w = worker_on_lane_locked(lane);
        Call* call = sent_call_locked(seq);
        if (!w || !call || call->lane >= 0)
            throw SerializationError("a start of no waiting call");
        call->lane = lane;
        ++w->tasks_taken;
        w->current = seq;
        w->state = WorkerState::busy;
        return Started { call->submission->identity, w->pid };
    }

    // Books one message from the worker on `lane`; an answer goes to `answers` for deliver().
    // Under read_mutex_, so that one worker's messages are booked in the order it sent them.
    void handle(int lane, const wire::Frame& frame, std::vector<Answer>& answers)
    {
        codec::Reader r(frame.payload);
        switch (frame.type) {
        case wire::Message::ready: {
            const auto pid = static_cast<int>(r.get_i64());
            const auto t = r.get_i64();
            std::string name;
            {
                std::lock_guard lock(mutex_);
                Worker* w = worker_on_lane_locked(lane);
                if (!w)
                    return;
                if (w->state == WorkerState::starting)
                    w->state = WorkerState::idle;
                name = w->name;
            }
            if (log_)
                log_->record(Event { 0, EventKind::worker_started, lane, log_time(t), 0, name, pid });
            break;
        }
        case wire::Message::started: {
            const auto seq = r.get_u64();
            const auto t = r.get_i64();
            const auto started = mark_started(lane, seq);
            if (log_ && started)
                log_->record(Event { started->identity.task_id, EventKind::started, lane, log_time(t),
                    started->identity.attempt, {}, started->pid });
            break;
        }
        case wire::Message::result:
        case wire::Message::error: {
            const auto seq = r.get_u64();
            const auto started_at = r.get_i64();
            const auto t = r.get_i64();
            if (started_at != 0) {
                // A quick call: its start comes with its answer.
                const auto started = mark_started(lane, seq);
                if (!started)
                    return;
                if (log_)
                    log_->record(Event { started->identity.task_id, EventKind::started, lane, log_time(started_at),
                        started->identity.attempt, {}, started->pid });
            }
            Answer answer;
            answer.lane = lane;
            answer.ended_ns = t;
            {
                std::lock_guard lock(mutex_);
                if (broken_)
                    return; // every call has failed already
                Worker* w = worker_on_lane_locked(lane);
                Call* call = sent_call_locked(seq);
                if (!w || !call || call->lane != lane)
                    throw SerializationError("an answer to no call this worker runs");
                answer.submission = std::move(call->submission);
                sent_.erase(sent_.begin() + (call - sent_.data()));
                w->current = 0;
                if (w->state == WorkerState::busy)
                    w->state = WorkerState::idle;
                answer.pid = w->pid;
                ++idle_tokens_;
            }
            if (frame.type == wire::Message::result) {
                answer.value = std::string(r.get_bytes());
            } else {
                answer.failed = true;
                answer.type = std::string(r.get_bytes());
                answer.value = std::string(r.get_bytes());
                answer.traceback = std::string(r.get_bytes());
            }
            answers.push_back(std::move(answer));
            break;
        }
        case wire::Message::exiting: {
            const auto t = r.get_i64();
            const std::string reason(r.get_bytes());
            int pid = 0;
            {
                std::lock_guard lock(mutex_);
                Worker* w = worker_on_lane_locked(lane);
                if (!w)
                    return;
                w->exit_announced = true;
                w->state = WorkerState::exiting;
                pid = w->pid;
                if (reason == "shutdown")
                    ++stops_taken_;
                // The idle token its last result gave is void: this worker takes nothing more.
                if (idle_tokens_ > 0)
                    --idle_tokens_;
            }
            if (log_)
                log_->record(Event { 0, EventKind::worker_stopped, lane, log_time(t), 0, reason, pid });
            break;
        }
        default:
            throw SerializationError("unexpected message type " + std::to_string(static_cast<int>(frame.type)));
        }
    }

    // The worker on `lane` closed its socket. Manager thread.
    void worker_ended(int lane)
    {
        pid_t pid = -1;
        int fd = -1;
        bool abrupt = false;
        {
            std::lock_guard lock(mutex_);
            Worker* w = worker_on_lane_locked(lane);
            if (!w)
                return;
            pid = w->pid;
            fd = w->fd;
            // One that never said it was leaving died; one that did holds no call (it says so only
            // between calls), unless the message lied.
            abrupt = !w->exit_announced || w->current != 0;
        }
        const int status = reap(pid);
        std::string name;
        {
            // No helping caller may poll or read the descriptor while it closes (its number could
            // be reused at once).
            std::lock_guard reading(read_mutex_);
            std::lock_guard lock(mutex_);
            ::close(fd);
            Worker* w = worker_on_lane_locked(lane);
            name = w->name;
            w->state = WorkerState::gone;
            w->fd = -1;
        }
        if (abrupt) {
            if (log_)
                log_->record(Event { 0, EventKind::worker_stopped, lane, log_->now(), 0,
                    name + " terminated abruptly: " + describe_status(status), pid });
            break_pool(describe_status(status));
            return;
        }
        // A worker that retired after max_tasks_per_child: start its successor if work waits.
        std::lock_guard lock(mutex_);
        if (!broken_ && work_waits_locked() && live_workers_locked() + spawn_wanted_ < max_workers_)
            ++spawn_wanted_;
    }

    // Python's _terminate_broken: the pool is unusable; every worker is killed, every future still
    // pending or running fails. Manager thread.
    void break_pool(const std::string& why)
    {
        {
            std::lock_guard lock(mutex_);
            if (broken_)
                return;
            broken_ = true;
            broken_reason_ = why;
            for (auto& w : workers_) {
                if (w.state != WorkerState::gone)
                    ::kill(w.pid, SIGKILL);
            }
        }
        // Reap the rest now, so nothing outlives the break.
        for (;;) {
            pid_t pid = -1;
            int fd = -1;
            int lane = -1;
            std::string name;
            {
                std::lock_guard lock(mutex_);
                for (auto& w : workers_) {
                    if (w.state != WorkerState::gone) {
                        pid = w.pid;
                        fd = w.fd;
                        lane = w.lane;
                        name = w.name;
                        break;
                    }
                }
            }
            if (pid < 0)
                break;
            const int status = reap(pid);
            if (log_)
                log_->record(Event { 0, EventKind::worker_stopped, lane, log_->now(), 0,
                    name + " ended with the pool: " + describe_status(status), pid });
            std::lock_guard reading(read_mutex_); // see worker_ended()
            std::lock_guard lock(mutex_);
            ::close(fd);
            for (auto& w : workers_) {
                if (w.pid == pid) {
                    w.state = WorkerState::gone;
                    w.fd = -1;
                }
            }
        }
        fail_everything_left();
    }

    // Fails every future the pool still holds. Manager thread.
    void fail_everything_left()
    {
        std::vector<std::shared_ptr<Submission>> left;
        {
            std::lock_guard lock(mutex_);
            for (auto& w : workers_)
                w.current = 0;
            for (auto& c : sent_)
                left.push_back(std::move(c.submission));
            for (auto& c : unsent_)
                left.push_back(std::move(c.submission));
            left.insert(left.end(), pending_.begin(), pending_.end());
            sent_.clear();
            unsent_.clear();
            pending_.clear();
        }
        for (auto& s : left) {
            try {
                s->core->set_exception(std::make_exception_ptr(BrokenProcessPool(broken_future_message)));
            } catch (const InvalidStateError&) {
                // cancelled meanwhile
            }
        }
    }

    // Kills workers that never announced themselves. Manager thread.
    void check_start_timeouts()
    {
        std::vector<pid_t> late;
        {
            std::lock_guard lock(mutex_);
            const auto now = std::chrono::steady_clock::now();
            for (const auto& w : workers_) {
                if (w.state == WorkerState::starting && now - w.spawned_at > start_timeout)
                    late.push_back(w.pid);
            }
        }
        for (pid_t pid : late) {
            report_error("a worker process did not start within " + std::to_string(start_timeout.count())
                + " s; does the program's main() call poolscope::run_worker_if_spawned() first?");
            ::kill(pid, SIGKILL); // its end of file follows and breaks the pool
        }
    }

    const int max_workers_;
    const std::optional<int> max_tasks_;
    const StartMethod method_;
    EventLog* const log_;
    const std::string executable_;
    const int first_lane_;
    std::atomic<int>& process_counter_;
    std::atomic<std::uint64_t> local_task_ids_ { 1 };
    int wake_fd_ = -1;
    int call_fd_ = -1; // the call queue: the pool writes this end...
    int call_peer_fd_ = -1; // ...every worker reads this one (kept for workers yet to start)

    // Reading the workers' sockets and booking their messages: the manager thread or one helping
    // caller at a time. Taken before mutex_, never after it.
    std::mutex read_mutex_;
    std::atomic<int> assistants_ { 0 }; // callers inside Progress::assist_begin/end
    std::atomic<bool> manager_needed_ { false }; // a helper found something only the manager handles
    std::atomic<std::thread::id> manager_id_ {};
    std::mutex answers_mutex_; // guards ready_answers_ only; taken alone
    std::deque<Answer> ready_answers_; // booked, future not completed yet; see deliver()

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
    bool call_queue_full_ = false; // a write would block: wait for POLLOUT before the next
    std::string broken_reason_; // for the record: what broke the pool
    int process_count_ = 0;
    bool shutdown_ = false;
    bool broken_ = false;

    std::mutex join_mutex_;
    std::thread manager_;
};

ProcessPoolExecutor::ProcessPoolExecutor()
    : ProcessPoolExecutor(ProcessPoolOptions {})
{
}

ProcessPoolExecutor::ProcessPoolExecutor(int max_workers)
    : ProcessPoolExecutor(ProcessPoolOptions { .max_workers = max_workers })
{
}

ProcessPoolExecutor::ProcessPoolExecutor(ProcessPoolOptions options)
    : impl_(std::make_shared<Impl>(std::move(options)))
{
}

ProcessPoolExecutor::~ProcessPoolExecutor()
{
    impl_->shutdown(true, false);
}

void ProcessPoolExecutor::shutdown(bool wait, bool cancel_futures)
{
    impl_->shutdown(wait, cancel_futures);
}

void ProcessPoolExecutor::terminate_workers()
{
    impl_->end_workers(SIGTERM);
}

void ProcessPoolExecutor::kill_workers()
{
    impl_->end_workers(SIGKILL);
}

int ProcessPoolExecutor::max_workers() const noexcept
{
    return impl_->max_workers();
}

EventLog* ProcessPoolExecutor::events() const noexcept
{
    return impl_->log();
}

std::uint64_t ProcessPoolExecutor::next_task_id() noexcept
{
    return impl_->next_task_id();
}

int ProcessPoolExecutor::process_count() const
{
    return impl_->process_count();
}

std::vector<int> ProcessPoolExecutor::worker_pids() const
{
    return impl_->worker_pids();
}

void ProcessPoolExecutor::enqueue(Submission submission)
{
    impl_->enqueue(std::move(submission));
}

std::weak_ptr<detail::Progress> ProcessPoolExecutor::progress() const noexcept
{
    return std::static_pointer_cast<detail::Progress>(impl_);
}

} // namespace poolscope
