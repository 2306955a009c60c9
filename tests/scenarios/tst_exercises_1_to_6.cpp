// The scenarios of exercises 1–6 (7–11 are in tst_exercises_7_to_11.cpp): the exact output of each
// with its defaults, parameters that change what happens, and Stop. Order and counts only, never
// durations; where timing decides an outcome, the delays leave a wide margin.

#include "scenarios/scenario.h"

#include <poolscope/futures.h>
#include <poolscope/trace/lane.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <map>
#include <ostream>
#include <regex>
#include <set>
#include <sstream>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace poolscope;
using namespace poolscope::scenarios;

namespace {

using Overrides = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string> lines_of(const std::string& output)
{
    std::vector<std::string> lines;
    if (output.empty())
        return lines;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items)
        out += item + "\n";
    return out;
}

struct Outcome {
    ScenarioRun run;
    std::vector<std::string> lines;
    int workers = 0; // the `workers` parameter as resolved
};

Outcome run_with(
    std::string_view id, const Overrides& overrides = {}, const RunHooks& hooks = {}, EventLog* log_in = nullptr)
{
    const Scenario* scenario = find_scenario(id);
    if (scenario == nullptr)
        throw std::invalid_argument("no scenario " + std::string(id));
    EventLog own_log;
    EventLog& log = log_in ? *log_in : own_log;
    const auto params = ParameterValues::resolve(scenario->parameters(), overrides);
    Outcome out;
    out.run = run_scenario(*scenario, params, log, hooks);
    out.lines = lines_of(out.run.trace.output);
    out.workers = params.integer("workers");
    return out;
}

long count_kind(const std::vector<Event>& events, EventKind kind)
{
    return std::count_if(events.begin(), events.end(), [kind](const Event& e) { return e.kind == kind; });
}

// The most tasks that were running at one instant.
int peak_running(const std::vector<Event>& events)
{
    std::set<std::uint64_t> running;
    std::size_t peak = 0;
    for (const Event& e : events) {
        if (e.kind == EventKind::started)
            running.insert(e.task_id);
        else if (e.kind == EventKind::finished || e.kind == EventKind::failed)
            running.erase(e.task_id);
        peak = std::max(peak, running.size());
    }
    return static_cast<int>(peak);
}

std::string violations_of(const ScenarioRun& run)
{
    return joined(find_invariant_violations(run.trace.events, run.trace.max_workers));
}

// Everything a finished run of one of these thread-pool scenarios must have, whatever its parameters.
void expect_sound_run(const Outcome& outcome)
{
    const ScenarioRun& run = outcome.run;
    EXPECT_EQ(run.failure, "");
    EXPECT_EQ(violations_of(run), "");
    EXPECT_EQ(run.trace.pool_kind, "thread");
    EXPECT_EQ(run.trace.max_workers, outcome.workers);
    ASSERT_FALSE(run.trace.lanes.empty());
    EXPECT_LE(static_cast<int>(run.trace.lanes.size()), outcome.workers);
    for (std::size_t i = 0; i < run.trace.lanes.size(); ++i) {
        EXPECT_EQ(run.trace.lanes[i].index, static_cast<int>(i));
        EXPECT_TRUE(
            std::regex_match(run.trace.lanes[i].name, std::regex("ThreadPoolExecutor-[0-9]+_" + std::to_string(i))))
            << run.trace.lanes[i].name;
        EXPECT_EQ(run.trace.lanes[i].pid, 0);
    }
    // The names the scenario gave agree with what the workers recorded.
    EXPECT_EQ(run.trace.lanes, trace::lanes_from_events(run.trace.events));
}

// ---- every scenario with its defaults prints what the exercise prints ----------------------------

std::string exact(const std::string& text)
{
    static const std::regex special(R"([.^$|()\[\]{}*+?\\])");
    return std::regex_replace(text, special, R"(\$&)");
}

struct DefaultsRow {
    std::string id;
    std::vector<std::string> line_patterns; // regular expressions, one per printed line
};

void PrintTo(const DefaultsRow& row, std::ostream* os)
{
    *os << row.id;
}

class Defaults : public ::testing::TestWithParam<DefaultsRow> { };

