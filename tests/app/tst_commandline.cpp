// Drives the poolscope executable as a user would: exit codes, what it prints, the files it writes.

#include "scenarios/scenario_registry.h"

#include <poolscope/trace/trace_file.h>

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

namespace {
struct Result {
    int exitCode = -1;
    QString out;
    QString err;
};

Result runPoolscope(
    const QStringList& arguments, const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(POOLSCOPE_BINARY), arguments);
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return { process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
        QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError()) };
}
QString writeProgram(const QTemporaryDir& dir, const char* name, const QByteArray& source)
{
    const QString path = dir.filePath(QString::fromLatin1(name));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    file.write(source);
    return path;
}
// `poolscope run map --quiet [extra...] --trace <dir>/<name>`: the trace's path, empty if the run failed.
QString recordMap(const QTemporaryDir& dir, const char* name, const QStringList& extra = {})
{
    const QString path = dir.filePath(QString::fromLatin1(name));
    const Result r = runPoolscope(QStringList { QStringLiteral("run"), QStringLiteral("map"), QStringLiteral("--quiet") }
        + extra + QStringList { QStringLiteral("--trace"), path });
    return r.exitCode == 0 ? path : QString();
}
} // namespace

class TestCommandLine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listNamesEveryScenario()
    {
        const Result r = runPoolscope({ QStringLiteral("--list") });
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), int(poolscope::scenarios::all_scenarios().size()));
        QVERIFY(lines.first().startsWith(QLatin1String("map ")));
        QVERIFY(lines.last().startsWith(QLatin1String("retry ")));
    }

    void runPrintsTheExercisesOutputAndASummary()
    {
        const Result r = runPoolscope({ QStringLiteral("run"), QStringLiteral("map") });
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(QLatin1Char('\n'));
        QCOMPARE(lines.first(), QStringLiteral("[2, 4, 6, 8, 10]"));
        QVERIFY2(r.out.contains(QLatin1String("5 submitted, 5 finished, 0 failed, 0 cancelled")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("ThreadPoolExecutor-")), qPrintable(r.out));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("zeroWorkers") << QStringList { QStringLiteral("run"), QStringLiteral("map"),
            QStringLiteral("--set"), QStringLiteral("workers=0") }
                                     << QStringLiteral("workers");
        QTest::newRow("unknownParameter") << QStringList { QStringLiteral("run"), QStringLiteral("map"),
            QStringLiteral("--set"), QStringLiteral("wokers=2") }
                                          << QStringLiteral("wokers");
        QTest::newRow("assignmentWithoutValue") << QStringList { QStringLiteral("run"), QStringLiteral("map"),
            QStringLiteral("--set"), QStringLiteral("workers") }
                                                << QStringLiteral("name=value");
        QTest::newRow("unknownScenario") << QStringList { QStringLiteral("run"), QStringLiteral("nope") }
                                         << QStringLiteral("unknown scenario 'nope'");
        QTest::newRow("noScenario") << QStringList { QStringLiteral("run") } << QStringLiteral("usage");
        QTest::newRow("unknownOption") << QStringList { QStringLiteral("run"), QStringLiteral("map"),
            QStringLiteral("--frobnicate") }
                                       << QStringLiteral("frobnicate");
        QTest::newRow("unknownPreset") << QStringList { QStringLiteral("run"), QStringLiteral("exceptions"),
            QStringLiteral("--preset"), QStringLiteral("nope") }
                                       << QStringLiteral("the presets are: page, slow-tasks");
        QTest::newRow("exportUnknownFormat") << QStringList { QStringLiteral("run"), QStringLiteral("map"),
            QStringLiteral("--export"), QStringLiteral("x.gif") }
                                             << QStringLiteral(".png");
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Result r = runPoolscope(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY2(!r.out.contains(QLatin1String("submitted")), "nothing may run after a usage error");
    }

    void writesTraceChromeTraceAndCsv()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString traceFile = dir.filePath(QStringLiteral("run.json"));
        const QString chromeFile = dir.filePath(QStringLiteral("chrome.json"));
        const QString csvFile = dir.filePath(QStringLiteral("events.csv"));
        const Result r = runPoolscope(
            { QStringLiteral("run"), QStringLiteral("submit"), QStringLiteral("--quiet"), QStringLiteral("--trace"),
                traceFile, QStringLiteral("--chrome-trace"), chromeFile, QStringLiteral("--csv"), csvFile });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("[1024, 243, 625, 1000]\n"));

        const poolscope::trace::Trace trace = poolscope::trace::load_trace(traceFile.toStdString());
        QCOMPARE(QString::fromStdString(trace.scenario), QStringLiteral("submit"));
        QVERIFY(!trace.events.empty());

        QFile chrome(chromeFile);
        QVERIFY(chrome.open(QIODevice::ReadOnly));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(chrome.readAll(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        int complete = 0;
        for (const auto& value : doc.object().value(QStringLiteral("traceEvents")).toArray()) {
            const QJsonObject event = value.toObject();
            if (event.value(QStringLiteral("ph")).toString() == QLatin1String("X")
                && event.value(QStringLiteral("name")).toString().startsWith(QLatin1String("task")))
                ++complete;
        }
        QCOMPARE(complete, 4); // one per task of the exercise

        QFile csv(csvFile);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList rows = QString::fromUtf8(csv.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY(rows.first().startsWith(QLatin1String("time_ns,")));
        QCOMPARE(rows.size(), int(trace.events.size()) + 1);
    }

    void exportRendersTheTimelineHeadless()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("map.png"));
        const QString svg = dir.filePath(QStringLiteral("map.svg"));
        Result r = runPoolscope({ QStringLiteral("run"), QStringLiteral("map"), QStringLiteral("--quiet"),
            QStringLiteral("--export"), png });
        QCOMPARE(r.exitCode, 0);
        QImage image(png);
        QCOMPARE(image.size(), QSize(1600, 900));
        r = runPoolscope({ QStringLiteral("run"), QStringLiteral("map"), QStringLiteral("--quiet"),
            QStringLiteral("--export"), svg });
        QCOMPARE(r.exitCode, 0);
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("<svg"));
    }

    void unwritableFileIsReported()
    {
        const Result r = runPoolscope({ QStringLiteral("run"), QStringLiteral("map"), QStringLiteral("--quiet"),
            QStringLiteral("--trace"), QStringLiteral("/nonexistent-dir/run.json") });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("cannot write")), qPrintable(r.err));
    }

    void presetSetsItsValues_setAppliesOnTop()
    {
        // One worker: the first submitted search wins. --set workers=4 on top: the fastest one does.
        Result r = runPoolscope({ QStringLiteral("run"), QStringLiteral("first-completed"), QStringLiteral("--quiet"),
            QStringLiteral("--preset"), QStringLiteral("one-worker") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(
            r.out.startsWith(QLatin1String("First result: (True, ['a', 'b', 'c', 'x', 'y'])\n")), qPrintable(r.out));
        r = runPoolscope({ QStringLiteral("run"), QStringLiteral("first-completed"), QStringLiteral("--quiet"),
            QStringLiteral("--preset"), QStringLiteral("one-worker"), QStringLiteral("--set"),
            QStringLiteral("workers=4") });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("First result: (True, ['p', 'q', 'r'])\nCancelled: 0\n"));
    }

    void runHelpAndListPresetsNameThePresets()
    {
        for (const QString& option : { QStringLiteral("--help"), QStringLiteral("--list-presets") }) {
            const Result r = runPoolscope({ QStringLiteral("run"), QStringLiteral("first-completed"), option });
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(r.out.contains(QLatin1String("page")), qPrintable(r.out));
            QVERIFY2(r.out.contains(QLatin1String("two-workers")), qPrintable(r.out));
            QVERIFY2(r.out.contains(QLatin1String("workers=2")), qPrintable(r.out));
        }
    }

    void helpExplainsTheExitCodes()
    {
        const Result r = runPoolscope({ QStringLiteral("run"), QStringLiteral("--help") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QLatin1String("--set")));
        QVERIFY(r.out.contains(QLatin1String("Exit codes")));
    }

    // A trace given as the one argument is opened, as a file manager starts the app with it; a file
    // that is no trace is refused with the reason (here through --screenshot, which reports it).
    void aTraceFileAsTheArgumentIsOpened()
    {
        QTemporaryDir dir;
        const QString trace = dir.filePath(QStringLiteral("run.json"));
        QCOMPARE(runPoolscope({ QStringLiteral("run"), QStringLiteral("map"), QStringLiteral("--quiet"),
                                  QStringLiteral("--trace"), trace })
                     .exitCode,
            0);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        const QString shot = dir.filePath(QStringLiteral("shot.png"));
        Result r = runPoolscope({ QStringLiteral("--screenshot"), shot, trace }, environment);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QFile::exists(shot));
        const QString broken = dir.filePath(QStringLiteral("broken.json"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ \"format\": ");
        file.close();
        r = runPoolscope({ QStringLiteral("--screenshot"), shot, broken }, environment);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("broken.json")), qPrintable(r.err));
    }

    // Without any display: --help and --version answer (they used to abort with 134), and the window
    // itself says why it cannot open instead of aborting.
    void withoutADisplay_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("says"); // on stdout for 0, on stderr otherwise
        QTest::newRow("help") << QStringList { QStringLiteral("--help") } << 0 << QStringLiteral("--screenshot");
        QTest::newRow("helpShort") << QStringList { QStringLiteral("-h") } << 0 << QStringLiteral("--scenario");
        QTest::newRow("version") << QStringList { QStringLiteral("--version") } << 0
                                 << QStringLiteral(POOLSCOPE_VERSION);
        QTest::newRow("theWindow_refusedWithAReason") << QStringList {} << 1 << QStringLiteral("no display");
        QTest::newRow("theCommandLine_stillRuns")
            << QStringList { QStringLiteral("--list") } << 0 << QStringLiteral("as-completed");
    }
    void withoutADisplay()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, says);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char* name : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
            environment.remove(QString::fromLatin1(name));
        const Result r = runPoolscope(arguments, environment);
        QCOMPARE(r.exitCode, exitCode);
        const QString& text = exitCode == 0 ? r.out : r.err;
        QVERIFY2(text.contains(says), qPrintable(r.out + r.err));
    }

    // ---- poolscope trace: a real python3 under the CPython tracer ----------------------------------

    void traceRunsAProgramPassesItsArgumentsAndSavesItsTrace()
    {
        QTemporaryDir dir;
        const QString program = writeProgram(dir, "squares.py",
            "import sys\n"
            "from concurrent.futures import ThreadPoolExecutor\n"
            "with ThreadPoolExecutor(max_workers=2) as ex:\n"
            "    print(list(ex.map(lambda n: n * n, range(4))))\n"
            "print('args', sys.argv[1:])\n");
        const QString out = dir.filePath(QStringLiteral("run.json"));
        const Result r
            = runPoolscope({ QStringLiteral("trace"), QStringLiteral("--python"), QStringLiteral(POOLSCOPE_TEST_PYTHON),
                QStringLiteral("--out"), out, program, QStringLiteral("--quiet"), QStringLiteral("x") });
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(QLatin1Char('\n'));
        QCOMPARE(lines.value(0), QStringLiteral("[0, 1, 4, 9]"));
        QCOMPARE(lines.value(1), QStringLiteral("args ['--quiet', 'x']")); // the program's options stay its own
        QCOMPARE(lines.value(2), QStringLiteral("--"));
        QVERIFY2(r.out.contains(QLatin1String("4 submitted, 4 finished, 0 failed, 0 cancelled")), qPrintable(r.out));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        const poolscope::trace::Trace t = poolscope::trace::load_trace(out.toStdString());
        QCOMPARE(t.origin, std::string("cpython"));
        QCOMPARE(t.exit_code, std::optional<int>(0));
        QCOMPARE(t.arguments, (std::vector<std::string> { "--quiet", "x" }));
        QCOMPARE(t.output, std::string("[0, 1, 4, 9]\nargs ['--quiet', 'x']\n"));
        QVERIFY(std::any_of(t.events.begin(), t.events.end(),
            [](const poolscope::Event& e) { return e.kind == poolscope::EventKind::output; }));
    }

    void traceExitCodes_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QByteArray>("source"); // empty: no program file
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QStringList python { QStringLiteral("--python"), QStringLiteral(POOLSCOPE_TEST_PYTHON) };
        QTest::newRow("theProgramsOwnCode") << python << QByteArray("import sys\nsys.exit(3)\n") << 3 << QString();
        QTest::newRow("uncaughtException")
            << python << QByteArray("raise KeyError('k')\n") << 1 << QStringLiteral("KeyError: 'k'");
        QTest::newRow("noSuchProgram") << python << QByteArray() << 2 << QStringLiteral("no such program");
        QTest::newRow("noSuchPython") << QStringList { QStringLiteral("--python"),
            QStringLiteral("/nonexistent/python3") }
                                      << QByteArray("print(1)\n") << 2
                                      << QStringLiteral("cannot run python '/nonexistent/python3': no such file");
        QTest::newRow("notAPython") << QStringList { QStringLiteral("--python"), QStringLiteral("/bin/false") }
                                    << QByteArray("print(1)\n") << 2 << QStringLiteral("did not run the tracer");
        QTest::newRow("timeout") << python + QStringList { QStringLiteral("--timeout"), QStringLiteral("0.5") }
                                 << QByteArray("import time\ntime.sleep(600)\n") << 124
                                 << QStringLiteral("timeout of 0.5 s");
        QTest::newRow("badTimeout") << python + QStringList { QStringLiteral("--timeout"), QStringLiteral("soon") }
                                    << QByteArray("print(1)\n") << 2 << QStringLiteral("--timeout needs a number");
        QTest::newRow("killedBySignal") << python
                                        << QByteArray("import os, signal\nos.kill(os.getpid(), signal.SIGABRT)\n")
                                        << 128 + 6 << QStringLiteral("killed by signal 6 (SIGABRT)");
    }

    void traceExitCodes()
    {
        QFETCH(QStringList, options);
        QFETCH(QByteArray, source);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString program
            = source.isEmpty() ? dir.filePath(QStringLiteral("missing.py")) : writeProgram(dir, "p.py", source);
        const Result r = runPoolscope(QStringList { QStringLiteral("trace") } + options + QStringList { program });
        QCOMPARE(r.exitCode, exitCode);
        if (!message.isEmpty())
            QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    // --export --at draws the run as it stood at that moment (a slide of a build-up); --at without
    // --export, or not a number of seconds from 0 on, is a usage error that names the option.
    void exportAtAMoment()
    {
        QTemporaryDir dir;
        const QString whole = dir.filePath(QStringLiteral("whole.png"));
        const QString early = dir.filePath(QStringLiteral("early.png"));
        QCOMPARE(runPoolscope({ QStringLiteral("run"), QStringLiteral("map-timeout"), QStringLiteral("--quiet"),
                                  QStringLiteral("--export"), whole })
                     .exitCode,
            0);
        const Result r = runPoolscope({ QStringLiteral("run"), QStringLiteral("map-timeout"), QStringLiteral("--quiet"),
            QStringLiteral("--export"), early, QStringLiteral("--at"), QStringLiteral("0.15") });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("Got: 0, Timed out: 10\nTotal: 10\n")); // the run itself is whole
        QImage image(early);
        QVERIFY(!image.isNull());
        QVERIFY(image != QImage(whole));
        for (const QStringList& bad : { QStringList { QStringLiteral("--at"), QStringLiteral("0.1") },
                 QStringList { QStringLiteral("--export"), early, QStringLiteral("--at"), QStringLiteral("-1") },
                 QStringList { QStringLiteral("--export"), early, QStringLiteral("--at"), QStringLiteral("soon") } }) {
            const Result refused = runPoolscope(QStringList { QStringLiteral("run"), QStringLiteral("map") } + bad);
            QCOMPARE(refused.exitCode, 2);
            QVERIFY2(refused.err.contains(QLatin1String("--at")), qPrintable(refused.err));
        }
    }

    void compareTabulatesTheRunsAndExportsThemAsOneImage()
    {
        QTemporaryDir dir;
        const QString four = recordMap(dir, "four.json");
        const QString two = recordMap(dir, "two.json", { QStringLiteral("--set"), QStringLiteral("workers=2") });
        QVERIFY(!four.isEmpty() && !two.isEmpty());
        const QString image = dir.filePath(QStringLiteral("compared.png"));
        const Result r = runPoolscope({ QStringLiteral("compare"), four, two, QStringLiteral("--export"), image });
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[0].startsWith(QLatin1String("A  ")) && lines[0].contains(QLatin1String("baseline")),
            qPrintable(lines[0]));
        QVERIFY2(lines[1].startsWith(QLatin1String("B  ")) && lines[1].contains(QStringLiteral("× A")), qPrintable(lines[1]));
        QVERIFY2(lines[1].contains(QStringLiteral("workers 5 → 2")), qPrintable(lines[1]));
        const QImage drawn(image);
        QVERIFY(!drawn.isNull());
        QVERIFY(drawn.width() >= 1600);
    }

    void compareRefusesADamagedTraceSayingWhere()
    {
        QTemporaryDir dir;
        const QString good = recordMap(dir, "good.json");
        QVERIFY(!good.isEmpty());
        const QString broken = writeProgram(dir, "broken.json", "{\"format\": \"poolscope-trace\",\n \"version\": 2,\n  oops");
        const QString image = dir.filePath(QStringLiteral("never.png"));
        Result r = runPoolscope({ QStringLiteral("compare"), good, broken, QStringLiteral("--export"), image });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("broken.json")) && r.err.contains(QLatin1String("line 3")), qPrintable(r.err));
        QVERIFY(!QFile::exists(image));
        r = runPoolscope({ QStringLiteral("compare"), good });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("usage: poolscope compare")), qPrintable(r.err));
        r = runPoolscope({ QStringLiteral("compare"), good, good, QStringLiteral("--export"), dir.filePath(QStringLiteral("x.bmp")) });
        QCOMPARE(r.exitCode, 2);
        r = runPoolscope({ QStringLiteral("compare"), good, dir.filePath(QStringLiteral("missing.json")) });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("missing.json")), qPrintable(r.err));
    }

    void traceWithoutAProgramIsAUsageError()
    {
        const Result r = runPoolscope({ QStringLiteral("trace") });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("usage: poolscope trace")), qPrintable(r.err));
        const Result help = runPoolscope({ QStringLiteral("trace"), QStringLiteral("--help") });
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QLatin1String("--timeout")));
        QVERIFY(help.out.contains(QLatin1String("124")));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
