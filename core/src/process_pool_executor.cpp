#include <poolscope/process_pool_executor.h>

#include "caller_block.h"
#include "caller_assist.h"
#include "manager_thread.h"
#include "message_reader.h"
#include "pool_book.h"
#include "pool_teardown.h"
#include "worker_process.h"

#include <poolscope/error_handler.h>
#include <poolscope/event_log.h>
#include <poolscope/thread_pool_executor.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <poll.h>

namespace poolscope {

namespace {
// How long the manager thread keeps polling after its last activity before it sleeps in poll():
// the next answer usually comes within microseconds of the last, while waking a sleeping thread
// costs tens of them on a virtual machine. Short, so that an idle pool goes quiet almost at once.
constexpr std::chrono::microseconds manager_spin { 100 };
} // namespace

// The pool's parts, and the two jobs that use them all: a submit, on the submitting thread, and the
// manager thread's loop. What is known about calls and workers is in the PoolBook, under its
// mutex; the workers' messages are read by the MessageReader, on the manager thread or on a
// waiting caller (CallerAssist); workers are started here and end in PoolTeardown.
class ProcessPoolExecutor::Impl : public std::enable_shared_from_this<Impl> {
public:
    explicit Impl(ProcessPoolOptions options)
        : log_(options.events)
        , executable_(options.executable.empty() ? std::string("/proc/self/exe") : std::move(options.executable))
        , process_counter_(options.process_counter)
        , book_(options)
        , reader_(book_, manager_, log_)
        , assist_(book_, reader_, manager_)
        , teardown_(book_, reader_, log_)
    {
    }

    std::uint64_t next_task_id() noexcept
    {
        return log_ ? log_->next_task_id() : local_task_ids_.fetch_add(1, std::memory_order_relaxed);
    }

    // Runs on the submitting thread.
    void enqueue(detail::Submission s)
    {
        std::unique_lock lock(book_.mutex());
        book_.check_accepting();
        if (log_)
            log_->record(EventKind::submitted, s.identity.task_id, -1, s.identity.attempt, s.label);
        if (s.error) {
            // Python fails such a future when it tries to pickle the call; the pool is unharmed.
            lock.unlock();
            s.core->set_exception(s.error);
            return;
        }
        book_.add(std::make_shared<detail::Submission>(std::move(s)));
        bool wake_manager = book_.workers_wanted();
        if (!manager_.started()) {
            manager_.start([self = shared_from_this()] { self->manage(); });
            wake_manager = true;
        }
        // In Python the manager thread moves the call to the call queue; when there is room, doing it
        // here spares a hand-off between threads on every call. The manager still hears of what only
        // it can do: start a worker, or wait for room in a full queue.
        auto unsendable = book_.dispatch();
        wake_manager = wake_manager || book_.has_unsent();
        lock.unlock();
        detail::PoolBook::fail_unsendable(unsendable);
        if (wake_manager)
            manager_.wake();
    }

    // `what` as for the thread pool: "shutdown", or "__exit__" for the destructor.
    void shutdown(bool wait, bool cancel_futures, const char* what = "shutdown")
    {
        std::deque<std::shared_ptr<detail::Submission>> cancelled;
        bool manager_running = false;
        {
            std::lock_guard lock(book_.mutex());
            manager_running = manager_.started() && !manager_.is_current();
            book_.shut_down();
            if (cancel_futures)
                cancelled = book_.take_pending();
        }
        for (auto& s : cancelled)
            s->core->cancel(false);
        manager_.wake();
        if (wait) {
            std::optional<detail::CallerBlock> block;
            if (manager_running && current_worker_lane() < 0)
                block.emplace(log_, what);
            manager_.join();
        }
    }

    void end_workers(int signal)
    {
        shutdown(false, true);
        {
            std::lock_guard lock(book_.mutex());
            book_.signal_workers(signal);
        }
        manager_.wake();
        manager_.join();
    }

    int max_workers() const noexcept { return book_.max_workers(); }
    EventLog* log() const noexcept { return log_; }
    int process_count() const
    {
        std::lock_guard lock(book_.mutex());
        return book_.process_count();
    }
    std::vector<int> worker_pids() const
    {
        std::lock_guard lock(book_.mutex());
        return book_.worker_pids();
    }

