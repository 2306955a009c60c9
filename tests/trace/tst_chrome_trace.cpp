#include "trace_test_support.h"

#include <poolscope/trace/chrome_trace.h>
#include <poolscope/trace/trace_error.h>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

using namespace poolscope;
using namespace poolscope::trace;
using namespace poolscope::trace::testing;
using nlohmann::json;
using ::testing::HasSubstr;

namespace {

json exported(const Trace& t)
{
    const std::string text = written(t, write_chrome_trace);
    json j;
    EXPECT_NO_THROW(j = json::parse(text)) << "the export is not valid JSON";
    return j;
}

std::vector<json> with_phase(const json& doc, const std::string& ph, const std::string& cat = {})
{
    std::vector<json> found;
    for (const json& e : doc.at("traceEvents")) {
        if (e.at("ph") == ph && (cat.empty() || e.value("cat", "") == cat))
            found.push_back(e);
    }
    return found;
}

std::int64_t ns(const json& microseconds)
{
    return std::llround(microseconds.get<double>() * 1000.0);
}

using Thread = std::pair<std::int64_t, std::int64_t>; // pid, tid

Thread thread_of(const json& e)
{
    return { e.at("pid").get<std::int64_t>(), e.at("tid").get<std::int64_t>() };
}

std::int64_t lane_pid(const Trace& t, int worker)
{
    for (const Lane& lane : t.lanes) {
        if (lane.index == worker && lane.pid != 0)
            return lane.pid;
    }
    return 1;
}

// Complete events on one thread must nest (a viewer drops or mis-draws overlapping ones).
void expect_slices_nest(const json& doc)
{
    std::map<Thread, std::vector<std::pair<std::int64_t, std::int64_t>>> by_thread;
    for (const json& x : with_phase(doc, "X"))
        by_thread[thread_of(x)].emplace_back(ns(x.at("ts")), ns(x.at("ts")) + ns(x.at("dur")));
    for (auto& [thread, slices] : by_thread) {
        std::sort(slices.begin(), slices.end(),
            [](const auto& a, const auto& b) { return std::tie(a.first, b.second) < std::tie(b.first, a.second); });
        std::vector<std::int64_t> open_ends;
        for (const auto& [from, to] : slices) {
            while (!open_ends.empty() && open_ends.back() <= from)
                open_ends.pop_back();
            if (!open_ends.empty()) {
                EXPECT_LE(to, open_ends.back()) << "slices overlap without nesting on pid " << thread.first << " tid "
                                                << thread.second << " at " << from << " ns";
            }
            open_ends.push_back(to);
        }
    }
}

struct Attempt {
    std::uint64_t task_id;
    int attempt;
    int worker;
    std::int64_t start_ns;
};

std::vector<Attempt> started_attempts(const Trace& t)
{
    std::vector<Attempt> out;
    for (const Event& e : t.events) {
        if (e.kind == EventKind::started)
            out.push_back({ e.task_id, e.attempt, e.worker, e.time.count() });
    }
    return out;
}

// The checks every export must pass, whatever the run.
void expect_well_formed(const Trace& t, const json& doc)
{
    ASSERT_TRUE(doc.is_object());
    ASSERT_TRUE(doc.at("traceEvents").is_array());
    EXPECT_EQ(doc.at("displayTimeUnit"), "ms");
    EXPECT_TRUE(doc.at("otherData").is_object());

    // Exactly one task slice per executed attempt, on the thread of the worker that ran it.
    const auto tasks = with_phase(doc, "X", "task");
    const auto attempts = started_attempts(t);
    EXPECT_EQ(tasks.size(), attempts.size());
    for (const Attempt& a : attempts) {
        int matches = 0;
        for (const json& x : tasks) {
            if (x.at("args").at("task_id") != a.task_id || x.at("args").at("attempt") != a.attempt)
                continue;
            ++matches;
            EXPECT_EQ(x.at("tid"), a.worker + 1);
            EXPECT_EQ(x.at("pid"), lane_pid(t, a.worker));
            EXPECT_EQ(ns(x.at("ts")), a.start_ns);
            EXPECT_THAT(x.at("name").get<std::string>(), ::testing::StartsWith("task " + std::to_string(a.task_id)));
        }
        EXPECT_EQ(matches, 1) << "task " << a.task_id << " attempt " << a.attempt;
    }

    // A thread_name for the caller and for every lane.
    std::map<Thread, std::string> names;
    for (const json& m : with_phase(doc, "M")) {
        if (m.at("name") == "thread_name")
            names[thread_of(m)] = m.at("args").at("name").get<std::string>();
    }
    EXPECT_EQ(names[Thread(1, 0)], "caller");
    for (const Lane& lane : t.lanes)
        EXPECT_EQ(names[Thread(lane_pid(t, lane.index), lane.index + 1)], lane.name);

    // Flows come in pairs: one start, one end, same id; the end binds to its enclosing slice, and a
    // task slice on that thread starts exactly there.
    std::map<std::uint64_t, std::vector<json>> flows;
    for (const json& s : with_phase(doc, "s"))
        flows[s.at("id").get<std::uint64_t>()].push_back(s);
    for (const json& f : with_phase(doc, "f"))
        flows[f.at("id").get<std::uint64_t>()].push_back(f);
    for (const auto& [id, pair] : flows) {
        ASSERT_EQ(pair.size(), 2u) << "flow " << id;
        EXPECT_EQ(pair[0].at("ph"), "s");
        EXPECT_EQ(pair[1].at("ph"), "f");
        EXPECT_EQ(pair[1].at("bp"), "e");
        EXPECT_EQ(pair[0].at("name"), pair[1].at("name"));
        EXPECT_EQ(pair[0].at("cat"), pair[1].at("cat"));
        EXPECT_LE(ns(pair[0].at("ts")), ns(pair[1].at("ts")));
        const bool lands_on_a_start = std::any_of(tasks.begin(), tasks.end(), [&](const json& x) {
            return thread_of(x) == thread_of(pair[1]) && ns(x.at("ts")) == ns(pair[1].at("ts"));
        });
        EXPECT_TRUE(lands_on_a_start) << "flow " << id;
    }
    expect_slices_nest(doc);
}

const json* find_one(const std::vector<json>& events, const std::string& name)
{
    const json* found = nullptr;
    for (const json& e : events) {
        if (e.at("name") == name) {
            EXPECT_EQ(found, nullptr) << "two events named " << name;
            found = &e;
        }
    }
    EXPECT_NE(found, nullptr) << "no event named " << name;
    return found;
}

// The one slice called `name`, checked for its lane, start and duration (µs); null if there is none.
const json* expect_slice(const std::vector<json>& slices, const std::string& name, Thread lane, double ts, double dur)
{
    const json* slice = find_one(slices, name); // fails the test if there is none
    if (!slice)
        return nullptr;
    EXPECT_EQ(thread_of(*slice), lane) << name;
    EXPECT_DOUBLE_EQ(slice->at("ts").get<double>(), ts) << name;
    EXPECT_DOUBLE_EQ(slice->at("dur").get<double>(), dur) << name;
    return slice;
}

} // namespace

