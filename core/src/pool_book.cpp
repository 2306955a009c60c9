#include "pool_book.h"

#include "wire.h"

#include <poolscope/codec.h>
#include <poolscope/errors.h>
#include <poolscope/event.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <sys/socket.h>
#include <unistd.h>

namespace poolscope::detail {

namespace {
constexpr const char* broken_pool_message
    = "A child process terminated abruptly, the process pool is not usable anymore";

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

int checked_first_lane(int first_lane)
{
    if (first_lane < 0)
        throw std::invalid_argument("first_lane must be 0 or greater");
    return first_lane;
}

// The payload of a wire::Message::task (see wire.h); the worker side reads it in worker_loop.cpp.
std::string encode(const PoolBook::Call& call)
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
} // namespace

PoolBook::PoolBook(const ProcessPoolOptions& options)
    : max_workers_(checked_max_workers(options.max_workers))
    , max_tasks_(checked_max_tasks(options))
    , method_(options.start_method)
    , first_lane_(checked_first_lane(options.first_lane))
{
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        throw std::system_error(errno, std::generic_category(), "socketpair");
    call_fd_ = high_fd(sv[0]);
    call_peer_fd_ = high_fd(sv[1]);
    if (call_fd_ < 0 || call_peer_fd_ < 0) {
        const int err = errno;
        for (int fd : { call_fd_, call_peer_fd_ }) {
            if (fd >= 0)
                ::close(fd);
        }
        throw std::system_error(err, std::generic_category(), "process pool: cannot create its descriptors");
    }
}

PoolBook::~PoolBook()
{
    ::close(call_fd_);
    ::close(call_peer_fd_);
}

void PoolBook::check_accepting() const
{
    if (broken_)
        throw BrokenProcessPool(broken_pool_message);
    if (shutdown_)
        throw ExecutorShutdownError();
}

bool PoolBook::mark_broken(const std::string& why)
{
    if (broken_)
        return false;
    broken_ = true;
    broken_reason_ = why;
    signal_workers(SIGKILL);
    return true;
}

bool PoolBook::finished() const
{
    return (shutdown_ || broken_) && live_workers() == 0 && (broken_ || (pending_.empty() && in_flight() == 0));
}

void PoolBook::add(std::shared_ptr<Submission> submission)
{
    pending_.push_back(std::move(submission));
    // Python's _adjust_process_count, on the submitting thread: reuse an idle worker if one said
    // it is idle; otherwise start another while there are fewer than max_workers. Fork starts them
    // all. The manager thread does the starting: a worker is bound to the thread that started it
    // (its parent-death signal fires when that thread ends), and only the manager lives as long as
    // the pool.
    if (method_ == StartMethod::fork) {
        spawn_wanted_ = max_workers_ - live_workers();
        return;
    }
    if (idle_tokens_ > 0) {
        --idle_tokens_;
        return;
    }
    if (live_workers() + spawn_wanted_ < max_workers_)
        ++spawn_wanted_;
}

std::deque<std::shared_ptr<Submission>> PoolBook::take_pending()
{
    std::deque<std::shared_ptr<Submission>> taken;
    taken.swap(pending_);
    return taken;
}

PoolBook::Unsendable PoolBook::dispatch()
{
    Unsendable unsendable;
    while (!pending_.empty() && in_flight() < max_workers_ + 1) {
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

void PoolBook::send_stops()
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

std::vector<std::shared_ptr<Submission>> PoolBook::take_everything_left()
{
    std::vector<std::shared_ptr<Submission>> left;
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
    return left;
}

void PoolBook::fail_unsendable(Unsendable& calls)
{
    for (auto& [s, err] : calls) {
        s->core->set_exception(std::make_exception_ptr(
            std::system_error(err ? err : EIO, std::generic_category(), "cannot pass the call to a worker process")));
    }
}

bool PoolBook::take_wanted_worker() noexcept
{
    if (spawn_wanted_ <= 0)
        return false;
    --spawn_wanted_;
    return true;
}

void PoolBook::ensure_a_worker()
{
    if (!work_waits())
        return;
    const bool someone = std::any_of(workers_.begin(), workers_.end(), [&](const Worker& w) { return reads_calls(w); });
    if (!someone && spawn_wanted_ == 0 && live_workers() < max_workers_)
        ++spawn_wanted_;
}

void PoolBook::replace_retired_worker()
{
    if (!broken_ && work_waits() && live_workers() + spawn_wanted_ < max_workers_)
        ++spawn_wanted_;
}

int PoolBook::free_lane() const
{
    for (int lane = first_lane_;; ++lane) {
        const bool used = std::any_of(workers_.begin(), workers_.end(),
            [&](const Worker& w) { return w.lane == lane && w.state != WorkerState::gone; });
        if (!used)
            return lane;
    }
}

void PoolBook::add_worker(
    int lane, std::string name, WorkerProcess process, std::chrono::steady_clock::time_point spawned_at)
{
    Worker w;
    w.lane = lane;
    w.name = std::move(name);
    w.process = process;
    w.spawned_at = spawned_at;
    workers_.push_back(std::move(w));
    ++process_count_;
}

int PoolBook::live_workers() const
{
    return static_cast<int>(
        std::count_if(workers_.begin(), workers_.end(), [](const Worker& w) { return w.state != WorkerState::gone; }));
}

PoolBook::Worker* PoolBook::worker_on_lane(int lane)
{
    for (auto& w : workers_) {
        if (w.lane == lane && w.state != WorkerState::gone)
            return &w;
    }
    return nullptr;
}

PoolBook::Worker* PoolBook::any_live_worker()
{
    for (auto& w : workers_) {
        if (w.state != WorkerState::gone)
            return &w;
    }
    return nullptr;
}

pid_t PoolBook::pid_of(int lane)
{
    Worker* w = worker_on_lane(lane);
    return w ? w->process.pid() : -1;
}

std::vector<int> PoolBook::worker_pids() const
{
    std::vector<int> pids;
    for (const auto& w : workers_) {
        if (w.state != WorkerState::gone)
            pids.push_back(w.process.pid());
    }
    return pids;
}

void PoolBook::signal_workers(int signal) const
{
    for (const auto& w : workers_) {
        if (w.state != WorkerState::gone)
            w.process.signal(signal);
    }
}

void PoolBook::add_worker_fds(std::vector<pollfd>& fds, std::vector<int>& lanes) const
{
    for (const auto& w : workers_) {
        if (w.state == WorkerState::gone)
            continue;
        fds.push_back({ w.process.fd(), POLLIN, 0 });
        lanes.push_back(w.lane);
    }
}

int PoolBook::ms_to_next_start_timeout(std::chrono::steady_clock::time_point now) const
{
    int timeout_ms = -1;
    for (const auto& w : workers_) {
        if (w.state == WorkerState::starting) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(w.spawned_at + start_timeout - now);
            const int ms = static_cast<int>(std::max<std::int64_t>(0, left.count()) + 1);
            timeout_ms = timeout_ms < 0 ? ms : std::min(timeout_ms, ms);
        }
    }
    return timeout_ms;
}

std::vector<WorkerProcess> PoolBook::late_starters(std::chrono::steady_clock::time_point now) const
{
    std::vector<WorkerProcess> late;
    for (const auto& w : workers_) {
        if (w.state == WorkerState::starting && now - w.spawned_at > start_timeout)
            late.push_back(w.process);
    }
    return late;
}

std::string PoolBook::close_worker(int lane)
{
    Worker* w = worker_on_lane(lane);
    w->process.close_socket();
    w->state = WorkerState::gone;
    return w->name;
}

std::optional<std::string> PoolBook::worker_ready(int lane)
{
    Worker* w = worker_on_lane(lane);
    if (!w)
        return std::nullopt;
    if (w->state == WorkerState::starting)
        w->state = WorkerState::idle;
    return w->name;
}

std::optional<PoolBook::Started> PoolBook::mark_started(int lane, std::uint64_t seq)
{
    if (broken_)
        return std::nullopt; // every call has failed already
    Worker* w = worker_on_lane(lane);
    Call* call = sent_call(seq);
    if (!w || !call || call->lane >= 0)
        throw SerializationError("a start of no waiting call");
    call->lane = lane;
    ++w->tasks_taken;
    w->current = seq;
    w->state = WorkerState::busy;
    return Started { call->submission->identity, w->process.pid() };
}

std::optional<PoolBook::Answer> PoolBook::take_answer(int lane, std::uint64_t seq)
{
    if (broken_)
        return std::nullopt; // every call has failed already
    Worker* w = worker_on_lane(lane);
    Call* call = sent_call(seq);
    if (!w || !call || call->lane != lane)
        throw SerializationError("an answer to no call this worker runs");
    Answer answer;
    answer.lane = lane;
    answer.submission = std::move(call->submission);
    sent_.erase(sent_.begin() + (call - sent_.data()));
    w->current = 0;
    if (w->state == WorkerState::busy)
        w->state = WorkerState::idle;
    answer.pid = w->process.pid();
    ++idle_tokens_;
    return answer;
}

std::optional<int> PoolBook::worker_exiting(int lane, const std::string& reason)
{
    Worker* w = worker_on_lane(lane);
    if (!w)
        return std::nullopt;
    w->exit_announced = true;
    w->state = WorkerState::exiting;
    if (reason == "shutdown")
        ++stops_taken_;
    // The idle token its last result gave is void: this worker takes nothing more.
    if (idle_tokens_ > 0)
        --idle_tokens_;
    return w->process.pid();
}

bool PoolBook::work_waits() const
{
    return !pending_.empty() || !unsent_.empty()
        || std::any_of(sent_.begin(), sent_.end(), [](const Call& c) { return c.lane < 0; });
}

PoolBook::Call* PoolBook::sent_call(std::uint64_t seq)
{
    const auto it = std::find_if(sent_.begin(), sent_.end(), [&](const Call& c) { return c.seq == seq; });
    return it == sent_.end() ? nullptr : &*it;
}

} // namespace poolscope::detail
