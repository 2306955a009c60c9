#include "app/mainwindow.h"
#include "app/comparisonwindow.h"
#include "common/toqstring.h"

#include "app/pythonrunner.h"
#include "app/scenariorunner.h"
#include "compare/comparisonview.h"
#include "scenarios/scenario.h"
#include "console/consoleview.h"
#include "events/eventmodel.h"
#include "events/eventfilterbar.h"
#include "events/eventfilterproxymodel.h"
#include "events/eventtableview.h"
#include "glossary/glossarydialog.h"
#include "listing/listingview.h"
#include "parameters/parameterpanel.h"
#include "replay/replaybar.h"
#include "catalog/scenariolistmodel.h"
#include "timeline/timelineexporter.h"
#include "timeline/timelineqcp.h"
#include "timeline/timelineview.h"

#include <poolscope/trace/chrome_trace.h>
#include <poolscope/trace/csv_export.h>
#include <poolscope/trace/event_explanation.h>
#include <poolscope/trace/run_comparison.h>
#include <poolscope/trace/run_summary.h>
#include <poolscope/trace/trace_error.h>
#include <poolscope/trace/trace_file.h>

#include <QAction>
#include <QActionGroup>
#include <QStyle>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <map>
#include <utility>

// The icon and other resources live in the static poolscope_app library, whose resource
// initialiser the linker would otherwise drop; Q_INIT_RESOURCE must be called outside a namespace.
static void initResources()
{
    Q_INIT_RESOURCE(poolscope);
}

namespace poolscope::app {

using widgets::toQString;

namespace {
widgets::ListingView* makeListing(const QString& objectName)
{
    auto* listing = new widgets::ListingView;
    listing->setObjectName(objectName);
    return listing;
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_scenarios(new widgets::ScenarioListModel(this))
    , m_list(new QListView)
    , m_title(new QLabel)
    , m_hint(new QLabel)
    , m_parameters(new widgets::ParameterPanel)
    , m_parameterNote(new QLabel)
    , m_runButton(new QPushButton(tr("Run")))
    , m_stopButton(new QPushButton(tr("Stop")))
    , m_timeline(new widgets::TimelineView)
    , m_tabs(new QTabWidget)
    , m_console(new widgets::ConsoleView)
    , m_eventModel(new widgets::EventModel(this))
    , m_eventTable(new widgets::EventTableView)
    , m_pythonListing(makeListing(QStringLiteral("pythonListing")))
    , m_cppListing(makeListing(QStringLiteral("cppListing")))
    , m_explanation(new QLabel)
    , m_statusLabel(new QLabel)
    , m_mainSplitter(new QSplitter(Qt::Horizontal))
    , m_centralSplitter(new QSplitter(Qt::Vertical))
    , m_runner(new ScenarioRunner(this))
    , m_python(new PythonRunner(this))
    , m_liveTimer(new QTimer(this))
    , m_replay(new widgets::ReplayBar)
    , m_poolRunner(new ScenarioRunner(this))
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
    connect(m_parameters, &widgets::ParameterPanel::valuesChanged, this, &MainWindow::parametersEdited);
    m_parameterNote->setObjectName(QStringLiteral("parameterNote"));
    m_parameterNote->setWordWrap(true);
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_stopButton->setObjectName(QStringLiteral("stopButton"));
    m_runButton->setToolTip(tr("Run the scenario, or a traced program again (Ctrl+R)"));
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
    sideLayout->addWidget(m_parameterNote);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_stopButton);
    sideLayout->addLayout(buttons);
    // Exercise 7's comparison, one click from the scenario (shown for it only).
    m_comparePoolsButton = new QPushButton(tr("Compare Pools"));
    m_comparePoolsButton->setObjectName(QStringLiteral("comparePoolsButton"));
    m_comparePoolsButton->setToolTip(tr("Run this workload on a thread pool with the interpreter lock, one without it "
                                        "and a process pool, and compare the three (Ctrl+Shift+G)"));
    connect(m_comparePoolsButton, &QPushButton::clicked, this, [this] { comparePools(); });
    sideLayout->addWidget(m_comparePoolsButton);

    m_console->setObjectName(QStringLiteral("console"));
    m_timeline->setObjectName(QStringLiteral("timeline"));
    m_eventTable->setObjectName(QStringLiteral("eventTable"));
    // What a screen reader announces for each pane.
    m_list->setAccessibleName(tr("Scenarios"));
    m_timeline->setAccessibleName(tr("Timeline: one lane per worker, the caller's on top"));
    m_console->setAccessibleName(tr("Output"));
    m_eventTable->setAccessibleName(tr("Events"));
    m_pythonListing->setAccessibleName(tr("Python listing"));
    m_cppListing->setAccessibleName(tr("C++ listing"));
    m_explanation->setAccessibleName(tr("What to look for"));
    m_title->setAccessibleName(tr("Scenario title"));
    m_hint->setAccessibleName(tr("Scenario hint"));
    m_statusLabel->setAccessibleName(tr("Run summary"));
    m_tabs->setAccessibleName(tr("Output, events and listings"));
    m_eventTable->setEventModel(m_eventModel);
    m_explanation->setWordWrap(true);
    m_explanation->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_explanation->setMargin(8);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->addTab(m_console, tr("Output"));
    // The filter above the table: kinds and a task or text (Ctrl+F goes to it).
    auto* eventsTab = new QWidget;
    auto* eventsLayout = new QVBoxLayout(eventsTab);
    eventsLayout->setContentsMargins(0, 0, 0, 0);
    eventsLayout->setSpacing(0);
    auto* filterBar = new widgets::EventFilterBar;
    filterBar->setObjectName(QStringLiteral("eventFilterBar"));
    filterBar->setFilterModel(m_eventTable->filterModel());
    eventsLayout->addWidget(filterBar);
    eventsLayout->addWidget(m_eventTable, 1);
    m_tabs->addTab(eventsTab, tr("Events"));
    m_tabs->addTab(m_explanation, tr("What to look for"));
    m_tabs->addTab(makePythonTab(), tr("Python"));
    m_tabs->addTab(m_cppListing, tr("C++"));

    m_centralSplitter->setObjectName(QStringLiteral("centralSplitter"));
    // The replay controls sit on the timeline they drive.
    m_replay->setObjectName(QStringLiteral("replayBar"));
    connect(m_replay, &widgets::ReplayBar::positionChanged, this, &MainWindow::showReplayPosition);
    // The playhead: a vertical line through the lanes and the counter track while replaying.
    for (QCPAxisRect* rect : { m_timeline->laneRect(), m_timeline->counterRect() }) {
        auto* line = new QCPItemStraightLine(m_timeline->plot());
        line->setClipAxisRect(rect);
        line->point1->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        line->point2->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        line->setPen(QPen(QColor(0xCC, 0x79, 0xA7), 2)); // Okabe–Ito reddish purple, apart from every state colour
        line->setSelectable(false);
        line->setVisible(false);
        m_playheadLines.push_back(line);
    }
    auto* timelinePane = new QWidget;
    auto* timelineLayout = new QVBoxLayout(timelinePane);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    timelineLayout->setSpacing(0);
    timelineLayout->addWidget(m_replay);
    timelineLayout->addWidget(m_timeline, 1);
    m_centralSplitter->addWidget(timelinePane);
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
    // The event under the table's cursor: the line of the program it came from.
    connect(m_eventTable->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex& current) {
            const QVariant row = current.data(widgets::EventModel::EventRole);
            showSourceLines(row.isValid() ? std::optional<std::size_t>(row.toUInt()) : std::nullopt);
        });
    // A listing line clicked: the events it caused, pointed out on the timeline.
    connect(m_pythonListing, &widgets::ListingView::lineActivated, this, [this](int line) { showEventsOfLine(line, true); });
    connect(m_cppListing, &widgets::ListingView::lineActivated, this, [this](int line) { showEventsOfLine(line, false); });

