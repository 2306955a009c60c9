#pragma once

#include <poolscope/timeline/timeline_data.h>

#include <poolscope/trace/run_summary.h>
#include <poolscope/trace/trace.h>

#include <QMainWindow>

#include <memory>
#include <optional>

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
}

namespace poolscope::app {

class ScenarioRunner;

/// PoolScope's main window: pick a scenario, set its parameters, run it and watch the timeline fill
/// live; the scenario's output, its events and its listings sit under the timeline.
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
    /// The run shown now (the last finished run or an opened trace); empty before the first.
    const trace::Trace& currentTrace() const { return m_trace; }
    const timeline::TimelineData& timelineData() const { return m_timelineData; }

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
    void clearRun();
    void appendEvents(const std::vector<Event>& events);
    void runEnded(const QString& checkError, const QString& failure);
    void showTrace(const trace::Trace& trace);
    void updateStatus();
    void updateActions();
    void saveTrace();
    void exportTimeline();
    void exportChromeTrace();
    void exportCsv();
    void restoreSettings();
    void saveSettings() const;
    void saveParameters(const QString& id) const;
    void restoreParameters(const QString& id);

    widgets::ScenarioListModel* m_scenarios;
    QListView* m_list;
    QLabel* m_title;
    QLabel* m_hint;
    widgets::ParameterPanel* m_parameters;
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

    timeline::TimelineData m_timelineData;
    trace::Trace m_trace;
    trace::RunSummary m_summary; // of m_trace, for the status bar
    QString m_shownScenario; // whose parameters the panel shows
};

} // namespace poolscope::app
