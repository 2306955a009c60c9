#include "document/rundocument.h"
#include "common/toqstring.h"

#include "scenarios/scenario.h"
#include "timeline/timelineexporter.h"

#include <QFileInfo>

namespace poolscope::widgets {

namespace {
// The scenario's own form of these values ("0.10" → "0.1"), or null when it does not accept them
// (a trace recorded by a PoolScope whose scenario had other parameters).
std::optional<scenarios::ParameterValues> resolved(
    const scenarios::Scenario& scenario, const RunDocument::ParameterList& values)
{
    try {
        return scenarios::ParameterValues::resolve(scenario.parameters(), values);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// Printed lines are `output` (and `error_output`) events, in the order they were printed.
void collectOutput(const std::vector<Event>& events, QStringList& into)
{
    for (const Event& e : events) {
        if (e.kind == EventKind::output || e.kind == EventKind::error_output)
            into.append(toQString(e.label));
    }
}
} // namespace

std::unique_ptr<RunDocument> RunDocument::forScenario(const scenarios::Scenario& scenario)
{
    std::unique_ptr<RunDocument> document(new RunDocument);
    document->m_scenario = &scenario;
    document->m_trace.scenario = std::string(scenario.info().id);
    document->m_trace.title = std::string(scenario.info().title);
    document->m_trace.origin = "scenario";
    document->m_edited = scenarios::ParameterValues::resolve(scenario.parameters()).as_text();
    return document;
}

std::unique_ptr<RunDocument> RunDocument::startScenarioRun(
    const scenarios::Scenario& scenario, const scenarios::ParameterValues& params)
{
    std::unique_ptr<RunDocument> document = forScenario(scenario);
    document->m_state = State::Running;
    document->m_trace.parameters = params.as_text();
    document->m_parameters = params.as_text();
    document->m_edited = params.as_text();
    return document;
}

std::unique_ptr<RunDocument> RunDocument::fromTrace(trace::Trace trace, const QString& path)
{
    std::unique_ptr<RunDocument> document(new RunDocument);
    document->m_origin = Origin::OpenedFile;
    document->m_state = State::Finished;
    document->m_path = path;
    document->m_scenario = scenarios::find_scenario(trace.scenario);
    if (trace.exit_code && *trace.exit_code != 0) {
        document->m_state = State::Failed;
        document->m_failure = *trace.exit_code < 0 ? tr("the program was killed by signal %1").arg(-*trace.exit_code)
                                                   : tr("the program exited with code %1").arg(*trace.exit_code);
    }
    document->m_timeline = timeline::TimelineData::fromTrace(trace);
    document->m_summary = trace::summarize(trace);
    collectOutput(trace.events, document->m_output);
    // Version 1 has no output events, only the text.
    if (document->m_output.isEmpty() && !trace.output.empty()) {
        document->m_output = toQString(trace.output).split(QLatin1Char('\n'));
        if (document->m_output.last().isEmpty())
            document->m_output.removeLast(); // the text's final newline ends a line, it starts none
    }
    document->m_parameters = trace.parameters;
    if (document->m_scenario) {
        if (const auto values = resolved(*document->m_scenario, trace.parameters))
            document->m_parameters = values->as_text();
    }
    document->m_edited = document->m_parameters;
    document->m_trace = std::move(trace);
    return document;
}

std::unique_ptr<RunDocument> RunDocument::startTracedProgram(
    const QString& program, const QString& source, const QString& title, ParameterList parameters)
{
    std::unique_ptr<RunDocument> document(new RunDocument);
    document->m_origin = Origin::TracedProgram;
    document->m_state = State::Running;
    document->m_path = program;
    document->m_title = title;
    document->m_trace.origin = "cpython";
    document->m_trace.program = program.toStdString();
    document->m_trace.source = source.toStdString();
    document->m_trace.title = (title.isEmpty() ? QFileInfo(program).fileName() : title).toStdString();
    document->m_trace.parameters = parameters;
    document->m_parameters = parameters;
    document->m_edited = std::move(parameters);
    return document;
}

// What the tracer records, plus what the window knew before it started (the title, the listing's
// parameters, the source should the tracer not have sent it yet).
static void keepWhatWasKnown(trace::Trace& trace, const trace::Trace& before, const QString& title)
{
    if (!title.isEmpty())
        trace.title = title.toStdString();
    if (trace.title.empty())
        trace.title = before.title;
    if (trace.parameters.empty())
        trace.parameters = before.parameters;
    if (trace.source.empty())
        trace.source = before.source;
    if (trace.program.empty())
        trace.program = before.program;
    trace.origin = "cpython";
}

RunDocument::Update RunDocument::showSoFar(trace::Trace soFar)
{
    Update update;
    if (m_state != State::Running || m_origin != Origin::TracedProgram)
        return update;
    keepWhatWasKnown(soFar, m_trace, m_title);
    QStringList output;
    collectOutput(soFar.events, output);
    update.output = output.mid(m_output.size());
    m_output = std::move(output);
    m_timeline = timeline::TimelineData::fromTrace(soFar);
    update.timeline = timeline::TimelineChange { soFar.events.size(), true, 0, soFar.wall_time.count() };
    m_trace = std::move(soFar);
    m_linesFor = static_cast<std::size_t>(-1);
    return update;
}

void RunDocument::finishTraced(trace::Trace trace, const QString& failure, bool stopped, const QStringList& notes)
{
    if (m_state != State::Running || m_origin != Origin::TracedProgram)
        return;
    keepWhatWasKnown(trace, m_trace, m_title);
    m_failure = failure;
    if (stopped)
        m_state = State::Stopped;
    else if (!failure.isEmpty())
        m_state = State::Failed;
    else if (trace.exit_code && *trace.exit_code != 0) {
        m_state = State::Failed;
        m_failure = tr("the program exited with code %1").arg(*trace.exit_code);
    } else
        m_state = State::Finished;
    m_notes = notes;
    m_output.clear();
    collectOutput(trace.events, m_output);
    m_timeline = timeline::TimelineData::fromTrace(trace);
    m_summary = trace::summarize(trace);
    m_parameters = trace.parameters;
    m_edited = m_parameters;
    m_trace = std::move(trace);
    m_linesFor = static_cast<std::size_t>(-1);
}

QString RunDocument::scenarioId() const
{
    return m_scenario ? toQString(m_scenario->info().id) : QString();
}

QHash<int, QString> RunDocument::laneNames() const
{
    QHash<int, QString> names;
    for (const trace::Lane& lane : m_trace.lanes)
        names.insert(lane.index, toQString(lane.name));
    return names;
}

bool RunDocument::parametersChanged() const
{
    return m_state != State::Empty && m_edited != m_parameters;
}

QString RunDocument::parameterNote() const
{
    if (m_state == State::Empty)
        return {};
    if (m_trace.origin == "cpython" && m_parameters.empty()) {
        return m_origin == Origin::TracedProgram
            ? tr("A Python program, run in CPython: edit its file and press Run (Ctrl+R) to run it again.")
            : tr("A Python program traced in CPython.");
    }
    if (!m_scenario) {
        // No panel to show them in: the scenario's parameter descriptions are not known here.
        if (m_parameters.empty())
            return {};
        QStringList values;
        for (const auto& [name, value] : m_parameters)
            values << toQString(name) + QLatin1Char('=') + toQString(value);
        if (m_trace.origin == "cpython")
            return tr("The listing ran in CPython with %1.").arg(values.join(QStringLiteral(", ")));
        return tr("Not a scenario of this PoolScope; the trace's parameters: %1.")
            .arg(values.join(QStringLiteral(", ")));
    }
    if (parametersChanged())
        return tr("Parameters changed since this run: press Run to see them at work.");
    return m_origin == Origin::OpenedFile ? tr("The parameters of the opened trace.")
                                          : tr("The parameters of this run.");
}

QString RunDocument::title() const
{
    return TimelineExporter::titleFor(m_trace);
}

QString RunDocument::caption() const
{
    if (m_state == State::Empty)
        return tr("Not run yet: press Run (Ctrl+R) to draw its timeline.");
    return TimelineExporter::captionFor(m_trace);
}

QString RunDocument::hint() const
{
    return m_scenario ? toQString(m_scenario->info().hint) : QString();
}

QString RunDocument::explanation() const
{
    if (m_scenario)
        return toQString(m_scenario->explanation());
    if (m_trace.origin == "cpython")
        return tr("A Python program run by CPython under PoolScope's tracer: %1\n\n"
                  "Each lane is a thread or a worker process, named as CPython names it "
                  "(ThreadPoolExecutor-0_1, SpawnProcess-1); the caller lane shows where the program "
                  "waited: result(), wait(), as_completed(), map()'s results, shutdown() and the end of a "
                  "with block. The Python tab shows the source the events' lines refer to.")
            .arg(toQString(m_trace.program));
    return tr("A recorded run: %1").arg(m_path.isEmpty() ? title() : QFileInfo(m_path).fileName());
}

QString RunDocument::pythonListing() const
{
    if (!m_trace.source.empty())
        return toQString(m_trace.source);
    if (!m_scenario)
        return {};
    if (m_state != State::Empty) {
        if (const auto values = resolved(*m_scenario, m_parameters))
            return toQString(m_scenario->python_listing(*values));
    }
    return toQString(m_scenario->python_listing());
}

QString RunDocument::cppListing() const
{
    return m_scenario && m_trace.source.empty() ? toQString(m_scenario->cpp_listing()) : QString();
}

void RunDocument::updateLines() const
{
    const std::vector<Event>& events = m_trace.events;
    if (m_linesFor == events.size())
        return;
    m_linesFor = events.size();
    m_pythonLines.clear();
    m_cppLines.clear();
    if (!m_trace.source.empty() || !m_scenario) {
        // A traced program: the tracer recorded each event's line.
        m_pythonLines.reserve(events.size());
        for (const Event& e : events)
            m_pythonLines.push_back(e.line);
        return;
    }
    m_pythonLines = m_scenario->code_links().lines(events, pythonListing().toStdString(), true);
    m_cppLines = m_scenario->code_links().lines(events, m_scenario->cpp_listing(), false);
}

int RunDocument::pythonLineOf(std::size_t index) const
{
    updateLines();
    return index < m_pythonLines.size() ? m_pythonLines[index] : 0;
}

int RunDocument::cppLineOf(std::size_t index) const
{
    updateLines();
    return index < m_cppLines.size() ? m_cppLines[index] : 0;
}

std::vector<std::size_t> RunDocument::eventsOnLine(int line, bool python) const
{
    updateLines();
    std::vector<std::size_t> found;
    if (line <= 0)
        return found;
    const std::vector<int>& lines = python ? m_pythonLines : m_cppLines;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i] == line)
            found.push_back(i);
    }
    return found;
}