    connect(m_runner, &ScenarioRunner::eventsArrived, this, &MainWindow::appendEvents);
    connect(m_runner, &ScenarioRunner::finished, this, &MainWindow::runEnded);
    connect(m_poolRunner, &ScenarioRunner::finished, this, &MainWindow::poolRunEnded);
    m_tableTimer = new QTimer(this);
    m_tableTimer->setSingleShot(true);
    m_tableTimer->setInterval(100);
    connect(m_tableTimer, &QTimer::timeout, this,
        [this] { m_eventTable->filterModel()->setTimeLimit(m_pendingTableLimit); });

    // A traced program: its events are read from the tracer's files as they grow, and the run so
    // far is redrawn a few times a second (a redraw rebuilds it; see RunDocument::showSoFar()).
    m_liveTimer->setSingleShot(true);
    m_liveTimer->setInterval(200);
    connect(m_liveTimer, &QTimer::timeout, this, &MainWindow::showTracedSoFar);
    connect(m_python, &PythonRunner::started, this, &MainWindow::tracedRunStarted);
    connect(m_python, &PythonRunner::progress, this, [this] {
        if (!m_liveTimer->isActive())
            m_liveTimer->start();
    });
    connect(m_python, &PythonRunner::finished, this, [this] { tracedRunEnded({}); });
    connect(m_python, &PythonRunner::failed, this, &MainWindow::tracedRunEnded);

    m_statusLabel->setObjectName(QStringLiteral("status"));
    // Permanent: temporary messages ("Run finished") must not hide the counts.
    statusBar()->addPermanentWidget(m_statusLabel);
    createActions();
    restoreSettings();
    if (!m_list->currentIndex().isValid())
        m_list->setCurrentIndex(m_scenarios->index(0));
    if (!m_shown) // no scenario at all: still something to show
        showNewDocument(widgets::RunDocument::fromTrace({}));
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    auto* open = fileMenu->addAction(tr("&Open Trace…"), this, [this] {
        const QString path
            = QFileDialog::getOpenFileName(this, tr("Open Trace"), {}, tr("PoolScope traces (*.json);;All files (*)"));
        if (!path.isEmpty())
            openTrace(path);
    });
    open->setShortcut(QKeySequence::Open);
    m_runPythonAction = fileMenu->addAction(tr("Run &Python Program…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Run Python Program"), {}, tr("Python programs (*.py);;All files (*)"));
        if (!path.isEmpty())
            runPythonProgram(path);
    });
    m_runPythonAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_runPythonAction->setToolTip(tr("Run a Python program in CPython under PoolScope's tracer and draw its executors"));
    m_recentMenu = fileMenu->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    fillRecentMenu(); // so that it is disabled from the start when empty
    m_saveAction = fileMenu->addAction(tr("&Save Trace…"), this, &MainWindow::saveTrace);
    m_saveAction->setShortcut(QKeySequence::Save);
    fileMenu->addSeparator();
    m_exportAction = fileMenu->addAction(tr("&Export Timeline…"), this, &MainWindow::exportTimeline);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_chromeAction = fileMenu->addAction(tr("Export &Chrome Trace…"), this, &MainWindow::exportChromeTrace);
    m_chromeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_csvAction = fileMenu->addAction(tr("Export CS&V…"), this, &MainWindow::exportCsv);
    m_csvAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_E));
    fileMenu->addSeparator();
    auto* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    // Some platforms (offscreen among them) have no standard Quit key: Ctrl+Q then.
    quit->setShortcut(QKeySequence(QKeySequence::Quit).isEmpty() ? QKeySequence(Qt::CTRL | Qt::Key_Q)
                                                                  : QKeySequence(QKeySequence::Quit));

    auto* runMenu = menuBar()->addMenu(tr("&Run"));
    m_runAction = runMenu->addAction(tr("&Run Scenario"), this, &MainWindow::run);
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_stopAction = runMenu->addAction(tr("&Stop"), this, &MainWindow::stop);
    m_stopAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_runInCPythonAction = runMenu->addAction(tr("Run in &CPython"), this, [this] { runInCPython(); });
    m_runInCPythonAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_R));
    runMenu->addAction(tr("Reset &Parameters"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backspace), m_parameters,
        &widgets::ParameterPanel::reset);
    runMenu->addSeparator();
    runMenu->addAction(tr("P&ython Interpreter…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), this,
        &MainWindow::choosePythonInterpreter);

    auto* compareMenu = menuBar()->addMenu(tr("&Compare"));
    m_pinAction = compareMenu->addAction(tr("&Pin Run as A"), this, &MainWindow::pinRun);
    m_pinAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    m_pinAction->setToolTip(tr("Keep this run to compare: change parameters, run again, then Compare with Pinned"));
    m_compareAction = compareMenu->addAction(tr("&Compare with Pinned"), this, [this] { compareWithPinned(); });
    m_compareAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    m_compareAction->setToolTip(tr("The pinned run (A) and this one (B) on one time axis"));
    m_compareCPythonAction = compareMenu->addAction(tr("C++ Beside C&Python"), this, [this] { compareWithCPython(); });
    m_compareCPythonAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Y));
    m_compareCPythonAction->setToolTip(tr("Run this scenario's listing in CPython with the same parameters and "
                                          "compare it with this C++ run"));
    m_comparePoolsAction = compareMenu->addAction(tr("Compare P&ools (Exercise 7)"), this, [this] { comparePools(); });
    m_comparePoolsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    m_comparePoolsAction->setToolTip(m_comparePoolsButton->toolTip());

    auto* viewMenu = menuBar()->addMenu(tr("&View"));
    auto* findEvents = viewMenu->addAction(tr("&Filter Events…"), this, [this] {
        auto* bar = findChild<widgets::EventFilterBar*>(QStringLiteral("eventFilterBar"));
        m_tabs->setCurrentWidget(bar->parentWidget());
        bar->searchField()->setFocus(Qt::ShortcutFocusReason);
        bar->searchField()->selectAll();
    });
    findEvents->setShortcut(QKeySequence::Find);
    viewMenu->addSeparator();
    m_presenterAction = viewMenu->addAction(tr("&Presenter Mode"), this, &MainWindow::setPresenterMode);
    m_presenterAction->setObjectName(QStringLiteral("presenterAction"));
    m_presenterAction->setCheckable(true);
    m_presenterAction->setShortcut(QKeySequence(Qt::Key_F11));
    m_presenterAction->setToolTip(tr("For a projector: full screen, larger text and lanes, the scenario "
                                     "list and parameters hidden (F11 again to leave)"));
    auto* resetLayout = viewMenu->addAction(tr("&Reset Layout"), this, &MainWindow::resetLayout);
    resetLayout->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_0));
    resetLayout->setToolTip(tr("Bring back a pane dragged shut: the list beside the timeline, the tabs under it"));
    m_themeMenu = viewMenu->addMenu(tr("&Theme"));
    m_themeMenu->setObjectName(QStringLiteral("themeMenu"));
    auto* themes = new QActionGroup(this);
    for (const auto& [name, text, key] :
        { std::tuple { QStringLiteral("system"), tr("Follow the &System"), Qt::Key_7 },
            std::tuple { QStringLiteral("light"), tr("&Light"), Qt::Key_8 },
            std::tuple { QStringLiteral("dark"), tr("&Dark"), Qt::Key_9 } }) {
        QAction* action = m_themeMenu->addAction(text, this, [this, name = name] { setTheme(name); });
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | key));
        action->setCheckable(true);
        action->setData(name);
        action->setChecked(name == m_theme);
        themes->addAction(action);
    }
    viewMenu->addSeparator();
    auto* fit = viewMenu->addAction(tr("&Fit Timeline"), m_timeline, &widgets::TimelineView::fit);
    fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    viewMenu->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, m_timeline, &widgets::TimelineView::zoomIn);
    viewMenu->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, m_timeline, &widgets::TimelineView::zoomOut);
    viewMenu->addAction(
        tr("Zoom &Back"), QKeySequence(Qt::ALT | Qt::Key_Left), m_timeline, &widgets::TimelineView::zoomBack);

    // Replay: Python Tutor's record-then-step. The keys are window-wide; a text field that has the
    // focus keeps its own arrows and space.
    auto* replayMenu = menuBar()->addMenu(tr("Re&play"));
    const auto addReplay = [&](const QString& text, const QKeySequence& key, auto slot) {
        QAction* action = replayMenu->addAction(text, this, slot);
        action->setShortcut(key);
        return action;
    };
    addReplay(tr("&Play / Pause"), QKeySequence(Qt::Key_Space), [this] { m_replay->togglePlay(); });
    addReplay(tr("&Next Event"), QKeySequence(Qt::Key_Right), [this] { m_replay->stepForward(); });
    addReplay(tr("P&revious Event"), QKeySequence(Qt::Key_Left), [this] { m_replay->stepBack(); });
    addReplay(tr("Next Event of the &Selected Task"), QKeySequence(Qt::SHIFT | Qt::Key_Right), [this] { stepTask(true); });
    addReplay(tr("Previous Event of the Selected &Task"), QKeySequence(Qt::SHIFT | Qt::Key_Left), [this] { stepTask(false); });
    addReplay(tr("To the &Start"), QKeySequence(Qt::Key_Home), [this] { m_replay->goToStart(); });
    addReplay(tr("To the &End"), QKeySequence(Qt::Key_End), [this] { m_replay->goToEnd(); });

    auto* helpMenu = menuBar()->addMenu(tr("&Help"));
    auto* glossary = helpMenu->addAction(tr("&Event Kinds and Colours"), this, [this] {
        auto* dialog = findChild<widgets::GlossaryDialog*>();
        if (!dialog) {
            dialog = new widgets::GlossaryDialog(this);
            dialog->setObjectName(QStringLiteral("glossary"));
        }
        dialog->show();
        dialog->raise();
        dialog->activateWindow();
    });
    glossary->setShortcut(QKeySequence::HelpContents);
    glossary->setObjectName(QStringLiteral("glossaryAction"));
    helpMenu->addAction(tr("&About PoolScope"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F1), this, [this] {
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

bool MainWindow::showTab(const QString& name)
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        QString title = m_tabs->tabText(i).remove(QLatin1Char('&'));
        if (title.startsWith(QStringLiteral("What to ")))
            title.remove(0, 8);
        if (m_tabs->isTabVisible(i) && !name.isEmpty() && title.startsWith(name, Qt::CaseInsensitive)) {
            m_tabs->setCurrentIndex(i);
            return true;
        }
    }
    return false;
}

