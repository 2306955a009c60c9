#pragma once

#include <poolscope/timeline/gallop.h>
#include <poolscope/timeline/lane_summary.h>
#include <poolscope/timeline/timeline_mapping.h>
#include <poolscope/timeline/timeline_span_list.h>
#include <poolscope/timeline/timeline_types.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

// The arithmetic of drawing a lane at any zoom: which spans get a bar of their own, which fold into
// shaded blocks, how busy each pixel column of a block is, and where the failure marks over a fold
// go. Pure functions over the model and a mapping; the plottable turns what they emit into pixels.
namespace poolscope::timeline {

/// Shades a folded block can take: a column's busy share rounds to one of 1..foldLevels.
inline constexpr int foldLevels = 8;

inline std::int64_t floorTime(double t)
{
    return static_cast<std::int64_t>(std::floor(t));
}

/// Walks the spans of one layer that overlap [t0, t1]: spans at least `minWidth` ns long go to
/// `bar(i)`, runs of shorter ones to `fold(i, j, start, end)` for spans [i, j) — Tracy's MinVisSize
/// folding. A fold takes every following span that is short and starts less than minWidth after the
/// fold's end, found by binary search, so each step covers at least minWidth.
template <class Span, class Bar, class Fold>
void sweepSpans(
    const TimelineSpanList<Span>& list, std::int64_t t0, std::int64_t t1, double minWidth, Bar&& bar, Fold&& fold)
{
    const std::size_t n = list.size();
    std::size_t i = list.firstEndingAtOrAfter(t0);
    while (i < n && list.startOf(i) <= t1) {
        const std::int64_t start = list.startOf(i);
        if (static_cast<double>(list.endOf(i) - start) >= minWidth) {
            bar(i);
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        std::int64_t foldEnd = list.endOf(i);
        while (foldEnd <= t1) {
            const std::size_t k = list.firstEndingAtOrAfter(foldEnd + static_cast<std::int64_t>(minWidth), j);
            if (k > j) {
                // All of [j, k) end within minWidth of the fold: they start after its end, so they are short.
                foldEnd = std::max(foldEnd, list.endOf(k - 1));
                j = k;
            }
            if (j >= n)
                break;
            const std::int64_t nextStart = list.startOf(j);
            const std::int64_t nextEnd = list.endOf(j);
            if (static_cast<double>(nextEnd - nextStart) < minWidth
                && static_cast<double>(nextStart - foldEnd) < minWidth) {
                foldEnd = std::max(foldEnd, nextEnd);
                ++j;
                continue;
            }
            break;
        }
        fold(i, j, start, foldEnd);
        i = j;
    }
}

/// The shade level (0 = nothing, 1..foldLevels) of a column `share` busy. Rounded, not ceiled: a
/// steady 50 % must not flicker between two shades from column to column.
inline int foldLevel(double share)
{
    return share <= 0 ? 0 : std::clamp(static_cast<int>(std::lround(share * foldLevels)), 1, foldLevels);
}

/// The pixel columns of a fold [from, to], each shaded by the share of it the spans cover, merged
/// into runs of equal shade: `output(x0, x1, level)` with level 1..foldLevels. Columns nothing
/// covers are skipped. Each column's shade is the busy share of a 3 px window around it: a period
/// shorter than the fold width (20 µs tasks at 31 µs a pixel) would otherwise alias into stripes.
///
/// The busy time before each column boundary comes from `summary` when its buckets are fine enough
/// for this zoom (O(1) a column, no search through the spans), else from the span list's running sums
/// (a search a column).
template <class Span, class Emit>
void foldColumns(const TimelineSpanList<Span>& list, const LaneSummary* summary, const TimelineMapping& map,
    std::int64_t from, std::int64_t to, double clipLeft, double clipRight, Emit&& output)
{
    const double px0 = std::max(std::floor(map.toPixel(static_cast<double>(from))), std::floor(clipLeft));
    double px1 = std::min(std::ceil(map.toPixel(static_cast<double>(to))), std::ceil(clipRight));
    if (px1 <= px0)
        px1 = px0 + 1;
    const double nsPerPixel = map.nsPerPixel();
    constexpr double window = 3;
    // Busy time before each column boundary px0 - 1 … px1 + 2.
    const auto columns = static_cast<std::size_t>(px1 - px0);
    thread_local std::vector<std::int64_t> before;
    before.resize(columns + 3);
    if (summary && summary->usableAt(nsPerPixel)) {
        for (std::size_t k = 0; k < before.size(); ++k)
            before[k] = summary->busyBefore(floorTime(map.toTime(px0 - 1 + static_cast<double>(k))));
    } else {
        std::size_t hint = list.firstStartingAtOrAfter(floorTime(map.toTime(px0 - 1)));
        for (std::size_t k = 0; k < before.size(); ++k)
            before[k] = list.busyBefore(floorTime(map.toTime(px0 - 1 + static_cast<double>(k))), hint);
    }
    int runLevel = 0;
    double runStart = px0;
    for (std::size_t c = 0; c < columns; ++c) {
        const double px = px0 + static_cast<double>(c);
        const int level = foldLevel(static_cast<double>(before[c + 3] - before[c]) / (window * nsPerPixel));
        if (level != runLevel) {
            if (runLevel > 0)
                output(runStart, px, runLevel);
            runStart = px;
            runLevel = level;
        }
    }
    if (runLevel > 0)
        output(runStart, px1, runLevel);
}

/// A layer drawn from its LaneSummary, for zoomed-out frames (summary.usableAt(nsPerPixel)): every
/// visible column is shaded from the summary in one pass (`shade(x0, x1, level)`, as foldColumns),
/// and only the spans at least `minWidth` ns long go to `bar(i)`, found through the buckets in which
/// such a span starts. Costs O(pixels + buckets) where sweepSpans() walks every fold in minWidth
/// steps (a search per step, a few thousand per lane); the bars come after the shading, over it.
template <class Span, class Bar, class Shade>
void drawFromSummary(const TimelineSpanList<Span>& list, const TimelineMapping& map, std::int64_t t0, std::int64_t t1,
    double minWidth, double clipLeft, double clipRight, Bar&& bar, Shade&& shade)
{
    const std::size_t first = list.firstEndingAtOrAfter(t0);
    if (first >= list.size() || list.startOf(first) > t1)
        return;
    const LaneSummary& summary = list.summary();
    foldColumns(list, &summary, map, list.startOf(first), std::min(t1, list.endOf(list.size() - 1)), clipLeft,
        clipRight, shade);
    auto barIfLong = [&](std::size_t i) {
        if (static_cast<double>(list.endOf(i) - list.startOf(i)) >= minWidth)
            bar(i);
    };
    barIfLong(first); // it may have started before t0, in a bucket the walk below does not visit
    summary.forEachLongStart(t0, t1, minWidth, [&](std::int64_t from, std::int64_t to) {
        const std::size_t end = list.firstStartingAtOrAfter(to, first + 1);
        for (std::size_t i = list.firstStartingAtOrAfter(from, first + 1); i < end; ++i)
            barIfLong(i);
    });
}

/// The failures, retries and cancellations of a lane too short for a bar of their own, as marks
/// over the folds: at most one per two pixels (an exponential search to the next pixel, never a
/// visit per span), neighbouring marks of one outcome merged. `output(x0, x1, outcome)` per merged
/// run; returns how many marks the runs hold.
template <class Emit>
int notableMarks(const std::vector<TimelineNotable>& notable, const TimelineMapping& map, std::int64_t t0,
    std::int64_t t1, double minWidth, Emit&& output)
{
    auto q = static_cast<std::size_t>(
        std::partition_point(notable.begin(), notable.end(), [&](const TimelineNotable& n) { return n.end < t0; })
        - notable.begin());
    double runStart = 0;
    double runEnd = -1e300;
    std::optional<TimelineOutcome> runOutcome;
    auto flush = [&] {
        if (runOutcome)
            output(runStart, runEnd, *runOutcome);
        runOutcome.reset();
    };
    int marks = 0;
    while (q < notable.size()) {
        const TimelineNotable& s = notable[q];
        if (s.start > t1)
            break;
        if (static_cast<double>(s.end - s.start) >= minWidth) {
            ++q;
            continue;
        }
        const double px = std::floor(map.toPixel(static_cast<double>(s.start)));
        if (runOutcome == s.outcome && px <= runEnd + 1) {
            runEnd = px + 2; // touches the run: extend it instead of starting another
        } else {
            flush();
            runStart = px;
            runEnd = px + 2;
            runOutcome = s.outcome;
        }
        ++marks;
        // The next mark at least two pixels on: exponential search from here, the next is usually near.
        const std::int64_t next = static_cast<std::int64_t>(std::ceil(map.toTime(px + 2)));
        q = gallop(q + 1, notable.size(), [&](std::size_t at) { return notable[at].start < next; });
    }
    flush();
    return marks;
}

/// The caller lane's marks (attempts that ended without running) in [t0, t1], at most one per three
/// pixels: `output(px, mark)` with px the mark's pixel column.
template <class Emit>
void callerMarks(
    const std::vector<TimelineMark>& marks, const TimelineMapping& map, std::int64_t t0, std::int64_t t1, Emit&& output)
{
    auto it = std::partition_point(marks.begin(), marks.end(), [&](const TimelineMark& m) { return m.time < t0; });
    while (it != marks.end() && it->time <= t1) {
        const double px = std::floor(map.toPixel(static_cast<double>(it->time)));
        output(px, *it);
        const std::int64_t next = static_cast<std::int64_t>(std::ceil(map.toTime(px + 3)));
        it = std::partition_point(it + 1, marks.end(), [&](const TimelineMark& m) { return m.time < next; });
    }
}

} // namespace poolscope::timeline
