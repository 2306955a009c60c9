#include "compare/comparisonview.h"
#include "common/toqstring.h"

#include "timeline/timelineexporter.h"
#include "timeline/timelineqcp.h"
#include "timeline/timelinestyle.h"
#include "timeline/timelineview.h"

#include <QLabel>
#include <QPicture>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace poolscope::widgets {

struct ComparisonView::Group {
    trace::Trace trace;
    timeline::TimelineData data;
    TimelineView* view = nullptr;
};

namespace {
QString milliseconds(std::chrono::nanoseconds ns)
{
    return QStringLiteral("%1 ms").arg(static_cast<double>(ns.count()) / 1e6, 0, 'f', 1);
}

// What a bar's speedup says in words, against the first run.
QString speedupText(const trace::ComparedRun& run, bool baseline)
{
    if (baseline)
        return ComparisonView::tr("baseline");
    if (run.speedup <= 0)
        return QString();
    if (std::abs(run.speedup - 1.0) < 0.005)
        return ComparisonView::tr("same speed");
    // Two lines, so that neighbouring bars' labels stay apart.
    return run.speedup > 1 ? ComparisonView::tr("%1×\nfaster").arg(run.speedup, 0, 'f', 2)
                           : ComparisonView::tr("%1×\nslower").arg(1.0 / run.speedup, 0, 'f', 2);
}

// Text laid out in `width`, word-wrapped: its height.
int wrappedHeight(const QString& text, const QFont& font, int width, QPaintDevice* device)
{
    const QFontMetrics metrics(font, device);
    return metrics.boundingRect(QRect(0, 0, width, 10000), Qt::TextWordWrap, text).height();
}
} // namespace

ComparisonView::ComparisonView(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAccessibleName(tr("Comparison summary"));
    layout->addWidget(m_summary);
    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->setChildrenCollapsible(false);
    // The groups scroll rather than squeeze: each keeps room for all its lanes at their minimum height.
    auto* scroll = new QScrollArea(m_split);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_stack = new QSplitter(Qt::Vertical);
    m_stack->setChildrenCollapsible(false);
    scroll->setWidget(m_stack);
    m_bars = new QCustomPlot(m_split);
    m_bars->setAccessibleName(tr("Wall times and speedups"));
    m_bars->setMinimumWidth(280);
    m_bars->setMaximumWidth(420); // the timelines take the rest
    m_bars->plotLayout()->insertRow(0);
    m_barsTitle = new QCPTextElement(m_bars, QString());
    m_bars->plotLayout()->addElement(0, 0, m_barsTitle);
    m_split->addWidget(scroll);
    m_split->addWidget(m_bars);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 1);
    layout->addWidget(m_split, 1);
    m_bars->hide();
}

ComparisonView::~ComparisonView()
{
    clearGroups();
}

void ComparisonView::clearGroups()
{
    // The views read the groups' data: they go first.
    for (auto& group : m_groups) {
        group->view->setData(nullptr);
        delete group->view;
    }
    m_groups.clear();
}

TimelineView* ComparisonView::group(int index) const
{
    return index >= 0 && index < groupCount() ? m_groups[static_cast<std::size_t>(index)]->view : nullptr;
}

const trace::Trace& ComparisonView::run(int index) const
{
    return m_groups.at(static_cast<std::size_t>(index))->trace;
}

