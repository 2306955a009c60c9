#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace poolscope::timeline {

/// The peak of a step function (tasks running, tasks queued) per bucket of time, so that a zoomed-out
/// counter track reads a few numbers per pixel column instead of searching millions of points. The
/// same mipmap as LaneSummary's: buckets a power of two ns wide from the first point, halved in
/// number (each pair merged into its larger peak) when there would be more than maximumBuckets.
///
/// Fed by TimelineCounter::set() with the points it keeps: a value replaced at the same time does not
/// count, as it was never in effect.
class CounterSummary {
public:
    static constexpr std::size_t maximumBuckets = 16384;
    static constexpr std::int64_t minimumBucketNs = 1024;

    /// A new point: `value` from `time` on, after every earlier point.
    void append(std::int64_t time, int value);
    /// The last point's value becomes `value` (a second set at its time).
    void replaceLast(int value);

    /// Buckets are at most a quarter of a column `nsPerPixel` wide: reading whole buckets widens a
    /// peak by at most a quarter column on each side.
    bool usableAt(double nsPerPixel) const
    {
        return !m_peak.empty() && static_cast<double>(m_bucket) * 4 <= nsPerPixel;
    }

    /// The largest value taken in [from, to), read in whole buckets: at least the exact peak, and at
    /// most the peak over the range widened by one bucket on each side. 0 before the first point; the
    /// last value holds after the last point.
    int peakIn(std::int64_t from, std::int64_t to) const;

    std::int64_t bucketNs() const { return m_bucket; }
    std::int64_t origin() const { return m_origin; }
    std::size_t bucketCount() const { return m_peak.size(); }

    friend bool operator==(const CounterSummary&, const CounterSummary&) = default;

private:
    void coarsen();

    std::int64_t m_origin = 0; // the first point's time
    std::int64_t m_bucket = minimumBucketNs;
    std::vector<int> m_peak; // m_peak[k]: the largest value in effect in [origin + k·bucket, + bucket)
    int m_last = 0; // the value in effect after the last point
    int m_peakBeforeLast = 0; // the last bucket's peak without the last point (what a replace undoes)
};

} // namespace poolscope::timeline
