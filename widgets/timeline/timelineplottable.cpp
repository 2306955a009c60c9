#include "timeline/timelineplottable.h"
#include "common/toqstring.h"

#include <poolscope/timeline/display_text.h>
#include <poolscope/timeline/timeline_data.h>
#include <poolscope/timeline/timeline_fold.h>

#include <QFontMetricsF>
#include <QStaticText>

#include <algorithm>
#include <limits>
#include <cmath>

namespace poolscope::widgets {

using namespace poolscope::timeline;

namespace {
constexpr double hitTolerance = 3.0; // px: tiny spans stay clickable

// Whole-pixel rectangles: QPainter fills those on its fastest path, and boxes should not blur.
QRect pixelRect(const QRectF& r)
{
    const int left = static_cast<int>(std::lround(r.left()));
    const int top = static_cast<int>(std::lround(r.top()));
    const int right = static_cast<int>(std::lround(r.right()));
    const int bottom = static_cast<int>(std::lround(r.bottom()));
    return QRect(left, top, std::max(1, right - left), std::max(1, bottom - top));
}

QColor layerFoldColor(TimelineSpanKind kind, double share)
{
    const QColor c = TimelineStyle::spanColor(kind);
    const double t = 0.3 + 0.7 * share;
    return QColor::fromRgbF(static_cast<float>(1 - (1 - c.redF()) * t), static_cast<float>(1 - (1 - c.greenF()) * t),
        static_cast<float>(1 - (1 - c.blueF()) * t));
}
// Bars for the spans at least minWidth ns long, shaded folds for the rest, over [t0, t1] and the
// columns [left, right]: from the lane summary when it is fine enough for this zoom (O(pixels)),
// else by walking the folds (zoomed in, where there are few).
template <class Span, class Bar, class Shade>
void drawSpans(const TimelineSpanList<Span>& list, const TimelineMapping& map, std::int64_t t0, std::int64_t t1,
    double minWidth, double left, double right, Bar&& bar, Shade&& shade)
{
    if (list.summary().usableAt(map.nsPerPixel())) {
        drawFromSummary(list, map, t0, t1, minWidth, left, right, bar, shade);
        return;
    }
    sweepSpans(list, t0, t1, minWidth, bar, [&](std::size_t, std::size_t, std::int64_t from, std::int64_t to) {
        foldColumns(list, &list.summary(), map, from, to, left, right, shade);
    });
}

} // namespace

struct TimelinePlottable::Frame {
    TimelineMapping map;
    QRectF clip;
    std::int64_t t0 = 0; // visible time range, widened by a pixel on each side
    std::int64_t t1 = 0;
    double minWidth = 0; // ns: spans shorter than this fold
    std::int64_t now = 0; // where drawing stops: the data's now, or the time limit
    double right = 0; // the last column drawn: the clip's right edge, or the time limit's pixel
    QFontMetricsF metrics { QFont() };
};

TimelinePlottable::TimelinePlottable(QCPAxis* keyAxis, QCPAxis* valueAxis)
    : TimelineTrackPlottable(keyAxis, valueAxis)
{
    setAntialiasedFill(false);
    m_labelFont = QFont();
    m_labelFont.setPointSizeF(8.5);
}

void TimelinePlottable::setData(const TimelineData* data)
{
    m_data = data;
    m_selected.reset();
    m_eventMarks.clear();
}

int TimelinePlottable::rowAt(double y) const
{
    if (!m_data || !mValueAxis)
        return -1;
    const double coord = mValueAxis->pixelToCoord(y);
    if (coord < 0 || coord >= m_data->rowCount())
        return -1;
    return static_cast<int>(std::floor(coord));
}

QRectF TimelinePlottable::rowRect(int row) const
{
    if (!mValueAxis || !mKeyAxis)
        return {};
    const double a = mValueAxis->coordToPixel(row);
    const double b = mValueAxis->coordToPixel(row + 1);
    const QRect rect = mKeyAxis->axisRect()->rect();
    return QRectF(rect.left(), std::min(a, b), rect.width(), std::abs(b - a));
}

void TimelinePlottable::draw(QCPPainter* painter)
{
    m_stats = {};
    if (!m_data || !mKeyAxis || !mValueAxis)
        return;
    Frame frame;
    frame.map = mapping();
    frame.clip = clipRect();
    if (frame.map.range() <= 0 || frame.clip.isEmpty())
        return;
    frame.t0 = floorTime(frame.map.toTime(frame.clip.left() - 1));
    frame.t1 = static_cast<std::int64_t>(std::ceil(frame.map.toTime(frame.clip.right() + 1)));
    frame.minWidth = m_minimumSpanWidth * frame.map.nsPerPixel();
    frame.now = drawnUntil();
    if (m_limit) {
        // The replay's playhead: nothing after it exists yet.
        frame.t1 = std::min(frame.t1, *m_limit);
        frame.right = std::min(frame.clip.right(), std::ceil(frame.map.toPixel(static_cast<double>(*m_limit))));
    } else {
        frame.right = frame.clip.right();
    }
    painter->setFont(m_labelFont);
    frame.metrics = QFontMetricsF(m_labelFont, painter->device());
    m_textHeight = frame.metrics.height();
    m_narrowest = frame.metrics.horizontalAdvance(QLatin1Char('.')) * 0.9;

    // We only draw straight boxes and lines: antialiasing would cost time and blur the edges.
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(Qt::NoPen);
    for (int row = 0; row < m_data->rowCount(); ++row) {
        const QRectF r = rowRect(row);
        if (r.bottom() < frame.clip.top() || r.top() > frame.clip.bottom())
            continue;
        drawLane(painter, frame, row);
    }
    drawRetryLinks(painter, frame);
    drawDeadlines(painter, frame);
    drawSelection(painter, frame);
    drawEventMarks(painter, frame);
}

void TimelinePlottable::drawDeadlines(QCPPainter* painter, const Frame& frame)
{
    const std::vector<std::int64_t>& deadlines = m_data->deadlines();
    if (deadlines.empty())
        return;
    const QRect rect = mKeyAxis->axisRect()->rect();
    const QColor color = TimelineStyle::deadlineColor(m_scheme);
    for (const std::int64_t t : deadlines) {
        if (t < frame.t0 || t > frame.t1)
            continue;
        const double x = std::round(frame.map.toPixel(static_cast<double>(t)));
        if (x < frame.clip.left() || x > frame.right)
            continue;
        // Across every lane: what was not done by then is what raises TimeoutError.
        painter->setPen(QPen(color, 2, Qt::DashLine));
        painter->drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()));
        const QString text = QStringLiteral("deadline");
        const double width = frame.metrics.horizontalAdvance(text) + 6;
        // At the foot of the lanes, so that the caller lane's labels stay readable.
        const QRectF box(x + 3, rect.bottom() - frame.metrics.height() - 3, width, frame.metrics.height() + 2);
        QColor plate = TimelineStyle::plotBackground(m_scheme);
        plate.setAlpha(220);
        painter->fillRect(box, plate);
        painter->setPen(color);
        painter->drawText(box, Qt::AlignCenter, text);
        ++m_stats.marks;
    }
    painter->setPen(Qt::NoPen);
}