bool MainWindow::isRunning() const
{
    return m_runner->isRunning() || m_python->isRunning() || m_poolRunner->isRunning();
}

void MainWindow::showScenario(const QModelIndex& index)
{
    const QString id = index.data(widgets::ScenarioListModel::IdRole).toString();
    // While a document is being shown the list only follows it.
    if (!m_showing) {
        if (const scenarios::Scenario* scenario = scenarios::find_scenario(id.toStdString()))
            showDocument(documentFor(*scenario));
    }
    emit currentScenarioChanged(id);
}

widgets::RunDocument* MainWindow::documentFor(const scenarios::Scenario& scenario)
{
    const QString id = widgets::toQString(scenario.info().id);
    for (const auto& document : m_documents) {
        if (document->scenarioId() == id)
            return document.get();
    }
    auto empty = widgets::RunDocument::forScenario(scenario);
    empty->setEditedParameters(storedParameters(scenario));
    m_documents.push_back(std::move(empty));
    return m_documents.back().get();
}

widgets::RunDocument* MainWindow::showNewDocument(std::unique_ptr<widgets::RunDocument> document)
{
    widgets::RunDocument* shown = document.get();
    // The one it replaces lives until the panes have let go of it (the timeline view reads its data).
    std::unique_ptr<widgets::RunDocument> replaced;
    const auto same = std::find_if(
        m_documents.begin(), m_documents.end(), [&](const auto& d) { return d->scenarioId() == shown->scenarioId(); });
    if (same != m_documents.end()) {
        replaced = std::exchange(*same, std::move(document));
    } else {
        m_documents.push_back(std::move(document));
    }
    showDocument(shown);
    return shown;
}

void MainWindow::showDocument(widgets::RunDocument* document)
{
    if (m_shown && m_shown != document)
        saveParameters(*m_shown);
    m_shown = document;
    const QScopedValueRollback showing(m_showing, true);

    const int row = m_scenarios->rowOf(document->scenarioId());
    const QModelIndex index = row >= 0 ? m_scenarios->index(row) : QModelIndex();
    if (m_list->currentIndex() != index)
        m_list->setCurrentIndex(index);
    m_hint->setText(document->hint());
    const scenarios::Scenario* scenario = document->scenario();
    m_parameters->setParameters(scenario ? scenario->parameters() : std::vector<scenarios::Parameter> {});
    // Without a scenario there is nothing to set; the note under it says what the run was.
    m_parameters->setVisible(scenario != nullptr);
    m_parameters->setPresets(scenario ? scenario->presets() : std::vector<scenarios::Preset> {});
    m_parameters->setValues(document->editedParameters());
    m_explanation->setText(document->explanation());
    m_pythonListing->setPlainText(document->pythonListing());
    m_cppListing->setPlainText(document->cppListing());
    // A traced program has no C++ side, and its listing cannot be run "in CPython" again from here.
    m_tabs->setTabVisible(m_tabs->indexOf(m_cppListing), scenario != nullptr);
    m_runInCPythonButton->setVisible(scenario != nullptr);
    if (scenario)
        m_pythonNote->setText(tr("The Python this scenario stands for; CPython is the judge."));
    else if (document->origin() == widgets::RunDocument::Origin::TracedProgram)
        m_pythonNote->setText(tr("The program as it ran. Select an event, or step the replay, to see its line."));
    else
        m_pythonNote->setText(tr("The source the trace recorded, if any."));

    // Title and caption before the data: setData() replots, and the plot shows them from then on.
    updateTitles();
    m_timeline->setData(&document->timelineData());
    m_eventModel->clear();
    m_eventModel->setLaneNames(document->laneNames());
    m_eventModel->appendEvents(document->trace().events);
    m_console->setOutput((document->output() + document->outcomeLines()).join(QLatin1Char('\n')));
    updateParameterNote();
    updateActions();
    updateStatus();
    configureReplay();
}

