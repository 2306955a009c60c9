#pragma once

#include <poolscope/timeline/timeline_mapping.h>
#include <poolscope/timeline/timeline_types.h>
#include <poolscope/timeline/viewport.h>

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include "timeline/timelinestyle.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

class QCustomPlot;
class QCPAxisRect;
class QCPAxisTickerText;
class QCPLegend;
class QCPPainter;
class QCPTextElement;
class QPaintDevice;
class QRubberBand;
class QScrollBar;

namespace poolscope::timeline {
class TimelineData;
struct TimelineChange;
} // namespace poolscope::timeline

namespace poolscope::widgets {

class TimelineCounterPlottable;
class TimelinePlottable;
class TimelineTimeTicker;

/// The Gantt timeline widget: a QCustomPlot with the lanes (TimelinePlottable) on top, the counter
/// track (tasks running / queued) below on the same time axis, and a legend of the colours and
/// patterns the run uses. It owns the interaction — wheel zoom around the cursor, drag to pan, Shift+drag or
/// right-drag for a rubber-band zoom, Home / Ctrl+0 to fit, Backspace / Alt+Left to go back through
/// the zoom stack, tooltips, click to select — and no data: it reads a timeline::TimelineData owned elsewhere.
///
/// Live runs: the owner appends event batches to its timeline::TimelineData on the GUI thread and passes the
/// returned timeline::TimelineChange to notifyDataChanged(); replots are coalesced to at most one per
/// replotInterval() (~30 per second). While the view is fitted (after fit(), or before the user
/// zooms) it keeps fitting new data.
///
/// The visible range, zoom stack and "following" state live in a timeline::Viewport: the view's own,
/// or one shared with other views through setViewport() so that they zoom and pan together.
class TimelineView : public QWidget {
    Q_OBJECT
public:
    /// Live updates replot at most once per this many ms unless setReplotInterval() says otherwise.
    static constexpr int defaultReplotIntervalMs = 33;

    /// Lanes never get thinner than this (times the presentation scale): when more lanes exist than
    /// fit, they scroll (a scroll bar beside the plot, Shift+wheel, Page Up/Down) instead of printing
    /// their labels over each other.
    static constexpr int minimumLaneHeight = 24;
    /// Presenter mode's scale.
    static constexpr double presenterScale = 1.6;

    explicit TimelineView(QWidget* parent = nullptr);
    ~TimelineView() override;

    /// The data to show, not owned; it must outlive the view or be replaced first. Fits the view.
    void setData(const timeline::TimelineData* data);
    const timeline::TimelineData* data() const { return m_data; }

    QCustomPlot* plot() const { return m_plot; }
    TimelinePlottable* plottable() const { return m_lanes; }
    TimelineCounterPlottable* counterPlottable() const { return m_counters; }
    QCPAxisRect* laneRect() const { return m_laneRect; }
    QCPAxisRect* counterRect() const { return m_counterRect; }
    QCPLegend* legend() const { return m_legend; }

    /// Shares `viewport` (not owned; it must outlive the view or be replaced first) with other views;
    /// nullptr goes back to the view's own.
    void setViewport(timeline::Viewport* viewport);
    timeline::Viewport* viewport() const { return m_viewport; }

    /// The coalescing interval for live replots (tests set 0 to replot on the next event loop turn).
    void setReplotInterval(int ms);
    int replotInterval() const { return m_replotIntervalMs; }

    /// The visible time range and the lane area's pixel range.
    timeline::TimelineMapping mapping() const;
    /// Shows [fromNs, toNs]; the previous range goes on the zoom stack. Program by default: a
    /// linked viewport does not follow it.
    void setVisibleRange(
        double fromNs, double toNs, timeline::Viewport::Cause cause = timeline::Viewport::Cause::Program);
    int zoomStackDepth() const;
    /// True while the view is fitted and keeps fitting new data.
    bool isFollowing() const;

    /// A title above and a caption below the plot (for exports); empty removes them.
    void setTitle(const QString& title);
    QString title() const { return m_titleText; }
    /// The font the title is drawn in (larger in presenter mode).
    QFont titleFont() const;
    void setCaption(const QString& caption);
    QString caption() const { return m_captionText; }
    void setLegendVisible(bool visible);
    /// The legend lists only what the shown run draws (its outcomes, layers, retries; "many short
    /// tasks" once the view folds), so that on a small window or a projector it takes little room;
    /// with no data, everything. The glossary (Help) always explains every entry.
    std::vector<TimelineStyle::Swatch> usedSwatches() const;
    bool isLegendVisible() const { return m_legendVisible; }
    /// Whether the legend is on screen now: visible, and the view tall enough to keep three lanes
    /// readable beside it (a small window hides it; exports always show it).
    bool isLegendShown() const { return m_legendVisible && m_legendFits; }

    std::optional<timeline::TimelineTaskKey> selectedTask() const;
    /// The tooltip for a pixel of the plot (rich text), empty where there is nothing.
    QString toolTipAt(const QPointF& pixel) const;
    /// Where a time on a row's bar centre is, in plot (= view) coordinates, as of the last layout.
    QPointF pixelFor(double timeNs, int row) const;