void TimelinePlottable::drawEventMarks(QCPPainter* painter, const Frame& frame)
{
    if (m_eventMarks.empty())
        return;
    painter->setRenderHint(QPainter::Antialiasing, true);
    const QColor fill = TimelineStyle::eventMarkColor();
    painter->setPen(QPen(fill.darker(160), 1));
    painter->setBrush(fill);
    // The marks come in time order (a run's events): only those in view, and one per pixel column
    // of a lane, however many events of a line share it (a submit() line of 100,000 tasks).
    const auto first = std::partition_point(
        m_eventMarks.begin(), m_eventMarks.end(), [&](const EventMark& m) { return m.time < frame.t0; });
    std::vector<long> lastColumn(static_cast<std::size_t>(m_data->rowCount()), std::numeric_limits<long>::min());
    for (auto it = first; it != m_eventMarks.end() && it->time <= frame.t1; ++it) {
        const EventMark& mark = *it;
        if (mark.row < 0 || mark.row >= m_data->rowCount())
            continue;
        const double x = frame.map.toPixel(static_cast<double>(mark.time));
        if (x < frame.clip.left() - 5 || x > frame.right + 5)
            continue;
        long& last = lastColumn[static_cast<std::size_t>(mark.row)];
        if (std::lround(x) == last)
            continue;
        last = std::lround(x);
        const QRectF row = rowRect(mark.row);
        const TimelineStyle::RowGeometry g = TimelineStyle::rowGeometry(row.top(), row.bottom());
        // A pin: a stem through the bar and a head above it, pointing at the moment.
        painter->drawLine(QPointF(x, g.barTop - 1), QPointF(x, g.barBottom + 1));
        const double head = std::max(4.0, (g.barBottom - g.barTop) * 0.35);
        const QPointF triangle[3] = { { x - head, g.barTop - head - 1 }, { x + head, g.barTop - head - 1 }, { x, g.barTop + 1 } };
        painter->drawPolygon(triangle, 3);
        ++m_stats.eventMarks;
    }
    painter->setBrush(Qt::NoBrush);
    painter->setPen(Qt::NoPen);
    painter->setRenderHint(QPainter::Antialiasing, false);
}