TEST_P(Defaults, PrintTheExerciseOutput)
{
    const DefaultsRow& row = GetParam();
    const Scenario* scenario = find_scenario(row.id);
    ASSERT_NE(scenario, nullptr);
    const Outcome outcome = run_with(row.id);
    const ScenarioRun& run = outcome.run;

    ASSERT_EQ(outcome.lines.size(), row.line_patterns.size()) << run.trace.output;
    for (std::size_t i = 0; i < outcome.lines.size(); ++i) {
        EXPECT_TRUE(std::regex_match(outcome.lines[i], std::regex(row.line_patterns[i])))
            << "line " << i + 1 << ": " << outcome.lines[i] << "\nexpected: " << row.line_patterns[i];
    }
    EXPECT_EQ(run.check_error, "");
    expect_sound_run(outcome);

    EXPECT_EQ(run.trace.scenario, row.id);
    EXPECT_EQ(run.trace.title, scenario->info().title);
    EXPECT_EQ(run.trace.parameters, ParameterValues::resolve(scenario->parameters()).as_text());
    EXPECT_FALSE(run.trace.host.empty());
    EXPECT_TRUE(std::regex_match(run.trace.started_at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
        << run.trace.started_at;
    EXPECT_GT(run.trace.wall_time.count(), 0);
    EXPECT_GT(count_kind(run.trace.events, EventKind::submitted), 0);
}

INSTANTIATE_TEST_SUITE_P(Exercises1to6, Defaults,
    ::testing::Values(DefaultsRow { "map", { exact("[2, 4, 6, 8, 10]") } },
        DefaultsRow { "submit", { exact("[1024, 243, 625, 1000]") } },
        DefaultsRow {
            "exceptions", { exact("Successes: [10, 20, 40, 50]"), exact("Errors: ['Bad value: 3', 'Bad value: 6']") } },
        DefaultsRow { "callbacks", { exact("[1, 4, 9, 16, 25]") } },
        DefaultsRow {
            "as-completed", { R"(Completion order: \[([1-8], ){7}[1-8]\])", exact("All 8 processed: True") } },
        DefaultsRow { "first-completed", { exact("First result: (True, ['p', 'q', 'r'])"), "Cancelled: [0-3]" } }),
    [](const ::testing::TestParamInfo<DefaultsRow>& p) {
        std::string name = p.param.id;
        std::replace(name.begin(), name.end(), '-', '_');
        return name;
    });

// ---- parameters that change what happens ---------------------------------------------------------

TEST(MapScenario, oneWorker_runsTheCallsOneAfterAnother)
{
    const auto outcome = run_with("map", { { "workers", "1" }, { "tasks", "4" }, { "delay", "0.02" } });
    EXPECT_EQ(outcome.lines, std::vector<std::string> { "[2, 4, 6, 8]" });
    EXPECT_EQ(outcome.run.check_error, "");
    expect_sound_run(outcome);
    EXPECT_EQ(peak_running(outcome.run.trace.events), 1);
    EXPECT_EQ(outcome.run.trace.lanes.size(), 1u);
}

TEST(MapScenario, fiveWorkers_overlapTheCalls)
{
    const auto outcome = run_with("map", { { "workers", "5" }, { "delay", "0.3" } });
    EXPECT_EQ(outcome.lines, std::vector<std::string> { "[2, 4, 6, 8, 10]" });
    expect_sound_run(outcome);
    EXPECT_GE(peak_running(outcome.run.trace.events), 2);
}

TEST(MapScenario, twelveNumbers_doubledInInputOrder)
{
    const auto outcome = run_with("map", { { "workers", "3" }, { "tasks", "12" }, { "delay", "0" } });
    EXPECT_EQ(outcome.lines, std::vector<std::string> { "[2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24]" });
    EXPECT_EQ(outcome.run.check_error, "");
    expect_sound_run(outcome);
    EXPECT_EQ(count_kind(outcome.run.trace.events, EventKind::finished), 12);
}

TEST(SubmitScenario, oneWorker_computesInTurnAndResultBlocksTheCaller)
{
    const auto outcome = run_with("submit", { { "workers", "1" } });
    EXPECT_EQ(outcome.lines, std::vector<std::string> { "[1024, 243, 625, 1000]" });
    EXPECT_EQ(outcome.run.check_error, "");
    expect_sound_run(outcome);
    EXPECT_EQ(peak_running(outcome.run.trace.events), 1);
    const auto& events = outcome.run.trace.events;
    EXPECT_GE(std::count_if(events.begin(), events.end(),
                  [](const Event& e) { return e.kind == EventKind::caller_blocked && e.label == "result"; }),
        1);
}

TEST(SubmitScenario, fourWorkers_overlapTheComputations)
{
    const auto outcome = run_with("submit", { { "workers", "4" }, { "delay", "0.3" } });
    EXPECT_EQ(outcome.lines, std::vector<std::string> { "[1024, 243, 625, 1000]" });
    expect_sound_run(outcome);
    EXPECT_GE(peak_running(outcome.run.trace.events), 2);
}

TEST(ExceptionsScenario, failEveryTwo_halfTheTasksFail)
{
    const auto outcome = run_with("exceptions", { { "fail_every", "2" } });
    EXPECT_EQ(outcome.lines,
        (std::vector<std::string> {
            "Successes: [10, 30, 50]", "Errors: ['Bad value: 2', 'Bad value: 4', 'Bad value: 6']" }));
    EXPECT_EQ(outcome.run.check_error, "");
    expect_sound_run(outcome);
    EXPECT_EQ(count_kind(outcome.run.trace.events, EventKind::failed), 3);
    EXPECT_EQ(count_kind(outcome.run.trace.events, EventKind::finished), 3);
}

TEST(ExceptionsScenario, twelveTasks_errorsSortedAsPythonSortsStrings)
{
    const auto outcome = run_with("exceptions", { { "tasks", "12" }, { "fail_every", "5" } });
    EXPECT_EQ(outcome.lines,
        (std::vector<std::string> {
            "Successes: [10, 20, 30, 40, 60, 70, 80, 90, 110, 120]", "Errors: ['Bad value: 10', 'Bad value: 5']" }));
    EXPECT_EQ(outcome.run.check_error, "");
    expect_sound_run(outcome);
}

TEST(ExceptionsScenario, failEveryOne_noSuccesses)
{
    const auto outcome = run_with("exceptions", { { "tasks", "3" }, { "fail_every", "1" }, { "workers", "1" } });
    EXPECT_EQ(outcome.lines,
        (std::vector<std::string> { "Successes: []", "Errors: ['Bad value: 1', 'Bad value: 2', 'Bad value: 3']" }));
    EXPECT_EQ(outcome.run.check_error, "");
    expect_sound_run(outcome);
    EXPECT_EQ(count_kind(outcome.run.trace.events, EventKind::finished), 0);
    // The one worker went on after every failure.
    EXPECT_EQ(count_kind(outcome.run.trace.events, EventKind::failed), 3);
    EXPECT_EQ(outcome.run.trace.lanes.size(), 1u);
}

TEST(CallbacksScenario, oneWorker_threeSquaresCollectedByCallbacks)
{
    const auto outcome = run_with("callbacks", { { "workers", "1" }, { "tasks", "3" } });
    EXPECT_EQ(outcome.lines, std::vector<std::string> { "[1, 4, 9]" });
    EXPECT_EQ(outcome.run.check_error, "");
    expect_sound_run(outcome);
    EXPECT_EQ(peak_running(outcome.run.trace.events), 1);
}

TEST(CallbacksScenario, manyTasks_everyCallbackRanBeforeThePrint)
{
    const auto outcome = run_with("callbacks", { { "workers", "4" }, { "tasks", "40" }, { "delay", "0" } });
    ASSERT_EQ(outcome.lines.size(), 1u);
    EXPECT_EQ(outcome.run.check_error, "");
    expect_sound_run(outcome);
}

TEST(AsCompletedScenario, oneWorker_itemsFinishInSubmissionOrder)
{
    const auto outcome = run_with("as-completed", { { "workers", "1" } });
    EXPECT_EQ(outcome.lines,
        (std::vector<std::string> { "Completion order: [1, 2, 3, 4, 5, 6, 7, 8]", "All 8 processed: True" }));
    EXPECT_EQ(outcome.run.check_error, "");
    expect_sound_run(outcome);
}

TEST(AsCompletedScenario, slowestFirst_finishingOrderIsReversed)
{
    // Neighbouring items' sleeps differ by 0.27 s: far more than a loaded machine's scheduling noise.
    const auto outcome = run_with("as-completed",
        { { "workers", "8" }, { "order", "slowest-first" }, { "min_delay", "0.1" }, { "max_delay", "2" } });
    EXPECT_EQ(outcome.lines,
        (std::vector<std::string> { "Completion order: [8, 7, 6, 5, 4, 3, 2, 1]", "All 8 processed: True" }));
    EXPECT_EQ(outcome.run.check_error, "");
    expect_sound_run(outcome);
    EXPECT_GE(peak_running(outcome.run.trace.events), 2);
}

TEST(AsCompletedScenario, twelveItems_allProcessed)
{
    const auto outcome = run_with("as-completed", { { "tasks", "12" }, { "max_delay", "0.1" } });
    ASSERT_EQ(outcome.lines.size(), 2u);
    EXPECT_EQ(outcome.lines[1], "All 12 processed: True");
    EXPECT_EQ(outcome.run.check_error, "");
    expect_sound_run(outcome);
}

// The live view's stress test (bench/gui/live_stall_bench.cpp) runs these with 100,000 tiny tasks:
// the largest item's square needs more than an int, and every check must hold at that size.
TEST(StressSizedRuns, aHundredThousandTinyTasks_runAndPassTheirChecks)
{
    struct Row {
        std::string_view id;
        Overrides overrides;
        std::string last_line_ends_with;
    };
    const std::vector<Row> rows {
        { "map", { { "tasks", "100000" }, { "delay", "0" }, { "workers", "4" } }, ", 199998, 200000]" },
        { "callbacks", { { "tasks", "100000" }, { "delay", "0" }, { "workers", "4" } }, ", 9999800001, 10000000000]" },
        { "as-completed", { { "tasks", "100000" }, { "min_delay", "0" }, { "max_delay", "0" }, { "workers", "4" } },
            "All 100000 processed: True" },
    };
    for (const Row& row : rows) {
        SCOPED_TRACE(std::string(row.id));
        const auto outcome = run_with(row.id, row.overrides);
        ASSERT_FALSE(outcome.lines.empty());
        EXPECT_TRUE(outcome.lines.back().ends_with(row.last_line_ends_with));
        EXPECT_EQ(outcome.run.failure, "");
        EXPECT_EQ(outcome.run.check_error.substr(0, 200), "");
        EXPECT_EQ(count_kind(outcome.run.trace.events, EventKind::finished), 100000);
    }
}

int cancelled_count(const Outcome& outcome)
{
    EXPECT_EQ(outcome.lines.size(), 2u);
    if (outcome.lines.size() != 2 || !outcome.lines[1].starts_with("Cancelled: "))
        return -1;
    return std::stoi(outcome.lines[1].substr(11));
}

TEST(FirstCompletedScenario, fourWorkers_everySearchRunsSoNoneIsCancelled)
{
    // Scaled by 5: the fastest search takes 0.5 s, long enough for every worker to take its search.
    const auto outcome = run_with("first-completed", { { "workers", "4" }, { "scale", "5" } });
    EXPECT_EQ(outcome.lines, (std::vector<std::string> { "First result: (True, ['p', 'q', 'r'])", "Cancelled: 0" }));
    EXPECT_EQ(outcome.run.check_error, "");
    expect_sound_run(outcome);
    EXPECT_EQ(count_kind(outcome.run.trace.events, EventKind::cancelled), 0);
}

TEST(FirstCompletedScenario, twoWorkers_cancelTheSearchesStillQueued)
{
    // Two run (1 s and 0.5 s); when the fast one ends the last search stays queued for another
    // 0.5 s, so the caller cancels at least that one.
    const auto outcome = run_with("first-completed", { { "workers", "2" }, { "scale", "5" } });
    ASSERT_EQ(outcome.lines.size(), 2u);
    EXPECT_EQ(outcome.lines[0], "First result: (True, ['p', 'q', 'r'])");
    const int cancelled = cancelled_count(outcome);
    EXPECT_GE(cancelled, 1);
    EXPECT_LE(cancelled, 2);
    EXPECT_EQ(outcome.run.check_error, "");
    expect_sound_run(outcome);
    EXPECT_EQ(count_kind(outcome.run.trace.events, EventKind::cancelled), cancelled);
}

TEST(FirstCompletedScenario, oneWorker_theFirstSubmittedSearchWins)
{
    const auto outcome = run_with("first-completed", { { "workers", "1" }, { "scale", "2" } });
    ASSERT_EQ(outcome.lines.size(), 2u);
    EXPECT_EQ(outcome.lines[0], "First result: (True, ['a', 'b', 'c', 'x', 'y'])");
    EXPECT_GE(cancelled_count(outcome), 2);
    EXPECT_EQ(outcome.run.check_error, "");
    expect_sound_run(outcome);
}

// ---- check() ------------------------------------------------------------------------------------

struct CheckRow {
    std::string name;
    std::string id;
    Overrides overrides;
    std::vector<std::string> output;
    bool accepted;
};

void PrintTo(const CheckRow& row, std::ostream* os)
{
    *os << row.name;
}

class Check : public ::testing::TestWithParam<CheckRow> { };

TEST_P(Check, AcceptsTheExpectedShapeOnly)
{
    const CheckRow& row = GetParam();
    const Scenario* scenario = find_scenario(row.id);
    ASSERT_NE(scenario, nullptr);
    const std::string error
        = scenario->check(ParameterValues::resolve(scenario->parameters(), row.overrides), row.output);
    if (row.accepted) {
        EXPECT_EQ(error, "");
    } else {
        EXPECT_NE(error, "");
    }
}

INSTANTIATE_TEST_SUITE_P(Rows, Check,
    ::testing::Values(CheckRow { "map_expected", "map", {}, { "[2, 4, 6, 8, 10]" }, true },
        CheckRow { "map_short", "map", {}, { "[2, 4]" }, false }, CheckRow { "map_nothing", "map", {}, {}, false },
        CheckRow { "map_threeTasks", "map", { { "tasks", "3" } }, { "[2, 4, 6]" }, true },
        CheckRow { "submit_reordered", "submit", {}, { "[243, 1024, 625, 1000]" }, false },
        CheckRow { "exceptions_numericErrorSort", "exceptions", { { "tasks", "12" }, { "fail_every", "5" } },
            { "Successes: [10, 20, 30, 40, 60, 70, 80, 90, 110, 120]", "Errors: ['Bad value: 5', 'Bad value: 10']" },
            false },
        CheckRow { "callbacks_unsorted", "callbacks", {}, { "[4, 1, 9, 16, 25]" }, false },
        CheckRow { "asCompleted_anyPermutation", "as-completed", {},
            { "Completion order: [3, 1, 8, 2, 7, 5, 4, 6]", "All 8 processed: True" }, true },
        CheckRow { "asCompleted_duplicate", "as-completed", {},
            { "Completion order: [3, 3, 8, 2, 7, 5, 4, 6]", "All 8 processed: True" }, false },
        CheckRow { "asCompleted_oneWorkerOutOfOrder", "as-completed", { { "workers", "1" } },
            { "Completion order: [2, 1, 3, 4, 5, 6, 7, 8]", "All 8 processed: True" }, false },
        CheckRow { "asCompleted_notAllProcessed", "as-completed", {},
            { "Completion order: [3, 1, 8, 2, 7, 5, 4, 6]", "All 8 processed: False" }, false },
        CheckRow { "firstCompleted_twoCancelled", "first-completed", {},
            { "First result: (True, ['p', 'q', 'r'])", "Cancelled: 2" }, true },
        CheckRow { "firstCompleted_fourCancelled", "first-completed", {},
            { "First result: (True, ['p', 'q', 'r'])", "Cancelled: 4" }, false },
        CheckRow { "firstCompleted_countMissing", "first-completed", {},
            { "First result: (True, ['p', 'q', 'r'])", "Cancelled: " }, false },
        CheckRow { "firstCompleted_oneWorkerWinner", "first-completed", { { "workers", "1" } },
            { "First result: (True, ['a', 'b', 'c', 'x', 'y'])", "Cancelled: 3" }, true }),
    [](const ::testing::TestParamInfo<CheckRow>& p) { return p.param.name; });

// ---- Stop ---------------------------------------------------------------------------------------

struct StopRow {
    std::string id;
    // Long enough that ignoring Stop would take minutes: the sleeps must end early.
    Overrides overrides;
    // When StopWhileRunning requests Stop: once `submitted` tasks were submitted, a task has started
    // and the event `trigger` was recorded.
    long submitted;
    EventKind trigger;
    // Whether Stop is then sure to find queued tasks to cancel, however the threads are scheduled:
    // the caller has blocked on a running task (so its stop callback is in place) with others queued.
    bool some_cancelled;
};

void PrintTo(const StopRow& row, std::ostream* os)
{
    *os << row.id;
}

std::string row_name(const ::testing::TestParamInfo<StopRow>& p)
{
    std::string name = p.param.id;
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

const auto stop_rows = ::testing::Values(
    StopRow {
        "map", { { "workers", "1" }, { "tasks", "1000" }, { "delay", "10" } }, 1000, EventKind::caller_blocked, true },
    StopRow { "submit", { { "workers", "1" }, { "delay", "10" } }, 4, EventKind::caller_blocked, true },
    StopRow { "exceptions", { { "workers", "1" }, { "tasks", "1000" }, { "delay", "10" } }, 1000,
        EventKind::caller_blocked, true },
    // The caller waits in shutdown(), which records no event: Stop may come before its stop callback
    // is in place, and then the tasks, skipping their sleeps, may all run.
    StopRow {
        "callbacks", { { "workers", "1" }, { "tasks", "1000" }, { "delay", "10" } }, 1000, EventKind::started, false },
    StopRow { "as-completed", { { "workers", "1" }, { "tasks", "1000" }, { "min_delay", "10" }, { "max_delay", "10" } },
        1000, EventKind::caller_blocked, true },
    StopRow { "first-completed", { { "workers", "1" }, { "scale", "20" } }, 4, EventKind::caller_blocked, true });

class StopBeforeRun : public ::testing::TestWithParam<StopRow> { };

TEST_P(StopBeforeRun, EndsAtOncePrintingNothing)
{
    std::stop_source source;
    source.request_stop();
    const auto outcome
        = run_with(GetParam().id, GetParam().overrides, RunHooks { .on_output = {}, .stop = source.get_token() });
    EXPECT_EQ(outcome.run.failure, "");
    EXPECT_TRUE(outcome.lines.empty()) << outcome.run.trace.output;
    EXPECT_EQ(violations_of(outcome.run), "");
    EXPECT_NE(outcome.run.check_error, "");
    // Whether anything is cancelled depends on scheduling here: every task that starts after Stop
    // skips its sleep, so the worker may well keep up with the submitting caller.
}

INSTANTIATE_TEST_SUITE_P(Exercises1to6, StopBeforeRun, stop_rows, row_name);

class StopWhileRunning : public ::testing::TestWithParam<StopRow> { };

TEST_P(StopWhileRunning, EndsEarlyCancellingWhatHasNotStarted)
{
    // Stop is requested by another thread, as the GUI's Stop button would, while the first task
    // sleeps and the others wait in the queue. The observer only opens a latch: it must not call
    // back into the executor.
    EventLog log;
    std::latch first_started(1);
    std::atomic<bool> opened { false };
    const auto open = [&] {
        if (!opened.exchange(true))
            first_started.count_down();
    };
    long submitted = 0; // the observer's calls are serialised
    bool started = false;
    bool triggered = false;
    log.set_observer([&](const Event& e) {
        submitted += e.kind == EventKind::submitted ? 1 : 0;
        started = started || e.kind == EventKind::started;
        triggered = triggered || e.kind == GetParam().trigger;
        if (started && triggered && submitted >= GetParam().submitted)
            open();
    });
    std::stop_source source;
    std::jthread stopper([&] {
        first_started.wait();
        source.request_stop();
    });

    const auto outcome
        = run_with(GetParam().id, GetParam().overrides, RunHooks { .on_output = {}, .stop = source.get_token() }, &log);
    open(); // in case no task ever started, so the stopper ends
    stopper.join();
    log.set_observer({});

    EXPECT_EQ(outcome.run.failure, "");
    EXPECT_TRUE(outcome.lines.empty()) << outcome.run.trace.output;
    EXPECT_EQ(violations_of(outcome.run), "");
    EXPECT_GE(count_kind(outcome.run.trace.events, EventKind::started), 1);
    if (GetParam().some_cancelled) {
        EXPECT_GE(count_kind(outcome.run.trace.events, EventKind::cancelled), 1);
    }
}

INSTANTIATE_TEST_SUITE_P(Exercises1to6, StopWhileRunning, stop_rows, row_name);

} // namespace
