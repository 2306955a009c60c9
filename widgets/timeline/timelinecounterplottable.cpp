#include "timeline/timelinecounterplottable.h"

#include "timeline/timelineplottable.h"
#include "timeline/timelinestyle.h"
#include <poolscope/timeline/timeline_data.h>
#include <poolscope/timeline/timeline_types.h>

#include <QPolygonF>

#include <algorithm>
#include <cmath>

namespace poolscope::widgets {

using namespace poolscope::timeline;

namespace {
// Per pixel column [px, px + 1): the largest value the counter takes there. Zoomed out, from the
// counter's bucket peaks (a peak may widen by a quarter column, never vanish); closer in, from its
// points, searched left to right.
template <class Emit>
void columns(const TimelineCounter& counter, const TimelineMapping& map, double left, double right, Emit&& output)
{
    if (counter.empty())
        return;
    auto timeAt = [&](double px) { return static_cast<std::int64_t>(std::floor(map.toTime(px))); };
    if (counter.summary().usableAt(map.toTime(left + 1) - map.toTime(left))) {
        for (double px = left; px < right; px += 1)
            output(px, counter.summary().peakIn(timeAt(px), timeAt(px + 1)));
        return;
    }
    std::size_t a = counter.firstAtOrAfter(timeAt(left));
    for (double px = left; px < right; px += 1) {
        const std::size_t b = counter.firstAtOrAfter(timeAt(px + 1), a);
        const int inEffect = a > 0 ? counter.value(a - 1) : 0;
        output(px, std::max(inEffect, counter.maxOf(a, b)));
        a = b;
    }
}
} // namespace

TimelineCounterPlottable::TimelineCounterPlottable(QCPAxis* keyAxis, QCPAxis* valueAxis)
    : TimelineTrackPlottable(keyAxis, valueAxis)
{
}

int TimelineCounterPlottable::peakIn(double from, double to) const
{
    if (!m_data)
        return 0;
    const auto a = static_cast<std::int64_t>(std::floor(from));
    const auto b = static_cast<std::int64_t>(std::ceil(to));
    return std::max(m_data->running().maxIn(a, b), m_data->queued().maxIn(a, b));
}

void TimelineCounterPlottable::draw(QCPPainter* painter)
{
    if (!m_data || !mKeyAxis || !mValueAxis)
        return;
    const TimelineMapping map = mapping();
    if (map.range() <= 0)
        return;
    const QRectF clip = clipRect();
    const double left = std::floor(clip.left());
    const double right = std::ceil(clip.right());
    // Nothing exists after "now": stop the track there instead of drawing the last value onward.
    const double nowPx = std::min(right, std::ceil(map.toPixel(static_cast<double>(drawnUntil()))));
    const double zero = mValueAxis->coordToPixel(0);

    painter->setRenderHint(QPainter::Antialiasing, false);
    QColor fill = TimelineStyle::counterRunningColor();
    fill.setAlphaF(0.35f);
    QPolygonF running;
    running.reserve(static_cast<qsizetype>(2 * (nowPx - left) + 2));
    // A step outline: points only where the value changes, so a flat stretch is one segment.
    auto stepTo = [](QPolygonF& line, double px, double y) {
        if (line.isEmpty()) {
            line << QPointF(px, y) << QPointF(px + 1, y);
            return;
        }
        if (line.last().y() == y) {
            line.last().setX(px + 1);
            return;
        }
        line << QPointF(px, line.last().y()) << QPointF(px, y) << QPointF(px + 1, y);
    };
    columns(m_data->running(), map, left, nowPx,
        [&](double px, int value) { stepTo(running, px, std::round(mValueAxis->coordToPixel(value))); });
    if (!running.isEmpty()) {
        QPolygonF area = running;
        area << QPointF(running.last().x(), zero) << QPointF(running.first().x(), zero);
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill);
        painter->drawPolygon(area);
        // One-pixel pens take the rasterizer's fast path; wider ones go through the (slow) stroker.
        painter->setPen(QPen(TimelineStyle::counterRunningColor(), 1));
        painter->setBrush(Qt::NoBrush);
        painter->drawPolyline(running);
    }
    QPolygonF queued;
    queued.reserve(static_cast<qsizetype>(2 * (nowPx - left) + 2));
    columns(m_data->queued(), map, left, nowPx,
        [&](double px, int value) { stepTo(queued, px, std::round(mValueAxis->coordToPixel(value))); });
    if (!queued.isEmpty()) {
        painter->setPen(QPen(TimelineStyle::counterQueuedColor(), 1));
        painter->drawPolyline(queued);
    }
}

QCPRange TimelineCounterPlottable::getValueRange(
    bool& foundRange, QCP::SignDomain inSignDomain, const QCPRange& inKeyRange) const
{
    Q_UNUSED(inSignDomain);
    Q_UNUSED(inKeyRange);
    foundRange = m_data != nullptr;
    const int peak = m_data ? std::max(m_data->running().maximum(), m_data->queued().maximum()) : 1;
    return QCPRange(0, std::max(1, peak));
}

void TimelineCounterPlottable::drawLegendIcon(QCPPainter* painter, const QRectF& rect) const
{
    TimelineStyle::drawSwatch(painter, rect, TimelineStyle::Swatch::CounterRunning);
}

} // namespace poolscope::widgets
