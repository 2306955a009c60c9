#pragma once

#include "timeline/timelinestyle.h"

#include "timeline/timelineqcp.h"

namespace poolscope::widgets {

/// One legend entry of the timeline: a swatch drawn by TimelineStyle and its explanation. The lanes
/// are one plottable, so QCustomPlot's one-entry-per-plottable legend cannot explain its colours.
class TimelineLegendItem : public QCPAbstractLegendItem {
    Q_OBJECT
public:
    TimelineLegendItem(QCPLegend* parent, TimelineStyle::Swatch swatch, const QString& text);

    TimelineStyle::Swatch swatch() const { return m_swatch; }
    QString text() const { return m_text; }
    /// The ground the swatch is drawn on (dark theme, high contrast).
    void setScheme(TimelineStyle::Scheme scheme) { m_scheme = scheme; }

protected:
    void draw(QCPPainter* painter) override;
    QSize minimumOuterSizeHint() const override;

private:
    TimelineStyle::Swatch m_swatch;
    QString m_text;
    TimelineStyle::Scheme m_scheme;
};

} // namespace poolscope::widgets
