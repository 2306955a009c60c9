#pragma once

// What task code calls to behave like Python code under an InterpreterLock. On a thread without an
// InterpreterLock::Hold every call here is a plain no-op (tick) or a plain sleep, so the same task
// runs unchanged in a free-threaded pool or in a worker process.

#include <poolscope/duration.h>

namespace poolscope::py {

/// A checkpoint, like the eval loop's check between bytecodes: if another thread has asked for the
/// interpreter lock, give it up and queue to take it back. Cheap when nobody asks; call it in loops.
void tick();

/// time.sleep(d): releases the interpreter lock while sleeping, then takes it back. Like Python,
/// throws std::invalid_argument for a negative or NaN d (holding the lock on, if it held it).
void sleep(Duration d);

/// True if the calling thread holds an interpreter lock now.
bool holds_gil() noexcept;

/// Releases the interpreter lock for its lifetime, as C code around blocking I/O does
/// (Py_BEGIN_ALLOW_THREADS). Does nothing on a thread that holds none.
class ReleaseGil {
public:
    ReleaseGil();
    ~ReleaseGil();
    ReleaseGil(const ReleaseGil&) = delete;
    ReleaseGil& operator=(const ReleaseGil&) = delete;

private:
    bool released_ = false;
};

} // namespace poolscope::py
