#include "app/commandline.h"
#include "app/pythonrunner.h"
#include "common/toqstring.h"

#include "compare/comparisonview.h"
#include "scenarios/scenario.h"
#include "timeline/timelineexporter.h"

#include <poolscope/trace/chrome_trace.h>
#include <poolscope/trace/csv_export.h>
#include <poolscope/trace/run_comparison.h>
#include <poolscope/trace/run_summary.h>
#include <poolscope/trace/trace_at.h>
#include <poolscope/trace/trace_file.h>

#include <QCommandLineParser>
#include <QEventLoop>
#include <QTextStream>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>

namespace poolscope::app {

using widgets::toQString;

namespace {
QString knownIds()
{
    QStringList ids;
    for (const scenarios::Scenario* s : scenarios::all_scenarios())
        ids << toQString(s->info().id);
    return ids.join(QStringLiteral(", "));
}

void listPresets(const scenarios::Scenario& scenario, QTextStream& out)
{
    out << "Presets of " << toQString(scenario.info().id) << " (--preset NAME):\n";
    for (const scenarios::Preset& preset : scenario.presets()) {
        QStringList values;
        for (const auto& [name, value] : preset.values)
            values << toQString(name) + QLatin1Char('=') + toQString(value);
        out << "  " << toQString(preset.name).leftJustified(18) << toQString(preset.label) << ": "
            << toQString(preset.description);
        if (!values.isEmpty())
            out << " [" << values.join(QStringLiteral(", ")) << "]";
        out << "\n";
    }
}

QString presetNames(const scenarios::Scenario& scenario)
{
    QStringList names;
    for (const scenarios::Preset& preset : scenario.presets())
        names << toQString(preset.name);
    return names.join(QStringLiteral(", "));
}
// The files a run can be written to, the same for `run` and `trace`.
struct RunFiles {
    QCommandLineOption trace;
    QCommandLineOption chrome { QStringLiteral("chrome-trace"),
        QStringLiteral("Export the run in Chrome's Trace Event Format (opens in Perfetto)."), QStringLiteral("file") };
    QCommandLineOption csv { QStringLiteral("csv"), QStringLiteral("Export every event as a CSV row."),
        QStringLiteral("file") };
    QCommandLineOption image { QStringLiteral("export"),
        QStringLiteral("Render the timeline to an image or PDF (.png, .jpg, .pdf, .svg)."), QStringLiteral("file") };
    QCommandLineOption at { QStringLiteral("at"),
        QStringLiteral("With --export: draw the run as it stood this many seconds into it (for slides that build a "
                       "run up step by step)."),
        QStringLiteral("seconds") };

    explicit RunFiles(const QStringList& traceNames)
        : trace(traceNames, QStringLiteral("Save the run as a PoolScope trace (JSON)."), QStringLiteral("file"))
    {
    }

    QList<QCommandLineOption> options() const { return { trace, chrome, csv, image, at }; }

    // False, having said why, when --export names a format we cannot write.
    bool checkFormats(const QCommandLineParser& parser, QTextStream& err) const
    {
        if (parser.isSet(image) && !widgets::TimelineExporter::formatFor(parser.value(image))) {
            err << "poolscope: --export writes .png, .jpg, .pdf or .svg, not '" << parser.value(image) << "'\n";
            return false;
        }
        if (parser.isSet(at)) {
            if (!parser.isSet(image)) {
                err << "poolscope: --at needs --export: it says which moment of the run the image shows\n";
                return false;
            }
            if (!moment(parser)) {
                err << "poolscope: --at needs a number of seconds from 0 on, not '" << parser.value(at) << "'\n";
                return false;
            }
        }
        return true;
    }

    // --at as a time into the run; empty when it is no number of seconds from 0 on.
    std::optional<std::chrono::nanoseconds> moment(const QCommandLineParser& parser) const
    {
        bool ok = false;
        const double seconds = parser.value(at).toDouble(&ok);
        if (!ok || !std::isfinite(seconds) || seconds < 0 || seconds > 1e6)
            return std::nullopt;
        return std::chrono::nanoseconds(std::llround(seconds * 1e9));
    }

