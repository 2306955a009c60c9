#pragma once

#include "document/rundocument.h"

#include <poolscope/trace/trace.h>

#include <QMainWindow>

#include <memory>
#include <vector>

class QAction;
class QLabel;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QSplitter;
class QTabWidget;

namespace poolscope::widgets {
class ConsoleView;
class EventModel;
class EventTableView;
class ParameterPanel;
class ScenarioListModel;
class TimelineView;
} // namespace poolscope::widgets

namespace poolscope::scenarios {
class Scenario;
}

namespace poolscope::app {

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

    bool isRunning() const;
    /// The document shown: the selected scenario's latest run (running, finished or stopped), the
    /// trace opened last, or the scenario's empty document before it is run.
    const widgets::RunDocument& currentDocument() const { return *m_shown; }
    /// Its trace and timeline data.
    const trace::Trace& currentTrace() const { return m_shown->trace(); }
    const timeline::TimelineData& timelineData() const { return m_shown->timelineData(); }

    /// Loads a trace file and shows it; on failure shows the error (unless `quiet`) and keeps what
    /// was shown. Returns the error text, empty on success.
    QString openTrace(const QString& path, bool quiet = false);

public slots:
    void run();
    void stop();

signals:
    void currentScenarioChanged(const QString& id);
    /// A run ended and its trace is shown.
    void runFinished();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void showScenario(const QModelIndex& index);
    widgets::RunDocument* documentFor(const scenarios::Scenario& scenario);
    widgets::RunDocument* showNewDocument(std::unique_ptr<widgets::RunDocument> document);
    void showDocument(widgets::RunDocument* document);
    void parametersEdited();
    void appendEvents(const std::vector<Event>& events);
    void runEnded(const QString& checkError, const QString& failure);
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
    QPlainTextEdit* m_pythonListing;
    QPlainTextEdit* m_cppListing;
    QLabel* m_explanation;
    QLabel* m_statusLabel;
    QSplitter* m_mainSplitter;
    QSplitter* m_centralSplitter;
    ScenarioRunner* m_runner;

    QAction* m_runAction = nullptr;
    QAction* m_stopAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_chromeAction = nullptr;
    QAction* m_csvAction = nullptr;

    // At most one document per scenario id (and one without a scenario): a new run or an opened
    // trace replaces the scenario's previous one.
    std::vector<std::unique_ptr<widgets::RunDocument>> m_documents;
    widgets::RunDocument* m_shown = nullptr; // never null once the constructor has run
    widgets::RunDocument* m_runDocument = nullptr; // the run in progress, if any
    bool m_showing = false; // showDocument() is filling the panes: their change signals are not the user's
};

} // namespace poolscope::app