void MainWindow::parametersEdited()
{
    if (m_showing || !m_shown)
        return;
    m_shown->setEditedParameters(m_parameters->values());
    updateParameterNote();
}

void MainWindow::run()
{
    if (isRunning())
        return;
    if (m_shown->origin() == widgets::RunDocument::Origin::TracedProgram) {
        // Run again: the program's file as it is now (a learner edits it between runs).
        startTracedRun(m_shown->path(), m_shown->tracedTitle(), m_shown->parameters(), false);
        return;
    }
    const scenarios::Scenario* scenario = m_shown->scenario();
    if (!scenario)
        return;
    std::optional<scenarios::ParameterValues> params;
    try {
        params = scenarios::ParameterValues::resolve(scenario->parameters(), m_parameters->values());
    } catch (const scenarios::ParameterError& e) {
        QMessageBox::warning(this, tr("Cannot run"), QString::fromUtf8(e.what()));
        return;
    }
    saveParameters(*m_shown);
    m_runDocument = showNewDocument(widgets::RunDocument::startScenarioRun(*scenario, *params));
    m_runner->start(*scenario, *params);
    statusBar()->showMessage(tr("Running %1…").arg(toQString(scenario->info().id)));
    updateActions();
    updateStatus();
}

void MainWindow::stop()
{
    if (m_runner->isRunning()) {
        m_runner->stop();
        statusBar()->showMessage(tr("Stopping: cancelling what has not started…"));
    } else if (m_python->isRunning()) {
        m_python->stop();
        statusBar()->showMessage(tr("Stopping: ending the program and its worker processes…"));
    } else if (m_poolRunner->isRunning()) {
        m_poolQueue.clear();
        m_poolRunner->stop();
        statusBar()->showMessage(tr("Stopping the pool comparison…"));
    }
}

void MainWindow::appendEvents(const std::vector<Event>& events)
{
    // GUI thread: one batch from the runner's EventBatcher, printed lines among the events.
    if (!m_runDocument)
        return;
    const widgets::RunDocument::Update update = m_runDocument->appendEvents(events);
    if (m_runDocument != m_shown)
        return;
    m_eventModel->appendEvents(events);
    m_timeline->notifyDataChanged(update.timeline);
    m_console->appendLines(update.output);
    updateStatus();
}

void MainWindow::runEnded(const QString& checkError, const QString& failure)
{
    widgets::RunDocument* document = std::exchange(m_runDocument, nullptr);
    if (!document)
        return;
    const timeline::TimelineChange change
        = document->finish(m_runner->takeTrace(), m_runner->summary(), checkError, failure, m_runner->wasStopped());
    if (document == m_shown) {
        m_eventModel->setLaneNames(document->laneNames());
        updateTitles();
        m_timeline->notifyDataChanged(change);
        m_timeline->fit();
        // The end of a run is drawn at once, lanes named, not at the next throttled replot.
        m_timeline->replotNow();
        configureReplay();
        // Through appendLines(): a check error quotes whole output lines, which can be very long.
        m_console->appendLines(document->outcomeLines());
        updateParameterNote();
    }
    announceEnd(*document);
}

void MainWindow::announceEnd(const widgets::RunDocument& document)
{
    const bool program = document.origin() == widgets::RunDocument::Origin::TracedProgram;
    switch (document.state()) {
    case widgets::RunDocument::State::Failed:
        if (program)
            statusBar()->showMessage(tr("The program failed: %1").arg(document.failure()), 8000);
        else
            statusBar()->showMessage(tr("Run failed"), 5000);
        break;
    case widgets::RunDocument::State::Stopped:
        statusBar()->showMessage(program ? tr("Program stopped") : tr("Run stopped"), 5000);
        break;
    default:
        statusBar()->showMessage(program ? tr("Program finished") : tr("Run finished"), 5000);
        break;
    }
    updateActions();
    updateStatus();
    emit runFinished();
}

void MainWindow::updateTitles()
{
    const QString title = m_shown->title();
    m_title->setText(title);
    setWindowTitle(tr("%1 — PoolScope").arg(title));
    m_timeline->setTitle(title);
    m_timeline->setCaption(m_shown->caption());
}

void MainWindow::updateParameterNote()
{
    const QString note = m_shown->parameterNote();
    m_parameterNote->setText(note);
    m_parameterNote->setVisible(!note.isEmpty());
    QFont font = m_parameterNote->font();
    font.setBold(m_shown->parametersChanged());
    m_parameterNote->setFont(font);
}

QString MainWindow::openTrace(const QString& path, bool quiet)
{
    if (isRunning()) {
        const QString error = tr("Stop the current run before opening a trace.");
        if (!quiet)
            QMessageBox::information(this, tr("Open Trace"), error);
        return error;
    }
    try {
        showNewDocument(widgets::RunDocument::fromTrace(trace::load_trace(path.toStdString()), path));
        rememberRecent(path);
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
        QStringLiteral("%1.json").arg(toQString(m_shown->trace().scenario)), tr("PoolScope traces (*.json)"));
    if (path.isEmpty())
        return;
    try {
        trace::save_trace(m_shown->trace(), path.toStdString());
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot save trace"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::exportTimeline()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Timeline"),
        QStringLiteral("%1.png").arg(toQString(m_shown->trace().scenario)),
        tr("Images and documents (*.png *.jpg *.pdf *.svg)"));
    if (path.isEmpty())
        return;
    widgets::TimelineExportOptions options;
    options.scale = 2.0; // crisp on slides
    options.title = m_shown->title();
    options.caption = m_shown->caption();
    const auto result = widgets::TimelineExporter::exportView(*m_timeline, path, options);
    if (!result.ok)
        QMessageBox::critical(this, tr("Cannot export"), result.error);
    else
        statusBar()->showMessage(tr("Exported %1").arg(QFileInfo(path).fileName()), 5000);
}

void MainWindow::exportChromeTrace()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Chrome Trace"),
        QStringLiteral("%1-chrome.json").arg(toQString(m_shown->trace().scenario)), tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    try {
        trace::write_chrome_trace(m_shown->trace(), path.toStdString());
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot export"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::exportCsv()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export CSV"), QStringLiteral("%1.csv").arg(toQString(m_shown->trace().scenario)), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    try {
        trace::write_csv(m_shown->trace(), path.toStdString());
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot export"), QString::fromUtf8(e.what()));
    }
}

QWidget* MainWindow::makePythonTab()
{
    auto* tab = new QWidget;
    auto* layout = new QVBoxLayout(tab);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(4);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 0, 4, 0);
    m_runInCPythonButton = new QPushButton(tr("Run in CPython"));
    m_runInCPythonButton->setObjectName(QStringLiteral("runInCPythonButton"));
    m_runInCPythonButton->setToolTip(tr("Run this listing, with the parameters set here, in CPython under "
                                        "PoolScope's tracer, as a run of its own (Ctrl+Alt+R)"));
    connect(m_runInCPythonButton, &QPushButton::clicked, this, [this] { runInCPython(); });
    m_pythonNote = new QLabel;
    m_pythonNote->setObjectName(QStringLiteral("pythonNote"));
    QLabel* note = m_pythonNote;
    note->setWordWrap(true);
    bar->addWidget(m_runInCPythonButton);
    bar->addWidget(note, 1);
    layout->addLayout(bar);
    layout->addWidget(m_pythonListing, 1);
    return tab;
}

