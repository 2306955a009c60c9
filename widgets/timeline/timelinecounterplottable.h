#pragma once

#include "timeline/timelinemapping.h"

#include "timeline/timelineqcp.h"

namespace poolscope::widgets {

class TimelineData;

/// The counter track under the lanes: tasks running (filled) and tasks queued (line) over time, as
/// step functions. Drawn per pixel column from each column's peak, found through the counters'
/// block maxima, so the cost depends on the width, not on the number of steps. Key axis in seconds,
/// shared with the lanes; value axis in tasks.
class TimelineCounterPlottable : public QCPAbstractPlottable {
    Q_OBJECT
public:
    TimelineCounterPlottable(QCPAxis* keyAxis, QCPAxis* valueAxis);

    void setData(const TimelineData* data) { m_data = data; }
    const TimelineData* data() const { return m_data; }

    /// The highest count in [from, to] ns, over both counters: what the value axis should show.
    int peakIn(double from, double to) const;

    double selectTest(const QPointF& pos, bool onlySelectable, QVariant* details = nullptr) const override;
    QCPRange getKeyRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth) const override;
    QCPRange getValueRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
        const QCPRange& inKeyRange = QCPRange()) const override;

protected:
    void draw(QCPPainter* painter) override;
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override;

private:
    const TimelineData* m_data = nullptr;
};

} // namespace poolscope::widgets
