#pragma once

namespace poolscope::detail {

/// An executor that a thread waiting for one of its futures can help along. A process pool's
/// answers arrive on sockets; rather than wait for the pool's manager thread to be scheduled, read
/// them, and wake the waiter, a caller spinning in result() reads them itself — one hand-off fewer
/// per call, and on a small machine one thread fewer wanting a core.
class Progress {
public:
    virtual ~Progress() = default;

    /// A waiter starts (ends) helping; while any helps, the executor may leave its own polling to
    /// them. Every assist_begin() is followed by one assist_end(). The waiting thread.
    virtual void assist_begin() noexcept = 0;
    virtual void assist_end() noexcept = 0;

    /// One round of the executor's own work, without blocking; may complete futures and run their
    /// done-callbacks on the calling thread. The waiting thread, between assist_begin() and
    /// assist_end().
    virtual void assist() = 0;

    /// True when the calling thread is the one that would otherwise do that work (a done-callback
    /// running on a process pool's manager thread): sleeping there could never end, so such a
    /// waiter keeps assisting until the future is done or its timeout passes.
    virtual bool waiting_blocks_progress() const noexcept { return false; }
};

} // namespace poolscope::detail
