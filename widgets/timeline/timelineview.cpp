#include "timeline/timelineview.h"
#include "common/toqstring.h"

#include "timeline/timelinecounterplottable.h"
#include "timeline/timelinelegenditem.h"
#include "timeline/timelineplottable.h"
#include "timeline/timelinestyle.h"
#include "timeline/timelinetimeticker.h"
#include <poolscope/timeline/timeline_data.h>

#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QRubberBand>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QToolTip>
#include <QWheelEvent>

#include "timeline/timelineqcp.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace poolscope::widgets {

using namespace poolscope::timeline;

namespace {
constexpr double wheelStep = 1.0015; // zoom factor per 1/8 degree of wheel turn: 1.2× per notch
constexpr int dragThreshold = 3;
constexpr int wheelBurstMs = 600; // wheel turns closer than this are one zoom step on the stack

QString outcomeText(TimelineOutcome outcome)
{
    switch (outcome) {
    case TimelineOutcome::Running:
        return QStringLiteral("running");
    case TimelineOutcome::Finished:
        return QStringLiteral("finished");
    case TimelineOutcome::Failed:
        return QStringLiteral("failed");
    case TimelineOutcome::Cancelled:
        return QStringLiteral("cancelled");
    case TimelineOutcome::Retried:
        return QStringLiteral("failed, retried");
    case TimelineOutcome::Queued:
        return QStringLiteral("queued");
    }
    return {};
}

QString spanKindText(TimelineSpanKind kind)
{
    switch (kind) {
    case TimelineSpanKind::CallQueue:
        return QStringLiteral("In the call queue (dispatched, no worker yet)");
    case TimelineSpanKind::GilWait:
        return QStringLiteral("Waiting for the GIL");
    case TimelineSpanKind::GilHeld:
        return QStringLiteral("Holding the GIL");
    case TimelineSpanKind::Spawn:
        return QStringLiteral("Worker process starting");
    case TimelineSpanKind::CallerBlocked:
        return QStringLiteral("Caller blocked");
    case TimelineSpanKind::Callback:
        return QStringLiteral("Done-callback running");
    }
    return {};
}

QString ns(double value)
{
    return TimelineTimeTicker::formatNs(value);
}
} // namespace

TimelineView::TimelineView(QWidget* parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_plot, 1);
    m_laneScroll = new QScrollBar(Qt::Vertical, this);
    m_laneScroll->setObjectName(QStringLiteral("laneScroll"));
    m_laneScroll->setAccessibleName(tr("Scroll the lanes"));
    m_laneScroll->setToolTip(tr("More lanes than fit at a readable height: scroll them here, with "
                                "Shift+wheel or with Page Up / Page Down"));
    m_laneScroll->hide();
    layout->addWidget(m_laneScroll);
    connect(m_laneScroll, &QScrollBar::valueChanged, this, &TimelineView::scrollLanesTo);
    setFocusPolicy(Qt::StrongFocus);
    m_plot->setFocusPolicy(Qt::NoFocus);
    m_plot->setInteractions(QCP::Interactions()); // we do zoom, pan and selection ourselves
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->installEventFilter(this);
    // QCustomPlot asks for the minimum of its layout (the legend included) and would hold a small
    // window open wider and taller than asked; the lanes scroll and the legend gives way instead.
    m_plot->setMinimumSize(160, 120);
    m_plot->setMouseTracking(false);

    m_timeTicker = QSharedPointer<TimelineTimeTicker>::create();
    const auto& timeTicker = m_timeTicker;
    timeTicker->setTickCount(8);

    // Lanes: the default axis rect.
    m_laneRect = m_plot->axisRect();
    m_laneRect->setRangeDrag(Qt::Orientations());
    m_laneRect->setRangeZoom(Qt::Orientations());
    QCPAxis* x = m_laneRect->axis(QCPAxis::atBottom);
    QCPAxis* y = m_laneRect->axis(QCPAxis::atLeft);
    x->setTicker(timeTicker);
    x->setTickLabels(false);
    x->grid()->setPen(QPen(QColor(0xd8, 0xd8, 0xd8), 1, Qt::DotLine));
    y->setRangeReversed(true);
    y->grid()->setVisible(false);
    y->setTickLength(0, 0);
    y->setSubTicks(false);
    m_laneTicker = QSharedPointer<QCPAxisTickerText>::create();
    y->setTicker(m_laneTicker);
    y->setRange(0, 1);
    m_lanes = new TimelinePlottable(x, y);
    m_lanes->setName(QStringLiteral("lanes"));
    // One paint buffer for everything: each extra buffered layer costs a full-size clear and blend
    // per replot (~0.7 ms at 1920×1080), more than drawing the lanes. Nothing uses the overlay layer
    // (the rubber band is a QRubberBand), so it need not be buffered either.
    m_plot->layer(QStringLiteral("overlay"))->setMode(QCPLayer::lmLogical);

    // Counters: a second axis rect under the lanes, the same time range.
    m_counterRect = new QCPAxisRect(m_plot);
    m_counterRect->setRangeDrag(Qt::Orientations());
    m_counterRect->setRangeZoom(Qt::Orientations());
    QCPAxis* cx = m_counterRect->axis(QCPAxis::atBottom);
    QCPAxis* cy = m_counterRect->axis(QCPAxis::atLeft);
    cx->setTicker(timeTicker);
    cx->setLabel(QStringLiteral("time since the run started"));
    cx->grid()->setPen(QPen(QColor(0xd8, 0xd8, 0xd8), 1, Qt::DotLine));
    cy->setLabel(QStringLiteral("tasks"));
    cy->setRange(0, 1);
    cy->ticker()->setTickCount(2); // a short axis: 0, a middle and a top label are plenty
    cy->setSubTicks(false);
    m_counterRect->setMinimumSize(0, 60);
    m_counterRect->setMaximumSize(QWIDGETSIZE_MAX, 90);
    m_counters = new TimelineCounterPlottable(cx, cy);
    m_counters->setName(QStringLiteral("counters"));

    // The lanes' axis range is settled once the layout knows the lane rect's height.
    connect(m_plot, &QCustomPlot::afterLayout, this, &TimelineView::fitLanesToHeight);

    auto* group = new QCPMarginGroup(m_plot);
    m_laneRect->setMarginGroup(QCP::msLeft | QCP::msRight, group);
    m_counterRect->setMarginGroup(QCP::msLeft | QCP::msRight, group);

    // The legend: a grid of our own items, under the counters.
    m_plot->legend->setVisible(false);
    m_legend = new QCPLegend;
    m_legend->setBorderPen(Qt::NoPen);
    m_legend->setBrush(Qt::NoBrush);
    m_legend->setIconSize(30, 12);
    m_legend->setRowSpacing(5);
    m_legend->setColumnSpacing(18);
    m_legend->setMargins(QMargins(8, 6, 8, 4));
    QFont legendFont = font();
    legendFont.setPointSizeF(8.5);
    m_legend->setFont(legendFont);

    m_title = new QCPTextElement(m_plot, QString(), QFont(font().family(), 13, QFont::Bold));
    m_caption = new QCPTextElement(m_plot, QString(), QFont(font().family(), 9));
    m_caption->setTextColor(QColor(0x50, 0x50, 0x50));
    rebuildLayout();
    m_legend->setLayer(QStringLiteral("legend"));
    updateLegendEntries();
    // A fold appears or goes with zooming: the next frame's legend says so.
    connect(m_plot, &QCustomPlot::afterReplot, this, [this] {
        const auto before = m_legendSwatches;
        updateLegendEntries();
        if (m_legendSwatches != before)
            m_plot->replot(QCustomPlot::rpQueuedReplot);
    });

    m_band = new QRubberBand(QRubberBand::Rectangle, m_plot);
    m_band->hide();

    applyScheme({ TimelineStyle::isDarkPalette(palette()), false });

    m_replotTimer.setSingleShot(true);
    connect(&m_replotTimer, &QTimer::timeout, this, &TimelineView::replotNow);
    m_lastReplot.start();
    setViewport(nullptr);
}

