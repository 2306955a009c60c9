#include <poolscope/timeline/timeline_counter.h>

#include <algorithm>
#include <limits>

namespace poolscope::timeline {

void TimelineCounter::set(std::int64_t time, int value)
{
    bool replaced = false;
    if (!m_times.empty() && time <= m_times.back()) {
        if (m_values.back() == value)
            return;
        m_values.back() = value;
        m_summary.replaceLast(value);
        replaced = true;
    } else {
        if (!m_values.empty() && m_values.back() == value)
            return; // no step
        m_times.push_back(time);
        m_values.push_back(value);
        m_summary.append(time, value);
    }
    m_maximum = std::max(m_maximum, value);
    updateLevels(replaced);
}

void TimelineCounter::updateLevels(bool replaced)
{
    // Walk up from the last value, touching only the last block of each level, and stop as soon as
    // a level does not change: an append costs O(1) on average.
    for (std::size_t level = 0;; ++level) {
        if (m_levels.size() <= level)
            m_levels.emplace_back(); // may move the levels: take `below` only after this
        const std::vector<int>* below = level == 0 ? &m_values : &m_levels[level - 1];
        std::vector<int>& blocks = m_levels[level];
        const std::size_t last = (below->size() - 1) / fanOut;
        const bool newBlock = last == blocks.size();
        int peak = below->back();
        if (replaced || newBlock) {
            // A replaced value may have been the block's peak, and a new top level starts from a
            // block that already has entries: read the block (≤ 16 values).
            const auto first = below->begin() + static_cast<std::ptrdiff_t>(last * fanOut);
            peak = *std::max_element(first, below->end());
        }
        if (newBlock) {
            blocks.push_back(peak);
        } else if (replaced) {
            if (blocks[last] == peak)
                return;
            blocks[last] = peak;
        } else {
            if (blocks[last] >= peak)
                return;
            blocks[last] = peak;
        }
        if (blocks.size() == 1)
            return;
    }
}

std::size_t TimelineCounter::firstAtOrAfter(std::int64_t time, std::size_t from) const
{
    return m_times.firstAtOrAfter(time, from);
}

int TimelineCounter::valueAt(std::int64_t time) const
{
    // The last point at or before `time` is the one before the first point after it.
    const std::size_t after
        = time == std::numeric_limits<std::int64_t>::max() ? m_times.size() : m_times.firstAtOrAfter(time + 1);
    return after == 0 ? 0 : m_values[after - 1];
}

int TimelineCounter::maxOf(std::size_t a, std::size_t b) const
{
    b = std::min(b, m_values.size());
    int best = 0;
    const std::vector<int>* values = &m_values;
    std::size_t level = 0;
    while (a < b) {
        if (b - a >= 2 * fanOut && level < m_levels.size()) {
            // Read the ragged ends here, then go up a level for the whole blocks in between.
            while (a % fanOut != 0)
                best = std::max(best, (*values)[a++]);
            while (b % fanOut != 0)
                best = std::max(best, (*values)[--b]);
            a /= fanOut;
            b /= fanOut;
            values = &m_levels[level++];
            continue;
        }
        for (; a < b; ++a)
            best = std::max(best, (*values)[a]);
    }
    return best;
}

int TimelineCounter::maxIn(std::int64_t from, std::int64_t to) const
{
    const std::size_t a = firstAtOrAfter(from);
    const std::size_t b = to < from ? a : firstAtOrAfter(to + 1, a);
    return std::max(valueAt(from), maxOf(a, b));
}

} // namespace poolscope::timeline
