#include "app/mainwindow.h"
#include "common/toqstring.h"

#include "app/scenariorunner.h"
#include "scenarios/scenario.h"
#include "console/consoleview.h"
#include "events/eventmodel.h"
#include "events/eventtableview.h"
#include "parameters/parameterpanel.h"
#include "catalog/scenariolistmodel.h"
#include "timeline/timelineexporter.h"
#include "timeline/timelineview.h"

#include <poolscope/trace/chrome_trace.h>
#include <poolscope/trace/csv_export.h>
#include <poolscope/trace/run_summary.h>
#include <poolscope/trace/trace_error.h>
#include <poolscope/trace/trace_file.h>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

// The icon and other resources live in the static poolscope_app library, whose resource
// initialiser the linker would otherwise drop; Q_INIT_RESOURCE must be called outside a namespace.
static void initResources()
{
    Q_INIT_RESOURCE(poolscope);
}

namespace poolscope::app {

using widgets::toQString;

namespace {
QPlainTextEdit* makeTextPane(const QString& objectName)
{
    auto* pane = new QPlainTextEdit;
    pane->setObjectName(objectName);
    pane->setReadOnly(true);
    pane->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    pane->setLineWrapMode(QPlainTextEdit::NoWrap);
    return pane;
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_scenarios(new widgets::ScenarioListModel(this))
    , m_list(new QListView)
    , m_title(new QLabel)
    , m_hint(new QLabel)
    , m_parameters(new widgets::ParameterPanel)
    , m_runButton(new QPushButton(tr("Run")))
    , m_stopButton(new QPushButton(tr("Stop")))
    , m_timeline(new widgets::TimelineView)
    , m_tabs(new QTabWidget)
    , m_console(new widgets::ConsoleView)
    , m_eventModel(new widgets::EventModel(this))
    , m_eventTable(new widgets::EventTableView)
    , m_pythonListing(makeTextPane(QStringLiteral("pythonListing")))
    , m_cppListing(makeTextPane(QStringLiteral("cppListing")))
    , m_explanation(new QLabel)
    , m_statusLabel(new QLabel)
    , m_mainSplitter(new QSplitter(Qt::Horizontal))
    , m_centralSplitter(new QSplitter(Qt::Vertical))
    , m_runner(new ScenarioRunner(this))
{
    initResources();
    setWindowTitle(tr("PoolScope"));
    setWindowIcon(QIcon(QStringLiteral(":/poolscope/poolscope.svg")));
    setAcceptDrops(true);

    m_list->setModel(m_scenarios);
    m_list->setObjectName(QStringLiteral("scenarioList"));
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSpacing(2);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex& current) { showScenario(current); });

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setObjectName(QStringLiteral("scenarioTitle"));
    m_title->setWordWrap(true);
    m_hint->setObjectName(QStringLiteral("scenarioHint"));
    m_hint->setWordWrap(true);
    m_parameters->setObjectName(QStringLiteral("parameterPanel"));
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_stopButton->setObjectName(QStringLiteral("stopButton"));
    m_runButton->setToolTip(tr("Run the scenario (Ctrl+R)"));
    m_stopButton->setToolTip(tr("Stop the run: cancel what has not started (Esc)"));
    connect(m_runButton, &QPushButton::clicked, this, &MainWindow::run);
    connect(m_stopButton, &QPushButton::clicked, this, &MainWindow::stop);

    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(6, 6, 6, 6);
    sideLayout->addWidget(m_list, 3);
    sideLayout->addWidget(m_title);
    sideLayout->addWidget(m_hint);
    sideLayout->addWidget(m_parameters, 2);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_stopButton);
    sideLayout->addLayout(buttons);

    m_console->setObjectName(QStringLiteral("console"));
    m_timeline->setObjectName(QStringLiteral("timeline"));
    m_timeline->setData(&m_timelineData);
    m_eventTable->setObjectName(QStringLiteral("eventTable"));
    m_eventTable->setEventModel(m_eventModel);
    m_explanation->setWordWrap(true);
    m_explanation->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_explanation->setMargin(8);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->addTab(m_console, tr("Output"));
    m_tabs->addTab(m_eventTable, tr("Events"));
    m_tabs->addTab(m_explanation, tr("What to look for"));
    m_tabs->addTab(m_pythonListing, tr("Python"));
    m_tabs->addTab(m_cppListing, tr("C++"));

