#include <poolscope/timeline/time_index.h>

#include <algorithm>

namespace poolscope::timeline {

void TimeIndex::push_back(std::int64_t time)
{
    const std::size_t i = m_times.size();
    m_times.push_back(time);
    std::size_t step = fanOut;
    for (std::size_t level = 0; i != 0 && i % step == 0; ++level, step *= fanOut) {
        if (level == m_levels.size()) {
            // The level starts when its second block does: the first entry is the very first time.
            m_levels.push_back({m_times.front(), time});
            return;
        }
        m_levels[level].push_back(time);
    }
}

std::size_t TimeIndex::firstAtOrAfter(std::int64_t time, std::size_t from) const
{
    const std::size_t n = m_times.size();
    if (from >= n)
        return n;
    if (m_times[from] >= time)
        return from;
    // A finger search: climb from `from` while the next block at this level still starts before
    // `time`, then descend one block per level. A left-to-right sweep passes its last answer as
    // `from`, so the climb reads entries next to the ones it read last time, and each level down
    // costs one block of 16 (two cache lines).
    const auto top = static_cast<std::ptrdiff_t>(m_levels.size());
    auto level = [this](std::ptrdiff_t l) -> const std::vector<std::int64_t>& {
        return l < 0 ? m_times : m_levels[static_cast<std::size_t>(l)];
    };
    auto lowerBound = [time](const std::vector<std::int64_t>& v, std::size_t lo, std::size_t hi) {
        return static_cast<std::size_t>(
            std::lower_bound(v.begin() + static_cast<std::ptrdiff_t>(lo), v.begin() + static_cast<std::ptrdiff_t>(hi), time)
            - v.begin());
    };
    // Invariant: entry k of level l starts before `time` (it is at or before `from`).
    std::ptrdiff_t l = -1;
    std::size_t k = from;
    std::size_t p = 0; // then: the first entry of level l at or after `time` (its size if none)
    for (;;) {
        const auto& entries = level(l);
        if (k + 1 >= entries.size() || entries[k + 1] >= time) {
            p = k + 1;
            break;
        }
        if (l + 1 == top) {
            p = lowerBound(entries, k + 2, entries.size());
            break;
        }
        ++l;
        k /= fanOut;
    }
    for (; l >= 0; --l) {
        // Entry p - 1 starts before `time` and entry p (if any) at or after it: the answer one level
        // down lies in block p - 1, or is the start of block p.
        const auto& below = level(l - 1);
        p = lowerBound(below, (p - 1) * fanOut + 1, std::min(p * fanOut, below.size()));
    }
    return p;
}

} // namespace poolscope::timeline