    /// The first lane shown (0: the caller's) and how many are shown; all of them unless they
    /// would be thinner than minimumLaneHeight.
    int firstVisibleRow() const { return m_firstRow; }
    int visibleRowCount() const { return m_visibleRows; }
    /// Draws the data as it stood at `ns` (the replay's playhead; see TimelineTrackPlottable), on the
    /// whole run's axis; std::nullopt draws everything. Moving it costs a replot, not a rebuild.
    void setTimeLimit(std::optional<std::int64_t> ns);
    std::optional<std::int64_t> timeLimit() const;
    /// High contrast (presenter mode): lanes told apart by a clear step, full-strength text and axes.
    void setHighContrast(bool on);
    bool isHighContrast() const { return m_scheme.highContrast; }
    /// The colours in use: dark when the widget's palette is (the system's dark theme), high contrast
    /// when set. Exports are always drawn light.
    TimelineStyle::Scheme scheme() const { return m_scheme; }
    /// Scales every text of the plot and the lanes' minimum height, for a projector (1: normal).
    void setPresentationScale(double scale);
    double presentationScale() const { return m_scale; }
    int laneHeightFloor() const { return static_cast<int>(minimumLaneHeight * m_scale); }
    /// Points out events on their lanes (those of a listing line the user clicked): `events` as
    /// (time in ns, worker lane: -1 for the caller); empty clears. Scrolls the first one into view.
    void setEventMarks(const std::vector<std::pair<std::int64_t, int>>& events);
    /// Scrolls the lanes so that `row` is shown (nothing to do when all are).
    void ensureRowVisible(int row);

    /// Renders the plot into `painter` at `size` logical pixels, as for an export: axes, lanes,
    /// legend laid out for that size, title and caption included. The on-screen view is restored.
    void render(QCPPainter* painter, const QSize& size);
    /// The caption broken into lines between its " · " parts so that each fits `width` pixels.
    static QString wrapCaption(const QString& caption, const QFont& font, int width, QPaintDevice* device);

public slots:
    /// Tells the view its data grew; lanes changed → new lane labels. Schedules a throttled replot.
    void notifyDataChanged(const poolscope::timeline::TimelineChange& change);
    /// Refreshes everything after the data was replaced or rebuilt in place.
    void reset();
    void fit();
    /// Back to the range before the last zoom; does nothing on an empty stack.
    void zoomBack();
    void zoomIn();
    void zoomOut();
    /// Highlights an attempt (no taskSelected signal) and pans to it if it is out of view.
    void selectTask(quint64 taskId, int attempt);
    void clearSelection();
    /// Coalesced replot, at most one per replotInterval().
    void scheduleReplot();
    void replotNow();

signals:
    /// The user clicked an attempt's bar or mark.
    void taskSelected(quint64 taskId, int attempt);
    /// The user clicked where there is no task, or pressed Escape.
    void selectionCleared();
    void visibleRangeChanged(double fromNs, double toNs);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void applyRange();
    void detachViewport();
    void refreshGeometry();
    void prepareForRender();
    void updateLaneTicks();
    void fitLanesToHeight(); // after each layout, on the GUI thread
    void scrollLanesTo(int firstRow);
    void updateLegendWrap(int width);
    void updateLegendEntries(); // rebuilds the legend when usedSwatches() changed
    void updateLegendFit(QSize plotSize); // on screen, the legend gives way to the lanes
    void rebuildLayout();
    void applyScheme(TimelineStyle::Scheme scheme); // colours of the plot, the axes and the lanes
    void zoomAround(double pixelX, double factor);
    void panBy(double dpx);

    const timeline::TimelineData* m_data = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCPAxisRect* m_laneRect = nullptr;
    QCPAxisRect* m_counterRect = nullptr;
    QCPLegend* m_legend = nullptr;
    QCPTextElement* m_title = nullptr;
    QCPTextElement* m_caption = nullptr;
    TimelinePlottable* m_lanes = nullptr;
    TimelineCounterPlottable* m_counters = nullptr;
    QSharedPointer<QCPAxisTickerText> m_laneTicker;
    QSharedPointer<TimelineTimeTicker> m_timeTicker;
    QString m_titleText;
    QString m_captionText;
    bool m_legendVisible = true;
    std::vector<TimelineStyle::Swatch> m_legendSwatches; // what the legend lists now
    bool m_legendFits = true; // false: too little height on screen; exports still show it
    int m_legendSqueezedAt = -1; // the plot height at which the legend left too few lanes

    std::unique_ptr<timeline::Viewport> m_ownViewport = std::make_unique<timeline::Viewport>();
    timeline::Viewport* m_viewport = m_ownViewport.get(); // never null
    int m_viewportListener = 0;
    int m_replotIntervalMs = defaultReplotIntervalMs;
    QElapsedTimer m_lastWheel;

    QTimer m_replotTimer;
    QElapsedTimer m_lastReplot;
    bool m_lanesDirty = true;
    QScrollBar* m_laneScroll = nullptr;
    int m_firstRow = 0;
    int m_visibleRows = 1;
    bool m_allLanes = false; // while rendering an export: every lane, however thin
    double m_scale = 1;
    TimelineStyle::Scheme m_scheme;

    // Mouse gesture state.
    enum class Drag { None, Pending, Pan, Band };
    Drag m_drag = Drag::None;
    QPoint m_pressPos;
    double m_lastDragX = 0;
    QRubberBand* m_band = nullptr;
};

} // namespace poolscope::widgets
