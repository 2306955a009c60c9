#include "app/scenariorunner.h"

#include "scenarios/scenario.h"
#include "widgets/eventbatcher.h"

#include <poolscope/event_log.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QMetaObject>
#include <QThread>

#include <condition_variable>
#include <mutex>

namespace poolscope::app {

ScenarioRunner::ScenarioRunner(QObject* parent)
    : QObject(parent)
    , m_batcher(new widgets::EventBatcher(this))
{
    connect(m_batcher, &widgets::EventBatcher::eventsArrived, this, &ScenarioRunner::eventsArrived);
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
        scenarios::RunHooks hooks;
        hooks.stop = stop;
        hooks.on_output = [this](const std::string& line) {
            // Any thread that prints: hand the line to the GUI thread.
            QMetaObject::invokeMethod(
                this, [this, text = QString::fromStdString(line)] { emit outputPrinted(text); }, Qt::QueuedConnection);
        };
        scenarios::ScenarioRun run = scenarios::run_scenario(*which, params, *log, hooks);
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
    // onThreadDone() call, so process events until it has run or the time is up.
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
    // The run thread has written its results and posts nothing after this call.
    m_log->set_observer({});
    m_batcher->flushNow();
    m_running = false;
    emit finished(m_trace, m_checkError, m_failure);
}

} // namespace poolscope::app
