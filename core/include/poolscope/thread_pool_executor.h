#pragma once

#include <poolscope/detail/format_args.h>
#include <poolscope/detail/task_state.h>
#include <poolscope/detail/work_item.h>
#include <poolscope/duration.h>
#include <poolscope/future.h>
#include <poolscope/map_result.h>
#include <poolscope/task_identity.h>

#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <ranges>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace poolscope {

class EventLog;
class InterpreterLock;

/// How to build a ThreadPoolExecutor; designated initialisers read like Python's keywords:
/// ThreadPoolExecutor({ .max_workers = 4, .thread_name_prefix = "fetch" }).
struct ThreadPoolOptions {
    /// Empty: min(32, cores + 4), as Python. Zero or negative: std::invalid_argument.
    std::optional<int> max_workers {};
    /// Threads are named "<prefix>_<n>"; empty means "ThreadPoolExecutor-<k>" (k counts pools).
    std::string thread_name_prefix {};
    /// Runs once in each new worker before its first task. If it throws, the pool breaks: queued
    /// futures fail with BrokenThreadPool and later submits throw it.
    std::function<void()> initializer {};
    /// Where to record lifecycle events; null records nothing. Must outlive the executor and its futures.
    EventLog* events = nullptr;
    /// Run task code under this emulated interpreter lock (see InterpreterLock), so tasks take turns
    /// like Python threads; null runs them truly in parallel (free-threaded Python). Must outlive
    /// the executor.
    InterpreterLock* interpreter_lock = nullptr;
    /// The event lane of worker 0; worker n records on first_lane + n. Lets two executors that
    /// record into one log keep their lanes apart. Negative: std::invalid_argument.
    int first_lane = 0;
};

/// The name of the pool worker thread this is called on ("ThreadPoolExecutor-0_1"), or an empty
/// string on any other thread.
std::string_view current_worker_name() noexcept;

/// The event lane of the pool worker thread this is called on (ThreadPoolOptions::first_lane plus
/// the worker's index), or -1 on any other thread: for events recorded by code the worker runs,
/// such as a line a done-callback prints.
int current_worker_lane() noexcept;

/// A pool of up to max_workers threads, as Python's concurrent.futures.ThreadPoolExecutor:
/// threads start on demand, an idle one is reused before a new one is started, tasks run in
/// submission order. The destructor is shutdown(true).
class ThreadPoolExecutor {
public:
    /// A pool with the default number of workers. Starts no thread yet (see submit()).
    ThreadPoolExecutor();
    /// Throws std::invalid_argument("max_workers must be greater than 0") for max_workers <= 0.
    explicit ThreadPoolExecutor(int max_workers);
    /// Throws std::invalid_argument naming the option for max_workers <= 0 or first_lane < 0.
    explicit ThreadPoolExecutor(ThreadPoolOptions options);
    ~ThreadPoolExecutor();
    ThreadPoolExecutor(const ThreadPoolExecutor&) = delete;
    ThreadPoolExecutor& operator=(const ThreadPoolExecutor&) = delete;

    /// Schedules fn(args...) (arguments are copied or moved into the task) and returns its future.
    /// Throws ExecutorShutdownError after shutdown() and BrokenThreadPool once the pool is broken.
    /// Throws std::system_error if it must start a worker thread and cannot; as in Python, the call
    /// then stays queued (no future of it is returned) and runs on a worker that exists or starts later.
    template <class F, class... Args>
    auto submit(F&& fn, Args&&... args) -> Future<std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>>
    {
        return submit_attempt(TaskIdentity { next_task_id(), 0 }, std::forward<F>(fn), std::forward<Args>(args)...);
    }

    /// submit() for one attempt of a task whose id was taken before, with next_task_id(): what a
    /// RetryExecutor uses so that every attempt of one call is recorded under one task id.
    template <class F, class... Args>
    auto submit_attempt(TaskIdentity identity, F&& fn, Args&&... args)
        -> Future<std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>>
    {
        using R = std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>;
        using Task = detail::TaskState<R, std::decay_t<F>, std::decay_t<Args>...>;
        EventLog* log = events();
        std::string label = log ? detail::format_args(args...) : std::string();
        auto task = std::make_shared<Task>(
            log, identity.task_id, identity.attempt, std::forward<F>(fn), std::forward<Args>(args)...);
        enqueue(task, identity, label);
        return Future<R>(std::move(task));
    }

    /// A fresh task id (from the event log when there is one, so ids are unique in the log).
    std::uint64_t next_task_id() noexcept;

    /// Python's map(fn, *iterables, timeout=None): submits fn(a, b, ...) for every element of the
    /// ranges (zipped, stopping at the shortest) before returning, and yields the results in input
    /// order. An optional last argument poolscope::timeout(d) sets a deadline counted from this
    /// call. Throws what submit() throws (ExecutorShutdownError, BrokenThreadPool,
    /// std::system_error), for the first call it cannot submit; the calls submitted before it run
    /// on. Throws std::invalid_argument for a NaN timeout, before submitting anything. What
    /// iterating throws: see MapResult.
    template <class F, class... Args> auto map(F&& fn, Args&&... args)
    {
        auto all = std::forward_as_tuple(std::forward<Args>(args)...);
        constexpr std::size_t n = sizeof...(Args);
        if constexpr (n > 0
            && std::is_same_v<std::remove_cvref_t<std::tuple_element_t<n - 1, decltype(all)>>, Timeout>) {
            return map_ranges(
                fn, std::optional<Duration>(std::get<n - 1>(all).value), all, std::make_index_sequence<n - 1> {});
        } else {
            return map_ranges(fn, std::optional<Duration> {}, all, std::make_index_sequence<n> {});
        }
    }

    /// Stops accepting work. wait: block until every queued, non-cancelled task has run and the
    /// workers have ended. cancel_futures: cancel what has not started yet (running tasks finish).
    /// Calling it again is harmless.
    void shutdown(bool wait = true, bool cancel_futures = false);

    /// How many worker threads were started so far (Python's len(executor._threads)).
    int thread_count() const;
    /// Their names, in creation order.
    std::vector<std::string> thread_names() const;
    int max_workers() const noexcept;
    EventLog* events() const noexcept;

    class Impl;

private:
    void enqueue(std::shared_ptr<detail::WorkItem> item, TaskIdentity identity, const std::string& label);

    template <class F, class Tuple, std::size_t... I>
    auto map_ranges(F& fn, std::optional<Duration> timeout, Tuple& ranges, std::index_sequence<I...>)
    {
        static_assert(sizeof...(I) > 0, "map() needs at least one range");
        using R = std::invoke_result_t<F&, std::ranges::range_reference_t<std::tuple_element_t<I, Tuple>>...>;
        static_assert(!std::is_void_v<R>, "map() needs a function that returns a value; use submit() for void");
        const Deadline deadline = deadline_after(timeout);
        std::vector<Future<R>> futures;
        auto its = std::make_tuple(std::ranges::begin(std::get<I>(ranges))...);
        const auto ends = std::make_tuple(std::ranges::end(std::get<I>(ranges))...);
        while (((std::get<I>(its) != std::get<I>(ends)) && ...)) {
            futures.push_back(submit(fn, *std::get<I>(its)...));
            (++std::get<I>(its), ...);
        }
        return MapResult<R>(std::move(futures), deadline);
    }

    std::shared_ptr<Impl> impl_;
};

} // namespace poolscope
