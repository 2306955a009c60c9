#pragma once

// Private to the core: marks the stretch where the calling thread blocks in wait()/as_completed(),
// shutdown(wait=true) or the pool's destructor (Python's `with` exit), so the timeline's caller
// lane can show it.

#include <poolscope/detail/future_core.h>
#include <poolscope/event_log.h>

#include <vector>

namespace poolscope::detail {

class CallerBlock {
public:
    /// Records caller_blocked in the first log among futures, if any; the destructor records
    /// caller_resumed.
    CallerBlock(const std::vector<FutureCore*>& futures, const char* what)
        : what_(what)
    {
        for (auto* f : futures) {
            if ((log_ = f->log()))
                break;
        }
        if (log_)
            log_->record(EventKind::caller_blocked, 0, -1, 0, what_);
    }
    ~CallerBlock()
    {
        if (log_)
            log_->record(EventKind::caller_resumed, 0, -1, 0, what_);
    }
    /// Records caller_blocked in `log` (none if null); the destructor records caller_resumed.
    CallerBlock(EventLog* log, const char* what)
        : log_(log)
        , what_(what)
    {
        if (log_)
            log_->record(EventKind::caller_blocked, 0, -1, 0, what_);
    }
    CallerBlock(const CallerBlock&) = delete;
    CallerBlock& operator=(const CallerBlock&) = delete;

private:
    EventLog* log_ = nullptr;
    const char* what_;
};

} // namespace poolscope::detail
