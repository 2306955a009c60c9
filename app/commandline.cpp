#include "app/commandline.h"
#include "common/toqstring.h"

#include "scenarios/scenario.h"
#include "timeline/timelineexporter.h"

#include <poolscope/trace/chrome_trace.h>
#include <poolscope/trace/csv_export.h>
#include <poolscope/trace/run_summary.h>
#include <poolscope/trace/trace_file.h>

#include <QCommandLineParser>
#include <QTextStream>

#include <cstring>
#include <mutex>

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
} // namespace

bool CommandLine::wantsHeadless(int argc, char** argv)
{
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
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs a PoolScope scenario headless and prints what the Python program prints, then a summary.\n"
                       "Without 'run' or '--list', poolscope opens the window."));
    const QCommandLineOption help({ QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Show this help."));
    const QCommandLineOption list(QStringLiteral("list"), QStringLiteral("List the scenarios and exit."));
    const QCommandLineOption preset(QStringLiteral("preset"),
        QStringLiteral("Start from one of the scenario's presets (see run <id> --list-presets); --set applies on top."),
        QStringLiteral("name"));
    const QCommandLineOption listPresetsOption(
        QStringLiteral("list-presets"), QStringLiteral("List the scenario's presets and exit."));
    const QCommandLineOption set(QStringLiteral("set"),
        QStringLiteral("Set a scenario parameter, e.g. --set workers=2 (repeatable)."), QStringLiteral("name=value"));
    const QCommandLineOption traceFile(
        QStringLiteral("trace"), QStringLiteral("Save the run as a PoolScope trace (JSON)."), QStringLiteral("file"));
    const QCommandLineOption chromeFile(QStringLiteral("chrome-trace"),
        QStringLiteral("Export the run in Chrome's Trace Event Format (opens in Perfetto)."), QStringLiteral("file"));
    const QCommandLineOption csvFile(
        QStringLiteral("csv"), QStringLiteral("Export every event as a CSV row."), QStringLiteral("file"));
    const QCommandLineOption exportFile(QStringLiteral("export"),
        QStringLiteral("Render the timeline to an image or PDF (.png, .jpg, .pdf, .svg)."), QStringLiteral("file"));
    const QCommandLineOption quiet(
        QStringLiteral("quiet"), QStringLiteral("Print the scenario's output only, no summary."));
    parser.addOptions(
        { help, list, preset, listPresetsOption, set, traceFile, chromeFile, csvFile, exportFile, quiet });
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
    if (parser.isSet(exportFile) && !widgets::TimelineExporter::formatFor(parser.value(exportFile))) {
        err << "poolscope: --export writes .png, .jpg, .pdf or .svg, not '" << parser.value(exportFile) << "'\n";
        return UsageError;
    }

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
    const auto write = [&](const QCommandLineOption& option, auto&& writer) {
        if (!parser.isSet(option))
            return true;
        try {
            writer(parser.value(option).toStdString());
            return true;
        } catch (const std::exception& e) {
            err << "poolscope: cannot write " << parser.value(option) << ": " << e.what() << "\n";
            return false;
        }
    };
    bool written = write(traceFile, [&](const std::string& path) { trace::save_trace(run.trace, path); });
    written
        = write(chromeFile, [&](const std::string& path) { trace::write_chrome_trace(run.trace, path); }) && written;
    written = write(csvFile, [&](const std::string& path) { trace::write_csv(run.trace, path); }) && written;
    if (parser.isSet(exportFile)) {
        widgets::TimelineExportOptions options;
        options.size = QSize(1600, 900);
        const auto result = widgets::TimelineExporter::exportTrace(run.trace, parser.value(exportFile), options);
        if (!result.ok) {
            err << "poolscope: cannot write " << parser.value(exportFile) << ": " << result.error << "\n";
            written = false;
        }
    }

    if (!run.failure.empty()) {
        err << "poolscope: the run failed: " << toQString(run.failure) << "\n";
        return RunFailed;
    }
    if (!written)
        return UsageError;
    if (!run.check_error.empty()) {
        err << "poolscope: the output is not what the exercise expects: " << toQString(run.check_error)
            << "\n";
        return RunFailed;
    }
    return Ok;
}

} // namespace poolscope::app