void MainWindow::setPythonInterpreter(const QString& python)
{
    m_pythonInterpreter = python.trimmed().isEmpty() ? QStringLiteral("python3") : python.trimmed();
}

void MainWindow::choosePythonInterpreter()
{
    bool ok = false;
    const QString python = QInputDialog::getText(this, tr("Python Interpreter"),
        tr("The python that runs programs under the tracer (Python 3.9 or later):\n"
           "a path, or a name looked up on PATH."),
        QLineEdit::Normal, m_pythonInterpreter, &ok);
    if (!ok)
        return;
    if (python.trimmed().isEmpty()) {
        QMessageBox::information(this, tr("Python Interpreter"), tr("No python given: it stays %1.").arg(m_pythonInterpreter));
        return;
    }
    setPythonInterpreter(python);
    statusBar()->showMessage(tr("Programs run with %1").arg(m_pythonInterpreter), 5000);
}

QString MainWindow::runPythonProgram(const QString& path, bool quiet)
{
    const QString error = startTracedRun(path, {}, {}, quiet);
    if (error.isEmpty())
        rememberRecent(path);
    return error;
}

QStringList MainWindow::recentFiles() const
{
    return QSettings().value(QStringLiteral("files/recent")).toStringList();
}

void MainWindow::rememberRecent(const QString& path)
{
    QStringList files = recentFiles();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > maximumRecentFiles)
        files.removeLast();
    QSettings().setValue(QStringLiteral("files/recent"), files);
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = recentFiles();
    for (int i = 0; i < files.size(); ++i) {
        const QFileInfo info(files[i]);
        // &1 … &9 for the keyboard; the folder tells two files of the same name apart.
        const QString text = (i < 9 ? QStringLiteral("&%1  ").arg(i + 1) : QString())
            + tr("%1 — %2").arg(info.fileName(), QDir::toNativeSeparators(info.absolutePath()));
        QAction* action = m_recentMenu->addAction(text, this, [this, path = files[i]] { openRecent(path); });
        action->setToolTip(files[i]);
    }
    if (!files.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("&Clear Menu"), this, [] { QSettings().remove(QStringLiteral("files/recent")); });
    }
    m_recentMenu->setEnabled(!files.isEmpty());
}

QString MainWindow::openRecent(const QString& path, bool quiet)
{
    if (!QFileInfo::exists(path)) {
        // A file moved or deleted since: say so, and take it off the list.
        QStringList files = recentFiles();
        files.removeAll(path);
        QSettings().setValue(QStringLiteral("files/recent"), files);
        const QString error = tr("%1 is no longer there; it was taken off the recent files.").arg(path);
        if (!quiet)
            QMessageBox::information(this, tr("Open Recent"), error);
        return error;
    }
    return path.endsWith(QStringLiteral(".py"), Qt::CaseInsensitive) ? runPythonProgram(path, quiet)
                                                                       : openTrace(path, quiet);
}

void MainWindow::setPresenterMode(bool on)
{
    if (on == m_presenting)
        return;
    m_presenting = on;
    m_presenterAction->setChecked(on); // emits toggled(), not triggered(): no echo into here
    QWidget* side = m_mainSplitter->widget(0);
    if (on) {
        m_windowStateBeforePresenting = windowState();
        m_mainSplitterBeforePresenting = m_mainSplitter->saveState();
        side->hide();
        QFont larger = m_centralSplitter->font();
        larger.setPointSizeF(larger.pointSizeF() * widgets::TimelineView::presenterScale);
        m_tabs->setFont(larger);
        m_replay->setFont(larger);
        // The console and the listings set a fixed-width font of their own: scale it too.
        QFont code = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        code.setPointSizeF(code.pointSizeF() * widgets::TimelineView::presenterScale);
        for (QWidget* pane : { static_cast<QWidget*>(m_console), static_cast<QWidget*>(m_pythonListing),
                 static_cast<QWidget*>(m_cppListing) })
            pane->setFont(code);
        m_timeline->setPresentationScale(widgets::TimelineView::presenterScale);
        m_timeline->setHighContrast(true);
        showFullScreen();
        // The class looks at the lanes: the panes under them keep a fifth of the height.
        m_centralSplitterBeforePresenting = m_centralSplitter->saveState();
        const int height = std::max(1, m_centralSplitter->height());
        m_centralSplitter->setSizes({ height * 4 / 5, height - height * 4 / 5 });
        statusBar()->showMessage(tr("Presenter mode: F11 leaves it"), 5000);
    } else {
        side->show();
        m_tabs->setFont(QFont());
        m_replay->setFont(QFont());
        for (QWidget* pane : { static_cast<QWidget*>(m_console), static_cast<QWidget*>(m_pythonListing),
                 static_cast<QWidget*>(m_cppListing) })
            pane->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_timeline->setPresentationScale(1);
        m_timeline->setHighContrast(false);
        setWindowState(m_windowStateBeforePresenting);
        m_mainSplitter->restoreState(m_mainSplitterBeforePresenting);
        m_centralSplitter->restoreState(m_centralSplitterBeforePresenting);
    }
}

void MainWindow::resetLayout()
{
    // The first layout's proportions, at the window's size now: the list a quarter of the width at
    // most, the timeline three quarters of the height.
    const int width = std::max(m_mainSplitter->width(), 400);
    const int side = std::min(300, width / 4);
    m_mainSplitter->setSizes({ side, width - side });
    const int height = std::max(m_centralSplitter->height(), 200);
    m_centralSplitter->setSizes({ height * 3 / 4, height - height * 3 / 4 });
    statusBar()->showMessage(tr("Layout reset"), 3000);
}

