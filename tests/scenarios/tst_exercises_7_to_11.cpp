// Exercises 7 to 11 of the practice page as scenarios: cpu-bound, pipeline, map-timeout, shutdown
// and retry. Each runs through run_scenario() as the command line and the GUI run it, with its
// defaults and with the parameter changes that make its lesson visible. No sleeps, no assertions on
// durations: outcomes are checked by order, counts and states, with timeouts far apart.

#include "scenarios/scenario.h"

#include <poolscope/event.h>
#include <poolscope/event_invariants.h>
#include <poolscope/event_log.h>

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace poolscope::scenarios {
namespace {

using Overrides = std::vector<std::pair<std::string, std::string>>;

const Scenario& scenario(std::string_view id)
{
    const Scenario* found = find_scenario(id);
    if (!found)
        throw std::invalid_argument("no scenario " + std::string(id));
    return *found;
}

ScenarioRun run(std::string_view id, const Overrides& overrides = {}, const RunHooks& hooks = {})
{
    const Scenario& s = scenario(id);
    const ParameterValues params = ParameterValues::resolve(s.parameters(), overrides);
    EventLog log;
    return run_scenario(s, params, log, hooks);
}

std::string check(std::string_view id, const Overrides& overrides, const std::vector<std::string>& lines)
{
    const Scenario& s = scenario(id);
    return s.check(ParameterValues::resolve(s.parameters(), overrides), lines);
}

// A run that went through: nothing failed, and the scenario's own check() accepts what it printed.
ScenarioRun passed_run(std::string_view id, const Overrides& overrides = {})
{
    ScenarioRun r = run(id, overrides);
    EXPECT_EQ(r.failure, "") << id;
    EXPECT_EQ(r.check_error, "") << id;
    return r;
}

std::vector<std::string> lines_of(const ScenarioRun& r)
{
    std::vector<std::string> lines;
    if (r.trace.output.empty())
        return lines;
    std::string::size_type begin = 0;
    while (true) {
        const auto end = r.trace.output.find('\n', begin);
        lines.push_back(r.trace.output.substr(begin, end - begin));
        if (end == std::string::npos)
            return lines;
        begin = end + 1;
    }
}

std::vector<Event> of_kind(const std::vector<Event>& events, EventKind kind)
{
    std::vector<Event> out;
    std::copy_if(
        events.begin(), events.end(), std::back_inserter(out), [kind](const Event& e) { return e.kind == kind; });
    return out;
}

// The first line of a printed number after `prefix` ("Got: 3, ..." → 3); -1 if it is not there.
int number_after(const std::string& line, const std::string& prefix)
{
    const auto at = line.find(prefix);
    if (at == std::string::npos)
        return -1;
    return std::stoi(line.substr(at + prefix.size()));
}

// Who holds the interpreter lock, acquisition by acquisition: a description of every instant at
// which two lanes held it at once, or a lane released what it did not hold.
std::vector<std::string> gil_overlaps(const std::vector<Event>& events)
{
    std::vector<std::string> problems;
    int holder = -1;
    for (const Event& e : events) {
        if (e.kind == EventKind::gil_acquired) {
            if (holder != -1)
                problems.push_back("lane " + std::to_string(e.worker) + " took the lock while lane "
                    + std::to_string(holder) + " held it");
            holder = e.worker;
        } else if (e.kind == EventKind::gil_released) {
            if (holder != e.worker)
                problems.push_back("lane " + std::to_string(e.worker) + " released a lock it did not hold");
            holder = -1;
        }
    }
    return problems;
}

// Thread lanes are named as Python names pool threads: ThreadPoolExecutor-<pool>_<n>, n = lane index.
void expect_thread_lanes(const std::vector<trace::Lane>& lanes, int first_lane, int count)
{
    const std::regex name(R"(ThreadPoolExecutor-\d+_(\d+))");
    int seen = 0;
    for (const trace::Lane& lane : lanes) {
        if (lane.index < first_lane || lane.index >= first_lane + count)
            continue;
        ++seen;
        std::smatch m;
        ASSERT_TRUE(std::regex_match(lane.name, m, name)) << lane.name;
        EXPECT_EQ(std::stoi(m[1].str()), lane.index - first_lane) << lane.name;
        EXPECT_EQ(lane.pid, 0) << lane.name;
    }
    EXPECT_EQ(seen, count);
}

// The run used one thread pool of `workers` workers, and its events keep every invariant.
void expect_one_thread_pool(const ScenarioRun& r, int workers)
{
    EXPECT_EQ(r.trace.pool_kind, "thread");
    EXPECT_EQ(r.trace.max_workers, workers);
    EXPECT_EQ(find_invariant_violations(r.trace.events, workers), std::vector<std::string> {});
}

// ---- cpu-bound (exercise 7) -------------------------------------------------------------------

TEST(CpuBoundScenario, defaults_threadsTakeTurnsUnderTheGil_processesRunApart)
{
    const ScenarioRun r = passed_run("cpu-bound");
    const auto lines = lines_of(r);
    ASSERT_EQ(lines.size(), 3u) << r.trace.output;
    EXPECT_TRUE(std::regex_match(lines[0], std::regex(R"(Thread pool: \d+ms)"))) << lines[0];
    EXPECT_TRUE(std::regex_match(lines[1], std::regex(R"(Process pool: \d+ms)"))) << lines[1];
    EXPECT_EQ(lines[2], "Results match: True");
    EXPECT_EQ(r.trace.pool_kind, "thread+process");
    EXPECT_EQ(r.trace.max_workers, 4);
    // The pools run one after the other, so never more than one pool's workers at once.
    EXPECT_EQ(find_invariant_violations(r.trace.events, 4), std::vector<std::string> {});

    // Four limits, four tasks per pool: the thread pool starts a thread per task unless one is idle
    // already (at the page's sizes a task can end before the next is submitted, as in CPython), so
    // lanes 0 to 3 at most are threads, and the process lanes follow.
    int thread_lanes = 0;
    for (const trace::Lane& lane : r.trace.lanes)
        thread_lanes += lane.name.starts_with("ThreadPoolExecutor-") ? 1 : 0;
    EXPECT_GE(thread_lanes, 1);
    EXPECT_LE(thread_lanes, 4);
    expect_thread_lanes(r.trace.lanes, 0, thread_lanes);
    int process_lanes = 0;
    for (const trace::Lane& lane : r.trace.lanes) {
        if (lane.index < thread_lanes)
            continue;
        ++process_lanes;
        EXPECT_TRUE(std::regex_match(lane.name, std::regex(R"(SpawnProcess-\d+)"))) << lane.name;
        EXPECT_GT(lane.pid, 0) << lane.name;
    }
    EXPECT_GE(process_lanes, 1);
    EXPECT_LE(process_lanes, 4);

    // The interpreter lock: taken by every thread-pool task, never by two lanes at once, and
    // never by a worker process.
    const auto acquired = of_kind(r.trace.events, EventKind::gil_acquired);
    EXPECT_GE(acquired.size(), 4u);
    for (const Event& e : acquired)
        EXPECT_LT(e.worker, thread_lanes);
    EXPECT_EQ(gil_overlaps(r.trace.events), std::vector<std::string> {});
}

TEST(CpuBoundScenario, pageSizes_threadPoolOnly_gilEventsNeverOverlap)
{
    const Overrides params { { "pool", "thread" }, { "scale", "1" } };
    const ScenarioRun r = passed_run("cpu-bound", params);
    const auto lines = lines_of(r);
    ASSERT_EQ(lines.size(), 1u) << r.trace.output;
    EXPECT_TRUE(std::regex_match(lines[0], std::regex(R"(Thread pool: \d+ms)"))) << lines[0];
    EXPECT_EQ(r.trace.pool_kind, "thread+gil");
    EXPECT_EQ(find_invariant_violations(r.trace.events, 4), std::vector<std::string> {});
    EXPECT_GE(of_kind(r.trace.events, EventKind::gil_acquired).size(), 4u);
    EXPECT_EQ(gil_overlaps(r.trace.events), std::vector<std::string> {});
    for (const trace::Lane& lane : r.trace.lanes)
        EXPECT_TRUE(lane.name.starts_with("ThreadPoolExecutor-")) << lane.name;
}

TEST(CpuBoundScenario, withoutGil_threadsRunFree_noLockEvents)
{
    const ScenarioRun r = passed_run("cpu-bound", { { "pool", "thread" }, { "scale", "1" }, { "gil", "false" } });
    EXPECT_EQ(r.trace.pool_kind, "thread");
    EXPECT_EQ(of_kind(r.trace.events, EventKind::gil_requested).size(), 0u);
    EXPECT_EQ(of_kind(r.trace.events, EventKind::gil_acquired).size(), 0u);
    EXPECT_EQ(of_kind(r.trace.events, EventKind::finished).size(), 4u);
}

TEST(CpuBoundScenario, processPoolOnly_startedEventsCarryWorkerPids)
{
    const ScenarioRun r = passed_run("cpu-bound", { { "pool", "process" }, { "scale", "1" } });
    const auto lines = lines_of(r);
    ASSERT_EQ(lines.size(), 1u) << r.trace.output;
    EXPECT_TRUE(std::regex_match(lines[0], std::regex(R"(Process pool: \d+ms)"))) << lines[0];
    EXPECT_EQ(r.trace.pool_kind, "process");
    EXPECT_EQ(find_invariant_violations(r.trace.events, 4), std::vector<std::string> {});

    const auto started = of_kind(r.trace.events, EventKind::started);
    ASSERT_EQ(started.size(), 4u);
    std::set<int> pids;
    for (const Event& e : started) {
        EXPECT_GT(e.pid, 0);
        pids.insert(e.pid);
    }
    // Lanes from the first one, each named after its process and carrying that process's pid.
    ASSERT_FALSE(r.trace.lanes.empty());
    for (const trace::Lane& lane : r.trace.lanes) {
        EXPECT_TRUE(std::regex_match(lane.name, std::regex(R"(SpawnProcess-\d+)"))) << lane.name;
        EXPECT_GT(lane.pid, 0) << lane.name;
    }
    for (const Event& e : started) {
        const auto lane = std::find_if(
            r.trace.lanes.begin(), r.trace.lanes.end(), [&e](const trace::Lane& l) { return l.index == e.worker; });
        ASSERT_NE(lane, r.trace.lanes.end());
        EXPECT_EQ(lane->pid, e.pid);
    }
    EXPECT_EQ(of_kind(r.trace.events, EventKind::gil_acquired).size(), 0u);
}

TEST(CpuBoundScenario, forkStartMethod_namesForkProcesses)
{
    const ScenarioRun r
        = passed_run("cpu-bound", { { "pool", "process" }, { "scale", "1" }, { "start_method", "fork" } });
    EXPECT_EQ(find_invariant_violations(r.trace.events, 4), std::vector<std::string> {});
    ASSERT_FALSE(r.trace.lanes.empty());
    for (const trace::Lane& lane : r.trace.lanes) {
        EXPECT_TRUE(std::regex_match(lane.name, std::regex(R"(ForkProcess-\d+)"))) << lane.name;
        EXPECT_GT(lane.pid, 0);
    }
}

TEST(CpuBoundScenario, check_rejectsMismatchAndBadShapes)
{
    EXPECT_EQ(check("cpu-bound", {}, { "Thread pool: 812ms", "Process pool: 402ms", "Results match: True" }), "");
    EXPECT_NE(check("cpu-bound", {}, { "Thread pool: 812ms", "Process pool: 402ms", "Results match: False" }), "");
    // {:.0f} prints whole milliseconds.
    EXPECT_NE(check("cpu-bound", {}, { "Thread pool: 812.3ms", "Process pool: 402ms", "Results match: True" }), "");
    EXPECT_NE(check("cpu-bound", {}, { "Thread pool: 812ms", "Process pool: 402ms" }), "");
    EXPECT_EQ(check("cpu-bound", { { "pool", "process" } }, { "Process pool: 4ms" }), "");
}

// ---- pipeline (exercise 8) --------------------------------------------------------------------

TEST(PipelineScenario, defaults_printsSquaredDoubles_stageTwoAfterTheBarrier)
{
    const ScenarioRun r = passed_run("pipeline");
    EXPECT_EQ(lines_of(r), (std::vector<std::string> { "[4, 16, 36, 64, 100]" }));
    expect_one_thread_pool(r, 5);
    for (const trace::Lane& lane : r.trace.lanes)
        EXPECT_TRUE(std::regex_match(lane.name, std::regex(R"(ThreadPoolExecutor-\d+_\d+)"))) << lane.name;
    EXPECT_GE(r.trace.lanes.size(), 1u);
    EXPECT_LE(r.trace.lanes.size(), 5u);

    // Ten tasks: the first five submitted are stage one, and every stage-two submit comes after
    // the last stage-one finish (the caller collected them all in between).
    const auto submitted = of_kind(r.trace.events, EventKind::submitted);
    ASSERT_EQ(submitted.size(), 10u);
    std::set<std::uint64_t> stage1;
    for (std::size_t i = 0; i < 5; ++i)
        stage1.insert(submitted[i].task_id);
    std::chrono::nanoseconds last_stage1_finish { 0 };
    for (const Event& e : of_kind(r.trace.events, EventKind::finished)) {
        if (stage1.count(e.task_id))
            last_stage1_finish = std::max(last_stage1_finish, e.time);
    }
    for (std::size_t i = 5; i < 10; ++i)
        EXPECT_GE(submitted[i].time, last_stage1_finish);
    EXPECT_GE(of_kind(r.trace.events, EventKind::caller_blocked).size(), 1u);
}

TEST(PipelineScenario, moreItemsThanWorkers_stillInOrder)
{
    const Overrides params { { "workers", "3" }, { "items", "8" }, { "fetch_delay", "0" }, { "process_delay", "0" } };
    const ScenarioRun r = passed_run("pipeline", params);
    EXPECT_EQ(lines_of(r), (std::vector<std::string> { "[4, 16, 36, 64, 100, 144, 196, 256]" }));
    EXPECT_EQ(find_invariant_violations(r.trace.events, 3), std::vector<std::string> {});
    EXPECT_LE(r.trace.lanes.size(), 3u);
}

// ---- map-timeout (exercise 9) -----------------------------------------------------------------

TEST(MapTimeoutScenario, defaults_countsAddUpToTen)
{
    const ScenarioRun r = passed_run("map-timeout");
    const auto lines = lines_of(r);
    ASSERT_EQ(lines.size(), 2u) << r.trace.output;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(lines[0], m, std::regex(R"(Got: (\d+), Timed out: (\d+))"))) << lines[0];
    EXPECT_EQ(std::stoi(m[1].str()) + std::stoi(m[2].str()), 10);
    EXPECT_EQ(lines[1], "Total: 10");
    expect_one_thread_pool(r, 10);
    for (const trace::Lane& lane : r.trace.lanes)
        EXPECT_TRUE(std::regex_match(lane.name, std::regex(R"(ThreadPoolExecutor-\d+_\d+)"))) << lane.name;
    // Every task ends: those running at the deadline still finish, the rest are cancelled.
    EXPECT_EQ(
        of_kind(r.trace.events, EventKind::finished).size() + of_kind(r.trace.events, EventKind::cancelled).size(),
        10u);
}

TEST(MapTimeoutScenario, longerTimeout_getsMoreResults)
{
    // Tasks finish at 25, 75, ... 275 ms; no timeout at all against two seconds.
    const Overrides base { { "tasks", "6" }, { "delays", "staircase" }, { "step", "0.05" } };
    Overrides short_timeout = base;
    short_timeout.emplace_back("timeout", "0");
    Overrides long_timeout = base;
    long_timeout.emplace_back("timeout", "2");
    const ScenarioRun quick = run("map-timeout", short_timeout);
    const ScenarioRun patient = run("map-timeout", long_timeout);
    EXPECT_EQ(quick.check_error, "");
    EXPECT_EQ(patient.check_error, "");
    const int got_quick = number_after(lines_of(quick).at(0), "Got: ");
    const int got_patient = number_after(lines_of(patient).at(0), "Got: ");
    EXPECT_GT(got_patient, got_quick);
    EXPECT_LT(got_quick, 6);
    EXPECT_EQ(lines_of(patient).at(1), "Total: 6");
    EXPECT_EQ(find_invariant_violations(quick.trace.events, 10), std::vector<std::string> {});
    EXPECT_EQ(find_invariant_violations(patient.trace.events, 10), std::vector<std::string> {});
}

TEST(MapTimeoutScenario, fewerWorkersThanTasks_queuedTasksCancelledAtTheDeadline)
{
    // Two workers take tasks 0 and 1 (200 and 300 ms); the rest wait in the queue when the
    // 10 ms deadline passes, and are cancelled.
    const ScenarioRun r = passed_run("map-timeout",
        { { "workers", "2" }, { "tasks", "6" }, { "delays", "staircase" }, { "step", "0.2" }, { "timeout", "0.01" } });
    EXPECT_EQ(find_invariant_violations(r.trace.events, 2), std::vector<std::string> {});
    const auto cancelled = of_kind(r.trace.events, EventKind::cancelled).size();
    const auto started = of_kind(r.trace.events, EventKind::started).size();
    EXPECT_GE(cancelled, 1u);
    EXPECT_EQ(cancelled + started, 6u);
    EXPECT_EQ(lines_of(r).at(1), "Total: 6");
}

TEST(MapTimeoutScenario, check_totalsMustAddUp)
{
    EXPECT_EQ(check("map-timeout", {}, { "Got: 4, Timed out: 6", "Total: 10" }), "");
    EXPECT_NE(check("map-timeout", {}, { "Got: 4, Timed out: 5", "Total: 10" }), "");
    EXPECT_NE(check("map-timeout", {}, { "Got: 4, Timed out: 6", "Total: 9" }), "");
    EXPECT_NE(check("map-timeout", {}, { "Got: X, Timed out: 6", "Total: 10" }), "");
}

// ---- shutdown (exercise 10) -------------------------------------------------------------------

TEST(ShutdownScenario, defaults_waitCompletesEverything)
{
    const ScenarioRun r = passed_run("shutdown");
    EXPECT_EQ(lines_of(r), (std::vector<std::string> { "Submitted: 10, Completed: 10", "All completed: True" }));
    expect_one_thread_pool(r, 4);
    expect_thread_lanes(r.trace.lanes, 0, 4);
    EXPECT_EQ(of_kind(r.trace.events, EventKind::finished).size(), 10u);
    EXPECT_EQ(of_kind(r.trace.events, EventKind::cancelled).size(), 0u);
}

TEST(ShutdownScenario, cancelFutures_queuedTasksCancelled)
{
    // Four workers, ten tasks of at least 100 ms, a 50 ms pause: at least six still queued at the shutdown.
    const ScenarioRun r
        = passed_run("shutdown", { { "cancel_futures", "true" }, { "unit", "0.1" }, { "pause", "0.05" } });
    const auto lines = lines_of(r);
    ASSERT_EQ(lines.size(), 2u) << r.trace.output;
    const int completed = number_after(lines[0], "Completed: ");
    EXPECT_LT(completed, 10);
    EXPECT_EQ(lines[1], "All completed: False");
    EXPECT_EQ(find_invariant_violations(r.trace.events, 4), std::vector<std::string> {});
    const auto cancelled = of_kind(r.trace.events, EventKind::cancelled).size();
    EXPECT_GE(cancelled, 1u);
    EXPECT_EQ(cancelled + static_cast<std::size_t>(completed), 10u);
}

TEST(ShutdownScenario, noWait_countsTakenAtOnce_everyTaskStillEnds)
{
    const ScenarioRun r = passed_run("shutdown", { { "wait", "false" } });
    EXPECT_EQ(find_invariant_violations(r.trace.events, 4), std::vector<std::string> {});
    // Nothing cancelled: leaving the block waits for the rest, as Python's exit does.
    EXPECT_EQ(of_kind(r.trace.events, EventKind::finished).size(), 10u);
}

TEST(ShutdownScenario, check_countsMustAgree)
{
    const Overrides cancelling { { "cancel_futures", "true" } };
    EXPECT_EQ(check("shutdown", cancelling, { "Submitted: 10, Completed: 4", "All completed: False" }), "");
    EXPECT_NE(check("shutdown", cancelling, { "Submitted: 10, Completed: 4", "All completed: True" }), "");
    EXPECT_NE(check("shutdown", cancelling, { "Submitted: 10, Completed: 11", "All completed: False" }), "");
    EXPECT_NE(check("shutdown", {}, { "Submitted: 10, Completed: 4", "All completed: False" }), "");
}

// ---- retry (exercise 11) ----------------------------------------------------------------------

TEST(RetryScenario, defaults_backoffOnTheWorker_oneTaskPerCall)
{
    const ScenarioRun r = passed_run("retry");
    EXPECT_EQ(lines_of(r),
        (std::vector<std::string> { "Results: [0, 10, 20, 30, 40]", "All succeeded after retries: True" }));
    expect_one_thread_pool(r, 4);
    expect_thread_lanes(r.trace.lanes, 0, 4);
    // _retry_wrapper runs every attempt inside one task: five tasks, none failed or retried.
    EXPECT_EQ(of_kind(r.trace.events, EventKind::submitted).size(), 5u);
    EXPECT_EQ(of_kind(r.trace.events, EventKind::finished).size(), 5u);
    EXPECT_EQ(of_kind(r.trace.events, EventKind::failed).size(), 0u);
    EXPECT_EQ(of_kind(r.trace.events, EventKind::retried).size(), 0u);
}

TEST(RetryScenario, timerBackoff_everyCallRetriedTwice_backoffsDouble)
{
    const ScenarioRun r = passed_run("retry", { { "timer_backoff", "true" } });
    EXPECT_EQ(lines_of(r),
        (std::vector<std::string> { "Results: [0, 10, 20, 30, 40]", "All succeeded after retries: True" }));
    EXPECT_EQ(find_invariant_violations(r.trace.events, 4), std::vector<std::string> {});
    // flaky() fails attempts 1 and 2: each call is one task id with two retries.
    std::map<std::uint64_t, std::vector<std::pair<int, std::string>>> retries; // task → (attempt, label)
    for (const Event& e : of_kind(r.trace.events, EventKind::retried))
        retries[e.task_id].emplace_back(e.attempt, e.label);
    const std::vector<std::pair<int, std::string>> two { { 1, "backoff 0.01 s" }, { 2, "backoff 0.02 s" } };
    ASSERT_EQ(retries.size(), 5u);
    for (const auto& [task, list] : retries)
        EXPECT_EQ(list, two) << "task " << task;
    EXPECT_EQ(of_kind(r.trace.events, EventKind::failed).size(), 10u);
    EXPECT_EQ(of_kind(r.trace.events, EventKind::finished).size(), 5u);
}

TEST(RetryScenario, oneRetryOnly_everyCallFails)
{
    const ScenarioRun r = passed_run("retry", { { "max_retries", "1" } });
    EXPECT_EQ(lines_of(r),
        (std::vector<std::string> { "Results: []",
            "Failed after retries: ['Task 0 attempt 2 failed', 'Task 1 attempt 2 failed', "
            "'Task 2 attempt 2 failed', 'Task 3 attempt 2 failed', 'Task 4 attempt 2 failed']" }));
    EXPECT_EQ(find_invariant_violations(r.trace.events, 4), std::vector<std::string> {});
    EXPECT_EQ(of_kind(r.trace.events, EventKind::failed).size(), 5u);
}

TEST(RetryScenario, randomFailures_seed37_twoCallsRunOutOfRetries)
{
    // random.Random(37000 + n): calls 0..4 need 2, 2, 3, 5 and 5 attempts; only 4 are allowed.
    const ScenarioRun r = passed_run("retry", { { "failures", "random" }, { "seed", "37" } });
    EXPECT_EQ(lines_of(r),
        (std::vector<std::string> {
            "Results: [0, 10, 20]", "Failed after retries: ['Task 3 attempt 4 failed', 'Task 4 attempt 4 failed']" }));
    EXPECT_EQ(find_invariant_violations(r.trace.events, 4), std::vector<std::string> {});
}

TEST(RetryScenario, check_knowsTheOutcome)
{
    EXPECT_EQ(check("retry", {}, { "Results: [0, 10, 20, 30, 40]", "All succeeded after retries: True" }), "");
    EXPECT_NE(
        check("retry", {}, { "Results: [0, 10, 20, 30, 40]", "All succeeded after retries: [0, 10, 20, 30, 40]" }), "");
    EXPECT_NE(check("retry", { { "max_retries", "0" } },
                  { "Results: [0, 10, 20, 30, 40]", "All succeeded after retries: True" }),
        "");
    EXPECT_EQ(check("retry", { { "failures", "random" }, { "failure_probability", "0" }, { "max_retries", "0" } },
                  { "Results: [0, 10, 20, 30, 40]", "All succeeded after retries: True" }),
        "");
}

// ---- Stop ---------------------------------------------------------------------------------------

class StopAtOnce : public ::testing::TestWithParam<std::string> { };

// Stop pressed before the run gets going: the scenario ends soon and quietly, printing nothing,
// with every task it submitted ended (cancelled or finished) and no failure.
TEST_P(StopAtOnce, endsWithoutHangingOrFailing)
{
    std::stop_source stop;
    stop.request_stop();
    RunHooks hooks;
    hooks.stop = stop.get_token();
    const ScenarioRun r = run(GetParam(), {}, hooks);
    EXPECT_EQ(r.failure, "");
    EXPECT_EQ(r.trace.output, "");
    EXPECT_NE(r.check_error, "");
    EXPECT_EQ(find_invariant_violations(r.trace.events, 10), std::vector<std::string> {});
}

class StopWhileCounting : public ::testing::TestWithParam<std::string> { };

// Stop pressed while the counts run, at the largest workload (minutes of counting on this VM): the
// counts under way give up — a thread pool's at its next checkpoint, a process pool's workers are
// ended — so the run returns, prints nothing more and reports no failure. Without that it would
// only end when the counting does; the test's timeout would catch it.
TEST_P(StopWhileCounting, theCountsUnderWayGiveUp)
{
    const Scenario& s = scenario("cpu-bound");
    const ParameterValues params
        = ParameterValues::resolve(s.parameters(), { { "pool", GetParam() }, { "scale", "3000" }, { "workers", "2" } });
    std::stop_source stop;
    EventLog log;
    // The stop comes from a thread of its own once a count has started, as the GUI's Stop does
    // (the observer runs inside the recording of an event: it only opens the latch).
    std::latch counting { 1 };
    std::atomic<bool> seen { false };
    log.set_observer([&](const Event& e) {
        if (e.kind == EventKind::started && !seen.exchange(true))
            counting.count_down();
    });
    std::jthread stopper([&] {
        counting.wait();
        stop.request_stop();
    });
    RunHooks hooks;
    hooks.stop = stop.get_token();
    const ScenarioRun r = run_scenario(s, params, log, hooks);
    stopper.join();
    EXPECT_TRUE(stop.stop_requested());
    EXPECT_EQ(r.failure, "");
    EXPECT_EQ(r.trace.output, "") << "a stopped run prints no timing";
    EXPECT_EQ(find_invariant_violations(r.trace.events, 10), std::vector<std::string> {});
}

INSTANTIATE_TEST_SUITE_P(Pools, StopWhileCounting, ::testing::Values("thread", "process"));

INSTANTIATE_TEST_SUITE_P(ScenariosB, StopAtOnce,
    ::testing::Values("cpu-bound", "pipeline", "map-timeout", "shutdown", "retry"),
    [](const ::testing::TestParamInfo<std::string>& row) {
        std::string name = row.param;
        std::replace(name.begin(), name.end(), '-', '_');
        return name;
    });

} // namespace
} // namespace poolscope::scenarios
