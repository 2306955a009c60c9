#pragma once

#include <poolscope/timeline/timeline_types.h>

#include <cstdint>
#include <optional>

namespace poolscope::timeline {

class TimelineData;

/// What lies at a time on a lane: a task bar, a caller-lane mark or a span of another layer.
struct TimelineHit {
    enum class Kind {
        None,
        Task, ///< an attempt's bar (closed or running): ref says which
        Mark, ///< a caller-lane mark: an attempt that ended without running
        Span, ///< a span of another layer: spanKind, index (spanIndex == -1: the open one)
    };
    Kind kind = Kind::None;
    int row = -1;
    TimelineAttemptRef ref {}; ///< Task and Mark hits
    TimelineSpanKind spanKind = TimelineSpanKind::CallQueue; ///< Span hits
    std::int64_t spanIndex = -1; ///< Span hits: index into the layer, -1 for the open span

    bool isValid() const { return kind != Kind::None; }
    friend bool operator==(const TimelineHit&, const TimelineHit&) = default;
};

/// Which part of a lane's height a point is in: the bar (tasks, caller waits, spawns), the strip
/// under it (call queue, GIL), or both where they meet.
struct TimelineHitBands {
    bool bar = false;
    bool strip = false;
};

/// What is at `time` (ns) on `row`, searching ±`tolerance` ns so that spans narrower than a few
/// pixels stay clickable; the nearest wins. In the bar band tasks and caller marks come first, then
/// caller waits and spawns; in the strip band the GIL wait, the GIL hold, the call queue. Open spans
/// reach data.now().
TimelineHit hitTest(const TimelineData& data, int row, double time, double tolerance, TimelineHitBands bands);

/// The attempt a Task or Mark hit names, as Event::task_id and attempt.
std::optional<TimelineTaskKey> taskKeyOf(const TimelineData& data, const TimelineHit& hit);

} // namespace poolscope::timeline
