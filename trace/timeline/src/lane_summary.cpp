#include <poolscope/timeline/lane_summary.h>

#include <algorithm>

namespace poolscope::timeline {

void LaneSummary::add(std::int64_t start, std::int64_t end)
{
    end = std::max(end, start);
    if (m_before.empty()) {
        m_origin = start;
        m_before.push_back(0);
        m_longest.push_back(0);
        m_lastStart = m_lastEnd = start;
    }
    m_total += end - start;
    m_lastStart = start;
    m_lastEnd = end;
    extendTo(end);
    std::int64_t& longest = m_longest[static_cast<std::size_t>((start - m_origin) / m_bucket)];
    longest = std::max(longest, end - start);
}

void LaneSummary::extendTo(std::int64_t time)
{
    const std::int64_t lastBoundary = m_origin + static_cast<std::int64_t>(m_before.size() - 1) * m_bucket;
    if (time <= lastBoundary)
        return;
    const auto needed = static_cast<std::size_t>((time - m_origin) / m_bucket) + 1;
    if (needed > maximumBuckets + 1) {
        coarsen();
        extendTo(time);
        return;
    }
    // Every new boundary lies after all spans but the last one: the busy time before it is what the
    // earlier spans took plus the part of the last one before the boundary.
    const std::int64_t earlier = m_total - (m_lastEnd - m_lastStart);
    for (std::size_t k = m_before.size(); k < needed; ++k) {
        const std::int64_t boundary = m_origin + static_cast<std::int64_t>(k) * m_bucket;
        m_before.push_back(earlier + std::clamp<std::int64_t>(boundary - m_lastStart, 0, m_lastEnd - m_lastStart));
        m_longest.push_back(0);
    }
}

void LaneSummary::coarsen()
{
    std::size_t out = 0;
    for (std::size_t k = 0; k < m_before.size(); k += 2) {
        m_before[out] = m_before[k];
        m_longest[out] = std::max(m_longest[k], k + 1 < m_longest.size() ? m_longest[k + 1] : 0);
        ++out;
    }
    m_before.resize(out);
    m_longest.resize(out);
    m_bucket *= 2;
}

std::int64_t LaneSummary::busyBefore(std::int64_t time) const
{
    if (m_before.empty() || time <= m_origin)
        return 0;
    if (time >= m_lastEnd)
        return m_total;
    const auto k = static_cast<std::size_t>((time - m_origin) / m_bucket);
    const std::int64_t boundary = m_origin + static_cast<std::int64_t>(k) * m_bucket;
    if (k + 1 >= m_before.size()) {
        // In the last, unfinished bucket: between its boundary and the end of the last span.
        const std::int64_t a = m_before.back();
        const double f = static_cast<double>(time - boundary) / static_cast<double>(m_lastEnd - boundary);
        return a + static_cast<std::int64_t>(f * static_cast<double>(m_total - a));
    }
    const std::int64_t a = m_before[k];
    const std::int64_t b = m_before[k + 1];
    // In doubles: (b - a) * (time - boundary) overflows int64 once buckets are a few seconds wide.
    const double f = static_cast<double>(time - boundary) / static_cast<double>(m_bucket);
    return a + static_cast<std::int64_t>(f * static_cast<double>(b - a));
}

} // namespace poolscope::timeline
