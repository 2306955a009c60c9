#include <poolscope/as_completed.h>

#include "caller_block.h"

#include <string>

namespace poolscope::detail {

CompletionQueue::CompletionQueue(std::vector<FutureCore*> futures, Deadline deadline)
    : futures_(std::move(futures))
    , deadline_(deadline)
    , waiter_(WaitMode::as_completed, futures_.size())
{
    // Futures that are already done report at once, in input order, so they are yielded first.
    try {
        for (auto* f : futures_)
            f->install_waiter(&waiter_);
    } catch (...) {
        for (auto* f : futures_)
            f->remove_waiter(&waiter_);
        throw;
    }
}

CompletionQueue::~CompletionQueue()
{
    for (auto* f : futures_)
        f->remove_waiter(&waiter_);
}

std::shared_ptr<FutureCore> CompletionQueue::next()
{
    for (;;) {
        if (!ready_.empty()) {
            auto f = std::move(ready_.front());
            ready_.pop_front();
            ++yielded_;
            return f;
        }
        if (yielded_ == futures_.size())
            return nullptr;
        for (auto& f : waiter_.take_finished())
            ready_.push_back(std::move(f));
        if (!ready_.empty())
            continue;
        if (deadline_ && Clock::now() >= *deadline_) {
            throw TimeoutError(std::to_string(futures_.size() - yielded_) + " (of " + std::to_string(futures_.size())
                + ") futures unfinished");
        }
        CallerBlock block(futures_, "as_completed");
        waiter_.wait_until(deadline_);
    }
}

} // namespace poolscope::detail
