#include "document/rundocument.h"

#include "scenarios/scenario.h"
#include "timeline/timelineexporter.h"

#include <poolscope/trace/run_summary.h>
#include <poolscope/trace/trace_file.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using poolscope::Event;
using poolscope::EventKind;
using poolscope::widgets::RunDocument;
namespace trace = poolscope::trace;
namespace scenarios = poolscope::scenarios;

Q_DECLARE_METATYPE(RunDocument::State)
Q_DECLARE_METATYPE(std::vector<poolscope::Event>)
Q_DECLARE_METATYPE(std::optional<int>)

namespace {
Event makeEvent(std::int64_t time, EventKind kind, std::uint64_t task, int worker, std::string label = {})
{
    Event e;
    e.time = std::chrono::nanoseconds(time);
    e.kind = kind;
    e.task_id = task;
    e.worker = worker;
    e.label = std::move(label);
    return e;
}

const scenarios::Scenario& exceptionsScenario()
{
    const scenarios::Scenario* scenario = scenarios::find_scenario("exceptions");
    if (!scenario)
        qFatal("the exceptions scenario is missing");
    return *scenario;
}

// A run of one task that prints a line before and after it: what a live run's batches carry.
std::vector<Event> oneTaskPrintingTwice()
{
    return { makeEvent(10, EventKind::output, 0, -1, "before"), makeEvent(20, EventKind::submitted, 1, -1, "(1,)"),
        makeEvent(30, EventKind::started, 1, 0), makeEvent(40, EventKind::finished, 1, 0),
        makeEvent(50, EventKind::output, 0, -1, "after") };
}

// The finished trace of that run, as run_scenario() would hand it over.
trace::Trace finishedTrace(const RunDocument& running)
{
    trace::Trace t = running.trace();
    t.pool_kind = "thread";
    t.max_workers = 2;
    t.host = "test-host";
    t.started_at = "2024-05-01T12:00:00Z";
    t.wall_time = std::chrono::nanoseconds(2'000'000);
    t.output = "before\nafter";
    t.lanes = { trace::Lane { 0, "ThreadPoolExecutor-0_0", 0 } };
    return t;
}
} // namespace

class TestRunDocument : public QObject {
    Q_OBJECT
private slots:
    void aScenarioNotRunYetShowsItsListingsAndAsksForARun()
    {
        const scenarios::Scenario& scenario = exceptionsScenario();
        const auto document = RunDocument::forScenario(scenario);
        QCOMPARE(document->state(), RunDocument::State::Empty);
        QCOMPARE(document->origin(), RunDocument::Origin::ScenarioRun);
        QCOMPARE(document->scenarioId(), QStringLiteral("exceptions"));
        QCOMPARE(document->scenario(), &scenario);
        QCOMPARE(document->title(),
            QString::fromUtf8(scenario.info().title.data(), qsizetype(scenario.info().title.size())));
        QVERIFY(document->caption().contains(QStringLiteral("press Run")));
        QVERIFY(document->statusText().contains(QStringLiteral("press Run")));
        QVERIFY(document->timelineData().isEmpty());
        QVERIFY(document->trace().events.empty());
        QVERIFY(document->output().isEmpty());
        QVERIFY(document->outcomeLines().isEmpty());
        QVERIFY(document->parameters().empty());
        QCOMPARE(document->editedParameters(), scenarios::ParameterValues::resolve(scenario.parameters()).as_text());
        QVERIFY(!document->parametersChanged());
        QVERIFY(document->parameterNote().isEmpty());
        QCOMPARE(document->pythonListing(), QString::fromStdString(scenario.python_listing()));
        QVERIFY(!document->cppListing().isEmpty());
        QVERIFY(!document->hint().isEmpty());
    }