QString MainWindow::runInCPython(bool quiet)
{
    const scenarios::Scenario* scenario = m_shown ? m_shown->scenario() : nullptr;
    QString error;
    std::optional<scenarios::ParameterValues> params;
    if (!scenario) {
        error = tr("Select a scenario first: Run in CPython runs its Python listing.");
    } else {
        try {
            params = scenarios::ParameterValues::resolve(scenario->parameters(), m_parameters->values());
        } catch (const scenarios::ParameterError& e) {
            error = QString::fromUtf8(e.what());
        }
    }
    if (error.isEmpty()) {
        if (!m_listingDir || !m_listingDir->isValid())
            m_listingDir = std::make_unique<QTemporaryDir>();
        // Named after the scenario, as a learner would save the exercise.
        const QString path = m_listingDir->filePath(toQString(scenario->info().id).replace(QLatin1Char('-'), QLatin1Char('_')) + QStringLiteral(".py"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            || file.write(scenario->python_listing(*params).data(), qint64(scenario->python_listing(*params).size())) < 0) {
            error = tr("cannot write the listing to %1: %2").arg(path, file.errorString());
        } else {
            file.close();
            saveParameters(*m_shown);
            return startTracedRun(path, tr("%1 — in CPython").arg(toQString(scenario->info().title)),
                params->as_text(), quiet);
        }
    }
    if (!quiet)
        QMessageBox::warning(this, tr("Cannot run in CPython"), error);
    return error;
}

QString MainWindow::startTracedRun(const QString& path, const QString& title,
    const widgets::RunDocument::ParameterList& parameters, bool quiet)
{
    QString error;
    const QFileInfo info(path);
    if (isRunning())
        error = tr("Stop the current run before starting another.");
    else if (!info.isFile() || !info.isReadable())
        error = tr("%1: no such file, or it cannot be read.").arg(path);
    if (error.isEmpty()) {
        QFile file(path);
        QString source;
        if (file.open(QIODevice::ReadOnly))
            source = QString::fromUtf8(file.read(4 << 20)); // the tracer sends the whole source anyway
        m_startingTraced = widgets::RunDocument::startTracedProgram(path, source, title, parameters);
        PythonRunner::Options options = m_python->options();
        options.python = m_pythonInterpreter;
        m_python->setOptions(options);
        m_startQuiet = quiet;
        m_startFailure.clear();
        // A failure found before the process exists comes back through failed() before start()
        // returns; one found later (the process did not start) comes back on its own.
        m_inStart = true;
        const bool started = m_python->start(path);
        m_inStart = false;
        if (started) {
            statusBar()->showMessage(tr("Starting %1 with %2…").arg(info.fileName(), m_pythonInterpreter));
            updateActions();
            return {};
        }
        error = m_startFailure;
    }
    if (!quiet)
        QMessageBox::warning(this, tr("Cannot run the program"), tr("%1\n\nWhat is shown stays as it was.").arg(error));
    return error;
}

void MainWindow::tracedRunStarted()
{
    if (!m_startingTraced)
        return;
    saveParameters(*m_shown);
    m_runDocument = showNewDocument(std::move(m_startingTraced));
    statusBar()->showMessage(tr("Running %1 in CPython…").arg(QFileInfo(m_runDocument->path()).fileName()));
    updateActions();
    updateStatus();
}

void MainWindow::showTracedSoFar()
{
    if (!m_runDocument || m_runDocument->origin() != widgets::RunDocument::Origin::TracedProgram || !m_python->isRunning())
        return;
    const widgets::RunDocument::Update update = m_runDocument->showSoFar(m_python->currentTrace());
    if (m_runDocument != m_shown)
        return;
    m_eventModel->clear();
    m_eventModel->setLaneNames(m_runDocument->laneNames());
    m_eventModel->appendEvents(m_runDocument->trace().events);
    m_timeline->notifyDataChanged(update.timeline);
    m_console->appendLines(update.output);
    updateTitles();
    updateStatus();
}

void MainWindow::tracedRunEnded(const QString& failure)
{
    m_liveTimer->stop();
    if (m_startingTraced) {
        // It never started: nothing was shown, so nothing changes but the message.
        m_startingTraced.reset();
        m_startFailure = failure;
        if (m_awaitingCPython) {
            m_awaitingCPython.reset();
            emit comparisonAbandoned(tr("the CPython run did not start: %1").arg(failure));
        }
        m_python->takeTrace();
        updateActions();
        if (!m_inStart) {
            statusBar()->showMessage(tr("The program did not start: %1").arg(failure), 8000);
            if (!m_startQuiet)
                QMessageBox::warning(this, tr("Cannot run the program"), tr("%1\n\nWhat is shown stays as it was.").arg(failure));
            emit runFinished();
        }
        return;
    }
    widgets::RunDocument* document = std::exchange(m_runDocument, nullptr);
    if (!document || document->origin() != widgets::RunDocument::Origin::TracedProgram)
        return;
    const bool stopped = m_python->end() == PythonRunner::End::Stopped;
    document->finishTraced(m_python->takeTrace(), stopped ? QString() : failure, stopped, m_python->notes());
    if (document == m_shown)
        showDocument(document);
    announceEnd(*document);
    if (m_awaitingCPython) {
        trace::Trace cpp = *std::exchange(m_awaitingCPython, std::nullopt);
        if (document->state() == widgets::RunDocument::State::Finished) {
            const QString title = tr("%1: C++ beside CPython").arg(toQString(cpp.title.empty() ? cpp.scenario : cpp.title));
            openComparison({ std::move(cpp), document->trace() }, title);
        } else {
            emit comparisonAbandoned(tr("the CPython run did not finish, so there is nothing to compare"));
        }
    }
}

void MainWindow::pinRun()
{
    if (!m_shown || m_shown->trace().events.empty() || isRunning())
        return;
    m_pinned = m_shown->trace();
    statusBar()->showMessage(
        tr("Pinned “%1” as A: change the parameters and run again, then Compare ▸ Compare with Pinned (Ctrl+Shift+K)")
            .arg(m_shown->title()));
    updateActions();
}

ComparisonWindow* MainWindow::compareWithPinned(bool quiet)
{
    QString error;
    if (!m_pinned)
        error = tr("Pin a run first (Compare ▸ Pin Run as A), then run again and compare.");
    else if (!m_shown || m_shown->trace().events.empty() || isRunning())
        error = tr("Show a finished run to compare with the pinned one.");
    if (!error.isEmpty()) {
        if (!quiet)
            QMessageBox::information(this, tr("Cannot compare"), error);
        return nullptr;
    }
    std::vector<trace::Trace> runs { *m_pinned, m_shown->trace() };
    const QString changes = toQString(trace::describe_changes(runs[0], runs[1]));
    return openComparison(std::move(runs),
        changes.isEmpty() ? tr("The pinned run beside this one") : tr("Pinned run beside this one: %1").arg(changes));
}

QString MainWindow::compareWithCPython(bool quiet)
{
    QString error;
    if (isRunning())
        error = tr("Stop the current run before starting another.");
    else if (!m_shown || !m_shown->scenario() || m_shown->origin() != widgets::RunDocument::Origin::ScenarioRun
        || m_shown->state() != widgets::RunDocument::State::Finished)
        error = tr("Run the scenario first: C++ Beside CPython puts that run beside its listing run in CPython.");
    else if (m_shown->parametersChanged())
        error = tr("The parameters were changed since this run: run it again first, so that both runs use the same.");
    if (error.isEmpty()) {
        trace::Trace cpp = m_shown->trace();
        error = runInCPython(quiet);
        if (error.isEmpty()) {
            m_awaitingCPython = std::move(cpp);
            statusBar()->showMessage(tr("Running the listing in CPython to compare with the C++ run…"));
            return {};
        }
        return error; // runInCPython() has said why
    }
    if (!quiet)
        QMessageBox::information(this, tr("Cannot compare"), error);
    return error;
}

QString MainWindow::comparePools(bool quiet)
{
    const scenarios::Scenario* scenario = m_shown ? m_shown->scenario() : nullptr;
    QString error;
    if (isRunning())
        error = tr("Stop the current run before starting another.");
    else if (!scenario || scenario->info().id != "cpu-bound")
        error = tr("Compare Pools is exercise 7's: select “%1” first.")
                    .arg(toQString(scenarios::find_scenario("cpu-bound")->info().title));
    m_poolQueue.clear();
    if (error.isEmpty()) {
        // The panel's values, then the pool's: the last value of a name wins (ParameterValues::resolve()).
        const auto base = m_parameters->values();
        const auto with = [&base](std::vector<std::pair<std::string, std::string>> changes) {
            auto values = base;
            values.insert(values.end(), changes.begin(), changes.end());
            return values;
        };
        m_poolQueue = { { tr("thread pool under the interpreter lock"), with({ { "pool", "thread" }, { "gil", "true" } }) },
            { tr("free-threaded thread pool"), with({ { "pool", "thread" }, { "gil", "false" } }) },
            { tr("process pool"), with({ { "pool", "process" } }) } };
        for (const auto& [what, values] : m_poolQueue) {
            try {
                scenarios::ParameterValues::resolve(scenario->parameters(), values);
            } catch (const scenarios::ParameterError& e) {
                error = QString::fromUtf8(e.what());
                break;
            }
        }
    }
    if (!error.isEmpty()) {
        m_poolQueue.clear();
        if (!quiet)
            QMessageBox::information(this, tr("Cannot compare pools"), error);
        return error;
    }
    saveParameters(*m_shown);
    m_poolScenario = scenario;
    m_poolRuns.clear();
    m_poolTotal = static_cast<int>(m_poolQueue.size());
    startNextPoolRun();
    return {};
}

void MainWindow::startNextPoolRun()
{
    if (m_poolQueue.empty()) {
        updateActions();
        openComparison(std::exchange(m_poolRuns, {}),
            tr("Exercise 7: one workload on a thread pool with and without the interpreter lock, and on a process pool"));
        return;
    }
    auto [what, values] = m_poolQueue.front();
    m_poolQueue.erase(m_poolQueue.begin());
    m_poolRunner->start(*m_poolScenario, scenarios::ParameterValues::resolve(m_poolScenario->parameters(), values));
    statusBar()->showMessage(tr("Comparing pools: run %1 of %2, %3…")
                                 .arg(static_cast<int>(m_poolRuns.size()) + 1)
                                 .arg(m_poolTotal)
                                 .arg(what));
    updateActions();
}

void MainWindow::poolRunEnded(const QString&, const QString& failure)
{
    // The output check does not matter here: the runs differ from the exercise's defaults on purpose.
    if (m_poolRunner->wasStopped() || !failure.isEmpty()) {
        m_poolQueue.clear();
        m_poolRuns.clear();
        const QString why = failure.isEmpty() ? tr("stopped") : tr("a run failed: %1").arg(failure);
        statusBar()->showMessage(tr("Pool comparison %1").arg(why), 8000);
        updateActions();
        emit comparisonAbandoned(why);
        return;
    }
    m_poolRuns.push_back(m_poolRunner->takeTrace());
    startNextPoolRun();
}

ComparisonWindow* MainWindow::openComparison(std::vector<trace::Trace> runs, const QString& title)
{
    auto* window = new ComparisonWindow(std::move(runs), title, this);
    window->show();
    window->raise();
    statusBar()->showMessage(tr("Compared: %1").arg(window->view()->summaryText()), 8000);
    emit comparisonOpened(window);
    return window;
}

void MainWindow::configureReplay()
{
    // A finished run replays; a running or empty one does not (its events are still arriving).
    m_timeline->setTimeLimit(std::nullopt);
    m_eventTable->filterModel()->setTimeLimit(std::nullopt);
    showPlayhead(std::nullopt);
    m_timeline->viewport()->removeExtent(m_replay);
    const trace::Trace& trace = m_shown->trace();
    const bool replayable = m_shown->state() != widgets::RunDocument::State::Empty
        && m_shown->state() != widgets::RunDocument::State::Running && !trace.events.empty();
    std::vector<qint64> times;
    qint64 end = 0;
    if (replayable) {
        times.reserve(trace.events.size());
        for (const Event& e : trace.events)
            times.push_back(e.time.count());
        end = std::max<qint64>(trace.wall_time.count(), *std::max_element(times.begin(), times.end()));
        // The whole run's axis stays while the playhead moves, so bars grow into a fixed frame.
        m_timeline->viewport()->setExtent(m_replay, 0, double(end));
    }
    m_replay->setRun(end, std::move(times));
    m_replay->setExplanation(replayable
            ? tr("Replay: press Space to play the run from the start, ← / → to step through its events.")
            : QString());
}

void MainWindow::showReplayPosition(qint64 ns)
{
    // GUI thread, from the replay bar: only what had happened by `ns` is drawn, listed and printed.
    if (isRunning())
        return;
    const trace::Trace& whole = m_shown->trace();
    if (!m_replay->isReplaying()) {
        m_timeline->setTimeLimit(std::nullopt);
        m_tableTimer->stop();
        m_eventTable->filterModel()->setTimeLimit(std::nullopt);
        m_console->setOutput((m_shown->output() + m_shown->outcomeLines()).join(QLatin1Char('\n')));
        m_replay->setExplanation(tr("The end of the run: everything that happened is drawn."));
        showPlayhead(std::nullopt);
        return;
    }
    // The whole run's data drawn up to the playhead: a move costs a replot, not a rebuild
    // (bench/timeline/replay_bench). The table's filter costs 30 ms on a million events: while the
    // replay plays or the slider is dragged it follows ten times a second, a step at once.
    m_timeline->setTimeLimit(ns);
    if (m_replay->isPlaying() || m_replay->slider()->isSliderDown()) {
        m_pendingTableLimit = ns;
        if (!m_tableTimer->isActive())
            m_tableTimer->start();
    } else {
        m_tableTimer->stop();
        m_eventTable->filterModel()->setTimeLimit(ns);
    }
    showPlayhead(ns);
    QStringList printed;
    const Event* last = nullptr;
    std::size_t lastIndex = 0;
    for (std::size_t i = 0; i < whole.events.size(); ++i) {
        const Event& e = whole.events[i];
        if (e.time.count() > ns)
            break; // a trace is in time order
        if (e.kind == EventKind::output || e.kind == EventKind::error_output) {
            printed << toQString(e.label);
        } else {
            last = &e;
            lastIndex = i;
        }
    }
    m_console->setOutput(printed.join(QLatin1Char('\n')));
    showSourceLines(last ? std::optional<std::size_t>(lastIndex) : std::nullopt);
    m_replay->setExplanation(last ? tr("%1 s: %2").arg(double(last->time.count()) / 1e9, 0, 'f', 3)
                                        .arg(toQString(trace::explain_event(whole, *last)))
                                  : tr("Before the first event: press → to step, Space to play."));
}

void MainWindow::showSourceLines(std::optional<std::size_t> event)
{
    // Traced programs record the line of each call; a scenario's events take theirs from its lines
    // table, in both listings.
    m_pythonListing->highlightLine(event ? m_shown->pythonLineOf(*event) : 0);
    m_cppListing->highlightLine(event ? m_shown->cppLineOf(*event) : 0);
}

void MainWindow::showEventsOfLine(int line, bool python)
{
    const std::vector<std::size_t> found = m_shown->eventsOnLine(line, python);
    const std::vector<Event>& events = m_shown->trace().events;
    std::vector<std::pair<std::int64_t, int>> marks;
    std::map<std::string, int> kinds;
    for (const std::size_t i : found) {
        if (events[i].kind == EventKind::output || events[i].kind == EventKind::error_output)
            continue; // printed lines are in the console, not on a lane
        marks.emplace_back(events[i].time.count(), events[i].worker);
        ++kinds[std::string(to_string(events[i].kind))];
    }
    m_timeline->setEventMarks(marks);
    (python ? m_pythonListing : m_cppListing)->highlightLine(line);
    if (marks.empty()) {
        statusBar()->showMessage(found.empty() ? tr("Line %1 caused no event of this run.").arg(line)
                                               : tr("Line %1 printed what the Output tab shows.").arg(line),
            6000);
        return;
    }
    QStringList counts;
    for (const auto& [kind, count] : kinds)
        counts << (count > 1 ? QStringLiteral("%1 ×%2").arg(toQString(kind)).arg(count) : toQString(kind));
    const QString what = marks.size() == 1 ? tr("1 event") : tr("%1 events").arg(marks.size());
    statusBar()->showMessage(
        tr("Line %1: %2 pointed out on the timeline (%3)").arg(line).arg(what, counts.join(QStringLiteral(", "))), 8000);
}

void MainWindow::showPlayhead(std::optional<qint64> ns)
{
    for (QCPItemStraightLine* line : m_playheadLines) {
        line->setVisible(ns.has_value());
        if (ns) {
            const double key = double(*ns) / timeline::timelineNsPerKey;
            line->point1->setCoords(key, 0);
            line->point2->setCoords(key, 1);
        }
    }
    m_timeline->replotNow();
}

void MainWindow::stepTask(bool forward)
{
    const auto selected = m_timeline->selectedTask();
    if (!selected) {
        statusBar()->showMessage(tr("Select a task first (click its bar): Shift+→ steps through its events."), 5000);
        return;
    }
    m_replay->pause();
    const qint64 at = m_replay->position();
    std::optional<qint64> target;
    for (const Event& e : m_shown->trace().events) {
        if (e.task_id != selected->taskId)
            continue;
        const qint64 t = e.time.count();
        if (forward && t > at && (!target || t < *target))
            target = t;
        if (!forward && t < at && (!target || t > *target))
            target = t;
    }
    if (target)
        m_replay->setPosition(*target);
}

void MainWindow::updateStatus()
{
    m_statusLabel->setText(m_shown ? m_shown->statusText() : QString());
}

void MainWindow::updateActions()
{
    const bool running = isRunning();
    const bool haveRun = m_shown && !m_shown->trace().events.empty();
    // A trace of a scenario this PoolScope does not have cannot be run again.
    const bool canRun = !running && m_shown
        && (m_shown->scenario() || m_shown->origin() == widgets::RunDocument::Origin::TracedProgram);
    m_runAction->setEnabled(canRun);
    m_runButton->setEnabled(canRun);
    m_stopAction->setEnabled(running);
    m_stopButton->setEnabled(running);
    m_parameters->setEnabled(!running);
    m_list->setEnabled(!running);
    m_saveAction->setEnabled(haveRun && !running);
    m_exportAction->setEnabled(haveRun && !running);
    m_chromeAction->setEnabled(haveRun && !running);
    m_csvAction->setEnabled(haveRun && !running);
    m_runPythonAction->setEnabled(!running);
    const bool canRunListing = !running && m_shown && m_shown->scenario();
    m_runInCPythonAction->setEnabled(canRunListing);
    m_runInCPythonButton->setEnabled(canRunListing);
    m_pinAction->setEnabled(haveRun && !running);
    m_compareAction->setEnabled(haveRun && !running && m_pinned.has_value());
    m_compareCPythonAction->setEnabled(canRunListing && haveRun
        && m_shown->origin() == widgets::RunDocument::Origin::ScenarioRun);
    const bool poolsHere = m_shown && m_shown->scenario() && m_shown->scenario()->info().id == "cpu-bound";
    m_comparePoolsAction->setEnabled(poolsHere && !running);
    m_comparePoolsButton->setVisible(poolsHere);
    m_comparePoolsButton->setEnabled(poolsHere && !running);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_runner->isRunning()) {
        // End the run before the window goes: pending tasks are cancelled, running ones are given a
        // bounded time to finish (the runner's destructor joins whatever is left).
        m_runner->stop();
        m_runner->waitForFinished(10000);
    }
    if (m_python->isRunning())
        m_python->stop(); // and the runner's destructor ends the process group, bounded
    if (m_poolRunner->isRunning()) {
        m_poolQueue.clear();
        m_poolRunner->stop();
        m_poolRunner->waitForFinished(10000);
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
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    const QString path = urls.first().toLocalFile();
    if (path.endsWith(QStringLiteral(".py"), Qt::CaseInsensitive))
        runPythonProgram(path);
    else
        openTrace(path);
}

namespace {
// The palette of the desktop, as the application started with it: what "system" goes back to.
const QPalette& systemPalette()
{
    static const QPalette palette = QApplication::palette();
    return palette;
}

// A dark palette for the widgets around the timeline (Fusion's roles, dark greys).
QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2b);
    const QColor base(0x1e, 0x1e, 0x1e);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x45, 0x45, 0x45));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::Mid, QColor(0x25, 0x25, 0x25));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x18));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x2a, 0x7f, 0xc8));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x56, 0xb4, 0xe9));
    for (const auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

// The light palette of the style, for "light" on a dark desktop.
QPalette lightPalette()
{
    return QApplication::style()->standardPalette();
}
} // namespace

