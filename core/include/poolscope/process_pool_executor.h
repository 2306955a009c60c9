#pragma once

#include <poolscope/codec.h>
#include <poolscope/detail/format_args.h>
#include <poolscope/detail/process_map.h>
#include <poolscope/detail/submission.h>
#include <poolscope/duration.h>
#include <poolscope/future.h>
#include <poolscope/map_result.h>
#include <poolscope/process_worker.h>
#include <poolscope/remote_error.h>
#include <poolscope/task_identity.h>
#include <poolscope/task_registry.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ranges>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace poolscope {

class EventLog;

/// How worker processes start (Python's multiprocessing start methods).
enum class StartMethod {
    /// Run this program again (/proc/self/exe) in worker mode; needs run_worker_if_spawned() at the
    /// top of main(). Workers start on demand. Python's default on macOS and Windows, and from 3.14
    /// the safe choice everywhere.
    spawn,
    /// fork() the parent: no start-up cost, but the child is a copy of a multi-threaded process in
    /// which only the forking thread survives, so a lock another thread held at that instant stays
    /// locked for good. Workers all start at the first submit, as in Python.
    fork,
};

/// How to build a ProcessPoolExecutor; designated initialisers read like Python's keywords.
struct ProcessPoolOptions {
    /// Empty: the number of CPUs, as Python. Zero or negative: std::invalid_argument.
    std::optional<int> max_workers {};
    /// A worker process exits and is replaced after this many tasks (>= 1); empty: never.
    /// Not with StartMethod::fork (std::invalid_argument, as in Python).
    std::optional<int> max_tasks_per_child {};
    StartMethod start_method = StartMethod::spawn;
    /// Where to record lifecycle events; null records nothing. Must outlive the executor and its futures.
    EventLog* events = nullptr;
    /// The program workers run with StartMethod::spawn; empty means this one (/proc/self/exe).
    std::string executable {};
    /// The event lane of the first worker slot; as ThreadPoolOptions::first_lane.
    int first_lane = 0;
    /// Numbers the worker processes: each new one is "SpawnProcess-<n>" (or "ForkProcess-<n>") with
    /// n = ++*process_counter. Null: one counter for the whole program, as multiprocessing's. Lets a
    /// program that runs several exercises number each from 1, as a fresh interpreter does. Must
    /// outlive the executor.
    std::atomic<int>* process_counter = nullptr;
};

/// A pool of up to max_workers worker processes, as Python's concurrent.futures.ProcessPoolExecutor.
///
/// Tasks are functions registered with POOLSCOPE_TASK; arguments and results travel through
/// poolscope::codec. As in Python, up to max_workers + 1 tasks move to a call queue ahead of the
/// workers and report RUNNING there (recorded as `dispatched`) before a worker starts them; those can
/// no longer be cancelled. A worker process that dies abruptly breaks the pool: every pending and
/// running future fails with BrokenProcessPool and later submits throw it.
///
/// Futures complete, and their done-callbacks run, on the pool's manager thread, or on a thread that
/// is waiting in result() or exception() for one of the pool's futures: such a caller reads the
/// workers' answers itself while it waits (Python promises only a thread of the submitting
/// process). A callback may wait for another of the pool's futures with result() (on the manager
/// thread that waiting reads the answers itself), but not with wait() or as_completed(): as in
/// Python, those would block the thread that has to read the answer. The destructor is
/// shutdown(true); no worker process outlives the executor.
class ProcessPoolExecutor {
public:
    /// A pool of as many workers as CPUs; starts no process yet (see submit()). Throws
    /// std::system_error if the pool's sockets cannot be made.
    ProcessPoolExecutor();
    /// Throws std::invalid_argument("max_workers must be greater than 0") for max_workers <= 0,
    /// std::system_error if the pool's sockets cannot be made.
    explicit ProcessPoolExecutor(int max_workers);
    /// Throws std::invalid_argument naming the option for max_workers <= 0, max_tasks_per_child < 1,
    /// max_tasks_per_child with StartMethod::fork, or first_lane < 0; std::system_error if the pool's
    /// sockets cannot be made.
    explicit ProcessPoolExecutor(ProcessPoolOptions options);
    ~ProcessPoolExecutor();
    ProcessPoolExecutor(const ProcessPoolExecutor&) = delete;
    ProcessPoolExecutor& operator=(const ProcessPoolExecutor&) = delete;

