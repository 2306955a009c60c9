#pragma once

#include <poolscope/detail/unique_futures.h>
#include <poolscope/duration.h>
#include <poolscope/future.h>

#include <optional>
#include <vector>

namespace poolscope {

/// When wait() returns (Python's FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED).
enum ReturnWhen : int { FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED };

/// wait()'s result: the distinct futures split by whether they were done when it returned,
/// each part in first-seen input order.
template <class T> struct DoneAndNotDone {
    std::vector<Future<T>> done;
    std::vector<Future<T>> not_done;
};

namespace detail {
/// Blocks until return_when holds for the given distinct futures or the deadline passes.
void wait_for(const std::vector<FutureCore*>& futures, const Deadline& deadline, ReturnWhen return_when);
} // namespace detail

/// Waits for the futures in fs as return_when says, up to timeout (forever when empty).
/// Duplicates count once. A cancelled future counts as done (unlike CPython, whose
/// shutdown(cancel_futures=True) leaves waiters unnotified: gh-87893). Never throws TimeoutError:
/// when time runs out the split is returned as it stands. Throws std::invalid_argument for a NaN
/// timeout.
template <class T>
DoneAndNotDone<T> wait(
    const std::vector<Future<T>>& fs, std::optional<Duration> timeout = {}, ReturnWhen return_when = ALL_COMPLETED)
{
    const Deadline deadline = deadline_after(timeout);
    auto distinct = detail::unique_futures(fs);
    detail::wait_for(detail::cores_of(distinct), deadline, return_when);
    DoneAndNotDone<T> out;
    for (auto& f : distinct)
        (f.done() ? out.done : out.not_done).push_back(std::move(f));
    return out;
}

} // namespace poolscope
