#include "timeline/timelinestyle.h"

#include <QPaintEngine>
#include <QPainter>
#include <QPalette>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace poolscope::widgets {

using namespace poolscope::timeline;

namespace {
QColor blend(const QColor& a, const QColor& b, double t)
{
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
        static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
        static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}
} // namespace

QColor TimelineStyle::outcomeColor(TimelineOutcome outcome)
{
    switch (outcome) {
    case TimelineOutcome::Finished:
        return QColor(0x00, 0x72, 0xb2); // blue
    case TimelineOutcome::Failed:
        return QColor(0xd5, 0x1e, 0x00); // vermilion, pushed towards red
    case TimelineOutcome::Retried:
        return QColor(0xe6, 0x9f, 0x00); // orange
    case TimelineOutcome::Cancelled:
        return QColor(0xcc, 0x79, 0xa7); // reddish purple
    case TimelineOutcome::Running:
        return QColor(0x00, 0x9e, 0x73); // bluish green
    case TimelineOutcome::Queued:
        return QColor(0x80, 0x80, 0x80);
    }
    return Qt::black;
}

QColor TimelineStyle::spanColor(TimelineSpanKind kind)
{
    switch (kind) {
    case TimelineSpanKind::CallQueue:
        return QColor(0x56, 0xb4, 0xe9); // sky blue, hatched
    case TimelineSpanKind::GilWait:
        return QColor(0xb0, 0x30, 0x60); // wine, hatched
    case TimelineSpanKind::GilHeld:
        return QColor(0x6a, 0x3d, 0x9a); // purple
    case TimelineSpanKind::Spawn:
        return QColor(0x70, 0x70, 0x70); // grey, cross-hatched
    case TimelineSpanKind::CallerBlocked:
        return QColor(0x4d, 0x5b, 0x6b); // slate
    case TimelineSpanKind::Callback:
        return QColor(0xf0, 0xe4, 0x42); // yellow, outlined: a done-callback is short
    }
    return Qt::black;
}

QColor TimelineStyle::textOn(const QColor& background)
{
    const double luminance = 0.299 * background.redF() + 0.587 * background.greenF() + 0.114 * background.blueF();
    return luminance > 0.6 ? QColor(0x10, 0x10, 0x10) : QColor(Qt::white);
}

QColor TimelineStyle::foldColor(double busy)
{
    // Never quite white, so a lane that was busy 2 % of a pixel still shows that something ran there;
    // and a little darker than a finished bar at full load, so a folded block never passes for one task.
    return blend(QColor(0xc6, 0xdb, 0xef), QColor(0x00, 0x55, 0x88), busy);
}