void TimelinePlottable::drawLane(QCPPainter* painter, const Frame& frame, int row)
{
    const QRectF r = rowRect(row);
    const TimelineStyle::RowGeometry g = TimelineStyle::rowGeometry(r.top(), r.bottom());
    painter->fillRect(pixelRect(QRectF(frame.clip.left(), r.top(), frame.clip.width(), r.height())),
        TimelineStyle::laneBackground(row, m_scheme));

    drawLayer(painter, frame, row, TimelineSpanKind::Spawn, g.barTop, g.barBottom);
    drawLayer(painter, frame, row, TimelineSpanKind::CallerBlocked, g.barTop, g.barBottom);
    drawTasks(painter, frame, row, g);
    // Over the bars: a callback runs right where its task ended, and is over in microseconds.
    drawLayer(painter, frame, row, TimelineSpanKind::Callback, g.barTop, g.barBottom);
    drawLayer(painter, frame, row, TimelineSpanKind::CallQueue, g.stripTop, g.stripBottom);
    drawLayer(painter, frame, row, TimelineSpanKind::GilWait, g.stripTop, g.stripBottom);
    drawLayer(painter, frame, row, TimelineSpanKind::GilHeld, g.stripTop, g.stripBottom);
    if (row == 0)
        drawCallerMarks(painter, frame, g);
}

QString TimelinePlottable::taskLabel(std::uint32_t task, int attempt, int detail) const
{
    const TimelineTask& t = m_data->tasks()[task];
    QString text = QLatin1Char('#') + QString::number(t.id);
    if (detail >= 1 && t.label != noText)
        text += QLatin1Char(' ') + QString::fromStdString(rounded_for_display(m_data->text(t.label)));
    if (detail >= 2 && attempt > 0)
        text += QStringLiteral(" · attempt ") + QString::number(attempt + 1);
    return text;
}

const TimelinePlottable::CachedText& TimelinePlottable::cachedText(const QString& text)
{
    // Shaping a label costs more than drawing it: keep the laid-out text of recent labels. The set
    // of labels on screen changes slowly (pan, live growth), so almost every lookup hits.
    if (m_textCache.size() > 20000)
        m_textCache.clear();
    auto it = m_textCache.find(text);
    if (it == m_textCache.end()) {
        QStaticText staticText(text);
        staticText.setTextFormat(Qt::PlainText);
        staticText.setPerformanceHint(QStaticText::AggressiveCaching);
        staticText.prepare(QTransform(), m_labelFont);
        const QSizeF size = staticText.size();
        it = m_textCache.insert(text, CachedText { staticText, size.width(), size.height() });
    }
    return *it;
}

