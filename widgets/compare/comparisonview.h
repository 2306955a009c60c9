#pragma once

#include <poolscope/timeline/timeline_data.h>
#include <poolscope/timeline/viewport.h>
#include <poolscope/trace/run_comparison.h>
#include <poolscope/trace/trace.h>

#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

class QCPPainter;
class QCustomPlot;
class QCPTextElement;
class QLabel;
class QSplitter;

namespace poolscope::widgets {

class TimelineView;

/// Runs compared on one time axis: one timeline (a lane group) per run, one above the other, each
/// starting at 0 (the moment its run started, so process start-up shows as the gap before the first
/// task), all sharing one timeline::Viewport so that zooming or panning any of them moves all. Each
/// group is titled with its label, what it is and what changed from the first run ("B · workers
/// 4 → 2"); a summary row above gives the wall times and their ratios to the first; with three runs
/// or more (exercise 7's pools) a bar chart beside them shows the wall times and speedups.
///
/// Everything shown is computed from the traces' recorded times (trace::compare_runs()). The view
/// owns copies of the traces and their timeline data. GUI thread only.
class ComparisonView : public QWidget {
    Q_OBJECT
public:
    explicit ComparisonView(QWidget* parent = nullptr);
    ~ComparisonView() override;

    /// Shows `runs`, the first being the baseline the ratios refer to; `title` heads the view and
    /// its exports (empty: "Runs compared"). Replaces what was shown.
    void setRuns(std::vector<trace::Trace> runs, const QString& title = {});

    int groupCount() const { return static_cast<int>(m_groups.size()); }
    TimelineView* group(int index) const;
    const trace::Trace& run(int index) const;
    const trace::RunComparison& comparison() const { return m_comparison; }
    timeline::Viewport* viewport() { return &m_viewport; }
    QString title() const { return m_title; }
    /// The summary row: "A 512.0 ms · B 1024.0 ms (2.00× A)".
    QString summaryText() const;
    /// A group's title: "B · C++ · thread pool, max_workers=2 · workers 4 → 2 · 1024.0 ms (2.00× A)".
    QString groupTitle(int index) const;
    /// Every run's caption (what, with which parameters, when, where), one "A: …" line each.
    QString caption() const;

    /// The bar chart of wall times and speedups; shown from three runs on unless set otherwise.
    QCustomPlot* barChart() const { return m_bars; }
    void setBarChartVisible(bool visible);
    bool isBarChartVisible() const { return m_barsVisible; }

    /// Draws the whole comparison at `size` (logical pixels), as for an export: title, summary row,
    /// every group with all its lanes, the bar chart, and the runs' captions.
    void render(QCPPainter* painter, const QSize& size);
    /// Writes render() to `path` (.png, .jpg, .pdf, .svg): 1600 logical pixels wide and tall enough
    /// for every group; `scale` as TimelineExportOptions::scale. The error text, empty on success.
    QString exportTo(const QString& path, double scale = 1.0);

public slots:
    /// Shows every run from 0 to the end of the longest.
    void fit();

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Group;
    void buildBarChart();
    void clearGroups();
    void alignAxes(); // on the GUI thread after a group's layout: every group's lanes start at one x
    void colourBarChart(bool dark); // the bar chart's ground and text, as the timelines'
    int groupWeight(int index) const;
    void fitTitles(int width); // each group's title elided to `width` pixels (the full one in its tooltip)

    std::vector<std::unique_ptr<Group>> m_groups;
    trace::RunComparison m_comparison;
    timeline::Viewport m_viewport;
    QString m_title;
    QLabel* m_summary = nullptr;
    QSplitter* m_split = nullptr;
    QSplitter* m_stack = nullptr;
    QCustomPlot* m_bars = nullptr;
    QCPTextElement* m_barsTitle = nullptr;
    bool m_barsVisible = false;
    bool m_barsVisibleSet = false;
    int m_leftMargin = 0;
};

} // namespace poolscope::widgets