    m_centralSplitter->setObjectName(QStringLiteral("centralSplitter"));
    m_centralSplitter->addWidget(m_timeline);
    m_centralSplitter->addWidget(m_tabs);
    m_centralSplitter->setStretchFactor(0, 3);
    m_centralSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->addWidget(side);
    m_mainSplitter->addWidget(m_centralSplitter);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setSizes({ 300, 900 });
    setCentralWidget(m_mainSplitter);

    // Timeline and table select each other's task.
    connect(m_timeline, &widgets::TimelineView::taskSelected, this,
        [this](quint64 taskId, int) { m_eventTable->selectTask(taskId); });
    connect(m_eventTable, &widgets::EventTableView::taskActivated, this,
        [this](quint64 taskId) { m_timeline->selectTask(taskId, 0); });

    connect(m_runner, &ScenarioRunner::eventsArrived, this, &MainWindow::appendEvents);
    connect(m_runner, &ScenarioRunner::linesPrinted, m_console, &widgets::ConsoleView::appendLines);
    connect(m_runner, &ScenarioRunner::finished, this, &MainWindow::runEnded);

    m_statusLabel->setObjectName(QStringLiteral("status"));
    // Permanent: temporary messages ("Run finished") must not hide the counts.
    statusBar()->addPermanentWidget(m_statusLabel);
    createActions();
    restoreSettings();
    if (!m_list->currentIndex().isValid())
        m_list->setCurrentIndex(m_scenarios->index(0));
    updateActions();
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    auto* open = fileMenu->addAction(tr("&Open Trace…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open Trace"), {}, tr("PoolScope traces (*.json);;All files (*)"));
        if (!path.isEmpty())
            openTrace(path);
    });
    open->setShortcut(QKeySequence::Open);
    m_saveAction = fileMenu->addAction(tr("&Save Trace…"), this, &MainWindow::saveTrace);
    m_saveAction->setShortcut(QKeySequence::Save);
    fileMenu->addSeparator();
    m_exportAction = fileMenu->addAction(tr("&Export Timeline…"), this, &MainWindow::exportTimeline);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_chromeAction = fileMenu->addAction(tr("Export &Chrome Trace…"), this, &MainWindow::exportChromeTrace);
    m_csvAction = fileMenu->addAction(tr("Export CS&V…"), this, &MainWindow::exportCsv);
    fileMenu->addSeparator();
    auto* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto* runMenu = menuBar()->addMenu(tr("&Run"));
    m_runAction = runMenu->addAction(tr("&Run Scenario"), this, &MainWindow::run);
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_stopAction = runMenu->addAction(tr("&Stop"), this, &MainWindow::stop);
    m_stopAction->setShortcut(QKeySequence(Qt::Key_Escape));
    runMenu->addAction(tr("Reset &Parameters"), m_parameters, &widgets::ParameterPanel::reset);

    auto* viewMenu = menuBar()->addMenu(tr("&View"));
    auto* fit = viewMenu->addAction(tr("&Fit Timeline"), m_timeline, &widgets::TimelineView::fit);
    fit->setShortcuts({ QKeySequence(Qt::Key_Home), QKeySequence(Qt::CTRL | Qt::Key_0) });
    viewMenu->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, m_timeline, &widgets::TimelineView::zoomIn);
    viewMenu->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, m_timeline, &widgets::TimelineView::zoomOut);
    viewMenu->addAction(tr("Zoom &Back"), QKeySequence(Qt::ALT | Qt::Key_Left), m_timeline,
        &widgets::TimelineView::zoomBack);

    auto* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About PoolScope"), this, [this] {
        QMessageBox::about(this, tr("About PoolScope"),
            tr("PoolScope %1\nDraws what a concurrent.futures-style executor does, task by task.")
                .arg(QApplication::applicationVersion()));
    });
}

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

bool MainWindow::isRunning() const
{
    return m_runner->isRunning();
}

void MainWindow::showScenario(const QModelIndex& index)
{
    const QString id = index.data(widgets::ScenarioListModel::IdRole).toString();
    if (!m_shownScenario.isEmpty())
        saveParameters(m_shownScenario);
    m_title->setText(index.data(Qt::DisplayRole).toString());
    m_hint->setText(index.data(widgets::ScenarioListModel::HintRole).toString());
    if (const scenarios::Scenario* scenario = scenarios::find_scenario(id.toStdString())) {
        m_parameters->setParameters(scenario->parameters());
        m_explanation->setText(toQString(scenario->explanation()));
        m_pythonListing->setPlainText(toQString(scenario->python_listing()));
        m_cppListing->setPlainText(toQString(scenario->cpp_listing()));
        m_shownScenario = id;
        restoreParameters(id);
    }
    emit currentScenarioChanged(id);
}

