#pragma once

#include <poolscope/timeline/counter_summary.h>
#include <poolscope/timeline/time_index.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace poolscope::timeline {

/// A step function over time (tasks running, tasks queued): the value set at each time holds until
/// the next point. Append-only, times non-decreasing. Keeps the maxima of blocks of 16, 256, 4096…
/// points, so the counter track finds each pixel column's peak in O(log) reads instead of visiting
/// the thousand points a column may hold.
class TimelineCounter {
public:
    static constexpr std::size_t fanOut = 16;

    /// Sets the value from `time` on. A second set at the same time replaces the first, so a burst of
    /// events stamped alike leaves one step. Earlier times than the last are treated as the last.
    void set(std::int64_t time, int value);

    std::size_t size() const { return m_times.size(); }
    bool empty() const { return m_times.empty(); }
    std::int64_t time(std::size_t i) const { return m_times[i]; }
    int value(std::size_t i) const { return m_values[i]; }
    /// The current (last) value, 0 before the first point.
    int current() const { return m_values.empty() ? 0 : m_values.back(); }

    /// The index of the first point at or after `time`, not before `from` (a search through the
    /// time index, a few cache lines).
    std::size_t firstAtOrAfter(std::int64_t time, std::size_t from = 0) const;
    /// The value in effect at `time` (0 before the first point).
    int valueAt(std::int64_t time) const;
    /// The largest value among points [a, b); 0 for an empty range.
    int maxOf(std::size_t a, std::size_t b) const;
    /// The largest value the function takes in [from, to] (the value in effect at `from` included).
    int maxIn(std::int64_t from, std::int64_t to) const;
    /// Peaks per bucket of time, for columns too wide to search point by point.
    const CounterSummary& summary() const { return m_summary; }
    /// The largest value overall.
    int maximum() const { return m_maximum; }

    friend bool operator==(const TimelineCounter&, const TimelineCounter&) = default;

private:
    TimeIndex m_times;
    CounterSummary m_summary;
    std::vector<int> m_values;
    // m_levels[0][k] = max of values [16k, 16k + 16); m_levels[L][k] = max of m_levels[L - 1][16k, 16k + 16).
    std::vector<std::vector<int>> m_levels;
    void updateLevels(bool replaced); // after the last value was appended or replaced
    int m_maximum = 0;
};

} // namespace poolscope::timeline