TEST(ChromeTrace, SyntheticTraceIsWellFormed)
{
    const Trace t = synthetic_trace();
    expect_well_formed(t, exported(t));
}

TEST(ChromeTrace, TaskSlicesCarryOutcomeArgumentsAndError)
{
    const json doc = exported(synthetic_trace());
    const auto tasks = with_phase(doc, "X", "task");
    ASSERT_EQ(tasks.size(), 3u);
    for (const json& x : tasks) {
        const auto id = x.at("args").at("task_id").get<std::uint64_t>();
        const auto attempt = x.at("args").at("attempt").get<int>();
        if (id == 1 && attempt == 0) {
            EXPECT_EQ(x.at("name"), "task 1 (1, 'naïve ☃')");
            EXPECT_EQ(x.at("pid"), 4242);
            EXPECT_EQ(x.at("tid"), 2);
            EXPECT_DOUBLE_EQ(x.at("ts").get<double>(), 30.0);
            EXPECT_DOUBLE_EQ(x.at("dur").get<double>(), 20.0);
            EXPECT_EQ(x.at("args").at("outcome"), "failed");
            EXPECT_EQ(x.at("args").at("error"), "ValueError: boom, \"quoted\"\nsecond line");
            EXPECT_EQ(x.at("args").at("arguments"), "(1, 'naïve ☃')");
        } else if (id == 1) {
            EXPECT_EQ(attempt, 1);
            EXPECT_EQ(x.at("args").at("outcome"), "finished");
            EXPECT_FALSE(x.at("args").contains("error"));
            EXPECT_DOUBLE_EQ(x.at("ts").get<double>(), 55.0);
        } else {
            EXPECT_EQ(id, 2u);
            EXPECT_EQ(x.at("name"), "task 2") << "an empty label adds nothing";
            EXPECT_EQ(x.at("pid"), 1);
            EXPECT_EQ(x.at("tid"), 1);
        }
    }
}

