#pragma once

#include <poolscope/timeline/timeline_mapping.h>

#include <cstdint>
#include <optional>

#include "timeline/timelineqcp.h"

namespace poolscope::timeline {
class TimelineData;
} // namespace poolscope::timeline

namespace poolscope::widgets {

/// What the timeline's plottables (lanes, counter track) have in common: they read a TimelineData
/// they do not own, share its time span as their key range (seconds), map time to pixels from their
/// key axis, and are not selectable through QCustomPlot (the view does hit-testing itself).
class TimelineTrackPlottable : public QCPAbstractPlottable {
    Q_OBJECT
public:
    TimelineTrackPlottable(QCPAxis* keyAxis, QCPAxis* valueAxis);

    /// The data to draw, not owned; it must outlive the plottable or be unset first.
    virtual void setData(const timeline::TimelineData* data) { m_data = data; }
    const timeline::TimelineData* data() const { return m_data; }

    /// Draws the data as it stood at `ns` (the replay's playhead): nothing that began later, spans
    /// still open then drawn as running up to it. std::nullopt draws everything.
    void setTimeLimit(std::optional<std::int64_t> ns) { m_limit = ns; }
    std::optional<std::int64_t> timeLimit() const { return m_limit; }
    /// The data's "now", or the time limit when earlier: where drawing stops.
    std::int64_t drawnUntil() const;

    /// The x mapping the plottable paints with, from its key axis and axis rect.
    timeline::TimelineMapping mapping() const;

    double selectTest(const QPointF& pos, bool onlySelectable, QVariant* details = nullptr) const override;
    QCPRange getKeyRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth) const override;

protected:
    const timeline::TimelineData* m_data = nullptr;
    std::optional<std::int64_t> m_limit;
};

/// The time span of `data` in plot keys (seconds), shared by every plottable on the time axis;
/// foundRange is false while there is nothing to show.
QCPRange timelineKeyRange(const timeline::TimelineData* data, bool& foundRange);

} // namespace poolscope::widgets
