#pragma once

#include <poolscope/trace/cpython_event_reader.h>
#include <poolscope/trace/trace.h>

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>
#include <optional>

namespace poolscope::app {

/// Runs an unmodified Python program under PoolScope's CPython tracer (tracer/, PROTOCOL.md):
/// `PYTHON -m poolscope_tracer --events-dir TMP -- PROGRAM.py ARGS...`, in a process group of its
/// own. The program's stdout and stderr are captured line by line with their times (the events'
/// clock), the tracer's events files are read as they grow, and at the end the run is one Trace
/// (origin "cpython", output and error_output events included), also after a kill.
///
/// Wiring it to a window: connect linesPrinted() to the console, progress() to a live view (which
/// calls currentTrace()), and finished()/failed() to open takeTrace() as a run; Stop calls stop().
/// Exactly one of finished() or failed() follows every successful start(), never both, and
/// start() that returns false emits failed() too, so a caller needs no other error path.
/// Everything runs on the thread that owns the runner (the GUI thread): QProcess's signals and a
/// poll timer, no threads of its own.
class PythonRunner : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString python = QStringLiteral("python3"); ///< a path, or a name looked up on PATH
        QString tracerDirectory; ///< holds poolscope_tracer/; empty: findTracerDirectory()
        QString workingDirectory; ///< empty: the current directory, as `python3 PROGRAM.py` would run
        int timeoutMs = 0; ///< stop the program after this long; 0: never
        int stopGraceMs = 1000; ///< SIGTERM, then SIGKILL after this long (stop() and the timeout)
        int pollIntervalMs = 50; ///< how often the events files are read while the program runs
        int maxOutputLines = 100'000; ///< output lines kept in the trace; the console still gets all
    };

    explicit PythonRunner(QObject* parent = nullptr);
    /// Kills a program still running (its whole process group) and waits for it, at most ~2 s.
    ~PythonRunner() override;

    void setOptions(const Options& options) { m_options = options; }
    const Options& options() const { return m_options; }

    /// The directory that holds the tracer package, found relative to the executable: the
    /// environment's POOLSCOPE_TRACER_DIR, then ../share/poolscope/tracer (the build tree's app/
    /// and an installed bin/), then ../../share/poolscope/tracer (the build tree's tests). Empty
    /// when none holds poolscope_tracer/__main__.py; `tried` gets the candidates.
    static QString findTracerDirectory(QStringList* tried = nullptr);

    /// Starts PROGRAM with ARGS. Returns false, emitting failed() with the reason, when a run is
    /// going, PROGRAM is no readable file, the python or the tracer cannot be found, or the process
    /// does not start; started() follows otherwise.
    bool start(const QString& program, const QStringList& arguments = {});

    /// Ends the program: SIGTERM to its process group, SIGKILL Options::stopGraceMs later, so
    /// workers (spawned ones too) go with it; failed("stopped") follows within about 2 s.
    void stop();

    bool isRunning() const { return m_process != nullptr; }

    /// How the last run ended, for callers that map it to an exit code.
    enum class End {
        None, ///< no run has ended yet, or one is going
        Finished, ///< finished(): the program ended by itself (any exit code)
        NotStarted, ///< failed(): no program, python or tracer, or the process could not start
        NotAPython, ///< failed(): the python ran but never started the tracer (not Python >= 3.9?)
        Killed, ///< failed(): a signal nobody here sent ended the program (trace().exit_code = -signal)
        Stopped, ///< failed(): stop()
        TimedOut, ///< failed(): Options::timeoutMs passed
    };
    End end() const { return m_end; }

    /// The run so far, merged from what has been read (cheap for a few thousand events; it merges
    /// everything again on each call). GUI thread.
    trace::Trace currentTrace() const;
    /// The finished run's trace, moved out: call it once from a slot connected to finished() or
    /// failed(). A partial trace after failed() (empty if the program never started).
    trace::Trace takeTrace() { return std::exchange(m_trace, {}); }
    /// What the reader skipped or doubts (damaged lines, the tracer's warnings: multiprocessing.Pool
    /// is not traced...), and "no executor activity recorded" for a run without any. From finished()
    /// or failed() until the next start().
    const QStringList& notes() const { return m_notes; }
    /// The command line of the last start(), for a log line.
    const QStringList& commandLine() const { return m_commandLine; }

Q_SIGNALS:
    /// The process started (commandLine() says how).
    void started();
    /// Lines the program wrote since the last batch, without their newlines; `standardError` tells
    /// the stream. In order within a stream; across the two streams (two pipes), in the order they
    /// were read, which can put a line a few milliseconds late. One signal per read, not per line.
    void linesPrinted(const QStringList& lines, bool standardError);
    /// New events were read: `events` so far, all kinds (captured lines included).
    void progress(int events);
    /// The program ended by itself with `exitCode` (non-zero for an uncaught exception or a
    /// syntax error, whose traceback came through linesPrinted()); takeTrace() holds the run.
    void finished(int exitCode);
    /// The program could not run, was stopped, timed out or was killed by a signal: `message` says
    /// which, in a sentence ("cannot run python 'python9': not found on PATH (/usr/bin, ...)").
    /// takeTrace() holds what was recorded.
    void failed(const QString& message);

private:
    void readOutput(QProcess::ProcessChannel channel, bool atEnd);
    void poll();
    void onProcessFinished(int exitCode, QProcess::ExitStatus status);
    void onProcessError(QProcess::ProcessError error);
    void stopWithReason(const QString& reason, End end);
    void killGroup(int signal);
    void finish(std::optional<int> exitCode, const QString& failure);

    Options m_options;
    QProcess* m_process = nullptr;
    qint64 m_group = 0; // the process group: the tracer's pid (it is the group's leader)
    std::unique_ptr<QTemporaryDir> m_eventsDir;
    std::unique_ptr<trace::CPythonEventReader> m_reader;
    QByteArray m_pending[2]; // an unfinished line per channel
    QTimer m_pollTimer;
    QTimer m_timeoutTimer;
    QTimer m_killTimer;
    QString m_stopReason; // why we are stopping it; empty while it runs on its own
    End m_end = End::None;
    End m_stopEnd = End::None;
    trace::Trace m_trace;
    QStringList m_notes;
    QStringList m_commandLine;
    int m_lastEventCount = 0;
};

} // namespace poolscope::app
