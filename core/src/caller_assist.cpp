#include "caller_assist.h"

#include "manager_thread.h"
#include "message_reader.h"
#include "pool_book.h"

#include <mutex>
#include <vector>

namespace poolscope::detail {

void CallerAssist::assist()
{
    std::vector<MessageReader::Answer> answers;
    if (reader_.read_for_helper(answers)) {
        manager_needed_.store(true, std::memory_order_release);
        manager_.wake();
    }
    if (!answers.empty()) {
        // The answers made room in the call queue: refill it now rather than at the manager's
        // next look.
        PoolBook::Unsendable unsendable;
        bool wake_manager = false;
        {
            std::lock_guard lock(book_.mutex());
            if (!book_.broken())
                unsendable = book_.dispatch();
            wake_manager = book_.has_unsent();
        }
        PoolBook::fail_unsendable(unsendable);
        if (wake_manager)
            manager_.wake();
    }
    // While done-callbacks run here this thread is no helper: a callback that waits for another
    // of our futures (by result(), wait() or as_completed()) may sleep, and then the manager
    // must read that answer, so it must not stand back on our account.
    assistants_.fetch_sub(1, std::memory_order_acq_rel);
    struct Rejoin {
        std::atomic<int>& count;
        ~Rejoin() { count.fetch_add(1, std::memory_order_acq_rel); }
    } rejoin { assistants_ };
    reader_.deliver(answers); // also answers another thread booked and has not delivered yet
}

bool CallerAssist::waiting_blocks_progress() const noexcept
{
    return manager_.is_current();
}

bool CallerAssist::manager_stands_back() noexcept
{
    const bool parked
        = assistants_.load(std::memory_order_acquire) > 0 && !manager_needed_.load(std::memory_order_acquire);
    if (!parked)
        manager_needed_.store(false, std::memory_order_release);
    return parked;
}

} // namespace poolscope::detail