TimelineView::~TimelineView()
{
    detachViewport();
}

void TimelineView::detachViewport()
{
    if (!m_viewport)
        return;
    m_viewport->removeListener(m_viewportListener);
    m_viewport->removeExtent(this);
    m_viewport = nullptr;
}

void TimelineView::setViewport(Viewport* viewport)
{
    detachViewport();
    if (!viewport) {
        if (!m_ownViewport)
            m_ownViewport = std::make_unique<Viewport>();
        viewport = m_ownViewport.get();
    }
    m_viewport = viewport;
    // Applies every change, whoever made it, and never answers one with another: that is what keeps
    // views sharing a viewport (or linked ones) from feeding each other.
    m_viewportListener = m_viewport->addListener([this](double, double, Viewport::Cause cause) {
        applyRange();
        if (cause == Viewport::Cause::User) {
            // Zooming and panning answer at once; the queued replot merges the events of one frame.
            prepareForRender();
            m_plot->replot(QCustomPlot::rpQueuedReplot);
        } else {
            scheduleReplot();
        }
    });
    refreshGeometry();
    applyRange();
    scheduleReplot();
}

void TimelineView::setReplotInterval(int ms)
{
    m_replotIntervalMs = std::max(0, ms);
}

void TimelineView::rebuildLayout()
{
    QCPLayoutGrid* grid = m_plot->plotLayout();
    for (QCPLayoutElement* element : { static_cast<QCPLayoutElement*>(m_title),
             static_cast<QCPLayoutElement*>(m_laneRect), static_cast<QCPLayoutElement*>(m_counterRect),
             static_cast<QCPLayoutElement*>(m_legend), static_cast<QCPLayoutElement*>(m_caption) }) {
        if (element->layout() == grid)
            grid->take(element);
    }
    grid->simplify();
    int row = 0;
    QList<double> stretch;
    if (!m_titleText.isEmpty()) {
        grid->addElement(row++, 0, m_title);
        stretch << 0.001;
    }
    grid->addElement(row++, 0, m_laneRect);
    stretch << 1;
    grid->addElement(row++, 0, m_counterRect);
    stretch << 0.001;
    if (m_legendVisible && m_legendFits) {
        grid->addElement(row++, 0, m_legend);
        stretch << 0.001;
    }
    if (!m_captionText.isEmpty()) {
        grid->addElement(row++, 0, m_caption);
        stretch << 0.001;
    }
    grid->setRowStretchFactors(stretch);
    grid->setRowSpacing(4);
    m_title->setVisible(!m_titleText.isEmpty());
    m_caption->setVisible(!m_captionText.isEmpty());
    m_legend->setVisible(m_legendVisible && m_legendFits);
}