    // Writes every file asked for; false, having said which failed, if any did.
    bool write(const trace::Trace& run, const QCommandLineParser& parser, QTextStream& err) const
    {
        bool written = true;
        const auto writeOne = [&](const QCommandLineOption& option, auto&& writer) {
            if (!parser.isSet(option))
                return;
            try {
                writer(parser.value(option).toStdString());
            } catch (const std::exception& e) {
                err << "poolscope: cannot write " << parser.value(option) << ": " << e.what() << "\n";
                written = false;
            }
        };
        writeOne(trace, [&](const std::string& path) { trace::save_trace(run, path); });
        writeOne(chrome, [&](const std::string& path) { trace::write_chrome_trace(run, path); });
        writeOne(csv, [&](const std::string& path) { trace::write_csv(run, path); });
        if (parser.isSet(image)) {
            widgets::TimelineExportOptions options;
            options.size = QSize(1600, 900);
            // A moment at or after the end is the whole run, under its own title.
            const trace::Trace* shown = &run;
            trace::Trace then;
            if (const auto when = parser.isSet(at) ? moment(parser) : std::nullopt; when && *when < run.wall_time) {
                then = trace::trace_at(run, *when);
                shown = &then;
                options.axisEndNs = static_cast<double>(run.wall_time.count());
                options.caption = widgets::TimelineExporter::captionFor(run);
                options.title = QStringLiteral("%1 — at %2 s of %3 s")
                                    .arg(widgets::TimelineExporter::titleFor(run), parser.value(at),
                                        QString::number(std::chrono::duration<double>(run.wall_time).count(), 'f', 3));
            }
            const auto result = widgets::TimelineExporter::exportTrace(*shown, parser.value(image), options);
            if (!result.ok) {
                err << "poolscope: cannot write " << parser.value(image) << ": " << result.error << "\n";
                written = false;
            }
        }
        return written;
    }
};

// `poolscope trace [options] [--] PROGRAM.py [ARGS...]`: everything from PROGRAM on is the program's,
// options included, as python3 itself parses its command line.
int runTrace(const QStringList& arguments, QTextStream& out, QTextStream& err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs a Python program under PoolScope's CPython tracer: its output passes through, then a\n"
                       "summary; the run can be saved as a trace. Everything from PROGRAM on belongs to the program."));
    const QCommandLineOption help({ QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Show this help."));
    const QCommandLineOption python(QStringLiteral("python"),
        QStringLiteral("The Python to run (3.9 or later; default: python3 on PATH)."), QStringLiteral("path"),
        QStringLiteral("python3"));
    const RunFiles files({ QStringLiteral("out"), QStringLiteral("trace") });
    const QCommandLineOption timeout(QStringLiteral("timeout"),
        QStringLiteral("Stop the program (its whole process group) after this many seconds."),
        QStringLiteral("seconds"));
    const QCommandLineOption quiet(
        QStringLiteral("quiet"), QStringLiteral("Print the program's output only, no summary."));
    parser.addOptions(QList<QCommandLineOption> { help, python, timeout, quiet } + files.options());
    parser.addPositionalArgument(QStringLiteral("trace"), QStringLiteral("The command: trace."));
    parser.addPositionalArgument(QStringLiteral("program"), QStringLiteral("The Python program, then its arguments."),
        QStringLiteral("PROGRAM.py [ARGS...]"));

    // Our options end at the first argument that is no option (or at "--"); an option's value is
    // the next argument unless given as --name=value.
    const QStringList valued { QStringLiteral("--python"), QStringLiteral("--out"), QStringLiteral("--trace"),
        QStringLiteral("--chrome-trace"), QStringLiteral("--csv"), QStringLiteral("--export"),
        QStringLiteral("--timeout") };
    QStringList ours { arguments.value(0) };
    qsizetype i = 2; // past the program name and "trace"
    for (; i < arguments.size(); ++i) {
        const QString& a = arguments[i];
        if (a == QLatin1String("--")) {
            ++i;
            break;
        }
        if (!a.startsWith(QLatin1Char('-')) || a == QLatin1String("-"))
            break;
        ours << a;
        if (valued.contains(a) && i + 1 < arguments.size())
            ours << arguments[++i];
    }
    const QStringList program = arguments.mid(i);

    if (!parser.parse(ours)) {
        err << "poolscope: " << parser.errorText() << "\n";
        return CommandLine::UsageError;
    }
    if (parser.isSet(help)) {
        out << parser.helpText();
        out << "\nExit codes: the program's own; 2 a usage error (no such program, no usable python, a bad\n"
               "option, an unwritable file); 124 stopped by --timeout; 128+N killed by signal N.\n";
        return CommandLine::Ok;
    }
    if (program.isEmpty()) {
        err << "poolscope: usage: poolscope trace [--python PY] [--out FILE.json] [--timeout S] [--] PROGRAM.py "
               "[ARGS...] (see poolscope trace --help)\n";
        return CommandLine::UsageError;
    }
    PythonRunner::Options options;
    options.python = parser.value(python);
    if (parser.isSet(timeout)) {
        bool ok = false;
        const double seconds = parser.value(timeout).toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > 1e6) {
            err << "poolscope: --timeout needs a number of seconds above 0, got '" << parser.value(timeout) << "'\n";
            return CommandLine::UsageError;
        }
        options.timeoutMs = std::max(1, int(seconds * 1000));
    }
    if (!files.checkFormats(parser, err))
        return CommandLine::UsageError;

    PythonRunner runner;
    runner.setOptions(options);
    QString failure;
    bool ended = false;
    QEventLoop loop;
    QObject::connect(&runner, &PythonRunner::linesPrinted, &loop, [&](const QStringList& lines, bool standardError) {
        QTextStream& stream = standardError ? err : out;
        for (const QString& line : lines)
            stream << line << "\n";
        stream.flush();
    });
    QObject::connect(&runner, &PythonRunner::finished, &loop, [&] {
        ended = true;
        loop.quit();
    });
    QObject::connect(&runner, &PythonRunner::failed, &loop, [&](const QString& message) {
        failure = message;
        ended = true;
        loop.quit();
    });
    if (runner.start(program.first(), program.mid(1)) && !ended)
        loop.exec();
    if (runner.end() == PythonRunner::End::NotStarted || runner.end() == PythonRunner::End::NotAPython) {
        err << "poolscope: " << failure << "\n";
        return CommandLine::UsageError;
    }
    out.flush();
    err.flush();
    trace::Trace run = runner.takeTrace();
    if (!parser.isSet(quiet)) {
        out << "--\n" << toQString(trace::format_summary(trace::summarize(run)));
        out.flush();
    }
    for (const QString& note : runner.notes())
        err << "poolscope: note: " << note << "\n";
    if (!failure.isEmpty())
        err << "poolscope: " << failure << "\n";

    const bool written = files.write(run, parser, err);
    err.flush();
    if (!written)
        return CommandLine::UsageError;
    switch (runner.end()) {
    case PythonRunner::End::TimedOut:
        return 124; // as coreutils' timeout
    case PythonRunner::End::Killed:
    case PythonRunner::End::Stopped:
        return 128 + std::abs(run.exit_code.value_or(-SIGKILL));
    default:
        return run.exit_code.value_or(1) & 0xFF;
    }
}

// `poolscope compare A.json B.json [C.json...] [--export out.png]`: the runs on one axis, the first
// the baseline; a table of wall times and ratios, and with --export the comparison as one image.
int runCompare(const QStringList& arguments, QTextStream& out, QTextStream& err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Compares recorded runs (PoolScope traces, C++ or CPython) on one time axis, each from 0:\n"
                       "prints each run's wall time and its ratio to the first, and what changed between them."));
    const QCommandLineOption help({ QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Show this help."));
    const QCommandLineOption image(QStringLiteral("export"),
        QStringLiteral("Render the comparison to an image or PDF (.png, .jpg, .pdf, .svg)."), QStringLiteral("file"));
    const QCommandLineOption title(
        QStringLiteral("title"), QStringLiteral("The comparison's title (default: what changed)."), QStringLiteral("text"));
    const QCommandLineOption bars(QStringLiteral("bars"),
        QStringLiteral("With --export: draw the bar chart of wall times even for two runs (three or more always get it)."));
    parser.addOptions({ help, image, title, bars });
    parser.addPositionalArgument(QStringLiteral("compare"), QStringLiteral("The command: compare."));
    parser.addPositionalArgument(
        QStringLiteral("traces"), QStringLiteral("Two or more trace files, the first the baseline."), QStringLiteral("A.json B.json [C.json...]"));
    if (!parser.parse(arguments)) {
        err << "poolscope: " << parser.errorText() << "\n";
        return CommandLine::UsageError;
    }
    if (parser.isSet(help)) {
        out << parser.helpText();
        out << "\nExit codes: 0 compared; 2 a usage error (fewer than two traces, a file that cannot be read or\n"
               "is not a valid trace — the message says where in it —, an unwritable export).\n";
        return CommandLine::Ok;
    }
    const QStringList files = parser.positionalArguments().mid(1);
    if (files.size() < 2) {
        err << "poolscope: usage: poolscope compare A.json B.json [C.json...] [--export out.png] (see poolscope "
               "compare --help)\n";
        return CommandLine::UsageError;
    }
    if (parser.isSet(image) && !widgets::TimelineExporter::formatFor(parser.value(image))) {
        err << "poolscope: --export writes .png, .jpg, .pdf or .svg, not '" << parser.value(image) << "'\n";
        return CommandLine::UsageError;
    }
    std::vector<trace::Trace> runs;
    for (const QString& file : files) {
        try {
            runs.push_back(trace::load_trace(file.toStdString()));
        } catch (const std::exception& e) {
            err << "poolscope: " << e.what() << "\n";
            return CommandLine::UsageError;
        }
    }
    std::vector<const trace::Trace*> traces;
    for (const trace::Trace& run : runs)
        traces.push_back(&run);
    const trace::RunComparison comparison = trace::compare_runs(traces);
    for (std::size_t i = 0; i < comparison.runs.size(); ++i) {
        const trace::ComparedRun& run = comparison.runs[i];
        out << toQString(run.label) << "  " << files[static_cast<qsizetype>(i)] << "  "
            << QString::number(static_cast<double>(run.wall_time.count()) / 1e6, 'f', 1) << " ms";
        if (i == 0)
            out << "  baseline";
        else if (run.ratio > 0)
            out << "  " << QString::number(run.ratio, 'f', 2) << "× A";
        out << "  " << toQString(run.name);
        if (!run.changes.empty())
            out << "  (" << toQString(run.changes) << ")";
        out << "\n";
    }
    out.flush();
    if (!parser.isSet(image))
        return CommandLine::Ok;

    QString heading = parser.value(title);
    if (heading.isEmpty()) {
        QStringList changes;
        for (const trace::ComparedRun& run : comparison.runs)
            if (!run.changes.empty())
                changes << toQString(run.label) + QStringLiteral(": ") + toQString(run.changes);
        heading = changes.isEmpty() ? QStringLiteral("Runs compared") : QStringLiteral("Compared — ") + changes.join(QStringLiteral("; "));
    }
    widgets::ComparisonView view;
    view.resize(1600, 900);
    if (parser.isSet(bars))
        view.setBarChartVisible(true);
    view.setRuns(std::move(runs), heading);
    if (const QString error = view.exportTo(parser.value(image)); !error.isEmpty()) {
        err << "poolscope: cannot write " << parser.value(image) << ": " << error << "\n";
        return CommandLine::UsageError;
    }
    return CommandLine::Ok;
}
} // namespace

