#include <poolscope/timeline/counter_summary.h>

#include <algorithm>

namespace poolscope::timeline {

void CounterSummary::append(std::int64_t time, int value)
{
    if (m_peak.empty()) {
        m_origin = time;
        m_peak.push_back(value);
        m_peakBeforeLast = 0;
        m_last = value;
        return;
    }
    time = std::max(time, m_origin);
    auto bucketOf = [&] { return static_cast<std::size_t>((time - m_origin) / m_bucket); };
    while (bucketOf() >= maximumBuckets)
        coarsen();
    const std::size_t k = bucketOf();
    if (k + 1 > m_peak.size()) {
        // The buckets up to this point's hold the value in effect before it.
        m_peak.resize(k + 1, m_last);
        m_peakBeforeLast = m_last;
    } else {
        m_peakBeforeLast = m_peak.back();
    }
    m_peak.back() = std::max(m_peak.back(), value);
    m_last = value;
}

void CounterSummary::replaceLast(int value)
{
    if (m_peak.empty())
        return;
    m_peak.back() = std::max(m_peakBeforeLast, value);
    m_last = value;
}

void CounterSummary::coarsen()
{
    const std::size_t n = m_peak.size();
    // The last bucket's peak without its last point: the merged bucket keeps its partner's peak too.
    if (n % 2 == 0)
        m_peakBeforeLast = std::max(m_peakBeforeLast, m_peak[n - 2]);
    std::size_t out = 0;
    for (std::size_t k = 0; k < n; k += 2)
        m_peak[out++] = std::max(m_peak[k], k + 1 < n ? m_peak[k + 1] : m_peak[k]);
    m_peak.resize(out);
    m_bucket *= 2;
}

int CounterSummary::peakIn(std::int64_t from, std::int64_t to) const
{
    if (m_peak.empty() || to <= m_origin || to <= from)
        return 0;
    const auto first = static_cast<std::size_t>(std::max<std::int64_t>(0, from - m_origin) / m_bucket);
    const auto last = static_cast<std::size_t>((to - 1 - m_origin) / m_bucket);
    int peak = 0;
    for (std::size_t k = first; k <= last && k < m_peak.size(); ++k)
        peak = std::max(peak, m_peak[k]);
    // After the last bucket the last value holds.
    if (last >= m_peak.size())
        peak = std::max(peak, m_last);
    return peak;
}

} // namespace poolscope::timeline