TEST(ChromeTrace, WaitsAreSlicesOnTheirLanes)
{
    const json doc = exported(synthetic_trace());
    const auto slices = with_phase(doc, "X");

    expect_slice(slices, "spawn", Thread(4242, 2), 0.0, 20.0);
    // Dispatched at 15 µs, but the lane was still spawning until 20 µs: the slice starts there,
    // so it does not overlap the spawn slice, and the true time is kept in args.
    if (const json* queued = expect_slice(slices, "dispatched (waiting in call queue)", Thread(4242, 2), 20.0, 10.0)) {
        EXPECT_DOUBLE_EQ(queued->at("args").at("dispatched_at_us").get<double>(), 15.0);
    }
    expect_slice(slices, "waiting for GIL", Thread(1, 1), 33.0, 7.0);
    expect_slice(slices, "caller blocked in result()", Thread(1, 0), 35.0, 36.0);
}

TEST(ChromeTrace, SubmitCancelAndRetryAreInstants)
{
    const json doc = exported(synthetic_trace());
    const auto instants = with_phase(doc, "i");
    int submits = 0;
    for (const json& i : instants) {
        EXPECT_EQ(i.at("s"), "t");
        if (i.at("args").at("kind") == "submitted") {
            ++submits;
            EXPECT_EQ(thread_of(i), Thread(1, 0)) << "submits are on the caller lane";
        }
    }
    EXPECT_EQ(submits, 4);
    const json* cancel = find_one(instants, "cancel task 18446744073709551615");
    ASSERT_TRUE(cancel);
    EXPECT_DOUBLE_EQ(cancel->at("ts").get<double>(), 81.0);
    const json* retry = find_one(instants, "retry task 1 (attempt 1)");
    ASSERT_TRUE(retry);
    EXPECT_DOUBLE_EQ(retry->at("ts").get<double>(), 51.0);
}

