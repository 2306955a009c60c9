#pragma once

#include <poolscope/timeline/timeline_data.h>

#include <poolscope/event.h>
#include <poolscope/trace/run_summary.h>
#include <poolscope/trace/trace.h>

#include <QCoreApplication>
#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace poolscope::scenarios {
class ParameterValues;
class Scenario;
} // namespace poolscope::scenarios

namespace poolscope::widgets {

/// Everything the window shows about one run: the trace, its timeline data, summary, printed output,
/// lane names and parameters, where the run comes from, how far it got, and its listings or source.
/// The window holds documents and shows one; every pane reads what it shows from that document, so
/// no pane can show another run's title, caption, parameters or output.
///
/// Output comes from the trace's `output` events (one per printed line, live or loaded); a trace
/// without any (format version 1) has its output as text in Trace::output, split into lines.
///
/// Plain data on the GUI thread: not thread-safe, and it never blocks.
class RunDocument {
    Q_DECLARE_TR_FUNCTIONS(RunDocument)
public:
    enum class Origin {
        ScenarioRun, ///< a scenario of this PoolScope, run here (or not run yet: State::Empty)
        OpenedFile, ///< a trace file loaded from disk
        TracedProgram, ///< a Python program run under the CPython tracer
    };
    enum class State {
        Empty, ///< a scenario not run yet: no events, its listings only
        Running, ///< events are arriving
        Finished, ///< the run ended normally (its output may still differ from what is expected)
        Stopped, ///< the user stopped the run before it ended
        Failed, ///< the run ended abnormally (the scenario threw; a traced program crashed)
    };
    /// What appendEvents() changed, for the panes that show it live.
    struct Update {
        timeline::TimelineChange timeline;
        QStringList output; ///< lines printed in this batch, in order
    };
    using ParameterList = std::vector<std::pair<std::string, std::string>>;

    /// A scenario not run yet: its title, hint and listings (with the default parameters), no events.
    static std::unique_ptr<RunDocument> forScenario(const scenarios::Scenario& scenario);
    /// A run of `scenario` with `params` that is about to start: State::Running, no events yet.
    static std::unique_ptr<RunDocument> startScenarioRun(
        const scenarios::Scenario& scenario, const scenarios::ParameterValues& params);
    /// A trace loaded from `path`. Its scenario, when this PoolScope knows it, gives the listings
    /// and the parameter descriptions; its origin "cpython" makes it a traced program's document.
    static std::unique_ptr<RunDocument> fromTrace(trace::Trace trace, const QString& path = {});
    /// A Python program about to run under the CPython tracer (Origin::TracedProgram, State::Running):
    /// its source shows from the start. `title` replaces the program's file name as the run's title
    /// (Run in CPython names the scenario); `parameters` are the values a scenario's listing was
    /// rendered with, shown in the caption.
    static std::unique_ptr<RunDocument> startTracedProgram(
        const QString& program, const QString& source, const QString& title = {}, ParameterList parameters = {});

    // Views keep pointers into a document (its timeline data), so it stays where it was made.
    RunDocument(const RunDocument&) = delete;
    RunDocument& operator=(const RunDocument&) = delete;

    Origin origin() const { return m_origin; }
    State state() const { return m_state; }
    /// The scenario's id ("map"); empty when the trace names none or this PoolScope does not know it.
    QString scenarioId() const;
    /// The scenario this is a run of, or null.
    const scenarios::Scenario* scenario() const { return m_scenario; }
    /// The file it was loaded from; empty for a run made here.
    const QString& path() const { return m_path; }

    /// The recorded run. While running: what has arrived so far (metadata is filled in by finish()).
    const trace::Trace& trace() const { return m_trace; }
    const timeline::TimelineData& timelineData() const { return m_timeline; }
    /// trace::summarize() of the trace; zero counts before a run has finished.
    const trace::RunSummary& summary() const { return m_summary; }
    /// Every printed line, in order.
    const QStringList& output() const { return m_output; }
    /// Lane index → name ("ThreadPoolExecutor-0_1"), from the trace's lane table.
    QHash<int, QString> laneNames() const;
    /// Whether the output is what the exercise expects: empty when it is (or nothing was checked).
    const QString& checkError() const { return m_checkError; }
    /// Why the run failed; empty unless state() is Failed.
    const QString& failure() const { return m_failure; }

