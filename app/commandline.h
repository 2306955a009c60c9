#pragma once

#include <QStringList>

class QTextStream;

namespace poolscope::app {

/// The headless half of the poolscope executable: `poolscope --list` and
/// `poolscope run <id> [--preset name] [--set name=value]... [--trace f] [--chrome-trace f] [--csv f]`,
/// `poolscope run <id> --list-presets`, and
/// `poolscope trace [--python PY] [--out f] [--timeout S] [--chrome-trace f] [--csv f] [--export f] [--quiet]
/// [--] PROGRAM.py [ARGS...]`, which runs a real Python program under the CPython tracer (PythonRunner).
/// Runs scenarios without a window, for scripts, CI and slide-making.
class CommandLine {
public:
    /// Exit codes, as documented in the README.
    enum ExitCode { Ok = 0, RunFailed = 1, UsageError = 2 };

    /// True when the arguments ask for the command line rather than the window.
    static bool wantsHeadless(int argc, char** argv);
    /// True when they ask for a rendered timeline (--export), which needs a QGuiApplication.
    static bool wantsRendering(int argc, char** argv);

    /// Parses `arguments` (argv, program name first) and does what they say, writing the
    /// scenario's output and the summary to `out` and problems to `err`. Runs on the main thread;
    /// the scenario itself runs here too, its output streamed line by line.
    static int run(const QStringList& arguments, QTextStream& out, QTextStream& err);
};

} // namespace poolscope::app