void TimelineView::updateLegendFit(QSize plotSize)
{
    // What the legend would take at this width, against what the lanes need: three of them at a
    // readable height, besides the counter track, the axis, the title and the caption.
    int items = 0;
    int itemHeight = 0;
    for (int i = 0; i < m_legend->itemCount(); ++i) {
        if (QCPAbstractLegendItem* item = m_legend->item(i)) {
            ++items;
            itemHeight = std::max(itemHeight, item->minimumOuterSizeHint().height());
        }
    }
    const int columns = std::max(1, m_legend->wrap());
    const int legendHeight = (items + columns - 1) / columns * (itemHeight + m_legend->rowSpacing()) + 10;
    const int fixed = 90 + 45 + (m_titleText.isEmpty() ? 0 : 28) + (m_captionText.isEmpty() ? 0 : 20);
    // Room for the caller's lane and three workers (or all lanes, when fewer): the lanes are what
    // the window is for, the glossary (F1) explains every colour too.
    const int wanted = std::clamp(m_data ? m_data->rowCount() : 3, 3, 4);
    // A height at which the lanes, laid out, came out too few stays too small (see fitLanesToHeight()).
    const bool fits = plotSize.height() - legendHeight - fixed * m_scale >= wanted * laneHeightFloor()
        && plotSize.height() > m_legendSqueezedAt;
    if (fits != m_legendFits) {
        m_legendFits = fits;
        rebuildLayout();
    }
}

void TimelineView::setData(const TimelineData* data)
{
    m_data = data;
    m_legendSqueezedAt = -1; // other lanes: the legend may fit again
    m_lanes->setData(data);
    m_counters->setData(data);
    m_viewport->clearZoomStack();
    reset();
}

void TimelineView::reset()
{
    m_lanesDirty = true;
    m_viewport->setFollowing(true);
    refreshGeometry();
    m_viewport->fit(Viewport::Cause::Program);
    applyRange();
    replotNow();
}

TimelineMapping TimelineView::mapping() const
{
    return m_viewport->mapping(m_laneRect->left(), std::max(1, m_laneRect->width()));
}

int TimelineView::zoomStackDepth() const
{
    return static_cast<int>(m_viewport->zoomStackDepth());
}

bool TimelineView::isFollowing() const
{
    return m_viewport->isFollowing();
}

void TimelineView::refreshGeometry()
{
    if (m_data && !m_data->isEmpty())
        m_viewport->setExtent(this, static_cast<double>(m_data->begin()), static_cast<double>(m_data->now()));
    else
        m_viewport->removeExtent(this);
}

void TimelineView::applyRange()
{
    const QCPRange range(m_viewport->start() / timelineNsPerKey, m_viewport->end() / timelineNsPerKey);
    m_laneRect->axis(QCPAxis::atBottom)->setRange(range);
    m_counterRect->axis(QCPAxis::atBottom)->setRange(range);
    emit visibleRangeChanged(m_viewport->start(), m_viewport->end());
}

void TimelineView::setVisibleRange(double fromNs, double toNs, Viewport::Cause cause)
{
    refreshGeometry();
    m_viewport->pushZoom();
    m_viewport->setFollowing(false);
    m_viewport->setRange(fromNs, toNs, cause);
}

void TimelineView::fit()
{
    refreshGeometry();
    TimelineMapping fitted = mapping();
    fitted.fit();
    if (fitted.start != m_viewport->start() || fitted.end != m_viewport->end())
        m_viewport->pushZoom();
    m_viewport->setFollowing(true);
    m_viewport->fit(Viewport::Cause::User);
}

void TimelineView::zoomBack()
{
    refreshGeometry();
    m_viewport->zoomBack(Viewport::Cause::User);
}

void TimelineView::zoomAround(double pixelX, double factor)
{
    refreshGeometry();
    m_viewport->setFollowing(false);
    TimelineMapping m = mapping();
    m.zoomAt(pixelX, factor);
    m_viewport->apply(m, Viewport::Cause::User);
}

void TimelineView::panBy(double dpx)
{
    refreshGeometry();
    m_viewport->setFollowing(false);
    TimelineMapping m = mapping();
    m.pan(dpx);
    m_viewport->apply(m, Viewport::Cause::User);
}

void TimelineView::zoomIn()
{
    refreshGeometry();
    m_viewport->pushZoom();
    const TimelineMapping m = mapping();
    zoomAround(m.left + m.width / 2, 2.0);
}

void TimelineView::zoomOut()
{
    refreshGeometry();
    m_viewport->pushZoom();
    const TimelineMapping m = mapping();
    zoomAround(m.left + m.width / 2, 0.5);
}

void TimelineView::notifyDataChanged(const TimelineChange& change)
{
    if (change.lanesChanged)
        m_lanesDirty = true;
    refreshGeometry();
    if (m_viewport->isFollowing())
        m_viewport->fit(Viewport::Cause::Program);
    scheduleReplot();
}

void TimelineView::scheduleReplot()
{
    if (m_replotTimer.isActive())
        return;
    const qint64 since = m_lastReplot.elapsed();
    m_replotTimer.start(static_cast<int>(std::max<qint64>(0, m_replotIntervalMs - since)));
}

void TimelineView::replotNow()
{
    m_replotTimer.stop();
    prepareForRender();
    m_plot->replot(QCustomPlot::rpQueuedRefresh);
    m_lastReplot.restart();
}

void TimelineView::updateLaneTicks()
{
    QMap<double, QString> ticks;
    const int rows = m_data ? m_data->rowCount() : 1;
    for (int row = 0; row < rows; ++row) {
        const QString name = m_data ? toQString(m_data->laneTitle(row)) : QStringLiteral("caller");
        ticks.insert(row + 0.5, row == 0 ? QStringLiteral("caller") : name);
    }
    m_laneTicker->setTicks(ticks);
    m_lanesDirty = false;
}

