#include "app/pythonrunner.h"

#include <poolscope/trace/trace_error.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>

#include <signal.h>
#include <unistd.h>

namespace poolscope::app {

namespace {
// A line longer than this is cut (the console still shows it whole): the trace stays bounded.
constexpr qsizetype maximumLineBytes = 16 * 1024;
// An unfinished line is let out as it is once it is this long: a program printing without
// newlines must not grow memory without bound.
constexpr qsizetype maximumPendingBytes = 1024 * 1024;

std::int64_t nowNs()
{
    // steady_clock is CLOCK_MONOTONIC on Linux: the clock of the tracer's time.monotonic_ns().
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

QString signalName(int signal)
{
    const char* abbrev = sigabbrev_np(signal);
    return abbrev ? QStringLiteral("SIG") + QString::fromLatin1(abbrev) : QString::number(signal);
}

// The python to run, as a path; empty with `why` set when there is none.
QString resolvePython(const QString& python, QString& why)
{
    if (python.contains(QLatin1Char('/'))) {
        const QFileInfo info(python);
        if (!info.exists())
            why = QStringLiteral("no such file");
        else if (!info.isFile() || !info.isExecutable())
            why = QStringLiteral("not an executable file");
        return why.isEmpty() ? info.absoluteFilePath() : QString();
    }
    const QString found = QStandardPaths::findExecutable(python);
    if (found.isEmpty()) {
        why = QStringLiteral("not found on PATH (%1)")
                  .arg(QProcessEnvironment::systemEnvironment()
                           .value(QStringLiteral("PATH"))
                           .replace(QLatin1Char(':'), QStringLiteral(", ")));
    }
    return found;
}
} // namespace

PythonRunner::PythonRunner(QObject* parent)
    : QObject(parent)
{
    m_pollTimer.callOnTimeout(this, &PythonRunner::poll);
    m_timeoutTimer.setSingleShot(true);
    m_timeoutTimer.callOnTimeout(this, [this] {
        stopWithReason(QStringLiteral("the program did not finish within its timeout of %1 s and was stopped")
                           .arg(m_options.timeoutMs / 1000.0),
            End::TimedOut);
    });
    m_killTimer.setSingleShot(true);
    m_killTimer.callOnTimeout(this, [this] { killGroup(SIGKILL); });
}

PythonRunner::~PythonRunner()
{
    if (!m_process)
        return;
    m_process->disconnect(this);
    killGroup(SIGKILL);
    m_process->waitForFinished(2000);
    delete m_process;
}

QString PythonRunner::findTracerDirectory(QStringList* tried)
{
    QStringList candidates;
    const QString fromEnvironment = qEnvironmentVariable("POOLSCOPE_TRACER_DIR");
    if (!fromEnvironment.isEmpty())
        candidates << fromEnvironment;
    const QString appDir = QCoreApplication::applicationDirPath();
    candidates << appDir + QStringLiteral("/../share/poolscope/tracer")
               << appDir + QStringLiteral("/../../share/poolscope/tracer");
    if (tried)
        tried->clear();
    for (const QString& candidate : std::as_const(candidates)) {
        const QString clean = QDir::cleanPath(candidate);
        if (tried)
            *tried << clean;
        if (QFileInfo(clean + QStringLiteral("/poolscope_tracer/__main__.py")).isFile())
            return clean;
    }
    return {};
}

bool PythonRunner::start(const QString& program, const QStringList& arguments)
{
    if (m_process) {
        Q_EMIT failed(QStringLiteral("a Python program is already running"));
        return false;
    }
    m_end = End::NotStarted; // until the process runs
    m_trace = {};
    m_notes.clear();
    m_commandLine.clear();
    m_stopReason.clear();
    m_stopEnd = End::None;
    m_lastEventCount = 0;
    m_pending[0].clear();
    m_pending[1].clear();

    const QFileInfo programInfo(program);
    if (!programInfo.isFile() || !programInfo.isReadable()) {
        Q_EMIT failed(
            QStringLiteral("no such program: '%1' is %2")
                .arg(program,
                    programInfo.exists() ? QStringLiteral("not a readable file") : QStringLiteral("not there")));
        return false;
    }
    QString why;
    const QString python = resolvePython(m_options.python, why);
    if (python.isEmpty()) {
        Q_EMIT failed(QStringLiteral("cannot run python '%1': %2").arg(m_options.python, why));
        return false;
    }
    QStringList tried;
    const QString tracer
        = m_options.tracerDirectory.isEmpty() ? findTracerDirectory(&tried) : m_options.tracerDirectory;
    if (tracer.isEmpty() || !QFileInfo(tracer + QStringLiteral("/poolscope_tracer/__main__.py")).isFile()) {
        Q_EMIT failed(QStringLiteral("the CPython tracer (poolscope_tracer) is not installed: looked in %1")
                          .arg(tracer.isEmpty() ? tried.join(QStringLiteral(", ")) : tracer));
        return false;
    }
    m_eventsDir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/poolscope-run-XXXXXX"));
    if (!m_eventsDir->isValid()) {
        Q_EMIT failed(QStringLiteral("cannot make a directory for the events: %1").arg(m_eventsDir->errorString()));
        m_eventsDir.reset();
        return false;
    }
    trace::CPythonEventReader::Options readerOptions;
    readerOptions.max_output_lines = static_cast<std::size_t>(std::max(0, m_options.maxOutputLines));
    m_reader = std::make_unique<trace::CPythonEventReader>(readerOptions);

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QString pythonPath = environment.value(QStringLiteral("PYTHONPATH"));
    environment.insert(
        QStringLiteral("PYTHONPATH"), pythonPath.isEmpty() ? tracer : tracer + QLatin1Char(':') + pythonPath);
    // Unbuffered, so each line arrives when it is printed: its time on the timeline is right, and
    // stdout and stderr keep their order. What the program prints is the same.
    environment.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    for (const char* name : { "POOLSCOPE_TRACE_DIR", "POOLSCOPE_TRACE_RUN", "POOLSCOPE_TRACE_ORIGIN" })
        environment.remove(QString::fromLatin1(name)); // a nested run is a run of its own

    const QStringList processArguments = QStringList { QStringLiteral("-m"), QStringLiteral("poolscope_tracer"),
        QStringLiteral("--events-dir"), m_eventsDir->path(), QStringLiteral("--"), program }
        + arguments;
    m_commandLine = QStringList { python } + processArguments;

    m_process = new QProcess(this);
    m_process->setProcessEnvironment(environment);
    if (!m_options.workingDirectory.isEmpty())
        m_process->setWorkingDirectory(m_options.workingDirectory);
    // In the child, before exec: a process group of its own, so stop() reaches every process the
    // program starts (process-pool workers, spawned ones included) and nothing of ours.
    m_process->setChildProcessModifier([] { ::setpgid(0, 0); });
    connect(
        m_process, &QProcess::readyReadStandardOutput, this, [this] { readOutput(QProcess::StandardOutput, false); });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] { readOutput(QProcess::StandardError, false); });
    connect(m_process, &QProcess::finished, this, &PythonRunner::onProcessFinished);
    connect(m_process, &QProcess::errorOccurred, this, &PythonRunner::onProcessError);
    connect(m_process, &QProcess::started, this, [this] {
        m_group = m_process->processId();
        m_pollTimer.start(std::max(1, m_options.pollIntervalMs));
        if (m_options.timeoutMs > 0)
            m_timeoutTimer.start(m_options.timeoutMs);
        Q_EMIT started();
    });
    m_end = End::None;
    m_process->start(python, processArguments);
    return true;
}

