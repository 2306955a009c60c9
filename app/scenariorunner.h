#pragma once

#include "scenarios/parameter_values.h"

#include <poolscope/event.h>
#include <poolscope/trace/run_summary.h>
#include <poolscope/trace/trace.h>

#include <QObject>
#include <QString>

#include <memory>
#include <stop_token>
#include <thread>
#include <utility>
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
/// events in batches (through an EventBatcher), then the finished trace. Printed lines are events
/// too (EventKind::output, recorded by run_scenario()), so they arrive in the same batches, in
/// order with what the tasks did. Stop asks the scenario to end early; the scenario honours it
/// within about a second.
class ScenarioRunner : public QObject {
    Q_OBJECT
public:
    /// Events per batch at most; more wait for the next event-loop turn.
    static constexpr std::size_t maximumBatchSize = 8192;

    explicit ScenarioRunner(QObject* parent = nullptr);
    /// Stops a run that is still going and waits for it (the scenario cancels what it has not
    /// started, so this is bounded by the tasks already running).
    ~ScenarioRunner() override;

    bool isRunning() const { return m_running; }

    /// The finished run's trace, moved out (copying 100,000 tasks' events took the GUI thread 14 ms):
    /// call it once, from a slot connected to finished(); later calls return an empty trace.
    trace::Trace takeTrace() { return std::exchange(m_trace, {}); }
    /// trace::summarize() of the finished run's trace, computed on the run thread. Valid from
    /// finished() until the next start().
    const trace::RunSummary& summary() const { return m_summary; }
    /// Whether stop() was asked for before the finished run ended. Valid from finished() until the
    /// next start().
    bool wasStopped() const { return m_stopped; }

    /// Starts `scenario` with validated `params`; returns false (starting nothing) while a run is
    /// going. GUI thread.
    bool start(const scenarios::Scenario& scenario, const scenarios::ParameterValues& params);

    /// Asks the running scenario to stop; finished() follows. GUI thread.
    void stop();

    /// Blocks the GUI thread until the run thread has ended, at most `milliseconds`; true if it has.
    /// For closing the window and for tests.
    bool waitForFinished(int milliseconds);

signals:
    /// A batch of events, in time order, printed lines among them. GUI thread; the last batch comes
    /// before finished().
    void eventsArrived(const std::vector<poolscope::Event>& events);
    /// The run ended; what went wrong (both empty when the output is as expected). takeTrace() and
    /// summary() hold the rest.
    void finished(const QString& checkError, const QString& failure);

private:
    void onThreadDone(); // GUI thread, queued from the run thread
    void onEventsDrained(); // GUI thread: the batcher delivered the run's last events

    widgets::EventBatcher* m_batcher;
    std::unique_ptr<EventLog> m_log;
    std::stop_source m_stop;
    std::jthread m_thread;
    bool m_running = false;

    // Written by the run thread before it posts onThreadDone(), read on the GUI thread after.
    trace::Trace m_trace;
    trace::RunSummary m_summary;
    QString m_checkError;
    QString m_failure;
    bool m_stopped = false;
};

} // namespace poolscope::app
