#pragma once

#include <poolscope/detail/next_iterator.h>
#include <poolscope/duration.h>
#include <poolscope/future.h>

#include <cstddef>
#include <iterator>
#include <optional>
#include <vector>

namespace poolscope {

/// The optional last argument of map(): poolscope::timeout(0.2s), like Python's timeout=0.2.
struct Timeout {
    Duration value;
};

/// Tags a map() deadline, counted from the map() call.
inline Timeout timeout(Duration value)
{
    return Timeout { value };
}

/// The optional ProcessPoolExecutor::map() argument poolscope::chunksize(n), like Python's chunksize=n.
struct Chunksize {
    int value;
};
inline Chunksize chunksize(int value)
{
    return Chunksize { value };
}

/// The results of Executor::map(), yielded in input order. All tasks were submitted before map()
/// returned and run whether or not the results are read. Iterate it once (range-for, next(), or
/// to_vector()). When a task failed or the deadline passed, iteration throws at that position and
/// every future not yet yielded is cancelled; destroying the range cancels them too.
template <class R> class MapResult {
public:
    using iterator = detail::NextIterator<MapResult, R>;

    MapResult(std::vector<Future<R>> futures, Deadline deadline)
        : futures_(std::move(futures))
        , deadline_(deadline)
    {
    }
    MapResult(MapResult&& other) noexcept
        : futures_(std::move(other.futures_))
        , deadline_(other.deadline_)
        , position_(other.position_)
    {
        other.futures_.clear();
        other.position_ = 0;
    }
    MapResult& operator=(MapResult&&) = delete;
    MapResult(const MapResult&) = delete;
    MapResult& operator=(const MapResult&) = delete;
    ~MapResult() { cancel_remaining(); }

    /// Waits for the first result; may throw (see next()).
    iterator begin() { return iterator(this); }
    std::default_sentinel_t end() const noexcept { return {}; }

    /// The next result in input order, or nothing at the end. Rethrows the task's exception, or
    /// throws TimeoutError if the deadline passed before it was ready (a result that is ready is
    /// returned even after the deadline); either way the rest is cancelled and iteration ends.
    std::optional<R> next()
    {
        if (position_ >= futures_.size())
            return std::nullopt;
        Future<R> future = futures_[position_++];
        try {
            std::optional<Duration> remaining;
            if (deadline_)
                remaining = std::chrono::duration_cast<Duration>(*deadline_ - Clock::now());
            R value = future.result(remaining);
            return value;
        } catch (...) {
            future.cancel_for_cleanup();
            cancel_remaining();
            throw;
        }
    }

    /// Everything that is left, like Python's list(executor.map(...)); throws like next().
    std::vector<R> to_vector()
    {
        std::vector<R> out;
        out.reserve(futures_.size() - position_);
        while (auto value = next())
            out.push_back(std::move(*value));
        return out;
    }

    /// The futures behind the results, in input order (for inspection and drawing).
    const std::vector<Future<R>>& futures() const noexcept { return futures_; }

private:
    void cancel_remaining()
    {
        for (; position_ < futures_.size(); ++position_)
            futures_[position_].cancel_for_cleanup();
    }

    std::vector<Future<R>> futures_;
    Deadline deadline_;
    std::size_t position_ = 0;
};

} // namespace poolscope
