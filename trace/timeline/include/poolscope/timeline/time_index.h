#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace poolscope::timeline {

/// Times in ascending order, appended one by one, with a static search tree over them: the time of
/// every 16th entry, of every 256th, and so on. A search reads the small top levels (which stay in
/// cache) and one cache line per level below, instead of the dozen scattered reads a binary search
/// through millions of times costs. The zoomed-out counter track does two such searches per pixel
/// column.
class TimeIndex {
public:
    static constexpr std::size_t fanOut = 16;

    /// Appends `time`; it must not be earlier than the last one.
    void push_back(std::int64_t time);
    void reserve(std::size_t n) { m_times.reserve(n); }

    std::size_t size() const { return m_times.size(); }
    bool empty() const { return m_times.empty(); }
    std::int64_t operator[](std::size_t i) const { return m_times[i]; }
    std::int64_t back() const { return m_times.back(); }
    const std::vector<std::int64_t>& times() const { return m_times; }

    /// The first index at or after `from` whose time is at or after `time`; size() if none.
    std::size_t firstAtOrAfter(std::int64_t time, std::size_t from = 0) const;

    friend bool operator==(const TimeIndex& a, const TimeIndex& b) { return a.m_times == b.m_times; }

private:
    std::vector<std::int64_t> m_times;
    // m_levels[L][k] = m_times[k · 16^(L+1)]; a level exists once it has two entries.
    std::vector<std::vector<std::int64_t>> m_levels;
};

} // namespace poolscope::timeline