    /// Schedules fn(args...) in a worker process and returns its future. The arguments are converted
    /// to fn's parameter types and encoded now. If fn is not registered or an argument cannot be
    /// encoded, the returned future fails with SerializationError and the pool goes on.
    /// Throws ExecutorShutdownError after shutdown(), BrokenProcessPool once the pool is broken, and
    /// std::system_error if the pool's manager thread (started by the first submit) cannot be started.
    /// Worker processes start on the manager thread: one that cannot start is reported to the
    /// error handler, and if none can, the pool breaks and its futures fail with BrokenProcessPool.
    template <class R, class... P, class... Args> Future<R> submit(R (*fn)(P...), Args&&... args)
    {
        return submit_attempt(TaskIdentity { next_task_id(), 0 }, fn, std::forward<Args>(args)...);
    }

    /// submit() for one attempt of a task whose id was taken before (see RetryExecutor).
    template <class R, class... P, class... Args>
    Future<R> submit_attempt(TaskIdentity identity, R (*fn)(P...), Args&&... args)
    {
        static_assert(sizeof...(P) == sizeof...(Args), "submit(): wrong number of arguments for the task function");
        EventLog* log = events();
        auto state = std::make_shared<detail::SharedState<R>>(log, identity.task_id, identity.attempt);
        state->set_progress(progress());
        detail::Submission s;
        s.identity = identity;
        s.core = state;
        if (log)
            s.label = detail::format_args(args...);
        s.complete = [state](std::string_view bytes) { detail::complete_with<R>(*state, bytes); };
        try {
            s.function = detail::task_function_name(fn);
            s.args = codec::encode(std::tuple<std::remove_cvref_t<P>...>(std::forward<Args>(args)...));
        } catch (const SerializationError&) {
            s.error = std::current_exception();
        }
        enqueue(std::move(s));
        return Future<R>(std::move(state));
    }

    /// Python's map(fn, *iterables, timeout=None, chunksize=1): submits every call before
    /// returning and yields results in input order. Optional trailing arguments, in this order:
    /// poolscope::chunksize(n) sends n calls per message (a failing call fails its whole chunk),
    /// poolscope::timeout(d) sets a deadline counted from this call. Throws std::invalid_argument
    /// for n < 1 or a NaN timeout, before submitting anything; then what submit() throws
    /// (ExecutorShutdownError, BrokenProcessPool, std::system_error), for the first call or chunk it
    /// cannot submit, while those submitted before it run on. What iterating throws: see MapResult.
    template <class R, class... P, class... Args> auto map(R (*fn)(P...), Args&&... args)
    {
        static_assert(!std::is_void_v<R>, "map() needs a function that returns a value; use submit() for void");
        return detail::ProcessMap::map(*this, fn, std::forward<Args>(args)...);
    }

    /// Stops accepting work. wait: block until every queued, non-cancelled task has run and every
    /// worker process has exited. cancel_futures: cancel what has not been dispatched yet.
    /// Calling it again is harmless; called from a done-callback it does not wait.
    void shutdown(bool wait = true, bool cancel_futures = false);

    /// Python 3.14's terminate_workers() / kill_workers(): shut down without waiting, cancel what is
    /// pending, and end every live worker with SIGTERM / SIGKILL. Futures still running fail with
    /// BrokenProcessPool. Returns once every worker is reaped.
    void terminate_workers();
    void kill_workers();

    int max_workers() const noexcept;
    EventLog* events() const noexcept;
    /// A fresh task id (from the event log when there is one).
    std::uint64_t next_task_id() noexcept;
    /// How many worker processes were started so far (replacements included).
    int process_count() const;
    /// The process ids of the live workers.
    std::vector<int> worker_pids() const;

    class Impl;

private:
    friend struct detail::ProcessMap;

    void enqueue(detail::Submission submission);
    /// What a caller waiting for one of our futures may help along (see detail::Progress).
    std::weak_ptr<detail::Progress> progress() const noexcept;

    std::shared_ptr<Impl> impl_;
};

} // namespace poolscope
