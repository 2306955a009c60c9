// ScenarioRunner: a scenario on a thread of its own, its events (printed lines among them) in
// batches on the GUI thread, then the finished trace.

#include "app/scenariorunner.h"
#include "scenarios/scenario.h"

#include <poolscope/trace/run_summary.h>

#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <memory>

using poolscope::Event;
using poolscope::EventKind;
using poolscope::app::ScenarioRunner;
namespace scenarios = poolscope::scenarios;

namespace {
const scenarios::Scenario& scenarioNamed(const char* id)
{
    const scenarios::Scenario* scenario = scenarios::find_scenario(id);
    if (!scenario)
        qFatal("no scenario %s", id);
    return *scenario;
}

QStringList printedLines(const std::vector<Event>& events)
{
    QStringList lines;
    for (const Event& e : events) {
        if (e.kind == EventKind::output)
            lines << QString::fromStdString(e.label);
    }
    return lines;
}

// What a connected receiver saw, in order.
struct Recorder {
    std::vector<Event> events;
    int batches = 0;
    int finished = 0;
    int batchesAfterFinished = 0;
    int unsortedBatches = 0;
    QString checkError;
    QString failure;

    void attach(ScenarioRunner& runner)
    {
        QObject::connect(&runner, &ScenarioRunner::eventsArrived, &runner, [this](const std::vector<Event>& batch) {
            events.insert(events.end(), batch.begin(), batch.end());
            ++batches;
            // Within a batch only: an event stamped just before another may reach the observer
            // after it, and so a later batch.
            const auto byTime = [](const Event& a, const Event& b) { return a.time < b.time; };
            unsortedBatches += std::is_sorted(batch.begin(), batch.end(), byTime) ? 0 : 1;
            batchesAfterFinished += finished > 0 ? 1 : 0;
        });
        QObject::connect(
            &runner, &ScenarioRunner::finished, &runner, [this](const QString& check, const QString& failed) {
                ++finished;
                checkError = check;
                failure = failed;
            });
    }
};

// A runner and what it delivered.
struct WatchedRunner {
    ScenarioRunner runner;
    Recorder seen;
    QSignalSpy finished { &runner, &ScenarioRunner::finished };
    WatchedRunner() { seen.attach(runner); }
};
} // namespace

class TestScenarioRunner : public QObject {
    Q_OBJECT
    std::unique_ptr<WatchedRunner> m_watched; // a fresh one for every test

private slots:
    void init() { m_watched = std::make_unique<WatchedRunner>(); }
    void cleanup() { m_watched.reset(); }

    void aRunDeliversEveryEventAndItsOutputBeforeFinished()
    {
        auto& [runner, seen, finished] = *m_watched;
        const scenarios::Scenario& scenario = scenarioNamed("exceptions");
        QVERIFY(runner.start(scenario, scenarios::ParameterValues::resolve(scenario.parameters())));
        QVERIFY(runner.isRunning());
        QVERIFY(finished.wait(60000));
        QVERIFY(!runner.isRunning());

        QCOMPARE(seen.finished, 1);
        QCOMPARE(seen.batchesAfterFinished, 0);
        QVERIFY(seen.batches >= 1);
        QCOMPARE(seen.checkError, QString());
        QCOMPARE(seen.failure, QString());
        QVERIFY(!runner.wasStopped());

        const poolscope::trace::Trace trace = runner.takeTrace();
        // Every recorded event came through the batches, once; each batch is in time order.
        QCOMPARE(seen.events.size(), trace.events.size());
        QCOMPARE(seen.unsortedBatches, 0);
        for (const Event& e : trace.events)
            QVERIFY(std::count(seen.events.begin(), seen.events.end(), e)
                == std::count(trace.events.begin(), trace.events.end(), e));
        // The printed lines among them, in the order printed: the output, and nothing else carries it.
        const QStringList expected { QStringLiteral("Successes: [10, 20, 40, 50]"),
            QStringLiteral("Errors: ['Bad value: 3', 'Bad value: 6']") };
        QCOMPARE(printedLines(seen.events), expected);
        QCOMPARE(QString::fromStdString(trace.output), expected.join(QLatin1Char('\n')));

        // Summarised on the run thread, as summarize() on the GUI thread would.
        const poolscope::trace::RunSummary expectedSummary = poolscope::trace::summarize(trace);
        QCOMPARE(runner.summary().submitted, expectedSummary.submitted);
        QCOMPARE(runner.summary().finished, expectedSummary.finished);
        QCOMPARE(runner.summary().failed, expectedSummary.failed);
        QCOMPARE(runner.summary().lanes.size(), expectedSummary.lanes.size());
        QCOMPARE(runner.summary().submitted, 6);
        QCOMPARE(runner.summary().failed, 2);
        QVERIFY(runner.takeTrace().events.empty()); // moved out once
    }

    void onlyOneRunAtATimeAndStopEndsItEarly()
    {
        // A thousand ten-second tasks on one worker: without Stop this would take hours.
        auto& [runner, seen, finished] = *m_watched;
        const scenarios::Scenario& scenario = scenarioNamed("exceptions");
        const auto slow = scenarios::ParameterValues::resolve(
            scenario.parameters(), { { "workers", "1" }, { "tasks", "1000" }, { "delay", "10" } });
        QSignalSpy batches(&runner, &ScenarioRunner::eventsArrived);
        QVERIFY(runner.start(scenario, slow));
        QVERIFY(!runner.start(scenario, slow));
        // Stop once the first task runs, so the stop meets a run under way.
        const auto started = [&] {
            return std::any_of(
                seen.events.begin(), seen.events.end(), [](const Event& e) { return e.kind == EventKind::started; });
        };
        while (!started())
            QVERIFY(batches.wait(60000));
        runner.stop();
        QVERIFY(finished.wait(60000));
        QCOMPARE(seen.finished, 1);
        QVERIFY(runner.wasStopped());
        QCOMPARE(seen.failure, QString());
        QVERIFY(!seen.checkError.isEmpty()); // it printed nothing, not what the exercise expects
        const poolscope::trace::Trace trace = runner.takeTrace();
        QCOMPARE(seen.events.size(), trace.events.size());
        QVERIFY(printedLines(seen.events).isEmpty());
        QVERIFY(runner.summary().cancelled > 0);

        // The runner takes the next run.
        const auto quick = scenarios::ParameterValues::resolve(scenario.parameters());
        QVERIFY(runner.start(scenario, quick));
        QVERIFY(runner.waitForFinished(60000));
        QCOMPARE(seen.finished, 2);
        QVERIFY(!runner.wasStopped());
        QCOMPARE(seen.checkError, QString());
    }

    void destroyingTheRunnerStopsARunAndWaitsForIt()
    {
        const scenarios::Scenario& scenario = scenarioNamed("exceptions");
        auto runner = std::make_unique<ScenarioRunner>();
        QVERIFY(runner->start(scenario,
            scenarios::ParameterValues::resolve(
                scenario.parameters(), { { "workers", "1" }, { "tasks", "1000" }, { "delay", "10" } })));
        runner.reset(); // must return (bounded by the task running), not hang or crash
        QVERIFY(!runner);
    }
};

QTEST_GUILESS_MAIN(TestScenarioRunner)
#include "tst_scenariorunner.moc"