void ComparisonView::setRuns(std::vector<trace::Trace> runs, const QString& title)
{
    clearGroups();
    m_leftMargin = 0;
    m_title = title.isEmpty() ? tr("Runs compared") : title;

    double longest = 0;
    for (trace::Trace& run : runs) {
        auto group = std::make_unique<Group>();
        group->trace = std::move(run);
        group->data = timeline::TimelineData::fromTrace(group->trace);
        longest = std::max(longest, static_cast<double>(trace::run_wall_time(group->trace).count()));
        longest = std::max(longest, static_cast<double>(group->data.now()));
        m_groups.push_back(std::move(group));
    }
    std::vector<const trace::Trace*> traces;
    for (const auto& group : m_groups)
        traces.push_back(&group->trace);
    m_comparison = trace::compare_runs(traces);
    // Every group from 0, the moment its run started, to the end of the longest run.
    m_viewport.setExtent(this, 0, std::max(longest, 1.0));

    for (int i = 0; i < groupCount(); ++i) {
        Group& group = *m_groups[static_cast<std::size_t>(i)];
        group.view = new TimelineView(m_stack);
        group.view->setAccessibleName(tr("Timeline of run %1").arg(toQString(m_comparison.runs[i].label)));
        group.view->setViewport(&m_viewport);
        group.view->setData(&group.data);
        group.view->setTitle(groupTitle(i));
        // One legend, under the last group: the colours mean the same in every group.
        group.view->setLegendVisible(i == groupCount() - 1);
        // Title, time axis and counter track, and every lane at its minimum height.
        group.view->setMinimumHeight(200 + TimelineView::minimumLaneHeight * group.data.rowCount());
        m_stack->addWidget(group.view);
        m_stack->setStretchFactor(i, groupWeight(i));
        connect(group.view->plot(), &QCustomPlot::afterLayout, this, &ComparisonView::alignAxes, Qt::QueuedConnection);
    }
    m_summary->setText(QStringLiteral("<b>%1</b> — %2").arg(m_title.toHtmlEscaped(), summaryText().toHtmlEscaped()));
    m_summary->setToolTip(caption());
    if (!m_barsVisibleSet)
        m_barsVisible = groupCount() >= 3;
    buildBarChart();
    m_bars->setVisible(m_barsVisible);
    fit();
}

QString ComparisonView::summaryText() const
{
    return toQString(m_comparison.summary());
}

QString ComparisonView::groupTitle(int index) const
{
    if (index < 0 || index >= static_cast<int>(m_comparison.runs.size()))
        return QString();
    const trace::ComparedRun& run = m_comparison.runs[static_cast<std::size_t>(index)];
    QString text = toQString(run.label) + QStringLiteral(" · ") + toQString(run.name);
    if (!run.changes.empty())
        text += QStringLiteral(" · ") + toQString(run.changes);
    text += QStringLiteral(" · ") + milliseconds(run.wall_time);
    if (index > 0 && run.ratio > 0)
        text += QStringLiteral(" (%1× %2)").arg(run.ratio, 0, 'f', 2).arg(toQString(m_comparison.runs.front().label));
    return text;
}

QString ComparisonView::caption() const
{
    QStringList lines;
    for (int i = 0; i < groupCount(); ++i)
        lines << toQString(m_comparison.runs[static_cast<std::size_t>(i)].label) + QStringLiteral(": ")
                + TimelineExporter::captionFor(run(i));
    return lines.join(QLatin1Char('\n'));
}

void ComparisonView::setBarChartVisible(bool visible)
{
    m_barsVisible = visible;
    m_barsVisibleSet = true;
    m_bars->setVisible(visible);
}

void ComparisonView::fit()
{
    m_viewport.setFollowing(true);
    m_viewport.fit(timeline::Viewport::Cause::User);
}

int ComparisonView::groupWeight(int index) const
{
    // Lanes, plus about three lanes' worth for the title, the time axis and the counter track.
    return m_groups[static_cast<std::size_t>(index)]->data.rowCount() + 3;
}

void ComparisonView::alignAxes()
{
    int widest = m_leftMargin;
    for (const auto& group : m_groups)
        widest = std::max(widest, group->view->laneRect()->margins().left());
    if (widest == m_leftMargin)
        return;
    // Only ever wider, so that this settles after one round.
    m_leftMargin = widest;
    for (const auto& group : m_groups) {
        QMargins floor = group->view->laneRect()->minimumMargins();
        floor.setLeft(widest);
        group->view->laneRect()->setMinimumMargins(floor);
        group->view->scheduleReplot();
    }
}