void TimelinePlottable::drawBarLabel(QCPPainter* painter, const QRectF& bar, QColor fill, const QString& full,
    const QString& shorter, const QString& shortest)
{
    if (bar.height() < m_textHeight - 3)
        return;
    // Only the part of the bar on screen counts: a bar wider than the view keeps its label visible.
    const QRectF visible = bar.intersected(clipRect());
    const double room = visible.width() - 6;
    const CachedText* chosen = nullptr;
    for (const QString* candidate : { &full, &shorter, &shortest }) {
        // No glyph is narrower than m_narrowest: most candidates are rejected without shaping them.
        if (candidate->isEmpty() || candidate->size() * m_narrowest > room)
            continue;
        const CachedText& text = cachedText(*candidate);
        if (text.width <= room) {
            chosen = &text;
            break;
        }
    }
    if (!chosen)
        return;
    const QPointF topLeft(visible.left() + 3, visible.center().y() - chosen->height / 2);
    if (fill.alpha() == 0) {
        // On hatching: a light plate under the text keeps it readable.
        painter->fillRect(
            QRectF(topLeft.x() - 2, topLeft.y(), chosen->width + 4, chosen->height), QColor(255, 255, 255, 215));
        fill = Qt::white;
    }
    painter->setPen(TimelineStyle::textOn(fill));
    painter->drawStaticText(topLeft, chosen->text);
    painter->setPen(Qt::NoPen);
    ++m_stats.labels;
}

void TimelinePlottable::drawTasks(QCPPainter* painter, const Frame& frame, int row, const TimelineStyle::RowGeometry& g)
{
    const TimelineLane& lane = m_data->lanes()[static_cast<std::size_t>(row)];
    const auto& list = lane.tasks;
    const TimelineMapping& map = frame.map;
    const double left = frame.clip.left() - 2;
    const double right = frame.clip.right() + 2;
    const double barHeight = g.barBottom - g.barTop;
    const double labelWidth = 28;

    // Queue waits first, under the bars: they show where a lane sat idle while work was queued.
    // Only when few spans are visible; zoomed far out they would be a solid line saying nothing.
    const std::size_t firstVisible = list.firstEndingAtOrAfter(frame.t0);
    const std::size_t lastVisible = list.firstStartingAtOrAfter(frame.t1 + 1, firstVisible);
    if (lastVisible - firstVisible <= 400) {
        const QColor grey = TimelineStyle::queueWaitColor();
        const double y = std::round(g.centre());
        auto leadIn = [&](const TimelineTaskSpan& s) {
            if (s.queued >= s.start || (m_limit && s.queued > *m_limit))
                return;
            // At the playhead a task not started yet is still waiting: its lead-in reaches it.
            const double x1 = map.toPixel(static_cast<double>(m_limit ? std::min(s.start, *m_limit) : s.start));
            const double x0 = map.toPixel(static_cast<double>(s.queued));
            if (x1 - x0 < 2 || x1 < left)
                return;
            const double a = std::round(std::max(x0, left));
            painter->fillRect(pixelRect(QRectF(a, y, std::round(std::min(x1, right)) - a, 1)), grey);
            if (x0 >= left)
                painter->fillRect(pixelRect(QRectF(a, y - 3, 1, 7)), grey);
        };
        for (std::size_t i = firstVisible; i < lastVisible; ++i) {
            const TimelineTaskSpan& s = list[i];
            if (static_cast<double>(s.end - s.start) >= frame.minWidth)
                leadIn(s);
        }
        if (lane.openTaskValid)
            leadIn(lane.openTask);
    }

    auto bar = [&](std::size_t i) {
        const TimelineTaskSpan& s = list[i];
        if (m_limit && s.start > *m_limit)
            return;
        // Still running at the playhead: drawn as running, up to it.
        const bool cut = m_limit && s.end > *m_limit;
        const double x0 = std::max(map.toPixel(static_cast<double>(s.start)), left);
        const double x1 = std::min(map.toPixel(static_cast<double>(cut ? *m_limit : s.end)), right);
        const double a = std::round(x0);
        const double w = std::max(1.0, std::round(x1) - a);
        // A one-pixel gap on the right keeps back-to-back bars apart.
        const QRectF rect(a, g.barTop, w > 4 ? w - 1 : w, barHeight);
        const QColor color = TimelineStyle::outcomeColor(cut ? TimelineOutcome::Running : s.outcome);
        painter->fillRect(pixelRect(rect), color);
        ++m_stats.bars;
        if (w >= labelWidth)
            drawBarLabel(painter, rect, color, taskLabel(s.task, s.attempt, 2), taskLabel(s.task, s.attempt, 1),
                taskLabel(s.task, s.attempt, 0));
    };
    auto shade = [&](double x0, double x1, int level) {
        painter->fillRect(pixelRect(QRectF(x0, g.barTop, x1 - x0, barHeight)),
            TimelineStyle::foldColor(static_cast<double>(level) / foldLevels));
        ++m_stats.foldRuns;
    };
    drawSpans(list, map, frame.t0, frame.t1, frame.minWidth, frame.clip.left(), frame.right, bar, shade);

    // Failures, retries and cancellations too short for a bar of their own: marks over the folds.
    m_stats.marks += notableMarks(
        lane.notable, map, frame.t0, frame.t1, frame.minWidth, [&](double x0, double x1, TimelineOutcome outcome) {
            painter->fillRect(
                pixelRect(QRectF(x0, g.barTop, x1 - x0, barHeight)), TimelineStyle::outcomeColor(outcome));
        });

    if (lane.openTaskValid) {
        const TimelineTaskSpan& s = lane.openTask;
        const std::int64_t end = std::max(frame.now, s.start);
        if (end >= frame.t0 && s.start <= frame.t1) {
            const double x0 = std::round(std::max(map.toPixel(static_cast<double>(s.start)), left));
            const double x1 = std::round(std::min(map.toPixel(static_cast<double>(end)), right));
            const QRectF rect(x0, g.barTop, std::max(2.0, x1 - x0), barHeight);
            const QColor color = TimelineStyle::outcomeColor(TimelineOutcome::Running);
            painter->fillRect(pixelRect(rect), color);
            ++m_stats.bars;
            if (rect.width() >= labelWidth)
                drawBarLabel(painter, rect, color, taskLabel(s.task, s.attempt, 2), taskLabel(s.task, s.attempt, 1),
                    taskLabel(s.task, s.attempt, 0));
        }
    }
}

