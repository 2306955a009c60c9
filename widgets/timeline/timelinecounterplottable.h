#pragma once

#include "timeline/timelinetrackplottable.h"

namespace poolscope::widgets {

/// The counter track under the lanes: tasks running (filled) and tasks queued (line) over time, as
/// step functions. Drawn per pixel column from each column's peak, found through the counters'
/// block maxima, so the cost depends on the width, not on the number of steps. Key axis in seconds,
/// shared with the lanes; value axis in tasks.
class TimelineCounterPlottable : public TimelineTrackPlottable {
    Q_OBJECT
public:
    TimelineCounterPlottable(QCPAxis* keyAxis, QCPAxis* valueAxis);

    /// The highest count in [from, to] ns, over both counters: what the value axis should show.
    int peakIn(double from, double to) const;

    QCPRange getValueRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
        const QCPRange& inKeyRange = QCPRange()) const override;

protected:
    void draw(QCPPainter* painter) override;
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override;
};

} // namespace poolscope::widgets