    void aLiveRunTakesItsOutputFromTheOutputEvents()
    {
        const scenarios::Scenario& scenario = exceptionsScenario();
        const auto params = scenarios::ParameterValues::resolve(scenario.parameters(), { { "workers", "2" } });
        const auto document = RunDocument::startScenarioRun(scenario, params);
        QCOMPARE(document->state(), RunDocument::State::Running);
        QCOMPARE(document->parameters(), params.as_text());
        QVERIFY(document->caption().contains(QStringLiteral("workers=2")));

        // Two batches, split inside the run: the lines come out per batch, in order.
        const std::vector<Event> all = oneTaskPrintingTwice();
        const auto first = document->appendEvents({ all.begin(), all.begin() + 2 });
        QCOMPARE(first.output, QStringList { QStringLiteral("before") });
        QCOMPARE(first.timeline.events, std::size_t(2));
        const auto second = document->appendEvents({ all.begin() + 2, all.end() });
        QCOMPARE(second.output, QStringList { QStringLiteral("after") });
        QCOMPARE(document->output(), (QStringList { QStringLiteral("before"), QStringLiteral("after") }));
        QCOMPARE(document->trace().events.size(), all.size());
        QCOMPARE(document->timelineData().eventCount(), all.size());
        QCOMPARE(document->statusText(), QStringLiteral("running · 5 events so far"));
    }

    void finishingSaysHowTheRunEnded_data()
    {
        QTest::addColumn<QString>("checkError");
        QTest::addColumn<QString>("failure");
        QTest::addColumn<bool>("stopped");
        QTest::addColumn<RunDocument::State>("state");
        QTest::addColumn<QString>("statusStart");
        QTest::addColumn<QString>("outcome"); // in the console's last line; empty: no line

        QTest::newRow("clean_finished") << QString() << QString() << false << RunDocument::State::Finished
                                        << QStringLiteral("wall time 0.002 s · 1 submitted") << QString();
        QTest::newRow("wrongOutput_finishedWithANote")
            << QStringLiteral("expected 2 lines") << QString() << false << RunDocument::State::Finished
            << QStringLiteral("wall time") << QStringLiteral("[not the output the exercise expects: expected 2 lines]");
        QTest::newRow("stoppedByTheUser_saysStoppedNotWrongOutput")
            << QStringLiteral("expected 2 lines") << QString() << true << RunDocument::State::Stopped
            << QStringLiteral("stopped · wall time") << QStringLiteral("[stopped: the run was stopped");
        QTest::newRow("scenarioThrew_failed")
            << QString() << QStringLiteral("boom") << false << RunDocument::State::Failed
            << QStringLiteral("failed · wall time") << QStringLiteral("[the run failed: boom]");
        QTest::newRow("threwWhileStopping_failureWins")
            << QString() << QStringLiteral("boom") << true << RunDocument::State::Failed << QStringLiteral("failed · ")
            << QStringLiteral("[the run failed: boom]");
    }

    void finishingSaysHowTheRunEnded()
    {
        QFETCH(QString, checkError);
        QFETCH(QString, failure);
        QFETCH(bool, stopped);
        QFETCH(RunDocument::State, state);
        QFETCH(QString, statusStart);
        QFETCH(QString, outcome);

        const scenarios::Scenario& scenario = exceptionsScenario();
        const auto document
            = RunDocument::startScenarioRun(scenario, scenarios::ParameterValues::resolve(scenario.parameters()));
        document->appendEvents(oneTaskPrintingTwice());
        trace::Trace t = finishedTrace(*document);
        const trace::RunSummary summary = trace::summarize(t);
        const auto change = document->finish(t, summary, checkError, failure, stopped);
        QVERIFY(change.lanesChanged);

        QCOMPARE(document->state(), state);
        QCOMPARE(document->trace(), t);
        QVERIFY2(document->statusText().startsWith(statusStart), qPrintable(document->statusText()));
        QCOMPARE(document->laneNames(), (QHash<int, QString> { { 0, QStringLiteral("ThreadPoolExecutor-0_0") } }));
        QCOMPARE(document->timelineData().lanes()[1].name, std::string("ThreadPoolExecutor-0_0"));
        QCOMPARE(document->caption(), poolscope::widgets::TimelineExporter::captionFor(t));
        QCOMPARE(document->output(), (QStringList { QStringLiteral("before"), QStringLiteral("after") }));
        const QStringList lines = document->outcomeLines();
        if (outcome.isEmpty()) {
            QVERIFY(lines.isEmpty());
        } else {
            QCOMPARE(lines.size(), 2);
            QVERIFY(lines.first().isEmpty()); // a blank line between the output and the note
            QVERIFY2(lines.last().startsWith(outcome), qPrintable(lines.last()));
        }
        QCOMPARE(document->parameterNote(), QStringLiteral("The parameters of this run."));

        // A second end, or a late batch, changes nothing.
        QCOMPARE(document->finish({}, {}, QString(), QString(), false).lanesChanged, false);
        QCOMPARE(document->appendEvents(oneTaskPrintingTwice()).timeline.events, std::size_t(0));
        QCOMPARE(document->trace(), t);
    }

