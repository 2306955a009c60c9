#pragma once

#include <poolscope/codec.h>
#include <poolscope/detail/format_args.h>
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

/// The optional map() argument poolscope::chunksize(n), like Python's chunksize=n.
struct Chunksize {
    int value;
};
inline Chunksize chunksize(int value)
{
    return Chunksize { value };
}

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
    ProcessPoolExecutor();
    /// Throws std::invalid_argument("max_workers must be greater than 0") for max_workers <= 0.
    explicit ProcessPoolExecutor(int max_workers);
    explicit ProcessPoolExecutor(ProcessPoolOptions options);
    ~ProcessPoolExecutor();
    ProcessPoolExecutor(const ProcessPoolExecutor&) = delete;
    ProcessPoolExecutor& operator=(const ProcessPoolExecutor&) = delete;

    /// Schedules fn(args...) in a worker process and returns its future. The arguments are converted
    /// to fn's parameter types and encoded now. If fn is not registered or an argument cannot be
    /// encoded, the returned future fails with SerializationError and the pool goes on.
    /// Throws ExecutorShutdownError after shutdown(), BrokenProcessPool once the pool is broken, and
    /// std::system_error if a worker process cannot be started.
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
        Submission s;
        s.identity = identity;
        s.core = state;
        if (log)
            s.label = detail::format_args(args...);
        s.complete = [state](std::string_view bytes) { complete_with<R>(*state, bytes); };
        try {
            s.function = function_name(fn);
            s.args = codec::encode(std::tuple<std::remove_cvref_t<P>...>(std::forward<Args>(args)...));
        } catch (const SerializationError&) {
            s.error = std::current_exception();
        }
        enqueue(std::move(s));
        return Future<R>(std::move(state));
    }

    /// Python's map(fn, *iterables, timeout=None, chunksize=1): submits every call before
    /// returning and yields results in input order. Optional trailing arguments, in this order:
    /// poolscope::chunksize(n) sends n calls per message (a failing call fails its whole chunk;
    /// n < 1 is std::invalid_argument), poolscope::timeout(d) sets a deadline counted from this call.
    template <class R, class... P, class... Args> auto map(R (*fn)(P...), Args&&... args)
    {
        static_assert(!std::is_void_v<R>, "map() needs a function that returns a value; use submit() for void");
        auto all = std::forward_as_tuple(std::forward<Args>(args)...);
        return map_parse(fn, all, 1, std::optional<Duration> {}, std::make_index_sequence<sizeof...(Args)> {});
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

    /// One call on its way to a worker. Public for the implementation's sake only.
    struct Submission {
        TaskIdentity identity;
        std::string function;
        std::string args; ///< encoded argument tuple (single call)
        std::vector<std::string> chunk_args; ///< encoded argument tuples (a chunk)
        bool chunk = false;
        std::string label;
        std::shared_ptr<detail::FutureCore> core;
        /// Runs where the answer is read (see the class comment): decodes the value and completes the future.
        std::function<void(std::string_view)> complete;
        std::exception_ptr error; ///< set when the call could not be encoded
    };

private:
    void enqueue(Submission submission);
    /// What a caller waiting for one of our futures may help along (see detail::Progress).
    std::weak_ptr<detail::Progress> progress() const noexcept;

    template <class Fn> static std::string function_name(Fn* fn)
    {
        if (auto name = registered_task_name(fn))
            return *name;
        throw SerializationError("the task function is not registered; declare it with POOLSCOPE_TASK");
    }

    template <class R> static void complete_with(detail::SharedState<R>& state, std::string_view bytes)
    {
        if constexpr (std::is_void_v<R>) {
            state.set_value_with([] {});
        } else {
            std::optional<R> value;
            try {
                value.emplace(codec::decode<R>(bytes));
            } catch (const SerializationError&) {
                state.set_exception(std::current_exception());
                return;
            }
            state.set_value_with([&] { state.value.emplace(std::move(*value)); });
        }
    }

    // Peels the optional chunksize() and timeout() tags off the end of map()'s arguments.
    template <class R, class... P, class Tuple, std::size_t... I>
    auto map_parse(R (*fn)(P...), Tuple& all, int chunk, std::optional<Duration> timeout, std::index_sequence<I...>)
    {
        constexpr std::size_t n = sizeof...(I);
        if constexpr (n > 0) {
            using Last = std::remove_cvref_t<std::tuple_element_t<n - 1, Tuple>>;
            if constexpr (std::is_same_v<Last, Timeout>) {
                auto rest = std::forward_as_tuple(std::get<I>(all)...);
                return map_parse_chunk(fn, rest, std::optional<Duration>(std::get<n - 1>(all).value),
                    std::make_index_sequence<n - 1> {});
            } else {
                return map_parse_chunk(fn, all, timeout, std::make_index_sequence<n> {});
            }
        } else {
            static_assert(n > 0, "map() needs at least one range");
            (void)chunk;
        }
    }

    template <class R, class... P, class Tuple, std::size_t... I>
    auto map_parse_chunk(R (*fn)(P...), Tuple& all, std::optional<Duration> timeout, std::index_sequence<I...>)
    {
        constexpr std::size_t n = sizeof...(I);
        if constexpr (n > 0
            && std::is_same_v<std::remove_cvref_t<std::tuple_element_t<n - 1, Tuple>>, Chunksize>) {
            return map_ranges(fn, all, std::get<n - 1>(all).value, timeout, std::make_index_sequence<n - 1> {});
        } else {
            return map_ranges(fn, all, 1, timeout, std::make_index_sequence<n> {});
        }
    }

    template <class R, class... P, class Tuple, std::size_t... I>
    MapResult<R> map_ranges(
        R (*fn)(P...), Tuple& ranges, int chunk, std::optional<Duration> timeout, std::index_sequence<I...>)
    {
        static_assert(sizeof...(I) > 0, "map() needs at least one range");
        static_assert(sizeof...(I) == sizeof...(P), "map() needs one range per parameter of the task function");
        if (chunk < 1)
            throw std::invalid_argument("chunksize must be >= 1");
        const Deadline deadline = deadline_after(timeout);
        std::vector<Future<R>> futures;
        auto its = std::make_tuple(std::ranges::begin(std::get<I>(ranges))...);
        const auto ends = std::make_tuple(std::ranges::end(std::get<I>(ranges))...);
        if (chunk == 1) {
            while (((std::get<I>(its) != std::get<I>(ends)) && ...)) {
                futures.push_back(submit(fn, *std::get<I>(its)...));
                (++std::get<I>(its), ...);
            }
            return MapResult<R>(std::move(futures), deadline);
        }
        while (((std::get<I>(its) != std::get<I>(ends)) && ...)) {
            std::vector<Future<R>> items;
            Submission s;
            s.identity = TaskIdentity { next_task_id(), 0 };
            s.chunk = true;
            std::string label;
            while (static_cast<int>(items.size()) < chunk && ((std::get<I>(its) != std::get<I>(ends)) && ...)) {
                items.emplace_back();
                if (events()) {
                    if (!label.empty())
                        label += ' ';
                    label += detail::format_args(*std::get<I>(its)...);
                }
                try {
                    s.chunk_args.push_back(codec::encode(std::tuple<std::remove_cvref_t<P>...>(*std::get<I>(its)...)));
                } catch (const SerializationError&) {
                    s.error = std::current_exception();
                }
                (++std::get<I>(its), ...);
            }
            s.label = "chunk of " + std::to_string(items.size()) + ": " + label;
            try {
                s.function = function_name(fn);
            } catch (const SerializationError&) {
                s.error = std::current_exception();
            }
            auto chunk_state = std::make_shared<detail::SharedState<void>>(events(), s.identity.task_id, 0);
            s.core = chunk_state;
            s.complete = [chunk_state, items](std::string_view bytes) mutable {
                std::vector<R> values;
                try {
                    auto blobs = codec::decode<std::vector<std::string>>(bytes);
                    if (blobs.size() != items.size())
                        throw SerializationError("damaged data: a chunk came back with the wrong number of results");
                    for (const auto& blob : blobs)
                        values.push_back(codec::decode<R>(blob));
                } catch (const SerializationError&) {
                    chunk_state->set_exception(std::current_exception());
                    return;
                }
                chunk_state->set_value_with([] {});
                for (std::size_t k = 0; k < items.size(); ++k) {
                    try {
                        items[k].set_result(std::move(values[k]));
                    } catch (const InvalidStateError&) {
                        // cancelled by its reader meanwhile: nobody wants this value
                    }
                }
            };
            // A chunk that fails or is cancelled takes every item with it; an item whose result is
            // no longer wanted cancels the chunk while that is still possible.
            Future<void>(chunk_state).add_done_callback([items](Future<void> f) mutable {
                if (f.cancelled()) {
                    for (auto& item : items)
                        item.cancel();
                } else if (auto error = f.exception(); error) {
                    for (auto& item : items) {
                        try {
                            item.set_exception(error);
                        } catch (const InvalidStateError&) {
                            // cancelled by its reader meanwhile
                        }
                    }
                }
            });
            for (auto& item : items) {
                item.add_done_callback([chunk_future = Future<void>(chunk_state)](Future<R> f) mutable {
                    if (f.cancelled())
                        chunk_future.cancel();
                });
                futures.push_back(item);
            }
            enqueue(std::move(s));
        }
        return MapResult<R>(std::move(futures), deadline);
    }

    std::shared_ptr<Impl> impl_;
};

} // namespace poolscope
