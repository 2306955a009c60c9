#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace poolscope::timeline {

/// How busy one layer of one lane was, per bucket of time: the busy time before each bucket
/// boundary (a prefix sum, so the busy time of any run of buckets is one subtraction). Perfetto keeps
/// such summaries per track so that a zoomed-out frame reads one number per pixel column instead of
/// searching the spans under it; this is that, for the fold shading.
///
/// Buckets are a power of two ns wide and start at the first span's start. When there would be more
/// than maximumBuckets the width doubles and every other boundary is dropped (the next mipmap level
/// replaces the finer one), so memory stays bounded however long the run, and a live run pays O(1)
/// amortised a span. Fed by TimelineSpanList::push() with spans in time order that do not overlap.
class LaneSummary {
public:
    static constexpr std::size_t maximumBuckets = 16384;
    static constexpr std::int64_t minimumBucketNs = 1024;

    /// Records a span [start, end) after every earlier one.
    void add(std::int64_t start, std::int64_t end);

    /// Buckets are fine enough to shade columns `nsPerPixel` wide: a bucket is at most a quarter of a
    /// column, so reading a boundary inside a bucket misplaces at most a quarter column's busy time.
    bool usableAt(double nsPerPixel) const
    {
        return !m_before.empty() && static_cast<double>(m_bucket) * 4 <= nsPerPixel;
    }

    /// The busy time before `time`, exact at bucket boundaries and linear inside a bucket.
    std::int64_t busyBefore(std::int64_t time) const;

    /// Calls `visit(from, to)` for each run of buckets overlapping [t0, t1] in which a span at least
    /// `length` ns long starts: the only stretches where a zoomed-out frame must look at spans.
    template <class Visit> void forEachLongStart(std::int64_t t0, std::int64_t t1, double length, Visit&& visit) const
    {
        if (m_longest.empty() || t1 < m_origin)
            return;
        const auto first = static_cast<std::size_t>(std::max<std::int64_t>(0, (t0 - m_origin) / m_bucket));
        const auto last = std::min(m_longest.size() - 1, static_cast<std::size_t>((t1 - m_origin) / m_bucket));
        for (std::size_t k = first; k <= last; ++k) {
            if (static_cast<double>(m_longest[k]) < length)
                continue;
            std::size_t j = k + 1;
            while (j <= last && static_cast<double>(m_longest[j]) >= length)
                ++j;
            visit(
                m_origin + static_cast<std::int64_t>(k) * m_bucket, m_origin + static_cast<std::int64_t>(j) * m_bucket);
            k = j;
        }
    }

    std::int64_t bucketNs() const { return m_bucket; }
    std::size_t bucketCount() const { return m_before.empty() ? 0 : m_before.size() - 1; }
    std::int64_t origin() const { return m_origin; }
    std::int64_t total() const { return m_total; }

private:
    void extendTo(std::int64_t time); // boundaries up to `time`, all before the span being added
    void coarsen();

    std::int64_t m_origin = 0; // the first boundary: the first span's start
    std::int64_t m_bucket = minimumBucketNs;
    std::vector<std::int64_t> m_before; // m_before[k] = busy time before m_origin + k * m_bucket
    std::vector<std::int64_t> m_longest; // m_longest[k] = the longest span starting in bucket k
    std::int64_t m_total = 0; // busy time of every span added
    std::int64_t m_lastStart = 0; // the last span added
    std::int64_t m_lastEnd = 0;
};

} // namespace poolscope::timeline