void MainWindow::run()
{
    if (m_runner->isRunning())
        return;
    const scenarios::Scenario* scenario = scenarios::find_scenario(currentScenarioId().toStdString());
    if (!scenario)
        return;
    std::optional<scenarios::ParameterValues> params;
    try {
        params = scenarios::ParameterValues::resolve(scenario->parameters(), m_parameters->values());
    } catch (const scenarios::ParameterError& e) {
        QMessageBox::warning(this, tr("Cannot run"), QString::fromUtf8(e.what()));
        return;
    }
    saveParameters(currentScenarioId());
    clearRun();
    m_timeline->setTitle(toQString(scenario->info().title));
    m_runner->start(*scenario, *params);
    statusBar()->showMessage(tr("Running %1…").arg(toQString(scenario->info().id)));
    updateActions();
}

void MainWindow::stop()
{
    if (m_runner->isRunning()) {
        m_runner->stop();
        statusBar()->showMessage(tr("Stopping: cancelling what has not started…"));
    }
}

void MainWindow::clearRun()
{
    m_trace = {};
    m_summary = {};
    m_timelineData = timeline::TimelineData();
    m_timeline->setData(&m_timelineData);
    m_eventModel->clear();
    m_console->clear();
}

void MainWindow::appendEvents(const std::vector<Event>& events)
{
    // GUI thread: one batch from the runner's EventBatcher.
    m_eventModel->appendEvents(events);
    const timeline::TimelineChange change = m_timelineData.appendEvents(events);
    m_timeline->notifyDataChanged(change);
    updateStatus();
}

void MainWindow::runEnded(const QString& checkError, const QString& failure)
{
    m_trace = m_runner->takeTrace();
    m_summary = m_runner->summary();
    const trace::Trace& trace = m_trace;
    m_timelineData.setLanes(trace.lanes);
    m_timelineData.setNow(trace.wall_time.count());
    QHash<int, QString> names;
    for (const trace::Lane& lane : trace.lanes)
        names.insert(lane.index, toQString(lane.name));
    m_eventModel->setLaneNames(names);
    m_timeline->setCaption(widgets::TimelineExporter::captionFor(trace));
    m_timeline->notifyDataChanged(timeline::TimelineChange { 0, true, 0, 0 });
    m_timeline->fit();
    // Through appendLines(): a check error quotes whole output lines, which can be very long.
    if (!failure.isEmpty())
        m_console->appendLines({ QString(), tr("[the run failed: %1]").arg(failure) });
    else if (!checkError.isEmpty())
        m_console->appendLines({ QString(), tr("[not the output the exercise expects: %1]").arg(checkError) });
    statusBar()->showMessage(failure.isEmpty() ? tr("Run finished") : tr("Run failed"), 5000);
    updateActions();
    updateStatus();
    emit runFinished();
}

void MainWindow::showTrace(const trace::Trace& trace)
{
    clearRun();
    m_trace = trace;
    m_summary = trace::summarize(trace);
    m_timelineData = timeline::TimelineData::fromTrace(trace);
    m_timeline->setData(&m_timelineData);
    m_timeline->setTitle(widgets::TimelineExporter::titleFor(trace));
    m_timeline->setCaption(widgets::TimelineExporter::captionFor(trace));
    QHash<int, QString> names;
    for (const trace::Lane& lane : trace.lanes)
        names.insert(lane.index, toQString(lane.name));
    m_eventModel->setLaneNames(names);
    m_eventModel->appendEvents(trace.events);
    m_console->setOutput(toQString(trace.output));
    if (!trace.scenario.empty())
        selectScenario(toQString(trace.scenario));
    updateActions();
    updateStatus();
}

QString MainWindow::openTrace(const QString& path, bool quiet)
{
    if (m_runner->isRunning()) {
        const QString error = tr("Stop the current run before opening a trace.");
        if (!quiet)
            QMessageBox::information(this, tr("Open Trace"), error);
        return error;
    }
    try {
        showTrace(trace::load_trace(path.toStdString()));
        statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(path).fileName()), 5000);
        return {};
    } catch (const std::exception& e) {
        const QString error = QString::fromUtf8(e.what());
        if (!quiet)
            QMessageBox::critical(this, tr("Cannot open trace"),
                tr("%1 could not be read; what is shown stays as it was.\n\n%2").arg(path, error));
        return error;
    }
}

