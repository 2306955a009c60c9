#pragma once

#include <poolscope/timeline/timeline_types.h>

#include "timeline/timelinescheme.h"

#include <QColor>
#include <QRectF>
#include <QString>

#include <vector>

class QPainter;
class QPalette;

namespace poolscope::widgets {

/// The timeline's colours, patterns and row geometry in one place, so the plottable, the counter
/// track, the legend and the exporter can never disagree about what a colour means. Colours are
/// the Okabe–Ito palette, told apart by most colour-blind readers.
class TimelineStyle {
public:
    /// Everything the legend explains, in legend order.
    enum class Swatch {
        Finished,
        Failed,
        Retried,
        Cancelled,
        Running,
        Folded,
        QueueWait,
        CallQueue,
        GilWait,
        GilHeld,
        Spawn,
        CallerBlocked,
        Callback,
        Deadline,
        RetryLink,
        CounterRunning,
        CounterQueued,
    };

    using Scheme = TimelineScheme;
    /// Dark when the palette's window colour is.
    static bool isDarkPalette(const QPalette& palette);

    static QColor outcomeColor(timeline::TimelineOutcome outcome);
    static QColor spanColor(timeline::TimelineSpanKind kind);
    /// Text on a bar of this colour: white on dark, black on light.
    static QColor textOn(const QColor& background);
    /// A folded block `busy` (0..1) of the time busy: light for a little, the finished colour for all.
    static QColor foldColor(double busy);
    static QColor laneBackground(int row, Scheme scheme = {});
    static QColor plotBackground(Scheme scheme);
    /// Axes, tick labels, titles.
    static QColor foreground(Scheme scheme);
    static QColor gridColor(Scheme scheme);
    static QColor captionColor(Scheme scheme);
    static QColor queueWaitColor();
    static QColor retryLinkColor();
    /// The vertical line where a wait's deadline passed.
    static QColor deadlineColor(Scheme scheme = Scheme());
    /// The pins on the events of a listing line (Okabe–Ito vermillion).
    static QColor eventMarkColor();
    static QColor selectionColor();
    static QColor counterRunningColor();
    static QColor counterQueuedColor();
    /// Whether spans of this kind are hatched rather than solid.
    static bool isHatched(timeline::TimelineSpanKind kind);

    /// Fills `rect` with diagonal hatching in `color` over a pale tint of it. Pattern brushes where
    /// the paint engine has them; explicit lines for SVG, whose generator writes patterns as solid.
    static void fillHatched(QPainter* painter, const QRectF& rect, const QColor& color, bool cross = false);

    /// Row geometry, from a row's pixel extent: where task bars go, where the thin strip for the
    /// interpreter lock and the call queue goes. Bars are capped in height so that a few lanes on a
    /// tall window do not turn into slabs.
    struct RowGeometry {
        double barTop;
        double barBottom;
        double stripTop;
        double stripBottom;
        double centre() const { return (barTop + barBottom) / 2; }
    };
    static RowGeometry rowGeometry(double rowTop, double rowBottom);

    /// The legend entries: name and what to draw.
    struct LegendEntry {
        Swatch swatch;
        QString text;
    };
    static std::vector<LegendEntry> legendEntries();
    /// Draws the swatch of one legend entry into `rect`.
    static void drawSwatch(QPainter* painter, const QRectF& rect, Swatch swatch, Scheme scheme = Scheme());
};

} // namespace poolscope::widgets