void PythonRunner::stop()
{
    stopWithReason(QStringLiteral("the program was stopped"), End::Stopped);
}

void PythonRunner::stopWithReason(const QString& reason, End end)
{
    if (!m_process || !m_stopReason.isEmpty())
        return;
    m_stopReason = reason;
    m_stopEnd = end;
    m_timeoutTimer.stop();
    killGroup(SIGTERM);
    m_killTimer.start(std::max(0, m_options.stopGraceMs));
}

void PythonRunner::killGroup(int signal)
{
    if (m_group > 0)
        ::kill(static_cast<pid_t>(-m_group), signal);
    else if (m_process)
        m_process->kill();
}

void PythonRunner::readOutput(QProcess::ProcessChannel channel, bool atEnd)
{
    if (!m_process)
        return;
    const bool standardError = channel == QProcess::StandardError;
    QByteArray& pending = m_pending[standardError ? 1 : 0];
    pending += standardError ? m_process->readAllStandardError() : m_process->readAllStandardOutput();
    const std::int64_t now = nowNs();
    QStringList lines;
    qsizetype start = 0;
    for (;;) {
        qsizetype newline = pending.indexOf('\n', start);
        if (newline < 0) {
            if (atEnd ? start < pending.size() : pending.size() - start >= maximumPendingBytes)
                newline = pending.size(); // the last line has no newline, or it is far too long
            else
                break;
        }
        const QByteArray line = pending.mid(start, newline - start);
        start = newline + 1;
        lines << QString::fromUtf8(line);
        m_reader->add_output(standardError ? EventKind::error_output : EventKind::output, now,
            line.left(maximumLineBytes).toStdString());
    }
    pending.remove(0, std::min(start, pending.size()));
    if (!lines.isEmpty())
        Q_EMIT linesPrinted(lines, standardError);
}