bool MainWindow::setTheme(const QString& theme)
{
    if (theme != QLatin1String("system") && theme != QLatin1String("light") && theme != QLatin1String("dark"))
        return false;
    systemPalette(); // remembered before the first change
    m_theme = theme;
    QApplication::setPalette(theme == QLatin1String("dark") ? darkPalette()
            : theme == QLatin1String("light")                ? lightPalette()
                                                             : systemPalette());
    for (QAction* action : m_themeMenu->actions())
        action->setChecked(action->data().toString() == theme);
    QSettings().setValue(QStringLiteral("view/theme"), theme);
    return true;
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (const QString theme = settings.value(QStringLiteral("view/theme")).toString(); !theme.isEmpty() && theme != m_theme)
        setTheme(theme);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    m_mainSplitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_centralSplitter->restoreState(settings.value(QStringLiteral("window/centralSplitter")).toByteArray());
    selectScenario(settings.value(QStringLiteral("scenario/last")).toString());
    m_pythonInterpreter = settings.value(QStringLiteral("python/interpreter"), m_pythonInterpreter).toString();
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/splitter"), m_mainSplitter->saveState());
    settings.setValue(QStringLiteral("window/centralSplitter"), m_centralSplitter->saveState());
    settings.setValue(QStringLiteral("scenario/last"), currentScenarioId());
    settings.setValue(QStringLiteral("python/interpreter"), m_pythonInterpreter);
    if (m_shown)
        saveParameters(*m_shown);
}

void MainWindow::saveParameters(const widgets::RunDocument& document) const
{
    // What the user set last for a scenario is where its panel starts next session.
    if (!document.scenario())
        return;
    QSettings settings;
    settings.beginGroup(QStringLiteral("parameters/") + document.scenarioId());
    settings.remove(QString());
    for (const auto& [name, value] : document.editedParameters())
        settings.setValue(toQString(name), toQString(value));
}

widgets::RunDocument::ParameterList MainWindow::storedParameters(const scenarios::Scenario& scenario) const
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("parameters/") + toQString(scenario.info().id));
    // Values that no longer fit (a parameter renamed, a bound tightened) are skipped, keeping defaults.
    widgets::RunDocument::ParameterList accepted;
    for (const QString& key : settings.childKeys()) {
        accepted.emplace_back(key.toStdString(), settings.value(key).toString().toStdString());
        try {
            scenarios::ParameterValues::resolve(scenario.parameters(), accepted);
        } catch (const scenarios::ParameterError&) {
            accepted.pop_back();
        }
    }
    return scenarios::ParameterValues::resolve(scenario.parameters(), accepted).as_text();
}

} // namespace poolscope::app
