#include <poolscope/timeline/timeline_hit.h>

#include <poolscope/timeline/timeline_data.h>
#include <poolscope/timeline/timeline_fold.h>

#include <algorithm>
#include <cmath>

namespace poolscope::timeline {

namespace {
// Distance in ns from t to [start, end]; 0 inside.
double distance(double t, std::int64_t start, std::int64_t end)
{
    if (t < static_cast<double>(start))
        return static_cast<double>(start) - t;
    if (t > static_cast<double>(end))
        return t - static_cast<double>(end);
    return 0.0;
}

// The index of the span nearest to t within tol that is nearer than `best` (which it updates), or -1.
template <class Span> std::int64_t nearestSpan(const TimelineSpanList<Span>& list, double t, double tol, double& best)
{
    std::int64_t found = -1;
    for (std::size_t i = list.firstEndingAtOrAfter(floorTime(t - tol));
         i < list.size() && static_cast<double>(list.startOf(i)) <= t + tol; ++i) {
        const double d = distance(t, list.startOf(i), list.endOf(i));
        if (d <= tol && d < best) {
            best = d;
            found = static_cast<std::int64_t>(i);
        }
        if (d == 0)
            break;
    }
    return found;
}

bool layerHit(
    const TimelineData& data, const TimelineLane& lane, TimelineSpanKind kind, double t, double tol, TimelineHit& hit)
{
    const auto k = static_cast<std::size_t>(kind);
    double best = tol + 1;
    std::int64_t index = -2;
    if (lane.openValid[k] && distance(t, lane.open[k].start, std::max(data.now(), lane.open[k].start)) <= tol)
        index = -1;
    else if (const std::int64_t i = nearestSpan(lane.layers[k], t, tol, best); i >= 0)
        index = i;
    if (index == -2)
        return false;
    hit.kind = TimelineHit::Kind::Span;
    hit.spanKind = kind;
    hit.spanIndex = index;
    return true;
}
} // namespace

TimelineHit hitTest(const TimelineData& data, int row, double t, double tol, TimelineHitBands bands)
{
    TimelineHit hit;
    if (row < 0 || row >= data.rowCount())
        return hit;
    const TimelineLane& lane = data.lanes()[static_cast<std::size_t>(row)];
    hit.row = row;
    if (bands.bar) {
        double best = tol + 1;
        if (lane.openTaskValid) {
            const double d = distance(t, lane.openTask.start, std::max(data.now(), lane.openTask.start));
            if (d <= tol) {
                best = d;
                hit.kind = TimelineHit::Kind::Task;
                hit.ref = TimelineAttemptRef { TimelineAttemptRef::Where::Open, row, 0 };
            }
        }
        if (const std::int64_t i = nearestSpan(lane.tasks, t, tol, best); i >= 0) {
            hit.kind = TimelineHit::Kind::Task;
            hit.ref = TimelineAttemptRef { TimelineAttemptRef::Where::Span, row, static_cast<std::uint32_t>(i) };
        }
        if (row == 0) {
            const auto& marks = lane.marks;
            auto it = std::partition_point(marks.begin(), marks.end(),
                [&](const TimelineMark& m) { return static_cast<double>(m.time) < t - tol; });
            for (; it != marks.end() && static_cast<double>(it->time) <= t + tol; ++it) {
                const double d = std::abs(static_cast<double>(it->time) - t);
                if (d < best) {
                    best = d;
                    hit.kind = TimelineHit::Kind::Mark;
                    hit.ref = TimelineAttemptRef { TimelineAttemptRef::Where::Mark, 0,
                        static_cast<std::uint32_t>(it - marks.begin()) };
                }
            }
        }
        if (hit.isValid())
            return hit;
        if (layerHit(data, lane, TimelineSpanKind::Callback, t, tol, hit)
            || layerHit(data, lane, TimelineSpanKind::CallerBlocked, t, tol, hit)
            || layerHit(data, lane, TimelineSpanKind::Spawn, t, tol, hit))
            return hit;
    }
    if (bands.strip
        && (layerHit(data, lane, TimelineSpanKind::GilWait, t, tol, hit)
            || layerHit(data, lane, TimelineSpanKind::GilHeld, t, tol, hit)
            || layerHit(data, lane, TimelineSpanKind::CallQueue, t, tol, hit)))
        return hit;
    return TimelineHit {};
}

std::optional<TimelineTaskKey> taskKeyOf(const TimelineData& data, const TimelineHit& hit)
{
    if (hit.kind == TimelineHit::Kind::Task) {
        const TimelineTaskSpan* span = data.taskSpan(hit.ref);
        if (!span)
            return std::nullopt;
        return TimelineTaskKey { data.tasks()[span->task].id, span->attempt };
    }
    if (hit.kind == TimelineHit::Kind::Mark) {
        const TimelineMark& mark = data.lanes()[0].marks[hit.ref.index];
        return TimelineTaskKey { data.tasks()[mark.task].id, mark.attempt };
    }
    return std::nullopt;
}

} // namespace poolscope::timeline
