#include "app/scenariorunner.h"

#include "events/eventbatcher.h"
#include "scenarios/scenario.h"

#include <poolscope/event_log.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QMetaObject>
#include <QThread>

namespace poolscope::app {

ScenarioRunner::ScenarioRunner(QObject* parent)
    : QObject(parent)
    , m_batcher(new widgets::EventBatcher(this))
{
    // A run of tiny tasks records two million events a second; slices of 8,192 keep each batch to a
    // few milliseconds of GUI work (measured with bench/gui/live_stall_bench.cpp).
    m_batcher->setMaximumBatchSize(maximumBatchSize);
    connect(m_batcher, &widgets::EventBatcher::eventsArrived, this, &ScenarioRunner::eventsArrived);
    connect(m_batcher, &widgets::EventBatcher::drained, this, &ScenarioRunner::onEventsDrained);
}

ScenarioRunner::~ScenarioRunner()
{
    m_stop.request_stop();
    if (m_thread.joinable())
        m_thread.join();
    if (m_log)
        m_log->set_observer({});
}

bool ScenarioRunner::start(const scenarios::Scenario& scenario, const scenarios::ParameterValues& params)
{
    if (m_running)
        return false;
    if (m_thread.joinable())
        m_thread.join(); // the previous run's thread has already posted its end
    m_running = true;
    m_stop = std::stop_source();
    m_log = std::make_unique<EventLog>();
    m_log->set_observer(m_batcher->observer());
    EventLog* log = m_log.get();
    const scenarios::Scenario* which = &scenario;
    m_thread = std::jthread([this, which, params, log, stop = m_stop.get_token()] {
        // Runs on the run thread.
        // Printed lines need no hook: they are events in `log`, which the batcher observes.
        scenarios::ScenarioRun run = scenarios::run_scenario(*which, params, *log, { .on_output = {}, .stop = stop });
        m_stopped = stop.stop_requested();
        // Here rather than on the GUI thread, where it took 12 ms for 100,000 tasks.
        m_summary = trace::summarize(run.trace);
        m_trace = std::move(run.trace);
        m_checkError = QString::fromStdString(run.check_error);
        m_failure = QString::fromStdString(run.failure);
        QMetaObject::invokeMethod(this, &ScenarioRunner::onThreadDone, Qt::QueuedConnection);
    });
    return true;
}

void ScenarioRunner::stop()
{
    m_stop.request_stop();
}

bool ScenarioRunner::waitForFinished(int milliseconds)
{
    if (!m_thread.joinable())
        return true;
    // std::jthread cannot join with a timeout; the run thread's end is visible as the queued
    // onThreadDone() call (and the run's as the last event batch after it), so process events until
    // both have run or the time is up.
    QDeadlineTimer deadline(milliseconds);
    while (m_running && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    if (m_running)
        return false;
    m_thread.join();
    return true;
}

void ScenarioRunner::onThreadDone()
{
    // The run thread has written its results and posts nothing after this call; nothing records any
    // more either (run_scenario() returned after the executors were gone).
    m_log->set_observer({});
    // The last events in slices like the others; the run ends when the last slice is out.
    m_batcher->drain();
}

void ScenarioRunner::onEventsDrained()
{
    m_running = false;
    emit finished(m_checkError, m_failure);
}

} // namespace poolscope::app
