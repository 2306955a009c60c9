#include "timeline/timelinetrackplottable.h"

#include <poolscope/timeline/timeline_data.h>

#include <algorithm>

namespace poolscope::widgets {

using namespace poolscope::timeline;

TimelineTrackPlottable::TimelineTrackPlottable(QCPAxis* keyAxis, QCPAxis* valueAxis)
    : QCPAbstractPlottable(keyAxis, valueAxis)
{
    setSelectable(QCP::stNone);
}

std::int64_t TimelineTrackPlottable::drawnUntil() const
{
    const std::int64_t now = m_data ? m_data->now() : 0;
    return m_limit ? std::min(now, *m_limit) : now;
}

TimelineMapping TimelineTrackPlottable::mapping() const
{
    TimelineMapping map;
    if (!mKeyAxis)
        return map;
    const QCPRange range = mKeyAxis->range();
    map.start = range.lower * timelineNsPerKey;
    map.end = range.upper * timelineNsPerKey;
    const QRect rect = mKeyAxis->axisRect()->rect();
    map.left = rect.left();
    map.width = std::max(1, rect.width());
    // The data range only bounds zooming, which the viewport does; painting may show more than the
    // data (a longer run on the same axis), so it is the visible range here.
    map.setDataRange(map.start, map.end);
    return map;
}

double TimelineTrackPlottable::selectTest(const QPointF& pos, bool onlySelectable, QVariant* details) const
{
    Q_UNUSED(pos);
    Q_UNUSED(onlySelectable);
    Q_UNUSED(details);
    return -1;
}

QCPRange TimelineTrackPlottable::getKeyRange(bool& foundRange, QCP::SignDomain inSignDomain) const
{
    Q_UNUSED(inSignDomain);
    return timelineKeyRange(m_data, foundRange);
}

QCPRange timelineKeyRange(const TimelineData* data, bool& foundRange)
{
    foundRange = data && !data->isEmpty();
    if (!foundRange)
        return QCPRange(0, 1e-3);
    return QCPRange(
        static_cast<double>(data->begin()) / timelineNsPerKey, static_cast<double>(data->now()) / timelineNsPerKey);
}

} // namespace poolscope::widgets