void TimelinePlottable::drawLayer(
    QCPPainter* painter, const Frame& frame, int row, TimelineSpanKind kind, double top, double bottom)
{
    const TimelineLane& lane = m_data->lanes()[static_cast<std::size_t>(row)];
    const auto& list = lane.layer(kind);
    const auto k = static_cast<std::size_t>(kind);
    if (list.empty() && !lane.openValid[k])
        return;
    const TimelineMapping& map = frame.map;
    const double left = frame.clip.left() - 2;
    const double right = frame.clip.right() + 2;
    const QColor color = TimelineStyle::spanColor(kind);
    const bool hatched = TimelineStyle::isHatched(kind);
    const bool cross = kind == TimelineSpanKind::Spawn;
    auto fill = [&](const QRectF& rect, const QColor& c) {
        if (hatched) {
            TimelineStyle::fillHatched(painter, rect, c, cross);
            painter->setPen(Qt::NoPen);
        } else {
            painter->fillRect(pixelRect(rect), c);
        }
    };

    auto paint = [&](const TimelineSpan& s, std::int64_t end, bool open) {
        if (m_limit && s.start > *m_limit)
            return;
        if (m_limit && end > *m_limit) {
            end = *m_limit;
            open = true;
        }
        const double x0 = std::round(std::max(map.toPixel(static_cast<double>(s.start)), left));
        const double x1 = std::round(std::min(map.toPixel(static_cast<double>(end)), right));
        // A done-callback takes microseconds: it gets a nub wide enough to see.
        const double least = kind == TimelineSpanKind::Callback ? 5.0 : open ? 2.0 : 1.0;
        const QRectF rect(x0, top, std::max(least, x1 - x0), bottom - top);
        fill(rect, color);
        if (kind == TimelineSpanKind::Callback) {
            painter->setPen(QPen(color.darker(250), 1));
            painter->drawRect(rect.adjusted(0, 0, -1, -1));
            painter->setPen(Qt::NoPen);
        }
        ++m_stats.bars;
        if (kind == TimelineSpanKind::CallerBlocked && s.text != noText && rect.width() >= 28)
            drawBarLabel(painter, rect, color, toQString(m_data->text(s.text)), QString(), QString());
        if (kind == TimelineSpanKind::Spawn && rect.width() >= 28)
            drawBarLabel(painter, rect, QColor(Qt::transparent), QStringLiteral("starting process"),
                QStringLiteral("starting"), QString());
    };
    drawSpans(
        list, map, frame.t0, frame.t1, frame.minWidth, frame.clip.left(), frame.right,
        [&](std::size_t i) { paint(list[i], list[i].end, false); },
        [&](double x0, double x1, int level) {
            if (kind == TimelineSpanKind::Callback) {
                // Callbacks folded together are still callbacks: the same outlined nub, not a shade.
                const QRectF nub(x0, top, std::max(5.0, x1 - x0), bottom - top);
                fill(nub, color);
                painter->setPen(QPen(color.darker(250), 1));
                painter->drawRect(nub.adjusted(0, 0, -1, -1));
                painter->setPen(Qt::NoPen);
            } else {
                fill(QRectF(x0, top, x1 - x0, bottom - top), layerFoldColor(kind, static_cast<double>(level) / foldLevels));
            }
            ++m_stats.foldRuns;
        });
    if (lane.openValid[k]) {
        const TimelineSpan& s = lane.open[k];
        const std::int64_t end = std::max(frame.now, s.start);
        if (end >= frame.t0 && s.start <= frame.t1)
            paint(s, end, true);
    }
}