void MainWindow::saveTrace()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Trace"),
        QStringLiteral("%1.json").arg(toQString(m_trace.scenario)), tr("PoolScope traces (*.json)"));
    if (path.isEmpty())
        return;
    try {
        trace::save_trace(m_trace, path.toStdString());
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot save trace"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::exportTimeline()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Timeline"),
        QStringLiteral("%1.png").arg(toQString(m_trace.scenario)),
        tr("Images and documents (*.png *.jpg *.pdf *.svg)"));
    if (path.isEmpty())
        return;
    widgets::TimelineExportOptions options;
    options.scale = 2.0; // crisp on slides
    options.title = widgets::TimelineExporter::titleFor(m_trace);
    options.caption = widgets::TimelineExporter::captionFor(m_trace);
    const auto result = widgets::TimelineExporter::exportView(*m_timeline, path, options);
    if (!result.ok)
        QMessageBox::critical(this, tr("Cannot export"), result.error);
    else
        statusBar()->showMessage(tr("Exported %1").arg(QFileInfo(path).fileName()), 5000);
}

void MainWindow::exportChromeTrace()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Chrome Trace"),
        QStringLiteral("%1-chrome.json").arg(toQString(m_trace.scenario)), tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    try {
        trace::write_chrome_trace(m_trace, path.toStdString());
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot export"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::exportCsv()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export CSV"),
        QStringLiteral("%1.csv").arg(toQString(m_trace.scenario)), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    try {
        trace::write_csv(m_trace, path.toStdString());
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot export"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::updateStatus()
{
    if (m_runner->isRunning()) {
        // Live: cheap, since it runs for every batch.
        m_statusLabel->setText(tr("running · %1 events so far").arg(m_eventModel->rowCount()));
        return;
    }
    const trace::RunSummary& s = m_summary;
    QString text = tr("%1 submitted · %2 finished · %3 failed · %4 cancelled")
                       .arg(s.submitted)
                       .arg(s.finished)
                       .arg(s.failed)
                       .arg(s.cancelled);
    if (s.retried > 0)
        text += tr(" · %1 retried").arg(s.retried);
    if (s.wall_time.count() > 0)
        text = tr("wall time %1 s · ").arg(std::chrono::duration<double>(s.wall_time).count(), 0, 'f', 3) + text;
    m_statusLabel->setText(text);
}

void MainWindow::updateActions()
{
    const bool running = m_runner->isRunning();
    const bool haveRun = !m_trace.events.empty();
    m_runAction->setEnabled(!running);
    m_runButton->setEnabled(!running);
    m_stopAction->setEnabled(running);
    m_stopButton->setEnabled(running);
    m_parameters->setEnabled(!running);
    m_list->setEnabled(!running);
    m_saveAction->setEnabled(haveRun && !running);
    m_exportAction->setEnabled(haveRun && !running);
    m_chromeAction->setEnabled(haveRun && !running);
    m_csvAction->setEnabled(haveRun && !running);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_runner->isRunning()) {
        // End the run before the window goes: pending tasks are cancelled, running ones are given a
        // bounded time to finish (the runner's destructor joins whatever is left).
        m_runner->stop();
        m_runner->waitForFinished(10000);
    }
    saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        openTrace(urls.first().toLocalFile());
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    m_mainSplitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_centralSplitter->restoreState(settings.value(QStringLiteral("window/centralSplitter")).toByteArray());
    selectScenario(settings.value(QStringLiteral("scenario/last")).toString());
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/splitter"), m_mainSplitter->saveState());
    settings.setValue(QStringLiteral("window/centralSplitter"), m_centralSplitter->saveState());
    settings.setValue(QStringLiteral("scenario/last"), currentScenarioId());
    saveParameters(currentScenarioId());
}

void MainWindow::saveParameters(const QString& id) const
{
    if (id.isEmpty() || id != m_shownScenario)
        return;
    QSettings settings;
    settings.beginGroup(QStringLiteral("parameters/") + id);
    settings.remove(QString());
    for (const auto& [name, value] : m_parameters->values())
        settings.setValue(toQString(name), toQString(value));
}

void MainWindow::restoreParameters(const QString& id)
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("parameters/") + id);
    std::vector<std::pair<std::string, std::string>> values;
    for (const QString& key : settings.childKeys())
        values.emplace_back(key.toStdString(), settings.value(key).toString().toStdString());
    if (!values.empty())
        m_parameters->setValues(values); // values that no longer fit are skipped, keeping defaults
}

} // namespace poolscope::app