    detail::Progress& caller_assist() noexcept { return assist_; }

private:
    // The manager thread: Python's executor manager thread. Reads the workers' answers, completes
    // the futures and runs their done-callbacks, refills the call queue, starts and reaps workers.
    void manage()
    {
        std::vector<pollfd> fds;
        std::vector<int> lanes_polled;
        auto spin_until = std::chrono::steady_clock::now() + manager_spin;
        for (;;) {
            bool unable = false;
            {
                std::lock_guard lock(book_.mutex());
                if (!book_.broken())
                    book_.ensure_a_worker();
                unable = !book_.broken() && !start_wanted_workers_locked();
            }
            if (unable) {
                teardown_.break_pool("no worker process could be started");
                continue;
            }
            detail::PoolBook::Unsendable unsendable;
            int timeout_ms = -1;
            // While callers help, leave the workers' sockets to them and only look in now and
            // then; an end of file or a damaged message they find brings us back at once.
            const bool parked = assist_.manager_stands_back();
            {
                std::lock_guard lock(book_.mutex());
                if (!book_.broken()) {
                    unsendable = book_.dispatch();
                    book_.send_stops();
                }
                if (book_.finished())
                    break;
                fds.clear();
                lanes_polled.clear();
                fds.push_back({ manager_.wake_fd(), POLLIN, 0 });
                fds.push_back({ book_.call_fd(),
                    static_cast<short>(book_.call_queue_full() && !book_.broken() ? POLLOUT : 0), 0 });
                if (!parked)
                    book_.add_worker_fds(fds, lanes_polled);
                timeout_ms = book_.ms_to_next_start_timeout(std::chrono::steady_clock::now());
            }
            detail::PoolBook::fail_unsendable(unsendable);

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
                teardown_.break_pool("poll failed");
                continue;
            }
            if (n > 0)
                spin_until = std::chrono::steady_clock::now() + manager_spin;
            if (fds[0].revents & POLLIN)
                manager_.drain();
            if (fds[1].revents & POLLOUT) {
                std::lock_guard lock(book_.mutex());
                book_.call_queue_has_room();
            }
            for (std::size_t i = 2; i < fds.size(); ++i) {
                if (fds[i].revents == 0)
                    continue;
                const int lane = lanes_polled[i - 2];
                if (reader_.read_worker(lane))
                    teardown_.worker_ended(lane);
            }
            // Answers a helper booked and has not delivered yet (it is inside a done-callback).
            std::vector<detail::PoolBook::Answer> none;
            reader_.deliver(none);
            teardown_.check_start_timeouts();
        }
        // Every worker has ended; fail whatever could not run (only after a break).
        teardown_.fail_everything_left();
    }

    // Starts the workers asked for. Manager thread, under the book's mutex. Returns false if none
    // could be started and none is alive, which leaves the pool unable to run anything.
    bool start_wanted_workers_locked()
    {
        while (book_.take_wanted_worker()) {
            try {
                start_worker_locked();
            } catch (const std::exception& e) {
                book_.want_no_more_workers();
                report_error(std::string("process pool: ") + e.what());
                if (book_.live_workers() == 0)
                    return false;
            }
        }
        return true;
    }

    // Starts one worker process on the lowest free lane. Manager thread, under the book's mutex.
    void start_worker_locked()
    {
        auto process = detail::WorkerProcess::with_socket();
        const int lane = book_.free_lane();
        std::string name = detail::WorkerProcess::next_name(book_.start_method(), process_counter_);
        const auto spawned_at = std::chrono::steady_clock::now();
        if (log_)
            log_->record(EventKind::worker_spawning, 0, lane, 0, name);
        process.start(book_.start_method(), executable_, book_.call_queue_worker_end(), lane, name,
            book_.max_tasks().value_or(0));
        book_.add_worker(lane, std::move(name), process, spawned_at);
    }

    EventLog* const log_;
    const std::string executable_;
    std::atomic<int>* const process_counter_; // see ProcessPoolOptions::process_counter; may be null
    std::atomic<std::uint64_t> local_task_ids_ { 1 };
    detail::PoolBook book_;
    detail::ManagerThread manager_;
    detail::MessageReader reader_;
    detail::CallerAssist assist_;
    detail::PoolTeardown teardown_;
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
    impl_->shutdown(true, false, "__exit__");
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

void ProcessPoolExecutor::enqueue(detail::Submission submission)
{
    impl_->enqueue(std::move(submission));
}

std::weak_ptr<detail::Progress> ProcessPoolExecutor::progress() const noexcept
{
    // Shares ownership of the pool: a future's weak reference keeps it alive while it helps.
    return std::shared_ptr<detail::Progress>(impl_, &impl_->caller_assist());
}

} // namespace poolscope