void ComparisonView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitTitles(m_stack->width());
}

void ComparisonView::fitTitles(int width)
{
    for (int i = 0; i < groupCount(); ++i) {
        TimelineView* view = group(i);
        const QFontMetrics metrics(view->titleFont());
        const QString full = groupTitle(i);
        const QString fitted = metrics.elidedText(full, Qt::ElideRight, std::max(80, width - 24));
        if (view->title() != fitted)
            view->setTitle(fitted);
        view->setToolTip(full);
    }
}

void ComparisonView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        colourBarChart(TimelineStyle::isDarkPalette(palette()));
        m_bars->replot(QCustomPlot::rpQueuedReplot);
    }
}

void ComparisonView::colourBarChart(bool dark)
{
    const TimelineStyle::Scheme scheme { dark, false };
    const QColor fg = TimelineStyle::foreground(scheme);
    m_bars->setBackground(TimelineStyle::plotBackground(scheme));
    for (QCPAxis* axis : m_bars->axisRect()->axes()) {
        axis->setBasePen(QPen(fg));
        axis->setTickPen(QPen(fg));
        axis->setSubTickPen(QPen(fg));
        axis->setTickLabelColor(fg);
        axis->setLabelColor(fg);
        axis->grid()->setPen(QPen(TimelineStyle::gridColor(scheme), 1, Qt::DotLine));
    }
    m_barsTitle->setTextColor(fg);
    for (int i = 0; i < m_bars->itemCount(); ++i) {
        if (auto* text = qobject_cast<QCPItemText*>(m_bars->item(i)))
            text->setColor(fg);
    }
}

void ComparisonView::buildBarChart()
{
    m_bars->clearPlottables();
    m_bars->clearItems();
    auto* bars = new QCPBars(m_bars->xAxis, m_bars->yAxis);
    bars->setName(tr("wall time"));
    bars->setPen(Qt::NoPen);
    bars->setBrush(QColor(0x00, 0x72, 0xB2)); // Okabe–Ito blue
    bars->setWidth(0.6);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    double highest = 0;
    for (std::size_t i = 0; i < m_comparison.runs.size(); ++i) {
        const trace::ComparedRun& run = m_comparison.runs[i];
        const double ms = static_cast<double>(run.wall_time.count()) / 1e6;
        bars->addData(static_cast<double>(i + 1), ms);
        highest = std::max(highest, ms);
        ticker->addTick(static_cast<double>(i + 1), toQString(run.label));
    }
    for (std::size_t i = 0; i < m_comparison.runs.size(); ++i) {
        const trace::ComparedRun& run = m_comparison.runs[i];
        auto* text = new QCPItemText(m_bars);
        text->position->setType(QCPItemPosition::ptPlotCoords);
        text->position->setCoords(static_cast<double>(i + 1), static_cast<double>(run.wall_time.count()) / 1e6);
        text->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        text->setTextAlignment(Qt::AlignHCenter);
        text->setText(milliseconds(run.wall_time) + QLatin1Char('\n') + speedupText(run, i == 0));
        text->setPadding(QMargins(2, 2, 2, 4));
        text->setClipToAxisRect(false);
    }
    m_bars->xAxis->setTicker(ticker);
    m_bars->xAxis->setRange(0.4, static_cast<double>(m_comparison.runs.size()) + 0.6);
    m_bars->xAxis->grid()->setVisible(false);
    // Headroom for the labels above the tallest bar.
    m_bars->yAxis->setRange(0, highest > 0 ? highest * 1.45 : 1);
    m_bars->yAxis->setLabel(tr("wall time (ms)"));
    m_barsTitle->setText(tr("Wall time, and speed vs %1")
                             .arg(m_comparison.runs.empty() ? QStringLiteral("A")
                                                            : toQString(m_comparison.runs.front().label)));
    colourBarChart(TimelineStyle::isDarkPalette(palette()));
    m_bars->replot();
}

