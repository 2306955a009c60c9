#include "widgets/timelinecounter.h"

#include <algorithm>

namespace poolscope::widgets {

void TimelineCounter::set(std::int64_t time, int value)
{
    if (!m_times.empty() && time <= m_times.back()) {
        if (m_values.back() == value)
            return;
        m_values.back() = value;
        // The replaced value may have been the block's peak: recompute that block (at most 64 points).
        const std::size_t block = (m_values.size() - 1) / blockSize;
        const auto first = m_values.begin() + static_cast<std::ptrdiff_t>(block * blockSize);
        m_blockMax[block] = *std::max_element(first, m_values.end());
        m_maximum = std::max(m_maximum, value);
        return;
    }
    if (!m_values.empty() && m_values.back() == value)
        return; // no step
    m_times.push_back(time);
    m_values.push_back(value);
    if ((m_values.size() - 1) % blockSize == 0)
        m_blockMax.push_back(value);
    else
        m_blockMax.back() = std::max(m_blockMax.back(), value);
    m_maximum = std::max(m_maximum, value);
}

std::size_t TimelineCounter::firstAtOrAfter(std::int64_t time, std::size_t from) const
{
    const std::size_t n = m_times.size();
    if (from >= n || m_times[from] >= time)
        return std::min(from, n);
    std::size_t lo = from;
    std::size_t step = 1;
    std::size_t hi = from + 1;
    while (hi < n && m_times[hi] < time) {
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    hi = std::min(hi, n);
    const auto first = m_times.begin() + static_cast<std::ptrdiff_t>(lo + 1);
    const auto last = m_times.begin() + static_cast<std::ptrdiff_t>(hi);
    return static_cast<std::size_t>(std::lower_bound(first, last, time) - m_times.begin());
}

int TimelineCounter::valueAt(std::int64_t time) const
{
    const auto it = std::upper_bound(m_times.begin(), m_times.end(), time);
    if (it == m_times.begin())
        return 0;
    return m_values[static_cast<std::size_t>(it - m_times.begin()) - 1];
}

int TimelineCounter::maxOf(std::size_t a, std::size_t b) const
{
    b = std::min(b, m_values.size());
    int best = 0;
    while (a < b && a % blockSize != 0)
        best = std::max(best, m_values[a++]);
    while (a + blockSize <= b) {
        best = std::max(best, m_blockMax[a / blockSize]);
        a += blockSize;
    }
    while (a < b)
        best = std::max(best, m_values[a++]);
    return best;
}

int TimelineCounter::maxIn(std::int64_t from, std::int64_t to) const
{
    const std::size_t a = firstAtOrAfter(from);
    const std::size_t b = to < from ? a : firstAtOrAfter(to + 1, a);
    return std::max(valueAt(from), maxOf(a, b));
}

} // namespace poolscope::widgets
