// PythonRunner: a real python3 runs small programs under the tracer. Each way a run can end gives
// exactly one of finished()/failed(), a clear message and what was recorded; none hangs.

#include "app/pythonrunner.h"

#include <poolscope/event_invariants.h>
#include <poolscope/trace/trace_file.h>

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <csignal>

#include <signal.h>

using poolscope::EventKind;
using poolscope::app::PythonRunner;
namespace trace = poolscope::trace;

namespace {
int count(const trace::Trace& t, EventKind kind)
{
    return int(
        std::count_if(t.events.begin(), t.events.end(), [&](const poolscope::Event& e) { return e.kind == kind; }));
}

QStringList labels(const trace::Trace& t, EventKind kind)
{
    QStringList out;
    for (const poolscope::Event& e : t.events) {
        if (e.kind == kind)
            out << QString::fromStdString(e.label);
    }
    return out;
}

bool processGone(qint64 pid)
{
    if (::kill(static_cast<pid_t>(pid), 0) != 0)
        return true;
    // A zombie (reparented to a PID 1 that does not reap) is dead too.
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray text = stat.readAll();
    const qsizetype paren = text.lastIndexOf(')');
    return paren > 0 && text.mid(paren + 2, 1) == "Z";
}
} // namespace

class TestPythonRunner : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString program(const char* name, const QByteArray& text)
    {
        const QString path = m_dir.filePath(QString::fromLatin1(name));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        file.write(text);
        return path;
    }

    static PythonRunner::Options options()
    {
        PythonRunner::Options o;
        o.python = QStringLiteral(POOLSCOPE_TEST_PYTHON);
        o.tracerDirectory = QStringLiteral(POOLSCOPE_TRACER_DIR);
        o.pollIntervalMs = 10;
        return o;
    }

    struct Run {
        QStringList out;
        QStringList err;
        QList<QList<QVariant>> finished;
        QList<QList<QVariant>> failed;
        trace::Trace trace;
        QStringList notes;
    };

    // Runs to the end (at most `waitMs`), collecting what the runner said.
    Run runToEnd(PythonRunner& runner, const QString& path, const QStringList& arguments = {}, int waitMs = 60000,
        const std::function<void(const QStringList&)>& onStdout = {})
    {
        Run r;
        QSignalSpy finished(&runner, &PythonRunner::finished);
        QSignalSpy failed(&runner, &PythonRunner::failed);
        connect(&runner, &PythonRunner::linesPrinted, this, [&](const QStringList& lines, bool standardError) {
            (standardError ? r.err : r.out) << lines;
            if (!standardError && onStdout)
                onStdout(lines);
        });
        if (runner.start(path, arguments) && finished.isEmpty() && failed.isEmpty()) {
            QEventLoop loop;
            connect(&runner, &PythonRunner::finished, &loop, &QEventLoop::quit);
            connect(&runner, &PythonRunner::failed, &loop, &QEventLoop::quit);
            QTimer::singleShot(waitMs, &loop, &QEventLoop::quit);
            loop.exec();
        }
        runner.disconnect(this);
        r.finished = finished;
        r.failed = failed;
        r.trace = runner.takeTrace();
        r.notes = runner.notes();
        return r;
    }

    // Writes a program and runs it to the end, with the default options unless told otherwise.
    Run runProgram(const char* name, const QByteArray& text, const std::optional<PythonRunner::Options>& o = {})
    {
        PythonRunner runner;
        runner.setOptions(o ? *o : options());
        return runToEnd(runner, program(name, text));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFileInfo::exists(QStringLiteral(POOLSCOPE_TEST_PYTHON)), "the tests need " POOLSCOPE_TEST_PYTHON);
    }

    void findsTheTracerBesideTheBuildTree()
    {
        QStringList tried;
        const QString found = PythonRunner::findTracerDirectory(&tried);
        QVERIFY2(!found.isEmpty(), qPrintable(tried.join(QStringLiteral(", "))));
        QCOMPARE(
            QFileInfo(found).canonicalFilePath(), QFileInfo(QStringLiteral(POOLSCOPE_TRACER_DIR)).canonicalFilePath());
    }

    void aThreadPoolProgramIsTracedWithItsOutput()
    {
        PythonRunner runner;
        runner.setOptions(options());
        QSignalSpy progress(&runner, &PythonRunner::progress);
        const QString path = program("threads.py",
            "import sys\n"
            "from concurrent.futures import ThreadPoolExecutor\n"
            "def square(n):\n"
            "    return n * n\n"
            "with ThreadPoolExecutor(max_workers=2) as ex:\n"
            "    print(list(ex.map(square, range(5))))\n"
            "print('to stderr', file=sys.stderr)\n"
            "print('args', sys.argv[1:])\n");
        const Run r = runToEnd(runner, path, { QStringLiteral("a b"), QStringLiteral("c") });
        QCOMPARE(r.failed.size(), 0);
        QCOMPARE(r.finished.size(), 1);
        QCOMPARE(r.finished[0][0].toInt(), 0);
        QCOMPARE(r.out, (QStringList { QStringLiteral("[0, 1, 4, 9, 16]"), QStringLiteral("args ['a b', 'c']") }));
        QCOMPARE(r.err, QStringList { QStringLiteral("to stderr") });
        QVERIFY(!progress.isEmpty());

        const trace::Trace& t = r.trace;
        QCOMPARE(count(t, EventKind::submitted), 5);
        QCOMPARE(count(t, EventKind::finished), 5);
        QCOMPARE(labels(t, EventKind::output),
            (QStringList { QStringLiteral("[0, 1, 4, 9, 16]"), QStringLiteral("args ['a b', 'c']") }));
        QCOMPARE(labels(t, EventKind::error_output), QStringList { QStringLiteral("to stderr") });
        // Two pipes: lines keep their order within a stream; across streams, the order they were read in.
        QCOMPARE(QString::fromStdString(t.output).split(u'\n').size(), 4);
        QVERIFY(QString::fromStdString(t.output).contains(QStringLiteral("to stderr\n")));
        QVERIFY(QString::fromStdString(t.output).startsWith(QStringLiteral("[0, 1, 4, 9, 16]\n")));
        QCOMPARE(t.origin, std::string("cpython"));
        QCOMPARE(t.exit_code, std::optional<int>(0));
        QCOMPARE(t.pool_kind, std::string("thread"));
        QCOMPARE(t.max_workers, 2);
        QCOMPARE(t.arguments, (std::vector<std::string> { "a b", "c" }));
        QVERIFY(t.source.find("def square") != std::string::npos);
        QVERIFY(!t.lanes.empty());
        QCOMPARE(QString::fromStdString(t.lanes[0].name).left(21), QStringLiteral("ThreadPoolExecutor-0_"));
        trace::validate_trace(t);
        const auto violations = poolscope::find_invariant_violations(t.events, t.max_workers);
        QVERIFY2(violations.empty(), violations.empty() ? "" : violations.front().c_str());
        QVERIFY(r.notes.isEmpty());
    }

    void anUncaughtExceptionGivesItsTracebackAndExitCode()
    {
        const Run r = runProgram("uncaught.py",
            "from concurrent.futures import ThreadPoolExecutor\n"
            "def boom(n):\n"
            "    raise ValueError('Bad value: %d' % n)\n"
            "with ThreadPoolExecutor(2) as ex:\n"
            "    ex.submit(boom, 3).result()\n");
        QCOMPARE(r.finished.size(), 1);
        QCOMPARE(r.finished[0][0].toInt(), 1);
        QVERIFY2(r.err.contains(QStringLiteral("ValueError: Bad value: 3")), qPrintable(r.err.join(u'\n')));
        QVERIFY(r.err.first().startsWith(QStringLiteral("Traceback")));
        QCOMPARE(count(r.trace, EventKind::failed), 1);
        QCOMPARE(labels(r.trace, EventKind::failed), QStringList { QStringLiteral("ValueError: Bad value: 3") });
        QCOMPARE(r.trace.exit_code, std::optional<int>(1));
    }

    void aSyntaxErrorIsReportedAsCPythonReportsIt()
    {
        const Run r = runProgram("syntax.py", "print('never'\n");
        QCOMPARE(r.finished.size(), 1);
        QCOMPARE(r.finished[0][0].toInt(), 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.last().startsWith(QStringLiteral("SyntaxError")), qPrintable(r.err.join(u'\n')));
        QVERIFY(r.notes.contains(QStringLiteral("no executor activity recorded")));
        QCOMPARE(r.trace.exit_code, std::optional<int>(1));
    }

    void aProgramKilledByASignalGivesAPartialTrace()
    {
        const Run r = runProgram("crash.py",
            "import os, signal, time\n"
            "from concurrent.futures import ThreadPoolExecutor\n"
            "ex = ThreadPoolExecutor(2)\n"
            "print(ex.submit(pow, 2, 5).result())\n"
            "time.sleep(0.1)  # the tracer writes its events every 3 ms\n"
            "os.kill(os.getpid(), signal.SIGSEGV)\n");
        QCOMPARE(r.finished.size(), 0);
        QCOMPARE(r.failed.size(), 1);
        QCOMPARE(r.failed[0][0].toString(), QStringLiteral("the program was killed by signal 11 (SIGSEGV)"));
        QCOMPARE(r.out, QStringList { QStringLiteral("32") });
        QCOMPARE(count(r.trace, EventKind::submitted), 1);
        QCOMPARE(count(r.trace, EventKind::finished), 1);
        QCOMPARE(r.trace.exit_code, std::optional<int>(-11));
        trace::validate_trace(r.trace);
    }

    void aHangingProgramIsStoppedByItsTimeout()
    {
        PythonRunner runner;
        PythonRunner::Options o = options();
        o.timeoutMs = 500;
        runner.setOptions(o);
        const Run r = runToEnd(runner,
            program("hang.py",
                "import time\n"
                "from concurrent.futures import ThreadPoolExecutor\n"
                "with ThreadPoolExecutor(1) as ex:\n"
                "    print('waiting', flush=True)\n"
                "    ex.submit(time.sleep, 600).result()\n"),
            {}, 10000);
        QCOMPARE(r.finished.size(), 0);
        QCOMPARE(r.failed.size(), 1);
        QVERIFY2(r.failed[0][0].toString().contains(QStringLiteral("timeout of 0.5 s")),
            qPrintable(r.failed[0][0].toString()));
        QCOMPARE(r.out, QStringList { QStringLiteral("waiting") });
        QCOMPARE(count(r.trace, EventKind::submitted), 1);
        QCOMPARE(count(r.trace, EventKind::started), 1);
        QCOMPARE(count(r.trace, EventKind::finished), 0);
        QCOMPARE(r.trace.exit_code, std::optional<int>(-SIGTERM));
        trace::validate_trace(r.trace);
    }

    void stopEndsTheWholeProcessGroupEvenIfSigtermIsIgnored()
    {
        PythonRunner runner;
        runner.setOptions(options());
        QList<qint64> pids;
        PythonRunner* r_ = &runner;
        const Run r = runToEnd(runner,
            program("spawn_hang.py",
                "import multiprocessing, os, signal, time\n"
                "from concurrent.futures import ProcessPoolExecutor\n"
                "def ignore_term():\n"
                "    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                "if __name__ == '__main__':\n"
                "    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                "    ctx = multiprocessing.get_context('spawn')\n"
                "    ex = ProcessPoolExecutor(2, mp_context=ctx, initializer=ignore_term)\n"
                "    pids = set()\n"
                "    while len(pids) < 2:\n"
                "        pids.update(f.result() for f in [ex.submit(os.getpid) for _ in range(4)])\n"
                "    print('pids', *sorted(pids), flush=True)\n"
                "    ex.submit(time.sleep, 600)\n"
                "    ex.submit(time.sleep, 600)\n"
                "    time.sleep(600)\n"),
            {}, 30000, [&](const QStringList& lines) {
                for (const QString& line : lines) {
                    if (!line.startsWith(QLatin1String("pids ")))
                        continue;
                    for (const QString& pid : line.mid(5).split(u' '))
                        pids << pid.toLongLong();
                    r_->stop();
                }
            });
        QCOMPARE(pids.size(), 2);
        QCOMPARE(r.failed.size(), 1);
        QCOMPARE(r.failed[0][0].toString(), QStringLiteral("the program was stopped"));
        QCOMPARE(r.trace.exit_code, std::optional<int>(-SIGKILL)); // SIGTERM was ignored
        for (qint64 pid : std::as_const(pids))
            QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), 2000);
        QVERIFY(count(r.trace, EventKind::submitted) >= 6);
        QCOMPARE(QString::fromStdString(r.trace.pool_kind), QStringLiteral("process"));
        trace::validate_trace(r.trace);
    }

    void outputIsBoundedInTheTraceButNotInTheConsole()
    {
        PythonRunner::Options o = options();
        o.maxOutputLines = 100;
        const Run r = runProgram("loud.py", "for i in range(1000):\n    print(i)\n", o);
        QCOMPARE(r.finished.size(), 1);
        QCOMPARE(r.out.size(), 1000);
        QCOMPARE(r.out.last(), QStringLiteral("999"));
        QCOMPARE(count(r.trace, EventKind::output), 100);
        QVERIFY(std::any_of(r.notes.begin(), r.notes.end(),
            [](const QString& n) { return n.contains(QLatin1String("not recorded")); }));
    }

    void badSetupsFailAtOnceWithAReason_data()
    {
        QTest::addColumn<QString>("python");
        QTest::addColumn<QString>("tracer");
        QTest::addColumn<QString>("programName");
        QTest::addColumn<QString>("message");
        const QString tracer = QStringLiteral(POOLSCOPE_TRACER_DIR);
        QTest::newRow("pythonPathMissing")
            << QStringLiteral("/nonexistent/python3") << tracer << QStringLiteral("ok.py")
            << QStringLiteral("cannot run python '/nonexistent/python3': no such file");
        QTest::newRow("pythonNotOnPath") << QStringLiteral("python-poolscope-none") << tracer << QStringLiteral("ok.py")
                                         << QStringLiteral(
                                                "cannot run python 'python-poolscope-none': not found on PATH");
        QTest::newRow("programMissing") << QStringLiteral(POOLSCOPE_TEST_PYTHON) << tracer
                                        << QStringLiteral("missing.py") << QStringLiteral("no such program");
        QTest::newRow("tracerMissing") << QStringLiteral(POOLSCOPE_TEST_PYTHON) << QStringLiteral("/nonexistent")
                                       << QStringLiteral("ok.py")
                                       << QStringLiteral("the CPython tracer (poolscope_tracer) is not installed");
    }

    void badSetupsFailAtOnceWithAReason()
    {
        QFETCH(QString, python);
        QFETCH(QString, tracer);
        QFETCH(QString, programName);
        QFETCH(QString, message);
        program("ok.py", "print('ok')\n");
        PythonRunner runner;
        PythonRunner::Options o = options();
        o.python = python;
        o.tracerDirectory = tracer;
        runner.setOptions(o);
        QSignalSpy failed(&runner, &PythonRunner::failed);
        QSignalSpy finished(&runner, &PythonRunner::finished);
        QVERIFY(!runner.start(m_dir.filePath(programName)));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed[0][0].toString().startsWith(message), qPrintable(failed[0][0].toString()));
        QCOMPARE(finished.size(), 0);
        QVERIFY(!runner.isRunning());
    }

    void anExecutableThatIsNoPythonIsNamed()
    {
        PythonRunner::Options o = options();
        o.python = QStringLiteral("/bin/false");
        const Run r = runProgram("ok.py", "print('ok')\n", o);
        QCOMPARE(r.finished.size(), 0);
        QCOMPARE(r.failed.size(), 1);
        QVERIFY2(r.failed[0][0].toString().contains(QStringLiteral("did not run the tracer")),
            qPrintable(r.failed[0][0].toString()));
    }
};

QTEST_GUILESS_MAIN(TestPythonRunner)
#include "tst_pythonrunner.moc"
