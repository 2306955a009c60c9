#include "app/comparisonwindow.h"

#include "compare/comparisonview.h"
#include "timeline/timelineview.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace poolscope::app {

ComparisonWindow::ComparisonWindow(std::vector<trace::Trace> runs, const QString& title, QWidget* parent)
    : QMainWindow(parent)
    , m_view(new widgets::ComparisonView(this))
{
    setObjectName(QStringLiteral("comparisonWindow"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowFlag(Qt::Window);
    setCentralWidget(m_view);
    m_view->setRuns(std::move(runs), title);
    setWindowTitle(tr("%1 — PoolScope").arg(m_view->title()));

    auto* file = menuBar()->addMenu(tr("&File"));
    auto* exportAction = file->addAction(tr("&Export Comparison…"), this, &ComparisonWindow::exportComparison);
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportAction->setToolTip(tr("Save the comparison as one image: every run, the summary, the bar chart and the legend"));
    file->addSeparator();
    auto* close = file->addAction(tr("&Close"), this, &QWidget::close);
    close->setShortcut(QKeySequence::Close);

    auto* view = menuBar()->addMenu(tr("&View"));
    auto* fit = view->addAction(tr("&Fit All Runs"), m_view, &widgets::ComparisonView::fit);
    fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    // Every group shares one viewport, so zooming the first zooms all.
    view->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, this, [this] { m_view->group(0)->zoomIn(); });
    view->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, this, [this] { m_view->group(0)->zoomOut(); });
    view->addAction(tr("Zoom &Back"), QKeySequence(Qt::ALT | Qt::Key_Left), this, [this] { m_view->group(0)->zoomBack(); });
    auto* bars = view->addAction(tr("&Bar Chart"), this, [this](bool on) { m_view->setBarChartVisible(on); });
    bars->setCheckable(true);
    bars->setChecked(m_view->isBarChartVisible());
    bars->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    statusBar()->showMessage(m_view->summaryText());
    resize(1100, 300 + 220 * m_view->groupCount());
}

void ComparisonWindow::exportComparison()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Comparison"), QStringLiteral("comparison.png"), tr("Images and documents (*.png *.jpg *.pdf *.svg)"));
    if (path.isEmpty())
        return;
    if (const QString error = m_view->exportTo(path, 2.0); !error.isEmpty()) // 2: crisp on slides
        QMessageBox::critical(this, tr("Cannot export"), error);
    else
        statusBar()->showMessage(tr("Exported %1").arg(QFileInfo(path).fileName()), 5000);
}

} // namespace poolscope::app