bool TimelineStyle::isDarkPalette(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor TimelineStyle::laneBackground(int row, Scheme scheme)
{
    // High contrast: lanes told apart by a clear step, not a hint of grey.
    if (scheme.dark) {
        if (row == 0)
            return scheme.highContrast ? QColor(0x3d, 0x33, 0x22) : QColor(0x33, 0x2f, 0x29);
        if (scheme.highContrast)
            return row % 2 ? QColor(0x00, 0x00, 0x00) : QColor(0x30, 0x30, 0x30);
        return row % 2 ? QColor(0x25, 0x25, 0x25) : QColor(0x2c, 0x2e, 0x32);
    }
    if (row == 0)
        return scheme.highContrast ? QColor(0xf0, 0xe2, 0xc4) : QColor(0xf1, 0xee, 0xe6); // the caller lane, warmer
    if (scheme.highContrast)
        return row % 2 ? QColor(0xff, 0xff, 0xff) : QColor(0xdc, 0xdc, 0xdc);
    return row % 2 ? QColor(0xfb, 0xfb, 0xfb) : QColor(0xf2, 0xf4, 0xf7);
}

QColor TimelineStyle::plotBackground(Scheme scheme)
{
    if (scheme.dark)
        return scheme.highContrast ? QColor(0x00, 0x00, 0x00) : QColor(0x1e, 0x1e, 0x1e);
    return QColor(Qt::white);
}

QColor TimelineStyle::foreground(Scheme scheme)
{
    if (scheme.dark)
        return scheme.highContrast ? QColor(Qt::white) : QColor(0xdd, 0xdd, 0xdd);
    return QColor(Qt::black);
}

QColor TimelineStyle::gridColor(Scheme scheme)
{
    if (scheme.dark)
        return scheme.highContrast ? QColor(0x80, 0x80, 0x80) : QColor(0x48, 0x48, 0x48);
    return scheme.highContrast ? QColor(0x90, 0x90, 0x90) : QColor(0xd8, 0xd8, 0xd8);
}

QColor TimelineStyle::captionColor(Scheme scheme)
{
    if (scheme.highContrast)
        return foreground(scheme);
    return scheme.dark ? QColor(0xb0, 0xb0, 0xb0) : QColor(0x50, 0x50, 0x50);
}

QColor TimelineStyle::queueWaitColor()
{
    return QColor(0x90, 0x90, 0x90);
}

QColor TimelineStyle::retryLinkColor()
{
    return QColor(0xc0, 0x70, 0x00);
}

QColor TimelineStyle::deadlineColor(Scheme scheme)
{
    // Vermilion, darkened on light ground and lightened on dark, so the line stands out on both.
    return scheme.dark ? QColor(0xff, 0x8a, 0x50) : QColor(0xa0, 0x20, 0x00);
}

QColor TimelineStyle::eventMarkColor()
{
    return QColor(0xD5, 0x5E, 0x00);
}

QColor TimelineStyle::selectionColor()
{
    return QColor(0x11, 0x11, 0x11);
}

QColor TimelineStyle::counterRunningColor()
{
    return outcomeColor(TimelineOutcome::Running);
}

QColor TimelineStyle::counterQueuedColor()
{
    return QColor(0x9a, 0x6a, 0x00);
}

bool TimelineStyle::isHatched(TimelineSpanKind kind)
{
    return kind == TimelineSpanKind::CallQueue || kind == TimelineSpanKind::GilWait || kind == TimelineSpanKind::Spawn;
}

void TimelineStyle::fillHatched(QPainter* painter, const QRectF& rect, const QColor& color, bool cross)
{
    if (rect.isEmpty())
        return;
    QColor tint = color;
    tint.setAlphaF(0.22f);
    painter->fillRect(rect, tint);
    const QPaintEngine* engine = painter->paintEngine();
    if (engine && engine->type() == QPaintEngine::SVG) {
        // Lines at 45°, 6 px apart, aligned to the page so neighbouring rects continue each other.
        painter->save();
        painter->setClipRect(rect, Qt::IntersectClip);
        painter->setPen(QPen(color, 1));
        constexpr double step = 6;
        // "/" lines are x + y = k; "\" lines are x - y = c.
        for (double k = std::floor((rect.left() + rect.top()) / step) * step; k < rect.right() + rect.bottom() + step;
             k += step)
            painter->drawLine(QPointF(k - rect.top(), rect.top()), QPointF(k - rect.bottom(), rect.bottom()));
        if (cross) {
            for (double c = std::floor((rect.left() - rect.bottom()) / step) * step;
                 c < rect.right() - rect.top() + step; c += step)
                painter->drawLine(QPointF(c + rect.top(), rect.top()), QPointF(c + rect.bottom(), rect.bottom()));
        }
        painter->restore();
        return;
    }
    painter->fillRect(rect, QBrush(color, cross ? Qt::DiagCrossPattern : Qt::BDiagPattern));
}

TimelineStyle::RowGeometry TimelineStyle::rowGeometry(double rowTop, double rowBottom)
{
    const double h = rowBottom - rowTop;
    const double bar = std::min(h * 0.55, 30.0);
    const double strip = std::clamp(h * 0.2, 2.0, 9.0);
    const double gap = std::max(1.0, std::min(h * 0.05, 3.0));
    // Centre bar + strip in the row.
    const double total = bar + gap + strip;
    const double top = rowTop + (h - total) / 2;
    return RowGeometry { top, top + bar, top + bar + gap, top + bar + gap + strip };
}

std::vector<TimelineStyle::LegendEntry> TimelineStyle::legendEntries()
{
    return {
        { Swatch::Finished, QStringLiteral("finished") },
        { Swatch::Failed, QStringLiteral("failed") },
        { Swatch::Retried, QStringLiteral("failed, retried") },
        { Swatch::Cancelled, QStringLiteral("cancelled (caller lane: before it ran)") },
        { Swatch::Running, QStringLiteral("running now") },
        { Swatch::Folded, QStringLiteral("many short tasks (darker = busier)") },
        { Swatch::QueueWait, QStringLiteral("queue wait (submitted → started)") },
        { Swatch::CallQueue, QStringLiteral("in call queue (dispatched → started)") },
        { Swatch::GilWait, QStringLiteral("waiting for the GIL") },
        { Swatch::GilHeld, QStringLiteral("holding the GIL") },
        { Swatch::Spawn, QStringLiteral("worker process starting") },
        { Swatch::CallerBlocked, QStringLiteral("caller blocked (result(), wait()…)") },
        { Swatch::Callback, QStringLiteral("done-callback ran (on this lane's thread)") },
        { Swatch::Deadline, QStringLiteral("a timeout ran out (TimeoutError)") },
        { Swatch::RetryLink, QStringLiteral("retry: backoff to next attempt") },
        { Swatch::CounterRunning, QStringLiteral("tasks running") },
        { Swatch::CounterQueued, QStringLiteral("tasks queued") },
    };
}

void TimelineStyle::drawSwatch(QPainter* painter, const QRectF& rect, Swatch swatch, Scheme scheme)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    const QRectF bar = rect.adjusted(0, rect.height() * 0.15, 0, -rect.height() * 0.15);
    const QRectF strip(rect.left(), rect.center().y() - rect.height() * 0.18, rect.width(), rect.height() * 0.36);
    switch (swatch) {
    case Swatch::Finished:
        painter->fillRect(bar, outcomeColor(TimelineOutcome::Finished));
        break;
    case Swatch::Failed:
        painter->fillRect(bar, outcomeColor(TimelineOutcome::Failed));
        break;
    case Swatch::Retried:
        painter->fillRect(bar, outcomeColor(TimelineOutcome::Retried));
        break;
    case Swatch::Cancelled:
        painter->fillRect(bar, outcomeColor(TimelineOutcome::Cancelled));
        break;
    case Swatch::Running:
        painter->fillRect(bar, outcomeColor(TimelineOutcome::Running));
        break;
    case Swatch::Folded: {
        const int steps = 4;
        for (int i = 0; i < steps; ++i) {
            const double w = bar.width() / steps;
            painter->fillRect(
                QRectF(bar.left() + i * w, bar.top(), w + 0.5, bar.height()), foldColor((i + 1.0) / steps));
        }
        // one failure kept visible inside the block
        painter->fillRect(
            QRectF(bar.left() + bar.width() * 0.55, bar.top(), 2, bar.height()), outcomeColor(TimelineOutcome::Failed));
        break;
    }
    case Swatch::QueueWait: {
        painter->setPen(QPen(queueWaitColor(), 1.5));
        const double y = rect.center().y();
        painter->drawLine(QPointF(rect.left(), y), QPointF(rect.right() - 4, y));
        painter->drawLine(QPointF(rect.right() - 4, y - 3), QPointF(rect.right() - 4, y + 3));
        painter->fillRect(
            QRectF(rect.right() - 3, bar.top(), 3, bar.height()), outcomeColor(TimelineOutcome::Finished));
        break;
    }
    case Swatch::CallQueue:
        fillHatched(painter, strip, spanColor(TimelineSpanKind::CallQueue));
        break;
    case Swatch::GilWait:
        fillHatched(painter, strip, spanColor(TimelineSpanKind::GilWait));
        break;
    case Swatch::GilHeld:
        painter->fillRect(strip, spanColor(TimelineSpanKind::GilHeld));
        break;
    case Swatch::Spawn:
        fillHatched(painter, bar, spanColor(TimelineSpanKind::Spawn), true);
        break;
    case Swatch::CallerBlocked:
        painter->fillRect(bar, spanColor(TimelineSpanKind::CallerBlocked));
        break;
    case Swatch::Deadline: {
        painter->setRenderHint(QPainter::Antialiasing, false);
        painter->setPen(QPen(deadlineColor(scheme), 2, Qt::DashLine));
        const double x = rect.center().x();
        painter->drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()));
        painter->setPen(Qt::NoPen);
        break;
    }
    case Swatch::Callback: {
        const QRectF nub(bar.right() - bar.height(), bar.top(), bar.height(), bar.height());
        painter->fillRect(QRectF(bar.left(), bar.top(), bar.width() - nub.width(), bar.height()),
            outcomeColor(TimelineOutcome::Finished));
        painter->fillRect(nub, spanColor(TimelineSpanKind::Callback));
        painter->setPen(QPen(spanColor(TimelineSpanKind::Callback).darker(250), 1));
        painter->drawRect(nub.adjusted(0, 0, -1, -1));
        painter->setPen(Qt::NoPen);
        break;
    }
    case Swatch::RetryLink: {
        painter->setRenderHint(QPainter::Antialiasing, true);
        QPen pen(retryLinkColor(), 1.6, Qt::DashLine);
        painter->setPen(pen);
        const double y = rect.center().y();
        painter->drawLine(QPointF(rect.left(), y), QPointF(rect.right() - 2, y));
        painter->setPen(QPen(retryLinkColor(), 1.6));
        painter->drawLine(QPointF(rect.right() - 6, y - 3.5), QPointF(rect.right() - 2, y));
        painter->drawLine(QPointF(rect.right() - 6, y + 3.5), QPointF(rect.right() - 2, y));
        break;
    }
    case Swatch::CounterRunning: {
        QColor fill = counterRunningColor();
        fill.setAlphaF(0.35f);
        painter->fillRect(QRectF(rect.left(), rect.center().y(), rect.width(), rect.height() / 2), fill);
        painter->setPen(QPen(counterRunningColor(), 1.5));
        painter->drawLine(QPointF(rect.left(), rect.center().y()), QPointF(rect.right(), rect.center().y()));
        break;
    }
    case Swatch::CounterQueued:
        painter->setPen(QPen(counterQueuedColor(), 1.5));
        painter->drawLine(QPointF(rect.left(), rect.center().y()), QPointF(rect.right(), rect.center().y()));
        break;
    }
    painter->restore();
}

} // namespace poolscope::widgets