void TimelineView::fitLanesToHeight()
{
    const int rows = m_data ? std::max(1, m_data->rowCount()) : 1;
    const int fit = std::max(1, m_laneRect->rect().height() / laneHeightFloor());
    m_visibleRows = m_allLanes ? rows : std::min(rows, fit);
    m_firstRow = std::clamp(m_firstRow, 0, rows - m_visibleRows);
    const bool overflow = m_visibleRows < rows;
    if (!m_allLanes && m_legendVisible && m_legendFits && m_visibleRows < std::min(rows, 4)) {
        // The estimate in updateLegendFit() was too kind: the legend gives way to the lanes, after
        // this layout has finished, and stays away at this height.
        m_legendSqueezedAt = m_plot->height();
        m_legendFits = false;
        QMetaObject::invokeMethod(
            this,
            [this] {
                rebuildLayout();
                replotNow();
            },
            Qt::QueuedConnection);
    }
    if (!m_allLanes) {
        const QSignalBlocker blocker(m_laneScroll);
        m_laneScroll->setRange(0, rows - m_visibleRows);
        m_laneScroll->setPageStep(m_visibleRows);
        m_laneScroll->setValue(m_firstRow);
        if (m_laneScroll->isVisible() != overflow)
            m_laneScroll->setVisible(overflow); // resizes the plot: a queued replot follows
    }
    QCPAxis* y = m_laneRect->axis(QCPAxis::atLeft);
    const QCPRange wanted(m_firstRow, m_firstRow + m_visibleRows);
    if (y->range() == wanted)
        return;
    y->setRange(wanted);
    // The axis has already placed its ticks for the old range: lay out again before anything is
    // drawn, so that this very frame shows the labels of the lanes it draws.
    QCPLayoutGrid* grid = m_plot->plotLayout();
    grid->update(QCPLayoutElement::upPreparation);
    grid->update(QCPLayoutElement::upMargins);
    grid->update(QCPLayoutElement::upLayout);
}

void TimelineView::setTimeLimit(std::optional<std::int64_t> ns)
{
    m_lanes->setTimeLimit(ns);
    m_counters->setTimeLimit(ns);
    scheduleReplot();
}

std::optional<std::int64_t> TimelineView::timeLimit() const
{
    return m_lanes->timeLimit();
}

void TimelineView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    // The system switched between light and dark (or the application palette was set).
    if (event->type() == QEvent::PaletteChange) {
        const TimelineStyle::Scheme wanted { TimelineStyle::isDarkPalette(palette()), m_scheme.highContrast };
        if (wanted != m_scheme) {
            applyScheme(wanted);
            scheduleReplot();
        }
    }
}

void TimelineView::setHighContrast(bool on)
{
    if (on == m_scheme.highContrast)
        return;
    applyScheme({ m_scheme.dark, on });
    scheduleReplot();
}

void TimelineView::applyScheme(TimelineStyle::Scheme scheme)
{
    m_scheme = scheme;
    const QColor fg = TimelineStyle::foreground(scheme);
    const QColor bg = TimelineStyle::plotBackground(scheme);
    const int width = scheme.highContrast ? 2 : 1;
    m_plot->setBackground(bg);
    for (QCPAxisRect* rect : { m_laneRect, m_counterRect }) {
        rect->setBackground(Qt::NoBrush);
        for (QCPAxis* axis : rect->axes()) {
            axis->setBasePen(QPen(fg, width));
            axis->setTickPen(QPen(fg, width));
            axis->setSubTickPen(QPen(fg, 1));
            axis->setTickLabelColor(fg);
            axis->setLabelColor(fg);
            axis->grid()->setPen(QPen(TimelineStyle::gridColor(scheme), 1, Qt::DotLine));
        }
    }
    m_title->setTextColor(fg);
    m_caption->setTextColor(TimelineStyle::captionColor(scheme));
    m_legend->setTextColor(fg);
    for (int i = 0; i < m_legend->itemCount(); ++i) {
        if (QCPAbstractLegendItem* item = m_legend->item(i))
            item->setTextColor(fg);
        if (auto* swatch = qobject_cast<TimelineLegendItem*>(m_legend->item(i)))
            swatch->setScheme(scheme);
    }
    m_lanes->setScheme(scheme);
}

void TimelineView::setPresentationScale(double scale)
{
    if (scale == m_scale || scale <= 0)
        return;
    m_scale = scale;
    auto sized = [scale](QFont font, double points) {
        font.setPointSizeF(points * scale);
        return font;
    };
    const QFont base = font();
    for (QCPAxisRect* rect : { m_laneRect, m_counterRect }) {
        for (QCPAxis* axis : rect->axes()) {
            // QCustomPlot's own default for both is the widget's font.
            axis->setTickLabelFont(sized(base, base.pointSizeF()));
            axis->setLabelFont(sized(base, base.pointSizeF()));
        }
    }
    m_lanes->setLabelFont(sized(base, 8.5));
    QFont legendFont = sized(base, 8.5);
    m_legend->setFont(legendFont);
    m_legend->setIconSize(static_cast<int>(30 * scale), static_cast<int>(12 * scale));
    for (int i = 0; i < m_legend->itemCount(); ++i) {
        if (QCPAbstractLegendItem* item = m_legend->item(i))
            item->setFont(legendFont);
    }
    QFont titleFont = sized(base, 13);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_caption->setFont(sized(base, 9));
    m_counterRect->setMinimumSize(0, static_cast<int>(60 * scale));
    m_counterRect->setMaximumSize(QWIDGETSIZE_MAX, static_cast<int>(90 * scale));
    updateLegendWrap(m_plot->width());
    replotNow();
}