    void anOpenedTraceTakesItsOutputFromEventsOrText_data()
    {
        QTest::addColumn<std::vector<Event>>("events");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("output");

        const Event task = makeEvent(5, EventKind::submitted, 1, -1);
        QTest::newRow("version2_outputEventsWinOverTheText") << std::vector {
            task, makeEvent(10, EventKind::output, 0, -1, "one"), makeEvent(20, EventKind::output, 0, 0, "two")
        } << QStringLiteral("stale\ntext") << QStringList { QStringLiteral("one"), QStringLiteral("two") };
        QTest::newRow("version2_standardErrorInterleaved")
            << std::vector { makeEvent(10, EventKind::output, 0, -1, "one"),
                   makeEvent(20, EventKind::error_output, 0, -1, "Traceback (most recent call last):"),
                   makeEvent(30, EventKind::output, 0, -1, "three") }
            << QString()
            << QStringList { QStringLiteral("one"), QStringLiteral("Traceback (most recent call last):"),
                   QStringLiteral("three") };
        QTest::newRow("version1_textOnly_finalNewlineEndsTheLastLine")
            << std::vector { task } << QStringLiteral("first\nsecond\n")
            << QStringList { QStringLiteral("first"), QStringLiteral("second") };
        QTest::newRow("version1_textOnly_keepsBlankLines")
            << std::vector { task } << QStringLiteral("a\n\nb")
            << QStringList { QStringLiteral("a"), QString(), QStringLiteral("b") };
        QTest::newRow("nothingPrinted") << std::vector { task } << QString() << QStringList {};
    }

    void anOpenedTraceTakesItsOutputFromEventsOrText()
    {
        QFETCH(std::vector<Event>, events);
        QFETCH(QString, text);
        QFETCH(QStringList, output);
        trace::Trace t;
        t.title = "opened";
        t.events = events;
        t.output = text.toStdString();
        const auto document = RunDocument::fromTrace(t, QStringLiteral("/tmp/opened.json"));
        QCOMPARE(document->origin(), RunDocument::Origin::OpenedFile);
        QCOMPARE(document->state(), RunDocument::State::Finished);
        QCOMPARE(document->output(), output);
        QCOMPARE(document->trace(), t);
        QCOMPARE(document->timelineData().eventCount(), events.size());
    }