void ComparisonView::render(QCPPainter* painter, const QSize& size)
{
    const int pad = 12;
    const int width = size.width() - 2 * pad;
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    QFont captionFont = font();
    captionFont.setPointSizeF(captionFont.pointSizeF() * 0.9);
    QPaintDevice* device = painter->device();
    const QString summary = summaryText();
    const QString captions = caption();
    const int titleHeight = wrappedHeight(m_title, titleFont, width, device);
    const int summaryHeight = wrappedHeight(summary, font(), width, device);
    const int captionHeight = wrappedHeight(captions, captionFont, width, device);

    int y = pad;
    painter->save();
    painter->setPen(Qt::black);
    painter->setFont(titleFont);
    painter->drawText(QRect(pad, y, width, titleHeight), Qt::TextWordWrap, m_title);
    y += titleHeight + 4;
    painter->setFont(font());
    painter->drawText(QRect(pad, y, width, summaryHeight), Qt::TextWordWrap, summary);
    y += summaryHeight + 6;
    painter->setFont(captionFont);
    painter->drawText(QRect(pad, size.height() - pad - captionHeight, width, captionHeight), Qt::TextWordWrap, captions);
    painter->restore();

    const int bodyHeight = std::max(100, size.height() - pad - captionHeight - 6 - y);
    const int barsWidth = m_barsVisible ? std::clamp(size.width() / 4, 200, 420) : 0;
    const int groupsWidth = size.width() - barsWidth;
    // The last group also holds the legend: about three lanes' worth more.
    const auto weight = [this](int i) { return groupWeight(i) + (i == groupCount() - 1 ? 3 : 0); };
    int totalWeight = 0;
    for (int i = 0; i < groupCount(); ++i)
        totalWeight += weight(i);
    std::vector<int> heights;
    for (int i = 0, left = bodyHeight; i < groupCount(); ++i) {
        heights.push_back(i == groupCount() - 1 ? left : bodyHeight * weight(i) / std::max(1, totalWeight));
        left -= heights.back();
    }
    fitTitles(groupsWidth);
    // A first pass lays every group out at its export size, so that their lanes can be made to start
    // at one x before the pass that counts.
    QPicture scratch;
    for (int i = 0; i < groupCount(); ++i) {
        QCPPainter layout(&scratch);
        m_groups[static_cast<std::size_t>(i)]->view->render(&layout, QSize(groupsWidth, heights[static_cast<std::size_t>(i)]));
    }
    alignAxes();
    int top = y;
    for (int i = 0; i < groupCount(); ++i) {
        painter->save();
        painter->translate(0, top);
        m_groups[static_cast<std::size_t>(i)]->view->render(painter, QSize(groupsWidth, heights[static_cast<std::size_t>(i)]));
        painter->restore();
        top += heights[static_cast<std::size_t>(i)];
    }
    if (m_barsVisible) {
        // An export is drawn light, as the timelines are.
        const bool dark = TimelineStyle::isDarkPalette(palette());
        if (dark)
            colourBarChart(false);
        painter->save();
        painter->translate(groupsWidth, y);
        m_bars->toPainter(painter, barsWidth, std::min(bodyHeight, std::max(240, bodyHeight / 2)));
        painter->restore();
        if (dark)
            colourBarChart(true);
    }
    fitTitles(m_stack->width());
}

QString ComparisonView::exportTo(const QString& path, double scale)
{
    TimelineExportOptions options;
    options.scale = scale;
    options.size = QSize(1600, 300 + 260 * std::max(1, groupCount()));
    const auto result = TimelineExporter::exportPainting(
        path, options, [this](QCPPainter* painter, const QSize& size) { render(painter, size); }, m_title, caption());
    return result.ok ? QString() : result.error;
}

} // namespace poolscope::widgets