    /// The parameters the run used, as name/value text (the scenario's canonical form where the
    /// scenario accepts them); empty for a scenario not run yet.
    const ParameterList& parameters() const { return m_parameters; }
    /// What the parameter panel shows for this document: the run's parameters until the user edits
    /// them. The next run uses these.
    const ParameterList& editedParameters() const { return m_edited; }
    void setEditedParameters(ParameterList values) { m_edited = std::move(values); }
    /// True when the edited parameters differ from the ones this run used.
    bool parametersChanged() const;
    /// A line for under the parameter panel: that the panel shows this run's parameters, or that
    /// they were changed since, or (a trace of no scenario known here) what they were; empty for a
    /// scenario not run yet.
    QString parameterNote() const;

    /// The title above the plot (and of the window): the run's or the scenario's.
    QString title() const;
    /// The line under the plot: what was run, with which parameters, when, where; for a scenario
    /// not run yet, the hint to press Run.
    QString caption() const;
    /// The scenario's one-line hint of what to look for; empty without a scenario.
    QString hint() const;
    /// A paragraph on what the run shows (the scenario's explanation, or what the file is).
    QString explanation() const;
    /// The Python the run stands for: the scenario's listing with this run's parameters, or the
    /// traced program's source.
    QString pythonListing() const;
    /// The C++ that ran; empty for a traced program.
    QString cppListing() const;

    /// The line of pythonListing() (the scenario's listing, or the traced program's source) that
    /// trace().events[index] comes from, 1-based; 0 when unknown. Traced programs record it per
    /// event; a scenario's events take it from the scenario's lines table (scenarios::CodeLinks).
    int pythonLineOf(std::size_t index) const;
    /// The same in cppListing(); 0 for a traced program.
    int cppLineOf(std::size_t index) const;
    /// The indices of the events that come from `line` of the Python listing (`python`) or of the
    /// C++ one, in order.
    std::vector<std::size_t> eventsOnLine(int line, bool python) const;

    /// One line for the status bar: counts and wall time, "running · N events so far", "not run yet",
    /// and that a run was stopped or failed.
    QString statusText() const;
    /// Lines the console shows after the output: why the run failed, that it was stopped, or that
    /// its output is not what the exercise expects. Empty for a clean run.
    QStringList outcomeLines() const;

    /// Applies a batch of the running run's events (GUI thread, in time order): the timeline grows,
    /// `output` events become output lines. Only in State::Running.
    Update appendEvents(const std::vector<Event>& events);
    /// A traced program's run so far replaces what was shown (Origin::TracedProgram, State::Running).
    /// The tracer's files are merged again on every read, so an event can land before ones already
    /// shown: the timeline is rebuilt rather than appended to. `update.output` holds the lines
    /// printed since the last call.
    Update showSoFar(trace::Trace soFar);
    /// Ends a traced program's run with its complete `trace`. `failure`: why it did not end by itself
    /// (empty when it did; a non-zero exit code then makes it State::Failed too); `stopped`: the user
    /// stopped it; `notes`: what the tracer or the reader noted ("no executor activity recorded"),
    /// shown after the output.
    void finishTraced(trace::Trace trace, const QString& failure, bool stopped, const QStringList& notes);
    /// A traced program's title when it is not its file's name (Run in CPython names the scenario).
    const QString& tracedTitle() const { return m_title; }
    /// What finishTraced() was told to note.
    const QStringList& notes() const { return m_notes; }

    /// Ends the run: `trace` (the complete recording, with the same events as were appended) replaces
    /// what has arrived so far. `stopped`: the user asked the run to stop. Returns what changed in the
    /// timeline (the lanes get their names).
    timeline::TimelineChange finish(
        trace::Trace trace, trace::RunSummary summary, const QString& checkError, const QString& failure, bool stopped);

private:
    RunDocument() = default;
    QStringList withNotes(QStringList lines) const;
    void updateLines() const; // the line tables follow the events, computed when first asked

    Origin m_origin = Origin::ScenarioRun;
    State m_state = State::Empty;
    const scenarios::Scenario* m_scenario = nullptr;
    QString m_path;
    trace::Trace m_trace;
    timeline::TimelineData m_timeline;
    trace::RunSummary m_summary;
    QStringList m_output;
    QString m_checkError;
    QString m_failure;
    ParameterList m_parameters; // the run's, canonical where the scenario accepts them
    ParameterList m_edited;
    QString m_title; // a traced program's title when it is not the file's name
    QStringList m_notes;
    mutable std::vector<int> m_pythonLines; // by event index
    mutable std::vector<int> m_cppLines;
    mutable std::size_t m_linesFor = static_cast<std::size_t>(-1); // how many events they were made for
};

} // namespace poolscope::widgets
