#pragma once

// The exception types of the core. Each mirrors one of Python's concurrent.futures exceptions, so a
// C++ listing catches what the Python listing catches. All derive from std::runtime_error.

#include <exception>
#include <stdexcept>
#include <string>

namespace poolscope {

/// The message of a stored exception: its what(), or "unknown exception" for one that does not derive
/// from std::exception. `error` must not be null.
std::string exception_message(const std::exception_ptr& error);

/// Thrown by result()/exception() of a cancelled future (Python: concurrent.futures.CancelledError).
class CancelledError : public std::runtime_error {
public:
    CancelledError()
        : std::runtime_error("the future was cancelled")
    {
    }
    using std::runtime_error::runtime_error;
};

/// Thrown when a deadline passes: result(), exception(), as_completed() and map() iteration
/// (Python: TimeoutError). wait() never throws it.
class TimeoutError : public std::runtime_error {
public:
    TimeoutError()
        : std::runtime_error("timed out")
    {
    }
    using std::runtime_error::runtime_error;
};

/// Thrown when a future is asked to do something its state forbids, e.g. set_result() twice
/// (Python: concurrent.futures.InvalidStateError).
class InvalidStateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// An executor that can no longer run work (Python: concurrent.futures.BrokenExecutor).
class BrokenExecutor : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A thread pool whose worker initializer failed (Python: concurrent.futures.thread.BrokenThreadPool).
class BrokenThreadPool : public BrokenExecutor {
public:
    using BrokenExecutor::BrokenExecutor;
};

/// A process pool whose worker process died abruptly (Python:
/// concurrent.futures.process.BrokenProcessPool).
class BrokenProcessPool : public BrokenExecutor {
public:
    using BrokenExecutor::BrokenExecutor;
};

/// A value that cannot travel to or from a worker process: a type the codec has no encoding for,
/// an unregistered task function, or damaged bytes (Python: pickle.PicklingError). It fails the one
/// future concerned; the pool keeps working.
class SerializationError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// submit() or map() after shutdown() (Python raises a RuntimeError with this same message).
class ExecutorShutdownError : public std::runtime_error {
public:
    ExecutorShutdownError()
        : std::runtime_error("cannot schedule new futures after shutdown")
    {
    }
};

} // namespace poolscope