void TimelineView::scrollLanesTo(int firstRow)
{
    if (firstRow == m_firstRow)
        return;
    m_firstRow = firstRow;
    const QSignalBlocker blocker(m_laneScroll);
    m_laneScroll->setValue(firstRow);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::ensureRowVisible(int row)
{
    if (row < m_firstRow)
        scrollLanesTo(row);
    else if (row >= m_firstRow + m_visibleRows)
        scrollLanesTo(row - m_visibleRows + 1);
}

void TimelineView::prepareForRender()
{
    if (m_lanesDirty)
        updateLaneTicks();
    // Before the frame, so that new data's entries need no second replot; afterReplot catches folds.
    updateLegendEntries();
    // The counter axis follows the peak of what is visible, so a burst elsewhere does not flatten it.
    const int peak = m_counters->peakIn(m_viewport->start(), m_viewport->end());
    const double top = std::max(2.0, std::ceil(peak * 1.15));
    m_counterRect->axis(QCPAxis::atLeft)->setRange(0, top);
}

std::vector<TimelineStyle::Swatch> TimelineView::usedSwatches() const
{
    using Swatch = TimelineStyle::Swatch;
    // Asked twice a replot: the enum's values, not legendEntries() and its 17 strings.
    std::vector<Swatch> used;
    for (int s = 0; s <= static_cast<int>(Swatch::CounterQueued); ++s)
        used.push_back(static_cast<Swatch>(s));
    if (!m_data || m_data->isEmpty())
        return used;
    bool running = false;
    std::array<bool, timelineSpanKindCount> layers {};
    for (const TimelineLane& lane : m_data->lanes()) {
        running = running || lane.openTaskValid;
        for (std::size_t k = 0; k < layers.size(); ++k)
            layers[k] = layers[k] || !lane.layers[k].empty() || lane.openValid[k];
    }
    const bool tasks = !m_data->tasks().empty();
    auto has = [&](Swatch swatch) {
        auto layer = [&](TimelineSpanKind kind) { return layers[static_cast<std::size_t>(kind)]; };
        switch (swatch) {
        case Swatch::Finished:
            return m_data->attemptsEndedAs(TimelineOutcome::Finished) > 0;
        case Swatch::Failed:
            return m_data->attemptsEndedAs(TimelineOutcome::Failed) > 0;
        case Swatch::Retried:
            return m_data->attemptsEndedAs(TimelineOutcome::Retried) > 0;
        case Swatch::Cancelled:
            return m_data->attemptsEndedAs(TimelineOutcome::Cancelled) > 0;
        case Swatch::Running:
            // Replaying: what was still running at the playhead is drawn as running.
            return running || (m_lanes->timeLimit() && *m_lanes->timeLimit() < m_data->now());
        case Swatch::Folded:
            return m_lanes->lastDrawStats().foldRuns > 0;
        case Swatch::CallQueue:
            return layer(TimelineSpanKind::CallQueue);
        case Swatch::GilWait:
            return layer(TimelineSpanKind::GilWait);
        case Swatch::GilHeld:
            return layer(TimelineSpanKind::GilHeld);
        case Swatch::Spawn:
            return layer(TimelineSpanKind::Spawn);
        case Swatch::CallerBlocked:
            return layer(TimelineSpanKind::CallerBlocked);
        case Swatch::Callback:
            return layer(TimelineSpanKind::Callback);
        case Swatch::Deadline:
            return !m_data->deadlines().empty();
        case Swatch::RetryLink:
            return !m_data->retryLinks().empty();
        case Swatch::QueueWait:
        case Swatch::CounterRunning:
        case Swatch::CounterQueued:
            return tasks;
        }
        return true;
    };
    used.erase(std::remove_if(used.begin(), used.end(), [&](Swatch s) { return !has(s); }), used.end());
    return used;
}

void TimelineView::updateLegendEntries()
{
    const std::vector<TimelineStyle::Swatch> used = usedSwatches();
    if (used == m_legendSwatches)
        return;
    m_legendSwatches = used;
    m_legend->clearItems();
    QFont legendFont = m_legend->font();
    for (const auto& entry : TimelineStyle::legendEntries()) {
        if (std::find(used.begin(), used.end(), entry.swatch) == used.end())
            continue;
        auto* item = new TimelineLegendItem(m_legend, entry.swatch, entry.text);
        item->setFont(legendFont);
        item->setTextColor(TimelineStyle::foreground(m_scheme));
        item->setScheme(m_scheme);
        m_legend->addItem(item);
    }
    m_legend->setWrap(0); // makes updateLegendWrap() lay the new items out
    m_legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, false);
    updateLegendWrap(m_plot->width());
}

void TimelineView::updateLegendWrap(int width)
{
    int widest = 0;
    // itemCount() counts the grid's cells, and a wrapped grid has empty ones.
    for (int i = 0; i < m_legend->itemCount(); ++i) {
        if (QCPAbstractLegendItem* item = m_legend->item(i))
            widest = std::max(widest, item->minimumOuterSizeHint().width());
    }
    const int columns = std::max(1, (width - 40) / std::max(1, widest + m_legend->columnSpacing()));
    if (columns != m_legend->wrap()) {
        m_legend->setWrap(columns);
        m_legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    }
    updateLegendFit(QSize(width, m_plot->height()));
    // A text element is centred and never wraps, so a caption wider than the plot would be cut off
    // at both ends; shorten it in the middle instead (the trace keeps the full parameters).
    if (!m_captionText.isEmpty()) {
        const QFontMetrics metrics(m_caption->font());
        m_caption->setText(metrics.elidedText(m_captionText, Qt::ElideMiddle, std::max(40, width - 24)));
    }
}

