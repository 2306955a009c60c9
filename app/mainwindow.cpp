#include "app/mainwindow.h"

#include "widgets/scenariolistmodel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QKeySequence>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

namespace poolscope::app {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_scenarios(new widgets::ScenarioListModel(this))
    , m_list(new QListView)
    , m_title(new QLabel)
    , m_hint(new QLabel)
    , m_upcoming(new QLabel)
{
    setWindowTitle(tr("PoolScope"));
    setWindowIcon(QIcon(QStringLiteral(":/poolscope/poolscope.svg")));

    m_list->setModel(m_scenarios);
    m_list->setObjectName(QStringLiteral("scenarioList"));
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSpacing(2);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex& current) { showScenario(current); });

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setObjectName(QStringLiteral("scenarioTitle"));
    m_title->setWordWrap(true);
    m_hint->setObjectName(QStringLiteral("scenarioHint"));
    m_hint->setWordWrap(true);
    m_upcoming->setWordWrap(true);
    m_upcoming->setTextFormat(Qt::RichText);
    m_upcoming->setText(tr("<p><b>Coming to this window:</b></p><ul>"
                           "<li>a parameter panel for workers, delays, timeouts and retries;</li>"
                           "<li>a live Gantt timeline, one lane per worker plus the caller;</li>"
                           "<li>the scenario's output, an event table, and export to PNG, PDF and SVG.</li></ul>"
                           "<p>The executor core that records every task's life is ready underneath.</p>"));

    auto* details = new QWidget;
    auto* layout = new QVBoxLayout(details);
    layout->setContentsMargins(16, 16, 16, 16);
    layout->addWidget(m_title);
    layout->addWidget(m_hint);
    layout->addSpacing(12);
    layout->addWidget(m_upcoming);
    layout->addStretch();

    auto* splitter = new QSplitter;
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    splitter->addWidget(m_list);
    splitter->addWidget(details);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 320, 700 });
    setCentralWidget(splitter);

    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    auto* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    auto* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About PoolScope"), this, [this] {
        QMessageBox::about(this, tr("About PoolScope"),
            tr("PoolScope %1\nDraws what a concurrent.futures-style executor does, task by task.")
                .arg(QApplication::applicationVersion()));
    });

    statusBar()->showMessage(tr("%1 scenarios available").arg(m_scenarios->rowCount()));
    restoreSettings();
    if (!m_list->currentIndex().isValid())
        m_list->setCurrentIndex(m_scenarios->index(0));
}

MainWindow::~MainWindow() = default;

QString MainWindow::currentScenarioId() const
{
    return m_list->currentIndex().data(widgets::ScenarioListModel::IdRole).toString();
}

bool MainWindow::selectScenario(const QString& id)
{
    const int row = m_scenarios->rowOf(id);
    if (row < 0)
        return false;
    m_list->setCurrentIndex(m_scenarios->index(row));
    return true;
}

void MainWindow::showScenario(const QModelIndex& index)
{
    m_title->setText(index.data(Qt::DisplayRole).toString());
    m_hint->setText(index.data(widgets::ScenarioListModel::HintRole).toString());
    emit currentScenarioChanged(index.data(widgets::ScenarioListModel::IdRole).toString());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveSettings();
    event->accept();
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    if (auto* splitter = findChild<QSplitter*>(QStringLiteral("mainSplitter")))
        splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    selectScenario(settings.value(QStringLiteral("scenario/last")).toString());
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    if (auto* splitter = findChild<QSplitter*>(QStringLiteral("mainSplitter")))
        settings.setValue(QStringLiteral("window/splitter"), splitter->saveState());
    settings.setValue(QStringLiteral("scenario/last"), currentScenarioId());
}

} // namespace poolscope::app