    void aVersion1FileLoadsWithItsOutputText()
    {
        // As version 1 wrote it: the output only as text, no output events.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("v1.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"json({"format": "poolscope-trace", "version": 1,
  "run": {"scenario": "exceptions", "title": "Exceptions in futures",
          "parameters": [{"name": "workers", "value": "2"}, {"name": "delay", "value": "0.10"}],
          "pool_kind": "thread", "max_workers": 2, "host": "old-host", "started_at": "2024-05-01T12:00:00Z",
          "wall_time_ns": 5000, "output": "Successes: [10]\nErrors: []"},
  "lane_count": 1, "lanes": [{"index": 0, "name": "ThreadPoolExecutor-0_0"}],
  "event_count": 3, "events": [[0, "submitted", 1, -1, 0, "(1,)"], [100, "started", 1, 0, 0], [900, "finished", 1, 0, 0]]})json");
        file.close();
        const auto document = RunDocument::fromTrace(trace::load_trace(path.toStdString()), path);
        QCOMPARE(document->trace().format_version, 1);
        QCOMPARE(document->path(), path);
        QCOMPARE(document->output(), (QStringList { QStringLiteral("Successes: [10]"), QStringLiteral("Errors: []") }));
        QCOMPARE(document->scenarioId(), QStringLiteral("exceptions"));
        QCOMPARE(document->title(), QStringLiteral("Exceptions in futures"));
        QVERIFY(document->caption().contains(QStringLiteral("old-host")));
        QCOMPARE(document->laneNames().value(0), QStringLiteral("ThreadPoolExecutor-0_0"));
        QVERIFY(document->statusText().contains(QStringLiteral("1 submitted · 1 finished")));
    }

    void anOpenedTracesParametersAreTheTracesUntilEdited()
    {
        trace::Trace t;
        t.scenario = "exceptions";
        t.title = "Exceptions in futures";
        t.parameters = { { "workers", "2" }, { "delay", "0.10" } };
        const auto document = RunDocument::fromTrace(t);
        // In the scenario's canonical form: every parameter, "0.10" as the panel writes it.
        const auto expected
            = scenarios::ParameterValues::resolve(exceptionsScenario().parameters(), t.parameters).as_text();
        QCOMPARE(document->parameters(), expected);
        QCOMPARE(document->editedParameters(), expected);
        QCOMPARE(document->trace().parameters, t.parameters); // the trace itself is as loaded
        QVERIFY(!document->parametersChanged());
        QCOMPARE(document->parameterNote(), QStringLiteral("The parameters of the opened trace."));
        // The listing is the run's: its constants block has the trace's values.
        QVERIFY(document->pythonListing().contains(QStringLiteral("MAX_WORKERS = 2")));

        auto edited = expected;
        for (auto& [name, value] : edited) {
            if (name == "workers")
                value = "5";
        }
        document->setEditedParameters(edited);
        QVERIFY(document->parametersChanged());
        QVERIFY(document->parameterNote().contains(QStringLiteral("changed since this run")));
        document->setEditedParameters(expected);
        QVERIFY(!document->parametersChanged());
    }

    void aTraceOfAScenarioNotKnownHereNamesItsParameters()
    {
        trace::Trace t;
        t.scenario = "demo";
        t.parameters = { { "tasks", "2" }, { "mode", "fast" } };
        const auto document = RunDocument::fromTrace(t);
        QVERIFY(!document->scenario());
        QCOMPARE(document->parameters(), t.parameters);
        QVERIFY(!document->parametersChanged());
        QVERIFY2(document->parameterNote().contains(QStringLiteral("tasks=2, mode=fast")),
            qPrintable(document->parameterNote()));
        QVERIFY(document->caption().contains(QStringLiteral("scenario demo")));
    }

    void aTraceOfNoKnownScenarioShowsItsOwnTitleAndSource_data()
    {
        QTest::addColumn<std::optional<int>>("exitCode");
        QTest::addColumn<RunDocument::State>("state");
        QTest::addColumn<QString>("failure");
        QTest::newRow("exitedCleanly") << std::optional<int>(0) << RunDocument::State::Finished << QString();
        QTest::newRow("exitCodeUnknown") << std::optional<int>() << RunDocument::State::Finished << QString();
        QTest::newRow("exitedWithOne") << std::optional<int>(1) << RunDocument::State::Failed
                                       << QStringLiteral("the program exited with code 1");
        QTest::newRow("killedBySigterm") << std::optional<int>(-15) << RunDocument::State::Failed
                                         << QStringLiteral("the program was killed by signal 15");
    }

    void aTraceOfNoKnownScenarioShowsItsOwnTitleAndSource()
    {
        QFETCH(std::optional<int>, exitCode);
        QFETCH(RunDocument::State, state);
        QFETCH(QString, failure);
        trace::Trace t;
        t.title = "demo.py";
        t.origin = "cpython";
        t.program = "demo.py";
        t.source = "print('done')\n";
        t.exit_code = exitCode;
        const auto document = RunDocument::fromTrace(t, QStringLiteral("demo.json"));
        QVERIFY(!document->scenario());
        QVERIFY(document->scenarioId().isEmpty());
        // No parameters to speak of: the note says what the run is instead.
        QCOMPARE(document->parameterNote(), QStringLiteral("A Python program traced in CPython."));
        QCOMPARE(document->title(), QStringLiteral("demo.py"));
        QCOMPARE(document->pythonListing(), QStringLiteral("print('done')\n"));
        QVERIFY(document->cppListing().isEmpty());
        QVERIFY(document->hint().isEmpty());
        QVERIFY(document->explanation().contains(QStringLiteral("demo.py")));
        QCOMPARE(document->state(), state);
        QCOMPARE(document->failure(), failure);
    }

    void aTracedProgramIsRebuiltAsItsFilesAreReadAndEndsWithItsOwnTrace_data()
    {
        QTest::addColumn<std::optional<int>>("exitCode");
        QTest::addColumn<QString>("failure");
        QTest::addColumn<bool>("stopped");
        QTest::addColumn<RunDocument::State>("state");
        QTest::addColumn<QString>("lastLine");
        QTest::newRow("finished") << std::optional<int>(0) << QString() << false << RunDocument::State::Finished
                                  << QStringLiteral("[note: no executor activity recorded]");
        QTest::newRow("exitedWithTwo") << std::optional<int>(2) << QString() << false << RunDocument::State::Failed
                                       << QStringLiteral("[note: no executor activity recorded]");
        QTest::newRow("stopped") << std::optional<int>(-15) << QStringLiteral("stopped") << true
                                 << RunDocument::State::Stopped << QStringLiteral("[note: no executor activity recorded]");
        QTest::newRow("timedOut") << std::optional<int>(-15) << QStringLiteral("timed out after 1 s") << false
                                  << RunDocument::State::Failed << QStringLiteral("[note: no executor activity recorded]");
    }

    void aTracedProgramIsRebuiltAsItsFilesAreReadAndEndsWithItsOwnTrace()
    {
        QFETCH(std::optional<int>, exitCode);
        QFETCH(QString, failure);
        QFETCH(bool, stopped);
        QFETCH(RunDocument::State, state);
        QFETCH(QString, lastLine);
        const auto document = RunDocument::startTracedProgram(QStringLiteral("/tmp/x/map_timeout.py"),
            QStringLiteral("print(1)\n"), QStringLiteral("Timeout on map() — in CPython"), { { "timeout", "0.45" } });
        QCOMPARE(document->origin(), RunDocument::Origin::TracedProgram);
        QCOMPARE(document->state(), RunDocument::State::Running);
        QCOMPARE(document->title(), QStringLiteral("Timeout on map() — in CPython"));
        QCOMPARE(document->pythonListing(), QStringLiteral("print(1)\n")); // before the tracer sends it
        QVERIFY(document->parameterNote().contains(QStringLiteral("timeout=0.45")));

        // The merged files can put an event before ones shown already: each read replaces the last.
        trace::Trace soFar;
        soFar.title = "map_timeout.py";
        soFar.events = { makeEvent(10, EventKind::output, 0, -1, "first") };
        RunDocument::Update update = document->showSoFar(soFar);
        QCOMPARE(update.output, QStringList { QStringLiteral("first") });
        soFar.events = { makeEvent(5, EventKind::submitted, 1, -1), makeEvent(10, EventKind::output, 0, -1, "first"),
            makeEvent(20, EventKind::output, 0, -1, "second") };
        update = document->showSoFar(soFar);
        QCOMPARE(update.output, QStringList { QStringLiteral("second") });
        QCOMPARE(document->trace().events.size(), std::size_t(3));
        QCOMPARE(document->timelineData().eventCount(), std::size_t(3));
        QCOMPARE(document->title(), QStringLiteral("Timeout on map() — in CPython")); // kept over the file's name
        QCOMPARE(document->pythonListing(), QStringLiteral("print(1)\n"));

        trace::Trace end;
        end.exit_code = exitCode;
        end.source = "print(2)\n";
        end.events = { makeEvent(10, EventKind::output, 0, -1, "first"), makeEvent(20, EventKind::output, 0, -1, "second"),
            makeEvent(30, EventKind::error_output, 0, -1, "oops") };
        document->finishTraced(end, failure, stopped, { QStringLiteral("no executor activity recorded") });
        QCOMPARE(document->state(), state);
        QCOMPARE(document->output(), (QStringList { QStringLiteral("first"), QStringLiteral("second"), QStringLiteral("oops") }));
        QCOMPARE(document->pythonListing(), QStringLiteral("print(2)\n")); // what the tracer read wins
        QCOMPARE(document->trace().origin, std::string("cpython"));
        QCOMPARE(document->parameters(), (RunDocument::ParameterList { { "timeout", "0.45" } }));
        QCOMPARE(document->outcomeLines().last(), lastLine);
        if (state == RunDocument::State::Failed)
            QVERIFY(!document->failure().isEmpty());
        if (stopped)
            QVERIFY(document->outcomeLines().join(QLatin1Char('\n')).contains(QStringLiteral("[stopped: the program")));
        // Once ended, a late read changes nothing.
        QVERIFY(document->showSoFar(soFar).output.isEmpty());
        QCOMPARE(document->output().size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestRunDocument)
#include "tst_rundocument.moc"