QString RunDocument::statusText() const
{
    switch (m_state) {
    case State::Empty:
        return tr("not run yet · press Run");
    case State::Running:
        // Live: cheap, since it runs for every batch.
        return tr("running · %1 events so far").arg(m_trace.events.size());
    case State::Finished:
    case State::Stopped:
    case State::Failed:
        break;
    }
    const trace::RunSummary& s = m_summary;
    QString text = tr("%1 submitted · %2 finished · %3 failed · %4 cancelled")
                       .arg(s.submitted)
                       .arg(s.finished)
                       .arg(s.failed)
                       .arg(s.cancelled);
    if (s.retried > 0)
        text += tr(" · %1 retried").arg(s.retried);
    if (s.wall_time.count() > 0)
        text = tr("wall time %1 s · ").arg(std::chrono::duration<double>(s.wall_time).count(), 0, 'f', 3) + text;
    if (m_state == State::Stopped)
        text = tr("stopped · ") + text;
    else if (m_state == State::Failed)
        text = tr("failed · ") + text;
    return text;
}

QStringList RunDocument::withNotes(QStringList lines) const
{
    if (!m_notes.isEmpty() && lines.isEmpty())
        lines << QString();
    for (const QString& note : m_notes)
        lines << tr("[note: %1]").arg(note);
    return lines;
}

