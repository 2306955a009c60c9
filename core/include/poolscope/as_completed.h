#pragma once

#include <poolscope/detail/next_iterator.h>
#include <poolscope/detail/unique_futures.h>
#include <poolscope/detail/waiter.h>
#include <poolscope/duration.h>
#include <poolscope/future.h>

#include <cstddef>
#include <deque>
#include <iterator>
#include <memory>
#include <optional>
#include <vector>

namespace poolscope {

namespace detail {
/// The type-independent engine of as_completed(): installs one waiter on every distinct future
/// and hands out completed ones, already-done ones first.
class CompletionQueue {
public:
    CompletionQueue(std::vector<FutureCore*> futures, Deadline deadline);
    ~CompletionQueue();
    CompletionQueue(const CompletionQueue&) = delete;
    CompletionQueue& operator=(const CompletionQueue&) = delete;

    /// The next completed future, or null when all were handed out. Throws TimeoutError
    /// ("N (of M) futures unfinished") once the deadline has passed and none is ready.
    std::shared_ptr<FutureCore> next();

private:
    std::vector<FutureCore*> futures_;
    Deadline deadline_;
    Waiter waiter_;
    std::deque<std::shared_ptr<FutureCore>> ready_;
    std::size_t yielded_ = 0;
};
} // namespace detail

/// The range returned by as_completed(): iterate it once with range-for. Destroying it (also by
/// leaving the loop early) detaches it from the futures.
template <class T> class AsCompleted {
public:
    using iterator = detail::NextIterator<AsCompleted, Future<T>>;

    AsCompleted(const std::vector<Future<T>>& fs, Deadline deadline)
    {
        auto distinct = detail::unique_futures(fs);
        queue_ = std::make_unique<detail::CompletionQueue>(detail::cores_of(distinct), deadline);
        // The queue holds raw pointers; these handles keep the futures alive while it does.
        keep_alive_ = std::move(distinct);
    }

    /// Blocks until the first future completes; may throw TimeoutError.
    iterator begin() { return iterator(this); }
    std::default_sentinel_t end() const noexcept { return {}; }

    /// The next completed future, or nothing when all were yielded; may throw TimeoutError.
    std::optional<Future<T>> next()
    {
        auto core = queue_->next();
        if (!core)
            return std::nullopt;
        return Future<T>(std::static_pointer_cast<detail::SharedState<T>>(std::move(core)));
    }

private:
    std::vector<Future<T>> keep_alive_;
    std::unique_ptr<detail::CompletionQueue> queue_;
};

/// Yields each distinct future of fs once as it completes: those already done first, the rest in
/// completion order. When `timeout` (counted from this call) runs out with futures still pending,
/// the iteration throws TimeoutError("N (of M) futures unfinished") after yielding what is done.
/// Throws std::invalid_argument for a NaN timeout.
template <class T> AsCompleted<T> as_completed(const std::vector<Future<T>>& fs, std::optional<Duration> timeout = {})
{
    return AsCompleted<T>(fs, deadline_after(timeout));
}

} // namespace poolscope
