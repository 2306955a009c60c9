#pragma once

#include "timeline/timelinestyle.h"
#include <poolscope/timeline/timeline_hit.h>
#include <poolscope/timeline/timeline_mapping.h>
#include <poolscope/timeline/timeline_types.h>

#include "timeline/timelinetrackplottable.h"

#include <QHash>
#include <QStaticText>

#include <optional>
#include <vector>

namespace poolscope::widgets {

/// Every lane of the timeline in one QCustomPlot plottable (Tracy's and Hotspot's way: one item that
/// paints what is visible, never one plot item per task). Key axis: time in seconds; value axis: rows,
/// row r covering [r, r + 1], the caller lane at row 0 — reverse the value axis to put it on top.
///
/// Per lane and layer the first visible span is found by binary search; spans narrower than
/// minimumSpanWidth() pixels are folded into blocks whose shade says how busy each pixel column was
/// (running sums, never a visit per span), so a paint costs O(pixels · log spans) whatever the task
/// count. Failed, retried and cancelled attempts inside a fold are drawn over it as marks in their
/// colour, one per couple of pixels: folding never averages a failure away.
///
/// Reads the timeline::TimelineData it is given, owns nothing; the data must outlive it or be unset first.
class TimelinePlottable : public TimelineTrackPlottable {
    Q_OBJECT
public:
    TimelinePlottable(QCPAxis* keyAxis, QCPAxis* valueAxis);

    /// Also clears the selection.
    void setData(const timeline::TimelineData* data) override;

    /// Spans narrower than this are folded (default 3 px).
    void setMinimumSpanWidth(double pixels) { m_minimumSpanWidth = pixels; }
    double minimumSpanWidth() const { return m_minimumSpanWidth; }

    /// The attempt drawn highlighted, with its whole queue wait; nullopt for none.
    void setSelectedTask(std::optional<timeline::TimelineTaskKey> task) { m_selected = task; }
    std::optional<timeline::TimelineTaskKey> selectedTask() const { return m_selected; }

    /// Events pointed out on their lanes (the events of a listing line the user clicked): a mark at
    /// each one's time, drawn over everything. Empty clears them.
    struct EventMark {
        std::int64_t time = 0;
        int row = 0;
        friend bool operator==(const EventMark&, const EventMark&) = default;
    };
    void setEventMarks(std::vector<EventMark> marks) { m_eventMarks = std::move(marks); }
    const std::vector<EventMark>& eventMarks() const { return m_eventMarks; }

    /// The lanes' ground (dark theme, high contrast); see TimelineStyle::Scheme.
    void setScheme(TimelineStyle::Scheme scheme) { m_scheme = scheme; }
    TimelineStyle::Scheme scheme() const { return m_scheme; }

    /// The font for labels inside bars.
    void setLabelFont(const QFont& font)
    {
        m_labelFont = font;
        m_textCache.clear();
    }

    /// The row under a widget y coordinate, or -1.
    int rowAt(double y) const;
    /// A row's extent in widget pixels (full width of the axis rect).
    QRectF rowRect(int row) const;

    /// What lies under a widget pixel: a task bar, a caller-lane mark or a span of another layer.
    /// Spans narrower than a few pixels are found within ±3 px.
    timeline::TimelineHit hitAt(const QPointF& pixel) const;
    /// The task attempt whose bar or mark is under the pixel, if any.
    std::optional<timeline::TimelineTaskKey> taskAt(const QPointF& pixel) const;

    /// What the last paint drew, for tests and the benchmark.
    struct DrawStats {
        int bars = 0; ///< spans drawn one by one
        int foldRuns = 0; ///< rectangles drawn for folded blocks
        int marks = 0; ///< failure / cancel marks over folds and on the caller lane
        int labels = 0;
        int links = 0;
        int eventMarks = 0; ///< of eventMarks(), those drawn (one per pixel column and lane)
    };
    DrawStats lastDrawStats() const { return m_stats; }

    double selectTest(const QPointF& pos, bool onlySelectable, QVariant* details = nullptr) const override;
    QCPRange getValueRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
        const QCPRange& inKeyRange = QCPRange()) const override;

protected:
    void draw(QCPPainter* painter) override;
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override;

private:
    struct Frame; // the per-paint constants
    void drawLane(QCPPainter* painter, const Frame& frame, int row);
    void drawTasks(QCPPainter* painter, const Frame& frame, int row, const TimelineStyle::RowGeometry& g);
    void drawLayer(
        QCPPainter* painter, const Frame& frame, int row, timeline::TimelineSpanKind kind, double top, double bottom);
    void drawCallerMarks(QCPPainter* painter, const Frame& frame, const TimelineStyle::RowGeometry& g);
    void drawRetryLinks(QCPPainter* painter, const Frame& frame);
    void drawSelection(QCPPainter* painter, const Frame& frame);
    void drawEventMarks(QCPPainter* painter, const Frame& frame);
    void drawDeadlines(QCPPainter* painter, const Frame& frame);
    /// Draws the first of the texts that fits; a transparent `fill` means hatching (text on a plate).
    void drawBarLabel(QCPPainter* painter, const QRectF& bar, QColor fill, const QString& full, const QString& shorter,
        const QString& shortest);
    QString taskLabel(std::uint32_t task, int attempt, int detail) const;
    struct CachedText {
        QStaticText text;
        double width;
        double height;
    };
    const CachedText& cachedText(const QString& text);

    double m_minimumSpanWidth = 3.0;
    std::optional<timeline::TimelineTaskKey> m_selected;
    std::vector<EventMark> m_eventMarks;
    TimelineStyle::Scheme m_scheme;
    QFont m_labelFont;
    QHash<QString, CachedText> m_textCache;
    double m_textHeight = 12; // of m_labelFont, as of the last paint
    double m_narrowest = 2; // a lower bound for any glyph's advance
    DrawStats m_stats;
};

} // namespace poolscope::widgets