void TimelineView::setTitle(const QString& title)
{
    m_titleText = title;
    m_title->setText(title);
    rebuildLayout();
}

QFont TimelineView::titleFont() const
{
    return m_title->font();
}

void TimelineView::setCaption(const QString& caption)
{
    m_captionText = caption;
    m_caption->setText(caption);
    updateLegendWrap(m_plot->width());
    rebuildLayout();
}

void TimelineView::setLegendVisible(bool visible)
{
    m_legendVisible = visible;
    rebuildLayout();
}

std::optional<TimelineTaskKey> TimelineView::selectedTask() const
{
    return m_lanes->selectedTask();
}

void TimelineView::setEventMarks(const std::vector<std::pair<std::int64_t, int>>& events)
{
    std::vector<TimelinePlottable::EventMark> marks;
    marks.reserve(events.size());
    for (const auto& [time, worker] : events)
        marks.push_back({ time, TimelineData::rowOfWorker(worker) });
    m_lanes->setEventMarks(std::move(marks));
    if (!events.empty()) {
        ensureRowVisible(TimelineData::rowOfWorker(events.front().second));
        const double t = static_cast<double>(events.front().first);
        if (t < m_viewport->start() || t > m_viewport->end()) {
            const double half = m_viewport->range() / 2;
            setVisibleRange(t - half, t + half, Viewport::Cause::Program);
        }
    }
    scheduleReplot();
}

void TimelineView::selectTask(quint64 taskId, int attempt)
{
    m_lanes->setSelectedTask(TimelineTaskKey { taskId, attempt });
    if (m_data) {
        if (const auto ref = m_data->findAttempt(taskId, attempt)) {
            std::int64_t start = 0;
            std::int64_t end = 0;
            if (const TimelineTaskSpan* span = m_data->taskSpan(*ref)) {
                start = span->start;
                end = ref->where == TimelineAttemptRef::Where::Open ? m_data->now() : span->end;
            } else if (ref->where == TimelineAttemptRef::Where::Mark) {
                start = end = m_data->lanes()[0].marks[ref->index].time;
            }
            if (ref->where != TimelineAttemptRef::Where::Queued)
                ensureRowVisible(ref->row);
            const double s = static_cast<double>(start);
            const double e = static_cast<double>(end);
            if (e < m_viewport->start() || s > m_viewport->end()) {
                // Out of view: centre it, same zoom.
                const double half = m_viewport->range() / 2;
                const double centre = (s + e) / 2;
                setVisibleRange(centre - half, centre + half, Viewport::Cause::Program);
            }
        }
    }
    scheduleReplot();
}

void TimelineView::clearSelection()
{
    m_lanes->setSelectedTask(std::nullopt);
    scheduleReplot();
}

QPointF TimelineView::pixelFor(double timeNs, int row) const
{
    const QRectF r = m_lanes->rowRect(row);
    const double x = m_laneRect->axis(QCPAxis::atBottom)->coordToPixel(timeNs / timelineNsPerKey);
    return QPointF(x, TimelineStyle::rowGeometry(r.top(), r.bottom()).centre());
}

QString TimelineView::toolTipAt(const QPointF& pixel) const
{
    if (!m_data)
        return {};
    const TimelineHit hit = m_lanes->hitAt(pixel);
    const auto lane = [&](int row) { return toQString(m_data->laneTitle(row)).toHtmlEscaped(); };
    auto taskHeader = [&](const TimelineTask& task, int attempt) {
        QString text = QStringLiteral("<b>Task #") + QString::number(task.id) + QStringLiteral("</b>");
        if (task.attempts > 1 || attempt > 0)
            text += QStringLiteral(" — attempt ") + QString::number(attempt + 1) + QStringLiteral(" of ")
                + QString::number(std::max<int>(task.attempts, attempt + 1));
        if (task.label != noText)
            text += QStringLiteral("<br>arguments: ") + toQString(m_data->text(task.label)).toHtmlEscaped();
        return text;
    };
    switch (hit.kind) {
    case TimelineHit::Kind::None:
        return {};
    case TimelineHit::Kind::Task: {
        const TimelineTaskSpan* span = m_data->taskSpan(hit.ref);
        if (!span)
            return {};
        const bool open = hit.ref.where == TimelineAttemptRef::Where::Open;
        const std::int64_t end = open ? m_data->now() : span->end;
        const TimelineTask& task = m_data->tasks()[span->task];
        QString text = taskHeader(task, span->attempt);
        text += QStringLiteral("<br>worker: ") + lane(hit.row);
        text += QStringLiteral("<br>submitted ") + ns(static_cast<double>(span->queued)) + QStringLiteral(", started ")
            + ns(static_cast<double>(span->start))
            + (open ? QStringLiteral(", still running") : QStringLiteral(", ended ") + ns(static_cast<double>(end)));
        text += QStringLiteral("<br>queue wait ") + ns(static_cast<double>(span->start - span->queued))
            + QStringLiteral(", run time ") + ns(static_cast<double>(end - span->start));
        text += QStringLiteral("<br>outcome: <b>") + outcomeText(open ? TimelineOutcome::Running : span->outcome)
            + QStringLiteral("</b>");
        if (span->error != noText)
            text += QStringLiteral("<br>error: ") + toQString(m_data->text(span->error)).toHtmlEscaped();
        return text;
    }
    case TimelineHit::Kind::Mark: {
        const TimelineMark& mark = m_data->lanes()[0].marks[hit.ref.index];
        const TimelineTask& task = m_data->tasks()[mark.task];
        QString text = taskHeader(task, mark.attempt);
        text += QStringLiteral("<br>never ran: <b>") + outcomeText(mark.outcome) + QStringLiteral("</b> at ")
            + ns(static_cast<double>(mark.time));
        text += QStringLiteral("<br>submitted ") + ns(static_cast<double>(mark.queued)) + QStringLiteral(", waited ")
            + ns(static_cast<double>(mark.time - mark.queued));
        if (mark.error != noText)
            text += QStringLiteral("<br>error: ") + toQString(m_data->text(mark.error)).toHtmlEscaped();
        return text;
    }
    case TimelineHit::Kind::Span: {
        const TimelineLane& l = m_data->lanes()[static_cast<std::size_t>(hit.row)];
        const auto k = static_cast<std::size_t>(hit.spanKind);
        const bool open = hit.spanIndex < 0;
        const TimelineSpan& span = open ? l.open[k] : l.layers[k][static_cast<std::size_t>(hit.spanIndex)];
        const std::int64_t end = open ? m_data->now() : span.end;
        QString text = QStringLiteral("<b>") + spanKindText(hit.spanKind) + QStringLiteral("</b>");
        if (span.text != noText)
            text += QStringLiteral(": ") + toQString(m_data->text(span.text)).toHtmlEscaped();
        text += QStringLiteral("<br>") + lane(hit.row);
        if (span.task != noTask)
            text += QStringLiteral("<br>task #") + QString::number(m_data->tasks()[span.task].id);
        text += QStringLiteral("<br>from ") + ns(static_cast<double>(span.start))
            + (open ? QStringLiteral(", still going") : QStringLiteral(" to ") + ns(static_cast<double>(end)))
            + QStringLiteral(" (") + ns(static_cast<double>(end - span.start)) + QStringLiteral(")");
        return text;
    }
    }
    return {};
}

