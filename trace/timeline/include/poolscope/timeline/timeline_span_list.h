#pragma once

#include <poolscope/timeline/gallop.h>
#include <poolscope/timeline/lane_summary.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace poolscope::timeline {

/// The closed spans of one layer of one lane, in the order they closed, with a running sum of their
/// lengths. Within a lane a layer's spans do not overlap (one thread runs one task, waits for the
/// lock once at a time...), so they are sorted by start and by end alike: binary search finds the
/// first visible one, and the running sum tells how busy any stretch of time was without visiting
/// the spans in it; the LaneSummary says the same per bucket of time, so a zoomed-out fold reads one
/// number per pixel column. That is what lets the timeline fold a million tiny spans in O(pixels).
template <class Span> class TimelineSpanList {
public:
    TimelineSpanList() { m_busy.push_back(0); }

    void push(const Span& span)
    {
        m_spans.push_back(span);
        m_starts.push_back(span.start);
        m_ends.push_back(span.end);
        m_busy.push_back(m_busy.back() + std::max<std::int64_t>(0, span.end - span.start));
        m_summary.add(span.start, span.end);
    }
    void reserve(std::size_t n)
    {
        m_spans.reserve(n);
        m_starts.reserve(n);
        m_ends.reserve(n);
        m_busy.reserve(n + 1);
    }

    std::size_t size() const { return m_spans.size(); }
    bool empty() const { return m_spans.empty(); }
    const Span& operator[](std::size_t i) const { return m_spans[i]; }
    /// For the one in-place change TimelineData makes (never to start or end).
    Span& at(std::size_t i) { return m_spans[i]; }
    const std::vector<Span>& spans() const { return m_spans; }
    /// Span i's start and end from the dense time arrays: cheaper than touching the span in loops
    /// that only compare times.
    std::int64_t startOf(std::size_t i) const { return m_starts[i]; }
    std::int64_t endOf(std::size_t i) const { return m_ends[i]; }

    /// The index of the first span that ends at or after `time` (size() if none), searching [from, size()).
    std::size_t firstEndingAtOrAfter(std::int64_t time, std::size_t from = 0) const
    {
        return timeline::firstAtOrAfter(m_ends, time, from);
    }
    /// The index of the first span that starts at or after `time` (size() if none), searching [from, size()).
    std::size_t firstStartingAtOrAfter(std::int64_t time, std::size_t from = 0) const
    {
        return timeline::firstAtOrAfter(m_starts, time, from);
    }

    /// How much of [-inf, time) the spans cover, in ns. `hint` is an index at or before the first
    /// span starting at or after `time`; passing the previous answer's index makes a left-to-right
    /// sweep cost O(log distance) per call. Returns the covered time and updates `hint`.
    std::int64_t busyBefore(std::int64_t time, std::size_t& hint) const
    {
        const std::size_t k = firstStartingAtOrAfter(time, hint);
        hint = k;
        std::int64_t busy = m_busy[k];
        if (k > 0 && m_ends[k - 1] > time)
            busy -= m_ends[k - 1] - time; // the part of the last span that lies after `time`
        return busy;
    }

    /// Busy time per bucket, for shading a zoomed-out fold without searching the spans.
    const LaneSummary& summary() const { return m_summary; }

    /// Total length of spans [a, b).
    std::int64_t busyOf(std::size_t a, std::size_t b) const { return m_busy[b] - m_busy[a]; }

    friend bool operator==(const TimelineSpanList& a, const TimelineSpanList& b)
    {
        return a.m_spans == b.m_spans && a.m_busy == b.m_busy;
    }

private:
    std::vector<Span> m_spans;
    std::vector<std::int64_t> m_starts; // m_spans[i].start, for searching
    std::vector<std::int64_t> m_ends; // m_spans[i].end
    std::vector<std::int64_t> m_busy; // m_busy[i] = summed length of spans [0, i)
    LaneSummary m_summary; // derived from the spans: not compared
};

} // namespace poolscope::timeline