void TimelinePlottable::drawCallerMarks(QCPPainter* painter, const Frame& frame, const TimelineStyle::RowGeometry& g)
{
    const double height = g.barBottom - g.barTop;
    callerMarks(m_data->lanes()[0].marks, frame.map, frame.t0, frame.t1, [&](double px, const TimelineMark& mark) {
        // A tick through the bar area with a cap, so it reads as "ended here" even over a blocked span.
        const QColor color = TimelineStyle::outcomeColor(mark.outcome);
        painter->fillRect(pixelRect(QRectF(px - 1, g.barTop + height * 0.25, 3, height * 0.75)), color);
        painter->fillRect(pixelRect(QRectF(px - 3, g.barTop + height * 0.25, 7, 2)), color);
        ++m_stats.marks;
    });
}

void TimelinePlottable::drawRetryLinks(QCPPainter* painter, const Frame& frame)
{
    const auto& links = m_data->retryLinks();
    if (links.empty())
        return;
    const TimelineMapping& map = frame.map;
    const double lo = frame.clip.left() - 20;
    const double hi = frame.clip.right() + 20;

    // Which links to draw: long enough to see, and at most one arriving per 16 px of a lane, so a
    // zoomed-out run with thousands of retries costs a few hundred lines, not thousands.
    struct Segment {
        QPointF a;
        QPointF b;
        double x0;
        double x1;
        std::uint32_t text;
        std::int32_t fromRow;
        int copies = 1; // links drawn on the very same pixels (tasks retried in step)
    };
    std::vector<Segment> segments;
    std::vector<double> lastArrival(static_cast<std::size_t>(m_data->rowCount()), -1e300);
    std::vector<int> lastSegment(static_cast<std::size_t>(m_data->rowCount()), -1); // index in segments
    auto it = std::partition_point(
        links.begin(), links.end(), [&](const TimelineRetryLink& l) { return l.toTime < frame.t0; });
    for (; it != links.end() && it->toTime - m_data->longestRetryLink() <= frame.t1; ++it) {
        if (it->fromTime > frame.t1 || (m_limit && it->toTime > *m_limit))
            continue;
        const double x0 = map.toPixel(static_cast<double>(it->fromTime));
        const double x1 = map.toPixel(static_cast<double>(it->toTime));
        if (x1 - x0 < 6)
            continue; // invisible at this zoom: the bars touch
        double& last = lastArrival[static_cast<std::size_t>(it->toRow)];
        if (x1 < last + 16) {
            // Tasks retried in step draw the very same arrow: the one kept counts them in its label.
            const int kept = lastSegment[static_cast<std::size_t>(it->toRow)];
            Segment* twin = kept >= 0 ? &segments[static_cast<std::size_t>(kept)] : nullptr;
            if (twin && twin->text == it->text && std::abs(twin->x0 - x0) < 1 && std::abs(twin->x1 - x1) < 1
                && twin->fromRow == it->fromRow)
                ++twin->copies;
            continue;
        }
        last = x1;
        const QRectF fromRow = rowRect(it->fromRow);
        const QRectF toRow = rowRect(it->toRow);
        const double y0 = TimelineStyle::rowGeometry(fromRow.top(), fromRow.bottom()).centre();
        const double y1 = TimelineStyle::rowGeometry(toRow.top(), toRow.bottom()).centre();
        // Clip the line to the view ourselves: deep zooms put its ends millions of pixels away.
        auto yAt = [&](double x) { return y0 + (y1 - y0) * (x - x0) / (x1 - x0); };
        const double cx0 = std::clamp(x0, lo, hi);
        const double cx1 = std::clamp(x1, lo, hi);
        lastSegment[static_cast<std::size_t>(it->toRow)] = static_cast<int>(segments.size());
        segments.push_back(Segment { QPointF(cx0, yAt(cx0)), QPointF(cx1, yAt(cx1)), x0, x1, it->text, it->fromRow });
    }
    m_stats.links = static_cast<int>(segments.size());
    if (segments.empty())
        return;

    const QColor color = TimelineStyle::retryLinkColor();
    if (segments.size() > 150) {
        // Dense: thin faint solid lines (the rasterizer's fast path); dashes and arrows would be noise.
        QColor faint = color;
        faint.setAlphaF(0.45f);
        painter->setPen(QPen(faint, 1));
        for (const Segment& s : segments)
            painter->drawLine(s.a, s.b);
        painter->setPen(Qt::NoPen);
        return;
    }
    painter->setRenderHint(QPainter::Antialiasing, true);
    const QPen dashed(color, 1.5, Qt::DashLine);
    const QPen solid(color, 1.5);
    const QFontMetricsF fm(painter->font(), painter->device());
    painter->setBrush(Qt::NoBrush);
    for (const Segment& s : segments) {
        painter->setPen(dashed);
        painter->drawLine(s.a, s.b);
        if (s.x1 <= hi) {
            // An arrow head at the next attempt's start.
            const QPointF d = s.b - s.a;
            const double length = std::hypot(d.x(), d.y());
            const QPointF u = length > 0 ? d / length : QPointF(1, 0);
            const QPointF n(-u.y(), u.x());
            painter->setPen(solid);
            painter->drawLine(s.b, s.b - 7 * u + 3.5 * n);
            painter->drawLine(s.b, s.b - 7 * u - 3.5 * n);
        }
    }
    // The labels after every line, each on a plate of the lane's ground, never over another label:
    // above the line's middle, else below it, else left out (the tooltip still tells).
    std::vector<QRectF> placed;
    const QRect area = mKeyAxis->axisRect()->rect();
    QColor plate = TimelineStyle::plotBackground(m_scheme);
    plate.setAlpha(225);
    for (const Segment& s : segments) {
        if (s.text == noText)
            continue;
        QString text = toQString(m_data->text(s.text));
        if (s.copies > 1)
            text += QStringLiteral(" ×") + QString::number(s.copies);
        const double textWidth = fm.horizontalAdvance(text) + 6;
        if (textWidth + 10 >= s.b.x() - s.a.x())
            continue;
        const QPointF middle = (s.a + s.b) / 2;
        for (const double dy : { -fm.height() - 3, 3.0 }) {
            const QRectF box(middle.x() - textWidth / 2, middle.y() + dy, textWidth, fm.height());
            if (!area.contains(box.toAlignedRect()))
                continue;
            if (std::any_of(placed.begin(), placed.end(), [&](const QRectF& r) { return r.intersects(box); }))
                continue;
            placed.push_back(box);
            painter->fillRect(box, plate);
            painter->setPen(m_scheme.dark ? color.lighter(140) : color.darker(130));
            painter->drawText(box, Qt::AlignCenter | Qt::TextSingleLine, text);
            break;
        }
    }
    painter->setPen(Qt::NoPen);
    painter->setRenderHint(QPainter::Antialiasing, false);
}

