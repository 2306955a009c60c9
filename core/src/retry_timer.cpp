#include <poolscope/detail/retry_timer.h>

#include <poolscope/error_handler.h>

#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace poolscope::detail {

namespace {
// Which timer, if any, the current thread runs jobs for.
thread_local const RetryTimer::Impl* this_timer = nullptr;

void run_job(RetryTimer::Job& job, RetryTimer::Wake wake) noexcept
{
    try {
        job(wake);
    } catch (const std::exception& e) {
        report_error(std::string("exception in a retry timer job: ") + e.what());
    } catch (...) {
        report_error("exception in a retry timer job");
    }
}
} // namespace

struct RetryTimer::Impl : std::enable_shared_from_this<Impl> {
    // Runs on the timer thread for its whole life.
    void run()
    {
        this_timer = this;
        std::unique_lock lock(mutex);
        while (!stopping) {
            if (jobs.empty()) {
                cv.wait(lock);
                continue;
            }
            const auto first = jobs.begin();
            // A wait can end early (spuriously, or for an earlier job): look again every time, so a
            // job never runs before its due time. A copy, because wait_until() reads it again after
            // waking, when cancel() or close() may have freed the job's node.
            const Clock::time_point due = first->first.due;
            if (Clock::now() < due) {
                cv.wait_until(lock, due);
                continue;
            }
            Job job = std::move(first->second);
            jobs.erase(first);
            lock.unlock();
            run_job(job, Wake::due);
            // Released outside the lock: what the job holds may be the last owner of this timer's
            // owner, whose destruction calls stop(), which takes the lock.
            job = nullptr;
            lock.lock();
        }
    }

    std::mutex mutex;
    std::condition_variable cv;
    // Ordered by due time: the front is the next job due. A map rather than a priority_queue so that
    // cancel() can take a job out from the middle.
    std::map<Ticket, Job> jobs;
    std::uint64_t next_sequence = 0;
    bool closed = false;
    bool stopping = false;
    std::thread thread; // started by the first schedule(); moved out by stop()
};

RetryTimer::RetryTimer()
    : impl_(std::make_shared<Impl>())
{
}

RetryTimer::~RetryTimer()
{
    stop();
}

std::optional<RetryTimer::Ticket> RetryTimer::schedule(Clock::time_point due, Job job)
{
    std::lock_guard lock(impl_->mutex);
    if (impl_->closed)
        return std::nullopt;
    if (!impl_->thread.joinable()) {
        // The thread co-owns the state: it may run on after this handle is gone (see stop()).
        impl_->thread = std::thread([self = impl_] { self->run(); });
    }
    const Ticket ticket { due, impl_->next_sequence++ };
    const bool earliest = impl_->jobs.empty() || ticket < impl_->jobs.begin()->first;
    impl_->jobs.emplace(ticket, std::move(job));
    // A later job does not change when the thread must wake.
    if (earliest)
        impl_->cv.notify_one();
    return ticket;
}

bool RetryTimer::cancel(const Ticket& ticket)
{
    // Declared before the lock so it is destroyed after the unlock (see Impl::run()).
    Job removed;
    std::lock_guard lock(impl_->mutex);
    const auto it = impl_->jobs.find(ticket);
    if (it == impl_->jobs.end())
        return false;
    removed = std::move(it->second);
    impl_->jobs.erase(it);
    return true;
}

void RetryTimer::close()
{
    std::vector<Job> dropped;
    {
        std::lock_guard lock(impl_->mutex);
        impl_->closed = true;
        for (auto& [ticket, job] : impl_->jobs)
            dropped.push_back(std::move(job));
        impl_->jobs.clear();
    }
    // Outside the lock: a dropped job completes futures, whose callbacks may schedule again.
    for (auto& job : dropped)
        run_job(job, Wake::dropped);
}

void RetryTimer::stop()
{
    close();
    std::thread thread;
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
        thread = std::move(impl_->thread);
        impl_->cv.notify_all();
    }
    if (!thread.joinable())
        return;
    if (thread.get_id() == std::this_thread::get_id())
        thread.detach(); // inside a job: the loop sees `stopping` once the job returns
    else
        thread.join();
}

bool RetryTimer::on_timer_thread() const noexcept
{
    return this_timer == impl_.get();
}

} // namespace poolscope::detail