QString TimelineView::wrapCaption(const QString& caption, const QFont& font, int width, QPaintDevice* device)
{
    // The caption is "part  ·  part  ·  part": break between parts, never inside one.
    const QString separator = QStringLiteral("  ·  ");
    // Measured on the device it will be drawn on: an offscreen screen's DPI need not be the image's.
    const QFontMetricsF fm(font, device);
    if (fm.horizontalAdvance(caption) <= width)
        return caption;
    QStringList lines;
    QString line;
    for (const QString& part : caption.split(separator)) {
        const QString candidate = line.isEmpty() ? part : line + separator + part;
        if (!line.isEmpty() && fm.horizontalAdvance(candidate) > width) {
            lines << line;
            line = part;
        } else {
            line = candidate;
        }
    }
    lines << line;
    return lines.join(QLatin1Char('\n'));
}

void TimelineView::render(QCPPainter* painter, const QSize& size)
{
    // Exports are documents: drawn light, whatever the screen uses.
    const TimelineStyle::Scheme onScreen = m_scheme;
    const TimelineStyle::Scheme forExport { false, onScreen.highContrast };
    if (onScreen != forExport)
        applyScheme(forExport);
    updateLegendWrap(size.width());
    // An export has room for a caption of several lines: wrap it (after updateLegendWrap(), which
    // shortens it to one line for the screen).
    if (!m_captionText.isEmpty())
        m_caption->setText(wrapCaption(m_captionText, m_caption->font(), size.width() - 40, painter->device()));
    // Lay out once for the export size so the mapping and the counter range match what gets drawn.
    prepareForRender();
    // An export shows every lane and the legend: it stands for the whole run, and a picture cannot
    // scroll.
    m_allLanes = true;
    const bool fitted = m_legendFits;
    if (!fitted) {
        m_legendFits = true;
        rebuildLayout();
    }
    m_plot->toPainter(painter, size.width(), size.height());
    m_allLanes = false;
    if (!fitted) {
        m_legendFits = false;
        rebuildLayout();
    }
    if (onScreen != forExport)
        applyScheme(onScreen);
    updateLegendWrap(m_plot->width());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool TimelineView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != m_plot)
        return QWidget::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::Resize:
        updateLegendWrap(static_cast<QResizeEvent*>(event)->size().width());
        // About one time label per 110 px, so that "125 ms" never runs into "150 ms".
        m_timeTicker->setTickCount(std::clamp(static_cast<QResizeEvent*>(event)->size().width() / 110, 2, 8));
        // After QCustomPlot's own handling has set the new viewport, keep the range and replot.
        QMetaObject::invokeMethod(
            this,
            [this] {
                refreshGeometry();
                if (m_viewport->isFollowing())
                    m_viewport->fit(Viewport::Cause::Program);
                applyRange();
                replotNow();
            },
            Qt::QueuedConnection);
        return false;
    case QEvent::ToolTip: {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, m_plot);
        return true;
    }
    case QEvent::MouseButtonPress: {
        auto* mouse = static_cast<QMouseEvent*>(event);
        setFocus(Qt::MouseFocusReason);
        m_pressPos = mouse->position().toPoint();
        m_lastDragX = mouse->position().x();
        const bool band = mouse->button() == Qt::RightButton
            || (mouse->button() == Qt::LeftButton && (mouse->modifiers() & Qt::ShiftModifier));
        if (band) {
            m_drag = Drag::Band;
            m_band->setGeometry(QRect(m_pressPos, QSize(1, 1)));
            m_band->show();
        } else if (mouse->button() == Qt::LeftButton) {
            m_drag = Drag::Pending;
        }
        return true;
    }
    case QEvent::MouseMove: {
        auto* mouse = static_cast<QMouseEvent*>(event);
        const QPoint pos = mouse->position().toPoint();
        if (m_drag == Drag::Band) {
            const int top = std::min(m_laneRect->top(), m_counterRect->top());
            const int bottom = std::max(m_laneRect->bottom(), m_counterRect->bottom());
            m_band->setGeometry(QRect(
                QPoint(std::min(pos.x(), m_pressPos.x()), top), QPoint(std::max(pos.x(), m_pressPos.x()), bottom)));
            return true;
        }
        if (m_drag == Drag::Pending && (pos - m_pressPos).manhattanLength() > dragThreshold)
            m_drag = Drag::Pan;
        if (m_drag == Drag::Pan) {
            panBy(mouse->position().x() - m_lastDragX);
            m_lastDragX = mouse->position().x();
        }
        return true;
    }
    case QEvent::MouseButtonRelease: {
        auto* mouse = static_cast<QMouseEvent*>(event);
        const QPoint pos = mouse->position().toPoint();
        if (m_drag == Drag::Band) {
            m_band->hide();
            if (std::abs(pos.x() - m_pressPos.x()) > dragThreshold) {
                refreshGeometry();
                const TimelineMapping m = mapping();
                setVisibleRange(m.toTime(std::min(pos.x(), m_pressPos.x())),
                    m.toTime(std::max(pos.x(), m_pressPos.x())), Viewport::Cause::User);
            }
        } else if (m_drag == Drag::Pending) {
            // A click: select what is under it, or clear the selection.
            if (const auto task = m_lanes->taskAt(mouse->position())) {
                m_lanes->setSelectedTask(task);
                emit taskSelected(task->taskId, task->attempt);
            } else if (m_lanes->selectedTask()) {
                m_lanes->setSelectedTask(std::nullopt);
                emit selectionCleared();
            }
            replotNow();
        }
        m_drag = Drag::None;
        return true;
    }
    case QEvent::MouseButtonDblClick: {
        // Zoom to the attempt under the cursor, queue wait included.
        auto* mouse = static_cast<QMouseEvent*>(event);
        const TimelineHit hit = m_lanes->hitAt(mouse->position());
        if (const TimelineTaskSpan* span = !m_data    ? nullptr
                : hit.kind == TimelineHit::Kind::Task ? m_data->taskSpan(hit.ref)
                                                      : nullptr) {
            const double from = static_cast<double>(std::min(span->queued, span->start));
            const double to
                = static_cast<double>(hit.ref.where == TimelineAttemptRef::Where::Open ? m_data->now() : span->end);
            const double margin = std::max((to - from) * 0.1, TimelineMapping::minimumRange);
            setVisibleRange(from - margin, to + margin, Viewport::Cause::User);
        }
        return true;
    }
    case QEvent::Wheel: {
        auto* wheel = static_cast<QWheelEvent*>(event);
        const QPoint delta = wheel->angleDelta();
        if ((wheel->modifiers() & Qt::ShiftModifier) && m_laneScroll->isVisible()) {
            // Shift+wheel scrolls the lanes (some platforms turn it into a horizontal turn).
            const int turn = delta.y() != 0 ? delta.y() : delta.x();
            const int rows = std::max(1, std::abs(turn) / 120) * (turn > 0 ? -1 : 1);
            scrollLanesTo(std::clamp(m_firstRow + rows, 0, m_laneScroll->maximum()));
            return true;
        }
        if (delta.y() != 0) {
            if (!m_lastWheel.isValid() || m_lastWheel.elapsed() > wheelBurstMs) {
                refreshGeometry();
                m_viewport->pushZoom();
            }
            m_lastWheel.restart();
            zoomAround(wheel->position().x(), std::pow(wheelStep, delta.y()));
        } else if (delta.x() != 0) {
            panBy(delta.x() / 2.0);
        }
        return true;
    }
    default:
        return QWidget::eventFilter(watched, event);
    }
}

