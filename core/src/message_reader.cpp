#include "message_reader.h"

#include "manager_thread.h"
#include "wire.h"

#include <poolscope/codec.h>
#include <poolscope/error_handler.h>
#include <poolscope/event_log.h>
#include <poolscope/remote_error.h>

#include <cerrno>
#include <csignal>
#include <string>

#include <poll.h>
#include <sys/socket.h>

namespace poolscope::detail {

bool MessageReader::read_worker(int lane)
{
    std::vector<Answer> answers;
    bool eof = false;
    {
        std::lock_guard reading(read_mutex_);
        eof = read_locked(lane, answers);
    }
    deliver(answers);
    return eof;
}

bool MessageReader::read_for_helper(std::vector<Answer>& answers)
{
    std::unique_lock reading(read_mutex_, std::try_to_lock);
    if (!reading)
        return false; // the manager or another caller reads right now
    thread_local std::vector<pollfd> fds;
    thread_local std::vector<int> lanes;
    fds.clear();
    lanes.clear();
    {
        std::lock_guard lock(book_.mutex());
        if (book_.broken())
            return false;
        book_.add_worker_fds(fds, lanes);
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

void MessageReader::deliver(std::vector<Answer>& answers)
{
    if (!answers.empty()) {
        std::lock_guard lock(answers_mutex_);
        for (auto& a : answers)
            ready_answers_.push_back(std::move(a));
    }
    answers.clear();
    bool told_manager = manager_.is_current();
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
            manager_.wake();
            told_manager = true;
        }
        a.submission->core->stamp_completion(a.lane, log_ ? log_time(a.ended_ns) : std::chrono::nanoseconds(0), a.pid);
        if (!a.failed)
            a.submission->complete(a.value);
        else
            a.submission->core->set_exception(make_remote_exception(a.type, a.value, a.traceback));
    }
}

// Reads what the worker on `lane` sent and books every complete message; the answers among them
// go to `answers`, to be delivered once read_mutex_ is released. Returns true at end of file (or a
// damaged message, after which the worker is killed). Under read_mutex_.
bool MessageReader::read_locked(int lane, std::vector<Answer>& answers)
{
    int fd = -1;
    std::string buffer;
    {
        std::lock_guard lock(book_.mutex());
        PoolBook::Worker* w = book_.worker_on_lane(lane);
        if (!w)
            return false;
        fd = w->process.fd();
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
        pid_t pid = -1;
        {
            std::lock_guard lock(book_.mutex());
            pid = book_.pid_of(lane);
        }
        if (pid > 0)
            ::kill(pid, SIGKILL);
    }
    {
        std::lock_guard lock(book_.mutex());
        if (PoolBook::Worker* w = book_.worker_on_lane(lane))
            w->inbuf.swap(buffer);
    }
    return eof;
}

// Books one message from the worker on `lane` and records its event; an answer goes to `answers`
// for deliver(). Under read_mutex_.
void MessageReader::handle(int lane, const wire::Frame& frame, std::vector<Answer>& answers)
{
    codec::Reader r(frame.payload);
    switch (frame.type) {
    case wire::Message::ready: {
        const auto pid = static_cast<int>(r.get_i64());
        const auto t = r.get_i64();
        std::optional<std::string> name;
        {
            std::lock_guard lock(book_.mutex());
            name = book_.worker_ready(lane);
        }
        if (!name)
            return;
        if (log_)
            log_->record(Event { 0, EventKind::worker_started, lane, log_time(t), 0, std::move(*name), pid });
        break;
    }
    case wire::Message::started: {
        const auto seq = r.get_u64();
        const auto t = r.get_i64();
        std::optional<PoolBook::Started> started;
        {
            std::lock_guard lock(book_.mutex());
            started = book_.mark_started(lane, seq);
        }
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
            std::optional<PoolBook::Started> started;
            {
                std::lock_guard lock(book_.mutex());
                started = book_.mark_started(lane, seq);
            }
            if (!started)
                return;
            if (log_)
                log_->record(Event { started->identity.task_id, EventKind::started, lane, log_time(started_at),
                    started->identity.attempt, {}, started->pid });
        }
        std::optional<Answer> answer;
        {
            std::lock_guard lock(book_.mutex());
            answer = book_.take_answer(lane, seq);
        }
        if (!answer)
            return;
        answer->ended_ns = t;
        if (frame.type == wire::Message::result) {
            answer->value = std::string(r.get_bytes());
        } else {
            answer->failed = true;
            answer->type = std::string(r.get_bytes());
            answer->value = std::string(r.get_bytes());
            answer->traceback = std::string(r.get_bytes());
        }
        answers.push_back(std::move(*answer));
        break;
    }
    case wire::Message::exiting: {
        const auto t = r.get_i64();
        const std::string reason(r.get_bytes());
        std::optional<int> pid;
        {
            std::lock_guard lock(book_.mutex());
            pid = book_.worker_exiting(lane, reason);
        }
        if (!pid)
            return;
        if (log_)
            log_->record(Event { 0, EventKind::worker_stopped, lane, log_time(t), 0, reason, *pid });
        break;
    }
    default:
        throw SerializationError("unexpected message type " + std::to_string(static_cast<int>(frame.type)));
    }
}

std::chrono::nanoseconds MessageReader::log_time(std::int64_t steady_ns) const
{
    return log_->to_log_time(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(steady_ns)));
}

} // namespace poolscope::detail
