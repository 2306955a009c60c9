#include <poolscope/detail/waiter.h>

#include <utility>

namespace poolscope::detail {

void Waiter::on_done(std::shared_ptr<FutureCore> future, bool failed)
{
    std::lock_guard lock(mutex_);
    finished_.push_back(std::move(future));
    ++finished_count_;
    any_failed_ = any_failed_ || failed;
    if (ready_locked())
        cv_.notify_all();
}

bool Waiter::ready_locked() const
{
    if (finished_count_ == total_)
        return true;
    switch (mode_) {
    case WaitMode::first_completed:
        return finished_count_ > 0;
    case WaitMode::first_exception:
        return any_failed_;
    case WaitMode::all_completed:
        return false;
    case WaitMode::as_completed:
        return !finished_.empty();
    }
    return false;
}

bool Waiter::ready()
{
    std::lock_guard lock(mutex_);
    return ready_locked();
}

bool Waiter::wait_until(const Deadline& deadline)
{
    std::unique_lock lock(mutex_);
    const auto ready = [this] { return ready_locked(); };
    if (deadline)
        return cv_.wait_until(lock, *deadline, ready);
    cv_.wait(lock, ready);
    return true;
}

std::vector<std::shared_ptr<FutureCore>> Waiter::take_finished()
{
    std::lock_guard lock(mutex_);
    return std::exchange(finished_, {});
}

} // namespace poolscope::detail
