#pragma once

#include <poolscope/duration.h>

#include <cstdint>
#include <memory>

namespace poolscope {

class EventLog;

/// How to build an InterpreterLock.
struct InterpreterLockOptions {
    /// After this long of waiting, a thread that wants the lock asks the holder to drop it
    /// (Python's sys.setswitchinterval; CPython's default is 5 ms). Must be positive.
    Duration switch_interval = Duration(0.005);
};

/// An emulation of CPython's global interpreter lock (the "new GIL" of Python 3.2 and later), so
/// that task code on a ThreadPoolExecutor can run the way Python threads run: one at a time.
///
/// A thread runs task code only while it holds the lock. A thread that wants it waits up to the
/// switch interval, then sets a drop request; the holder gives the lock up at its next checkpoint
/// (py::tick()) and does not take it back before another thread had it. Blocking calls
/// (py::sleep(), and anything wrapped in py::ReleaseGil) release it. Every request, acquisition and
/// release is recorded as an event on the holder's lane.
///
/// Every event is stamped after the previous one of its thread, and a gil_acquired strictly after
/// the gil_released it follows, so the hold periods of one lock never overlap in event time.
///
/// Give one to a pool with ThreadPoolOptions::interpreter_lock; several pools may share one, as
/// threads of one Python process share its interpreter.
class InterpreterLock {
public:
    InterpreterLock();
    /// Throws std::invalid_argument unless options.switch_interval is positive.
    explicit InterpreterLock(InterpreterLockOptions options);
    /// Only once no Hold on it exists any more.
    ~InterpreterLock();
    InterpreterLock(const InterpreterLock&) = delete;
    InterpreterLock& operator=(const InterpreterLock&) = delete;

    /// Python's sys.setswitchinterval(). Throws std::invalid_argument unless positive (NaN included);
    /// waits already under way keep the old interval. Any thread.
    void set_switch_interval(Duration interval);
    Duration switch_interval() const;

    /// Holds the lock on the calling thread for its lifetime, as task `task_id` (0: none) on lane
    /// `worker`, recording events into `log` (may be null). While a Hold exists, py::tick() and
    /// py::sleep() on this thread act on this lock. Holds do not nest on one thread: a second one
    /// throws std::logic_error. Destroy it on the thread that made it; it releases the lock ("done").
    class Hold {
    public:
        Hold(InterpreterLock& lock, EventLog* log, int worker, std::uint64_t task_id);
        ~Hold();
        Hold(const Hold&) = delete;
        Hold& operator=(const Hold&) = delete;
    };

    class Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace poolscope
