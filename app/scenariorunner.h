#pragma once

#include "scenarios/parameter_values.h"

#include <poolscope/event.h>
#include <poolscope/trace/trace.h>

#include <QObject>
#include <QString>

#include <memory>
#include <stop_token>
#include <thread>
#include <vector>

namespace poolscope {
class EventLog;
}
namespace poolscope::scenarios {
class Scenario;
}
namespace poolscope::widgets {
class EventBatcher;
}

namespace poolscope::app {

/// Runs one scenario at a time on a thread of its own and streams what happens to the GUI thread:
/// events in batches (through an EventBatcher), printed lines, and the finished trace. Stop asks the
/// scenario to end early; the scenario honours it within about a second.
class ScenarioRunner : public QObject {
    Q_OBJECT
public:
    explicit ScenarioRunner(QObject* parent = nullptr);
    /// Stops a run that is still going and waits for it (the scenario cancels what it has not
    /// started, so this is bounded by the tasks already running).
    ~ScenarioRunner() override;

    bool isRunning() const { return m_running; }

    /// Starts `scenario` with validated `params`; returns false (starting nothing) while a run is
    /// going. GUI thread.
    bool start(const scenarios::Scenario& scenario, const scenarios::ParameterValues& params);

    /// Asks the running scenario to stop; finished() follows. GUI thread.
    void stop();

    /// Blocks the GUI thread until the run thread has ended, at most `milliseconds`; true if it has.
    /// For closing the window and for tests.
    bool waitForFinished(int milliseconds);

signals:
    /// A batch of events, in time order. GUI thread.
    void eventsArrived(const std::vector<poolscope::Event>& events);
    /// One line the scenario printed. GUI thread.
    void outputPrinted(const QString& line);
    /// The run ended: its trace, and what went wrong (both empty when the output is as expected).
    void finished(const poolscope::trace::Trace& trace, const QString& checkError, const QString& failure);

private:
    void onThreadDone(); // GUI thread, queued from the run thread

    widgets::EventBatcher* m_batcher;
    std::unique_ptr<EventLog> m_log;
    std::stop_source m_stop;
    std::jthread m_thread;
    bool m_running = false;

    // Written by the run thread before it posts onThreadDone(), read on the GUI thread after.
    trace::Trace m_trace;
    QString m_checkError;
    QString m_failure;
};

} // namespace poolscope::app