bool CommandLine::wantsHeadless(int argc, char** argv)
{
    if (argc > 1 && (std::strcmp(argv[1], "trace") == 0 || std::strcmp(argv[1], "compare") == 0))
        return true;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "run") == 0 || std::strcmp(argv[i], "--list") == 0)
            return true;
    }
    return false;
}

bool CommandLine::wantsRendering(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--export", 8) == 0)
            return true;
    }
    return false;
}

int CommandLine::run(const QStringList& arguments, QTextStream& out, QTextStream& err)
{
    if (arguments.size() > 1 && arguments[1] == QLatin1String("trace"))
        return runTrace(arguments, out, err);
    if (arguments.size() > 1 && arguments[1] == QLatin1String("compare"))
        return runCompare(arguments, out, err);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs a PoolScope scenario headless and prints what the Python program prints, then a summary.\n"
                       "poolscope trace PROGRAM.py traces a real Python program (see poolscope trace --help).\n"
                       "poolscope compare A.json B.json compares recorded runs (see poolscope compare --help).\n"
                       "Without 'run', 'trace' or '--list', poolscope opens the window."));
    const QCommandLineOption help({ QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Show this help."));
    const QCommandLineOption list(QStringLiteral("list"), QStringLiteral("List the scenarios and exit."));
    const QCommandLineOption preset(QStringLiteral("preset"),
        QStringLiteral("Start from one of the scenario's presets (see run <id> --list-presets); --set applies on top."),
        QStringLiteral("name"));
    const QCommandLineOption listPresetsOption(
        QStringLiteral("list-presets"), QStringLiteral("List the scenario's presets and exit."));
    const QCommandLineOption set(QStringLiteral("set"),
        QStringLiteral("Set a scenario parameter, e.g. --set workers=2 (repeatable)."), QStringLiteral("name=value"));
    const RunFiles files({ QStringLiteral("trace") });
    const QCommandLineOption quiet(
        QStringLiteral("quiet"), QStringLiteral("Print the scenario's output only, no summary."));
    parser.addOptions(
        QList<QCommandLineOption> { help, list, preset, listPresetsOption, set, quiet } + files.options());
    parser.addPositionalArgument(QStringLiteral("run"), QStringLiteral("The command: run."));
    parser.addPositionalArgument(QStringLiteral("id"), QStringLiteral("The scenario to run (see --list)."));

    if (!parser.parse(arguments)) {
        err << "poolscope: " << parser.errorText() << "\n";
        return UsageError;
    }
    const QStringList positional = parser.positionalArguments();
    // `run <id> --help` also lists that scenario's presets.
    const scenarios::Scenario* named = positional.size() == 2 && positional[0] == QLatin1String("run")
        ? scenarios::find_scenario(positional[1].toStdString())
        : nullptr;
    if (parser.isSet(help)) {
        out << parser.helpText();
        out << "\nExit codes: 0 the run printed what the exercise expects; 1 it did not, or the run failed;\n"
               "2 a usage error (unknown scenario, preset or parameter, bad value, unwritable file).\n";
        if (named) {
            out << "\n";
            listPresets(*named, out);
        }
        return Ok;
    }
    if (parser.isSet(list)) {
        for (const scenarios::Scenario* s : scenarios::all_scenarios())
            out << toQString(s->info().id).leftJustified(17) << toQString(s->info().title) << "\n";
        return Ok;
    }

    if (positional.size() != 2 || positional[0] != QLatin1String("run")) {
        err << "poolscope: usage: poolscope run <id> [--set name=value]... (see poolscope --help)\n";
        return UsageError;
    }
    const std::string id = positional[1].toStdString();
    const scenarios::Scenario* scenario = scenarios::find_scenario(id);
    if (!scenario) {
        err << "poolscope: unknown scenario '" << positional[1] << "'; the scenarios are: " << knownIds() << "\n";
        return UsageError;
    }

    if (parser.isSet(listPresetsOption)) {
        listPresets(*scenario, out);
        return Ok;
    }

    std::vector<std::pair<std::string, std::string>> overrides;
    if (parser.isSet(preset)) {
        const scenarios::Preset* chosen = scenario->find_preset(parser.value(preset).toStdString());
        if (!chosen) {
            err << "poolscope: unknown preset '" << parser.value(preset) << "' for " << positional[1]
                << "; the presets are: " << presetNames(*scenario) << "\n";
            return UsageError;
        }
        overrides = chosen->values;
    }
    for (const QString& assignment : parser.values(set)) {
        const auto eq = assignment.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            err << "poolscope: --set needs name=value, got '" << assignment << "'\n";
            return UsageError;
        }
        overrides.emplace_back(
            assignment.left(eq).trimmed().toStdString(), assignment.mid(eq + 1).trimmed().toStdString());
    }
    std::optional<scenarios::ParameterValues> params;
    try {
        params = scenarios::ParameterValues::resolve(scenario->parameters(), overrides);
    } catch (const scenarios::ParameterError& e) {
        err << "poolscope: " << e.what() << "\n";
        return UsageError;
    }
    if (!files.checkFormats(parser, err))
        return UsageError;

    EventLog log;
    std::mutex outputMutex;
    scenarios::RunHooks hooks;
    // Output may come from worker threads (done-callbacks print); keep lines whole.
    hooks.on_output = [&](const std::string& line) {
        std::lock_guard lock(outputMutex);
        out << toQString(line) << "\n";
        out.flush();
    };
    const scenarios::ScenarioRun run = scenarios::run_scenario(*scenario, *params, log, hooks);

    if (!parser.isSet(quiet)) {
        out << "--\n" << toQString(trace::format_summary(trace::summarize(run.trace)));
        out.flush();
    }
    const bool written = files.write(run.trace, parser, err);

    if (!run.failure.empty()) {
        err << "poolscope: the run failed: " << toQString(run.failure) << "\n";
        return RunFailed;
    }
    if (!written)
        return UsageError;
    if (!run.check_error.empty()) {
        err << "poolscope: the output is not what the exercise expects: " << toQString(run.check_error) << "\n";
        return RunFailed;
    }
    return Ok;
}

} // namespace poolscope::app
