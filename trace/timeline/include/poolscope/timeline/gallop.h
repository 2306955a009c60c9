#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace poolscope::timeline {

/// The first index in [from, n) for which `before(index)` is false (n if none), where `before` is
/// true up to some index and false from there on: exponential steps from `from`, then a binary
/// search. O(log distance), so a left-to-right sweep that passes its last answer as `from` pays
/// little per step — the timeline's searches all sweep that way.
template <class Before> std::size_t gallop(std::size_t from, std::size_t n, Before&& before)
{
    if (from >= n || !before(from))
        return from < n ? from : n;
    std::size_t lo = from; // before(lo)
    std::size_t step = 1;
    std::size_t hi = from + 1;
    while (hi < n && before(hi)) {
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    if (hi > n)
        hi = n;
    while (lo + 1 < hi) { // invariant: before(lo), and hi is not before (or the end)
        const std::size_t mid = lo + (hi - lo) / 2;
        (before(mid) ? lo : hi) = mid;
    }
    return hi;
}

/// The first index in [from, size) whose time is at or after `time`, in times sorted ascending. The
/// searches run on plain arrays of times (8 bytes an entry, not a span's 24 or 40): a paint does tens
/// of thousands of them, and they are bound by cache misses.
inline std::size_t firstAtOrAfter(const std::vector<std::int64_t>& times, std::int64_t time, std::size_t from = 0)
{
    return gallop(from, times.size(), [&](std::size_t i) { return times[i] < time; });
}

} // namespace poolscope::timeline