void PythonRunner::poll()
{
    if (!m_reader || !m_eventsDir)
        return;
    try {
        m_reader->poll_directory(m_eventsDir->path().toStdString());
    } catch (const trace::TraceError&) {
        // The directory vanished under us (a program that removes /tmp...); what was read stays.
    }
    const int count = static_cast<int>(m_reader->event_count());
    if (count != m_lastEventCount) {
        m_lastEventCount = count;
        Q_EMIT progress(count);
    }
}

void PythonRunner::onProcessError(QProcess::ProcessError error)
{
    // Crashes come with finished(), which says more; only a failed start ends the run here.
    if (error != QProcess::FailedToStart || !m_process)
        return;
    m_end = End::NotStarted;
    finish(std::nullopt,
        QStringLiteral("cannot run python '%1': %2").arg(m_commandLine.value(0), m_process->errorString()));
}

void PythonRunner::onProcessFinished(int exitCode, QProcess::ExitStatus status)
{
    readOutput(QProcess::StandardOutput, true);
    readOutput(QProcess::StandardError, true);
    const bool crashed = status == QProcess::CrashExit;
    const int code = crashed ? -exitCode : exitCode; // Qt gives the signal's number for a crash
    QString failure = m_stopReason;
    m_end = End::Finished;
    if (!failure.isEmpty()) {
        killGroup(SIGKILL); // whatever of the group outlived the program (workers that ignore SIGTERM)
        m_end = m_stopEnd;
    } else if (crashed) {
        failure = QStringLiteral("the program was killed by signal %1 (%2)").arg(exitCode).arg(signalName(exitCode));
        m_end = End::Killed;
    }
    finish(code, failure);
}

void PythonRunner::finish(std::optional<int> exitCode, const QString& failure)
{
    m_pollTimer.stop();
    m_timeoutTimer.stop();
    m_killTimer.stop();
    poll();
    m_group = 0;
    QString message = failure;
    if (m_reader) {
        m_trace = m_reader->trace();
        // Killed, the tracer wrote no exit: the run lasted until now, not until its last event.
        if (!m_reader->exited() && m_reader->origin_ns())
            m_trace.wall_time = std::max(m_trace.wall_time, std::chrono::nanoseconds(nowNs() - *m_reader->origin_ns()));
        for (const std::string& note : m_reader->problems()) {
            // We know how it ended, and say it in `message`.
            if (exitCode && note.starts_with("the run did not end normally"))
                continue;
            m_notes << QString::fromStdString(note);
        }
        if (message.isEmpty() && exitCode && *exitCode != 0 && !m_reader->origin_ns()) {
            m_end = End::NotAPython;
            message = QStringLiteral("'%1' did not run the tracer (exit code %2): is it Python 3.9 or later?")
                          .arg(m_commandLine.value(0))
                          .arg(*exitCode);
        }
    }
    const bool anyTask = std::any_of(
        m_trace.events.begin(), m_trace.events.end(), [](const Event& e) { return e.kind == EventKind::submitted; });
    if (!anyTask)
        m_notes << QStringLiteral("no executor activity recorded");
    if (exitCode)
        m_trace.exit_code = exitCode;
    m_trace.origin = "cpython";
    m_reader.reset();
    m_eventsDir.reset();
    if (m_process) {
        m_process->disconnect(this);
        m_process->deleteLater();
        m_process = nullptr;
    }
    if (message.isEmpty())
        Q_EMIT finished(exitCode.value_or(0));
    else
        Q_EMIT failed(message);
}

trace::Trace PythonRunner::currentTrace() const
{
    return m_reader ? m_reader->trace() : m_trace;
}

} // namespace poolscope::app
