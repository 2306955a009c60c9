#include <poolscope/wait.h>

#include "caller_block.h"

#include <poolscope/detail/waiter.h>

namespace poolscope::detail {

namespace {
WaitMode mode_for(ReturnWhen return_when)
{
    switch (return_when) {
    case FIRST_COMPLETED:
        return WaitMode::first_completed;
    case FIRST_EXCEPTION:
        return WaitMode::first_exception;
    case ALL_COMPLETED:
        return WaitMode::all_completed;
    }
    throw std::invalid_argument("return_when must be FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED");
}
} // namespace

void wait_for(const std::vector<FutureCore*>& futures, const Deadline& deadline, ReturnWhen return_when)
{
    Waiter waiter(mode_for(return_when), futures.size());
    // Once removed from every future (also when installing throws half-way), no completion can
    // still be reporting to the waiter, and it may go.
    struct Uninstall {
        const std::vector<FutureCore*>& futures;
        Waiter& waiter;
        ~Uninstall()
        {
            for (auto* f : futures)
                f->remove_waiter(&waiter);
        }
    } uninstall { futures, waiter };
    for (auto* f : futures)
        f->install_waiter(&waiter);
    if (!waiter.ready() && !(deadline && Clock::now() >= *deadline)) {
        CallerBlock block(futures, "wait");
        waiter.wait_until(deadline);
    }
}

} // namespace poolscope::detail