void TimelinePlottable::drawSelection(QCPPainter* painter, const Frame& frame)
{
    if (!m_selected)
        return;
    const auto ref = m_data->findAttempt(m_selected->taskId, m_selected->attempt);
    if (!ref)
        return;
    const TimelineMapping& map = frame.map;
    const QRectF row = rowRect(ref->row);
    const TimelineStyle::RowGeometry g = TimelineStyle::rowGeometry(row.top(), row.bottom());
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::int64_t queued = 0;
    if (const TimelineTaskSpan* span = m_data->taskSpan(*ref)) {
        start = span->start;
        end = ref->where == TimelineAttemptRef::Where::Open ? std::max(frame.now, span->start) : span->end;
        queued = span->queued;
    } else if (ref->where == TimelineAttemptRef::Where::Mark) {
        const TimelineMark& mark = m_data->lanes()[0].marks[ref->index];
        start = end = mark.time;
        queued = mark.queued;
    } else {
        return;
    }
    const double x0 = map.toPixel(static_cast<double>(start));
    const double x1 = std::max(map.toPixel(static_cast<double>(end)), x0 + 3);
    const double clipLeft = frame.clip.left() - 4;
    const double clipRight = frame.clip.right() + 4;
    if (x1 < clipLeft || x0 > clipRight)
        return;
    const QColor color = TimelineStyle::selectionColor();
    // The whole queue wait on top of whatever ran meanwhile.
    if (queued < start) {
        const double q = std::max(map.toPixel(static_cast<double>(queued)), clipLeft);
        const double y = std::round(g.barBottom - 2);
        painter->setPen(QPen(color, 2));
        painter->drawLine(QPointF(q, y), QPointF(std::min(x0, clipRight), y));
        painter->drawLine(QPointF(q, y - 4), QPointF(q, y + 2));
    }
    painter->setPen(QPen(color, 2));
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(QRectF(std::max(x0, clipLeft) - 1, g.barTop - 1,
        std::min(x1, clipRight) - std::max(x0, clipLeft) + 2, g.barBottom - g.barTop + 2));
    painter->setPen(Qt::NoPen);
}

