#include "pool_teardown.h"

#include "message_reader.h"
#include "pool_book.h"
#include "worker_process.h"

#include <poolscope/error_handler.h>
#include <poolscope/errors.h>
#include <poolscope/event_log.h>

#include <chrono>
#include <csignal>
#include <exception>
#include <memory>
#include <mutex>
#include <vector>

namespace poolscope::detail {

namespace {
constexpr const char* broken_future_message
    = "A process in the process pool was terminated abruptly while the future was running or pending.";
} // namespace

void PoolTeardown::worker_ended(int lane)
{
    WorkerProcess process;
    bool abrupt = false;
    {
        std::lock_guard lock(book_.mutex());
        PoolBook::Worker* w = book_.worker_on_lane(lane);
        if (!w)
            return;
        process = w->process;
        // One that never said it was leaving died; one that did holds no call (it says so only
        // between calls), unless the message lied.
        abrupt = !w->exit_announced || w->current != 0;
    }
    const int status = process.reap();
    std::string name;
    {
        auto reading = reader_.hold_off_readers();
        std::lock_guard lock(book_.mutex());
        name = book_.close_worker(lane);
    }
    if (abrupt) {
        if (log_)
            log_->record(Event { 0, EventKind::worker_stopped, lane, log_->now(), 0,
                name + " terminated abruptly: " + WorkerProcess::describe_status(status), process.pid() });
        break_pool(WorkerProcess::describe_status(status));
        return;
    }
    std::lock_guard lock(book_.mutex());
    book_.replace_retired_worker();
}

void PoolTeardown::break_pool(const std::string& why)
{
    {
        std::lock_guard lock(book_.mutex());
        if (!book_.mark_broken(why))
            return;
    }
    // Reap the rest now, so nothing outlives the break.
    for (;;) {
        WorkerProcess process;
        int lane = -1;
        std::string name;
        {
            std::lock_guard lock(book_.mutex());
            const PoolBook::Worker* w = book_.any_live_worker();
            if (!w)
                break;
            process = w->process;
            lane = w->lane;
            name = w->name;
        }
        const int status = process.reap();
        if (log_)
            log_->record(Event { 0, EventKind::worker_stopped, lane, log_->now(), 0,
                name + " ended with the pool: " + WorkerProcess::describe_status(status), process.pid() });
        auto reading = reader_.hold_off_readers();
        std::lock_guard lock(book_.mutex());
        book_.close_worker(lane);
    }
    fail_everything_left();
}

void PoolTeardown::fail_everything_left()
{
    std::vector<std::shared_ptr<Submission>> left;
    {
        std::lock_guard lock(book_.mutex());
        left = book_.take_everything_left();
    }
    for (auto& s : left) {
        try {
            s->core->set_exception(std::make_exception_ptr(BrokenProcessPool(broken_future_message)));
        } catch (const InvalidStateError&) {
            // cancelled meanwhile
        }
    }
}

void PoolTeardown::check_start_timeouts()
{
    std::vector<WorkerProcess> late;
    {
        std::lock_guard lock(book_.mutex());
        late = book_.late_starters(std::chrono::steady_clock::now());
    }
    for (const WorkerProcess& process : late) {
        report_error("a worker process did not start within " + std::to_string(PoolBook::start_timeout.count())
            + " s; does the program's main() call poolscope::run_worker_if_spawned() first?");
        process.signal(SIGKILL);
    }
}

} // namespace poolscope::detail