QStringList RunDocument::outcomeLines() const
{
    switch (m_state) {
    case State::Failed:
        return withNotes({ QString(), tr("[the run failed: %1]").arg(m_failure) });
    case State::Stopped:
        if (m_origin == Origin::TracedProgram)
            return withNotes({ QString(), tr("[stopped: the program and its workers were ended before it finished]") });
        // A stopped run's output is cut short, so the output check has nothing to say.
        return { QString(), tr("[stopped: the run was stopped before it ended; what had not started was cancelled]") };
    case State::Finished:
        if (!m_checkError.isEmpty())
            return { QString(), tr("[not the output the exercise expects: %1]").arg(m_checkError) };
        return withNotes({});
    case State::Empty:
    case State::Running:
        return {};
    }
    return {};
}

RunDocument::Update RunDocument::appendEvents(const std::vector<Event>& events)
{
    Update update;
    if (m_state != State::Running)
        return update;
    m_trace.events.insert(m_trace.events.end(), events.begin(), events.end());
    update.timeline = m_timeline.appendEvents(events);
    collectOutput(events, update.output);
    m_output += update.output;
    return update;
}

timeline::TimelineChange RunDocument::finish(
    trace::Trace trace, trace::RunSummary summary, const QString& checkError, const QString& failure, bool stopped)
{
    if (m_state != State::Running)
        return {};
    m_state = !failure.isEmpty() ? State::Failed : stopped ? State::Stopped : State::Finished;
    m_trace = std::move(trace);
    m_linesFor = static_cast<std::size_t>(-1);
    m_summary = std::move(summary);
    m_checkError = checkError;
    m_failure = failure;
    m_parameters = m_trace.parameters;
    // The events are the ones appended; the lanes' names and the run's length are new.
    m_timeline.setLanes(m_trace.lanes);
    m_timeline.setNow(m_trace.wall_time.count());
    return timeline::TimelineChange { 0, true, 0, 0 };
}

} // namespace poolscope::widgets