TEST(ChromeTrace, FlowsJoinSubmitsToStartsAndAttemptsToRetries)
{
    const json doc = exported(synthetic_trace());
    const auto starts = with_phase(doc, "s");
    const auto ends = with_phase(doc, "f");
    ASSERT_EQ(starts.size(), 4u) << "three submit → start, one retry";
    ASSERT_EQ(ends.size(), 4u);
    int submit_flows = 0;
    for (const json& s : starts) {
        const json* f = nullptr;
        for (const json& e : ends) {
            if (e.at("id") == s.at("id"))
                f = &e;
        }
        ASSERT_TRUE(f);
        if (s.at("name") == "retry") {
            EXPECT_EQ(thread_of(s), Thread(4242, 2));
            EXPECT_EQ(ns(s.at("ts")), 50'000 - 1) << "just inside the failed attempt's slice";
            EXPECT_EQ(ns(f->at("ts")), 55'000);
        } else {
            ++submit_flows;
            EXPECT_EQ(thread_of(s), Thread(1, 0));
        }
    }
    EXPECT_EQ(submit_flows, 3);
}

TEST(ChromeTrace, MetadataNamesProcessesAndCarriesTheRun)
{
    const json doc = exported(synthetic_trace());
    std::map<std::int64_t, std::string> processes;
    for (const json& m : with_phase(doc, "M")) {
        if (m.at("name") == "process_name")
            processes[m.at("pid").get<std::int64_t>()] = m.at("args").at("name").get<std::string>();
    }
    EXPECT_THAT(processes[1], HasSubstr("Retries — naïve ☃"));
    EXPECT_EQ(processes[4242], "SpawnProcess-1 (pid 4242)");
    const json& other = doc.at("otherData");
    EXPECT_EQ(other.at("scenario"), "retry_demo");
    EXPECT_EQ(other.at("pool_kind"), "process");
    EXPECT_EQ(other.at("max_workers"), 3);
    EXPECT_EQ(other.at("parameters").at("text"), "a,b\n\"c\"");
    EXPECT_EQ(other.at("output"), "line 1\nlíne 2 ✓\n");
}

TEST(ChromeTrace, RealThreadPoolRunIsWellFormed)
{
    const Trace t = real_run_trace();
    const json doc = exported(t);
    expect_well_formed(t, doc);
    // The cancelled task never ran: no slice, one cancel instant.
    int cancels = 0;
    for (const json& i : with_phase(doc, "i"))
        cancels += i.at("args").at("kind") == "cancelled";
    EXPECT_EQ(cancels, 1);
    int failed = 0;
    for (const json& x : with_phase(doc, "X", "task"))
        failed += x.at("args").at("outcome") == "failed";
    EXPECT_EQ(failed, 1);
}

TEST(ChromeTrace, OpenAttemptsEndAtTheLastEventAndUndeclaredLanesAreNamed)
{
    Trace t;
    t.events = {
        make_event(0, EventKind::worker_started, 0, 0, 0, "ThreadPoolExecutor-7_0"),
        make_event(1, EventKind::submitted, 1, -1, 0, "(5,)"),
        make_event(2, EventKind::started, 1, 0),
        make_event(3, EventKind::caller_blocked, 1, -1, 0, "result"),
        make_event(9, EventKind::submitted, 2, -1),
    };
    const json doc = exported(t);
    Trace with_lanes = t;
    with_lanes.lanes = lanes_from_events(t.events);
    expect_well_formed(with_lanes, doc);
    const auto tasks = with_phase(doc, "X", "task");
    ASSERT_EQ(tasks.size(), 1u);
    EXPECT_EQ(tasks[0].at("args").at("outcome"), "unfinished");
    EXPECT_DOUBLE_EQ(tasks[0].at("dur").get<double>(), 7.0);
    const auto caller_slices = with_phase(doc, "X", "caller");
    const json* blocked = find_one(caller_slices, "caller blocked in result()");
    ASSERT_TRUE(blocked);
    EXPECT_EQ(blocked->at("args").at("unfinished"), true);
}

TEST(ChromeTrace, EmptyTraceStillExportsCallerMetadata)
{
    const json doc = exported(Trace {});
    EXPECT_TRUE(with_phase(doc, "X").empty());
    EXPECT_FALSE(with_phase(doc, "M").empty());
}

TEST(ChromeTrace, WritesAFile)
{
    ScratchDir dir;
    const std::string path = dir.file("run.chrome.json");
    write_chrome_trace(synthetic_trace(), path);
    std::ifstream in(path);
    const json doc = json::parse(in);
    EXPECT_EQ(with_phase(doc, "X", "task").size(), 3u);
    EXPECT_THROW(write_chrome_trace(synthetic_trace(), dir.file("missing/dir/x.json")), TraceError);
}

TEST(ChromeTrace, AbsurdTracesExportWithoutOverflow)
{
    // The exporter takes any trace, also one validate_trace() refuses: unsorted, extreme times,
    // lanes never declared, ends without starts. It must still write valid JSON (and UBSan must
    // find no overflow).
    constexpr auto lo = std::numeric_limits<std::int64_t>::min();
    constexpr auto hi = std::numeric_limits<std::int64_t>::max();
    Trace t;
    const auto at = [](std::int64_t ns, EventKind kind, std::uint64_t task, int worker, int attempt = 0) {
        Event e = make_event(0, kind, task, worker, attempt);
        e.time = std::chrono::nanoseconds(ns); // to the limits of int64, past what microseconds reach
        return e;
    };
    t.events = {
        at(hi, EventKind::dispatched, 1, -1),
        at(lo, EventKind::started, 1, 7),
        at(hi, EventKind::failed, 1, 7),
        at(lo, EventKind::started, 1, 7, 1),
        at(hi, EventKind::worker_spawning, 0, 2'000'000'000),
        at(lo, EventKind::worker_started, 0, 2'000'000'000),
        at(0, EventKind::caller_resumed, 3, -1),
        at(hi, EventKind::gil_requested, 4, -5),
        at(lo, EventKind::finished, 9, 3),
    };
    const json doc = exported(t);
    EXPECT_FALSE(with_phase(doc, "X", "task").empty());
}

TEST(ChromeTrace, CallbacksLateCancelsAndPrintedLinesAreShown)
{
    const json doc = exported(synthetic_trace());
    const auto slices = with_phase(doc, "X", "callback");
    ASSERT_EQ(slices.size(), 1u);
    EXPECT_EQ(slices[0].at("name"), "done-callback on_done");
    EXPECT_EQ(thread_of(slices[0]), Thread(1, 1)) << "on the lane of the thread that ran it";
    EXPECT_DOUBLE_EQ(slices[0].at("ts").get<double>(), 66.0);
    EXPECT_DOUBLE_EQ(slices[0].at("dur").get<double>(), 2.0);
    EXPECT_EQ(slices[0].at("args").at("task_id"), 2);

    const auto instants = with_phase(doc, "i");
    const json* late = find_one(instants, "cancel() returned False: task 2");
    ASSERT_TRUE(late);
    EXPECT_EQ(late->at("args").at("label"), "finished");
    const json* printed = find_one(instants, "stdout: printed by a callback");
    ASSERT_TRUE(printed);
    EXPECT_EQ(thread_of(*printed), Thread(1, 1));
    EXPECT_TRUE(find_one(instants, "stderr: Traceback (most recent call last):"));
}
