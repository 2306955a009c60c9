#pragma once

// Private to the core: a caller waiting for a process pool's future helps the pool along.

#include <poolscope/detail/progress.h>

#include <atomic>

namespace poolscope::detail {

class ManagerThread;
class MessageReader;
class PoolBook;

/// detail::Progress for a process pool: a caller spinning in result() reads the workers' answers
/// itself and refills the call queue, one hand-off between threads fewer per call. While one does,
/// the manager thread stands back from the workers' sockets (it would only compete for the core
/// and the same messages) and looks in every millisecond; see manager_stands_back().
class CallerAssist : public Progress {
public:
    CallerAssist(PoolBook& book, MessageReader& reader, ManagerThread& manager) noexcept
        : book_(book)
        , reader_(reader)
        , manager_(manager)
    {
    }

    void assist_begin() noexcept override { assistants_.fetch_add(1, std::memory_order_acq_rel); }
    void assist_end() noexcept override { assistants_.fetch_sub(1, std::memory_order_acq_rel); }
    void assist() override;
    bool waiting_blocks_progress() const noexcept override;

    /// Whether the manager leaves the workers' sockets to the helping callers this round: while
    /// some help and none has found something only the manager handles (an end of file, a damaged
    /// message). Once it takes them back, that finding is cleared. Manager thread.
    bool manager_stands_back() noexcept;

private:
    PoolBook& book_;
    MessageReader& reader_;
    ManagerThread& manager_;
    std::atomic<int> assistants_ { 0 }; // callers between assist_begin() and assist_end()
    std::atomic<bool> manager_needed_ { false }; // a helper found something only the manager handles
};

} // namespace poolscope::detail