TimelineHit TimelinePlottable::hitAt(const QPointF& pixel) const
{
    TimelineHit hit;
    if (!m_data || !mKeyAxis || !mValueAxis)
        return hit;
    const int row = rowAt(pixel.y());
    if (row < 0 || !mKeyAxis->axisRect()->rect().contains(pixel.toPoint()))
        return hit;
    const TimelineMapping map = mapping();
    const QRectF r = rowRect(row);
    const TimelineStyle::RowGeometry g = TimelineStyle::rowGeometry(r.top(), r.bottom());
    const TimelineHitBands bands { pixel.y() >= g.barTop - 2 && pixel.y() <= g.barBottom + 1,
        pixel.y() >= g.stripTop - 1 && pixel.y() <= g.stripBottom + 2 };
    return hitTest(*m_data, row, map.toTime(pixel.x()), hitTolerance * map.nsPerPixel(), bands);
}

std::optional<TimelineTaskKey> TimelinePlottable::taskAt(const QPointF& pixel) const
{
    if (!m_data)
        return std::nullopt;
    return taskKeyOf(*m_data, hitAt(pixel));
}

double TimelinePlottable::selectTest(const QPointF& pos, bool onlySelectable, QVariant* details) const
{
    Q_UNUSED(details);
    if (onlySelectable && mSelectable == QCP::stNone)
        return -1;
    return hitAt(pos).isValid() ? 0 : -1;
}

QCPRange TimelinePlottable::getValueRange(
    bool& foundRange, QCP::SignDomain inSignDomain, const QCPRange& inKeyRange) const
{
    Q_UNUSED(inSignDomain);
    Q_UNUSED(inKeyRange);
    foundRange = m_data != nullptr;
    return QCPRange(0, m_data ? m_data->rowCount() : 1);
}

void TimelinePlottable::drawLegendIcon(QCPPainter* painter, const QRectF& rect) const
{
    TimelineStyle::drawSwatch(painter, rect, TimelineStyle::Swatch::Finished);
}

} // namespace poolscope::widgets
