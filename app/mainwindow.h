#pragma once

#include "document/rundocument.h"

#include <poolscope/trace/trace.h>

#include <QMainWindow>

#include <memory>
#include <optional>
#include <vector>

class QAction;
class QCPItemStraightLine;
class QLabel;
class QListView;
class QMenu;
class QPushButton;
class QSplitter;
class QTabWidget;
class QTemporaryDir;
class QTimer;

namespace poolscope::widgets {
class ConsoleView;
class EventModel;
class EventTableView;
class ListingView;
class ParameterPanel;
class ReplayBar;
class ScenarioListModel;
class TimelineView;
} // namespace poolscope::widgets

namespace poolscope::scenarios {
class Scenario;
}

namespace poolscope::app {

class ComparisonWindow;
class PythonRunner;
class ScenarioRunner;

/// PoolScope's main window: pick a scenario, set its parameters, run it and watch the timeline fill
/// live; the scenario's output, its events and its listings sit under the timeline.
///
/// The window holds run documents (widgets::RunDocument) — each scenario's latest run, or the trace
/// opened for it, or an empty one until it is run — and shows one. Every pane (titles, caption,
/// parameter panel, output, event table, listings, status bar) is filled from the document shown,
/// so selecting a scenario or opening a trace leaves nothing of the previous run on screen.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// The id of the selected scenario ("map", "as-completed"...), empty if none.
    QString currentScenarioId() const;
    /// Selects a scenario by id; returns false if there is no such scenario.
    bool selectScenario(const QString& id);

    /// Shows the tab under the timeline whose title starts with `name`, ignoring case ("events",
    /// "python", "look" for What to look for); false if none does.
    bool showTab(const QString& name);

    bool isRunning() const;
    /// The replay controls above the timeline (play, scrub, step), for the shown finished run.
    widgets::ReplayBar* replayBar() const { return m_replay; }
    /// The document shown: the selected scenario's latest run (running, finished or stopped), the
    /// trace opened last, or the scenario's empty document before it is run.
    const widgets::RunDocument& currentDocument() const { return *m_shown; }
    /// Its trace and timeline data.
    const trace::Trace& currentTrace() const { return m_shown->trace(); }
    const timeline::TimelineData& timelineData() const { return m_shown->timelineData(); }

    /// Loads a trace file and shows it; on failure shows the error (unless `quiet`) and keeps what
    /// was shown. Returns the error text, empty on success.
    QString openTrace(const QString& path, bool quiet = false);

    /// Runs a Python program under PoolScope's CPython tracer and shows it as it runs (File ▸ Run
    /// Python Program…, a dropped .py, `poolscope PROGRAM.py`). On failure to start (no such file, no
    /// usable python, a run going) shows why (unless `quiet`), keeps what was shown and returns the
    /// reason; empty once it has started. runFinished() follows the end of a started run.
    QString runPythonProgram(const QString& path, bool quiet = false);
    /// Runs the shown scenario's Python listing, with the parameter panel's values, in CPython under
    /// the tracer, as a run of its own (the Python tab's Run in CPython). As runPythonProgram().
    QString runInCPython(bool quiet = false);
    /// Opens a file of File ▸ Open Recent: a trace, or a .py program to run. One that is gone is
    /// taken off the list, with a message (unless `quiet`). Returns the error text, empty on success.
    QString openRecent(const QString& path, bool quiet = false);
    /// The traces and programs opened last, newest first (absolute paths, at most maximumRecentFiles).
    QStringList recentFiles() const;
    static constexpr int maximumRecentFiles = 10;
    /// View ▸ Reset Layout: the panes at their first proportions, a pane dragged shut shown again.
    void resetLayout();
    /// View ▸ Presenter Mode (F11): full screen, the timeline's texts and lanes and the tabs' text
    /// larger, the scenario list and parameters hidden; off restores the window as it was.
    void setPresenterMode(bool on);
    bool isPresenterMode() const { return m_presenting; }