void TimelineView::keyPressEvent(QKeyEvent* event)
{
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    const bool alt = event->modifiers() & Qt::AltModifier;
    switch (event->key()) {
    case Qt::Key_Home:
        fit();
        return;
    case Qt::Key_0:
        if (ctrl) {
            fit();
            return;
        }
        break;
    case Qt::Key_Backspace:
        zoomBack();
        return;
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
    case Qt::Key_Up:
    case Qt::Key_Down:
        if (m_laneScroll->isVisible()) {
            const bool page = event->key() == Qt::Key_PageUp || event->key() == Qt::Key_PageDown;
            const bool up = event->key() == Qt::Key_PageUp || event->key() == Qt::Key_Up;
            const int step = page ? std::max(1, m_visibleRows - 1) : 1;
            scrollLanesTo(std::clamp(m_firstRow + (up ? -step : step), 0, m_laneScroll->maximum()));
            return;
        }
        break;
    case Qt::Key_Left:
        if (alt) {
            zoomBack();
            return;
        }
        panBy(mapping().width / 8);
        return;
    case Qt::Key_Right:
        panBy(-mapping().width / 8);
        return;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
        zoomOut();
        return;
    case Qt::Key_Escape:
        if (m_lanes->selectedTask()) {
            clearSelection();
            emit selectionCleared();
        }
        return;
    default:
        break;
    }
    QWidget::keyPressEvent(event);
}

} // namespace poolscope::widgets