    /// Compare ▸ Pin Run as A: keeps a copy of the shown run to compare later runs with.
    void pinRun();
    /// The pinned run, if any.
    const std::optional<trace::Trace>& pinnedRun() const { return m_pinned; }
    /// Compare ▸ Compare with Pinned: the pinned run (A) and the shown one (B) on one axis, in a
    /// window of their own. Null, having said why (unless `quiet`), without a pinned or a shown run.
    ComparisonWindow* compareWithPinned(bool quiet = false);
    /// Compare ▸ C++ beside CPython: runs the shown scenario run's listing in CPython with the same
    /// parameters and, once it ends, opens the two runs compared. Empty once started, else why not.
    QString compareWithCPython(bool quiet = false);
    /// Compare ▸ Compare Pools (exercise 7): runs its workload three times — a thread pool under the
    /// interpreter lock, one without it (free-threaded), a process pool — with the other parameters
    /// as set, then opens the three compared. Empty once started, else why not.
    QString comparePools(bool quiet = false);
    /// Opens `runs` compared in a window of their own (the first the baseline).
    ComparisonWindow* openComparison(std::vector<trace::Trace> runs, const QString& title);
    /// View ▸ Theme: "system" (the default: the desktop's palette, light or dark), "light" or
    /// "dark". A setting; false for any other name.
    bool setTheme(const QString& theme);
    QString theme() const { return m_theme; }
    /// The python that runs programs: a path, or a name looked up on PATH ("python3"). A setting.
    QString pythonInterpreter() const { return m_pythonInterpreter; }
    void setPythonInterpreter(const QString& python);

public slots:
    void run();
    void stop();

signals:
    void currentScenarioChanged(const QString& id);
    /// A run ended and its trace is shown.
    void runFinished();
    /// A comparison window was opened (Compare ▸ …); after Compare Pools and C++ beside CPython it
    /// comes when their runs have ended.
    void comparisonOpened(poolscope::app::ComparisonWindow* window);
    /// Compare Pools or C++ beside CPython ended without a comparison (stopped, or a run failed).
    void comparisonAbandoned(const QString& why);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void rememberRecent(const QString& path);
    void fillRecentMenu();
    void showScenario(const QModelIndex& index);
    widgets::RunDocument* documentFor(const scenarios::Scenario& scenario);
    widgets::RunDocument* showNewDocument(std::unique_ptr<widgets::RunDocument> document);
    void showDocument(widgets::RunDocument* document);
    void parametersEdited();
    void appendEvents(const std::vector<Event>& events);
    void runEnded(const QString& checkError, const QString& failure);
    void announceEnd(const widgets::RunDocument& document);
    QString startTracedRun(const QString& path, const QString& title,
        const widgets::RunDocument::ParameterList& parameters, bool quiet);
    void tracedRunStarted();
    void showTracedSoFar();
    void tracedRunEnded(const QString& failure);
    void choosePythonInterpreter();
    void startNextPoolRun();
    void poolRunEnded(const QString& checkError, const QString& failure);
    void configureReplay();
    void showReplayPosition(qint64 ns);
    void stepTask(bool forward);
    void showSourceLines(std::optional<std::size_t> event); // the event's lines in both listings; nullopt clears
    void showEventsOfLine(int line, bool python); // a listing line clicked
    void showPlayhead(std::optional<qint64> ns);
    QWidget* makePythonTab();
    void updateTitles();
    void updateParameterNote();
    void updateStatus();
    void updateActions();
    void saveTrace();
    void exportTimeline();
    void exportChromeTrace();
    void exportCsv();
    void restoreSettings();
    void saveSettings() const;
    void saveParameters(const widgets::RunDocument& document) const;
    widgets::RunDocument::ParameterList storedParameters(const scenarios::Scenario& scenario) const;

    widgets::ScenarioListModel* m_scenarios;
    QListView* m_list;
    QLabel* m_title;
    QLabel* m_hint;
    widgets::ParameterPanel* m_parameters;
    QLabel* m_parameterNote;
    QPushButton* m_runButton;
    QPushButton* m_stopButton;
    widgets::TimelineView* m_timeline;
    QTabWidget* m_tabs;
    widgets::ConsoleView* m_console;
    widgets::EventModel* m_eventModel;
    widgets::EventTableView* m_eventTable;
    widgets::ListingView* m_pythonListing;
    widgets::ListingView* m_cppListing;
    QLabel* m_explanation;
    QLabel* m_statusLabel;
    QSplitter* m_mainSplitter;
    QSplitter* m_centralSplitter;
    ScenarioRunner* m_runner;
    PythonRunner* m_python;
    QTimer* m_liveTimer; // coalesces the tracer's progress into a few redraws a second
    QTimer* m_tableTimer = nullptr; // the event table follows a playing replay at most every 100 ms
    std::optional<qint64> m_pendingTableLimit;
    widgets::ReplayBar* m_replay;
    std::vector<QCPItemStraightLine*> m_playheadLines; // owned by the plot
    QPushButton* m_runInCPythonButton = nullptr;
    QString m_pythonInterpreter = QStringLiteral("python3");
    std::unique_ptr<QTemporaryDir> m_listingDir; // the listings Run in CPython runs
    std::unique_ptr<widgets::RunDocument> m_startingTraced; // shown once its program has started
    QString m_startFailure; // why the program last failed to start
    bool m_startQuiet = false; // the program being started was asked for without message boxes
    bool m_inStart = false; // inside PythonRunner::start(): its failure is returned, not shown

    QAction* m_runAction = nullptr;
    QAction* m_stopAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_chromeAction = nullptr;
    QAction* m_csvAction = nullptr;
    QAction* m_runPythonAction = nullptr;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_pythonNote = nullptr;
    QAction* m_presenterAction = nullptr;
    bool m_presenting = false;
    Qt::WindowStates m_windowStateBeforePresenting;
    QByteArray m_mainSplitterBeforePresenting;
    QByteArray m_centralSplitterBeforePresenting;
    QAction* m_runInCPythonAction = nullptr;
    QString m_theme = QStringLiteral("system");
    QMenu* m_themeMenu = nullptr;
    QAction* m_pinAction = nullptr;
    QAction* m_compareAction = nullptr;
    QAction* m_compareCPythonAction = nullptr;
    QAction* m_comparePoolsAction = nullptr;
    QPushButton* m_comparePoolsButton = nullptr;
    std::optional<trace::Trace> m_pinned;
    std::optional<trace::Trace> m_awaitingCPython; // a C++ run whose CPython counterpart is running
    ScenarioRunner* m_poolRunner = nullptr; // Compare Pools' runs, one after the other
    const scenarios::Scenario* m_poolScenario = nullptr;
    std::vector<std::pair<QString, std::vector<std::pair<std::string, std::string>>>> m_poolQueue; // what to run next
    std::vector<trace::Trace> m_poolRuns; // what has run
    int m_poolTotal = 0;

    // At most one document per scenario id (and one without a scenario): a new run or an opened
    // trace replaces the scenario's previous one.
    std::vector<std::unique_ptr<widgets::RunDocument>> m_documents;
    widgets::RunDocument* m_shown = nullptr; // never null once the constructor has run
    widgets::RunDocument* m_runDocument = nullptr; // the run in progress, if any
    bool m_showing = false; // showDocument() is filling the panes: their change signals are not the user's
};

} // namespace poolscope::app
