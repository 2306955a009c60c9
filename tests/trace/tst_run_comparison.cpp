// compare_runs(): the summary row of runs compared on one axis — wall times, ratios and speedups
// from the runs' recorded times, and what changed between them.

#include <poolscope/trace/run_comparison.h>

#include <gtest/gtest.h>

namespace poolscope::trace {
namespace {

using namespace std::chrono_literals;

Trace run(std::chrono::nanoseconds wall, std::vector<std::pair<std::string, std::string>> parameters)
{
    Trace t;
    t.scenario = "map";
    t.title = "map() returns results in submission order";
    t.origin = "scenario";
    t.pool_kind = "thread";
    t.max_workers = 4;
    t.wall_time = wall;
    t.parameters = std::move(parameters);
    return t;
}

TEST(RunComparison, RatiosAndSpeedupsComeFromTheRecordedWallTimes)
{
    const Trace a = run(400ms, { { "workers", "4" }, { "tasks", "5" } });
    const Trace b = run(800ms, { { "workers", "2" }, { "tasks", "5" } });
    const Trace c = run(100ms, { { "workers", "8" }, { "tasks", "5" } });
    const RunComparison comparison = compare_runs({ &a, &b, &c });
    ASSERT_EQ(comparison.runs.size(), 3U);
    EXPECT_EQ(comparison.runs[0].label, "A");
    EXPECT_EQ(comparison.runs[2].label, "C");
    EXPECT_DOUBLE_EQ(comparison.runs[0].ratio, 1.0);
    EXPECT_DOUBLE_EQ(comparison.runs[1].ratio, 2.0);
    EXPECT_DOUBLE_EQ(comparison.runs[1].speedup, 0.5);
    EXPECT_DOUBLE_EQ(comparison.runs[2].speedup, 4.0);
    EXPECT_EQ(comparison.runs[1].wall_time, 800ms);
    EXPECT_EQ(comparison.summary(), "A 400.0 ms · B 800.0 ms (2.00× A) · C 100.0 ms (0.25× A)");
}

TEST(RunComparison, NamesTheChangedParametersOnly)
{
    const Trace a = run(1s, { { "workers", "4" }, { "tasks", "5" }, { "gil", "true" } });
    const Trace b = run(1s, { { "workers", "2" }, { "tasks", "5" }, { "gil", "false" } });
    const RunComparison comparison = compare_runs({ &a, &b });
    EXPECT_EQ(comparison.runs[0].changes, "");
    EXPECT_EQ(comparison.runs[1].changes, "workers 4 → 2, gil true → false");
    EXPECT_EQ(describe_changes(a, a), "");
}

TEST(RunComparison, ParametersThatAppearOrGoAreNamedWithADash)
{
    const Trace a = run(1s, { { "workers", "4" }, { "delay", "0.1" } });
    const Trace b = run(1s, { { "workers", "4" }, { "scale", "3" } });
    EXPECT_EQ(describe_changes(a, b), "delay 0.1 → –, scale – → 3");
}

TEST(RunComparison, CppBesideCPythonNamesTheInterpreters)
{
    const Trace cpp = run(1s, { { "workers", "4" } });
    Trace python = cpp;
    python.origin = "cpython";
    python.python_version = "3.11.2";
    EXPECT_EQ(describe_changes(cpp, python), "C++ → CPython 3.11.2");
    EXPECT_EQ(describe_run(cpp), "C++ · thread pool, max_workers=4");
    EXPECT_EQ(describe_run(python), "CPython 3.11.2 · thread pool, max_workers=4");
    Trace gil = cpp;
    gil.pool_kind = "thread+gil"; // exercise 7's thread pool under the emulated interpreter lock
    EXPECT_EQ(describe_run(gil), "C++ · thread pool under the GIL, max_workers=4");
}

TEST(RunComparison, APoolChangeNoParameterExplainsIsNamed)
{
    Trace thread = run(1s, {});
    Trace process = run(1s, {});
    process.pool_kind = "process";
    EXPECT_EQ(describe_changes(thread, process), "thread pool → process pool");
    // A parameter that explains it is enough.
    thread.parameters = { { "pool", "thread" } };
    process.parameters = { { "pool", "process" } };
    EXPECT_EQ(describe_changes(thread, process), "pool thread → process");
}

TEST(RunComparison, AMissingWallTimeFallsBackToTheLastEventAndUnknownRatiosAreZero)
{
    Trace a = run(0ns, {});
    Event last;
    last.kind = EventKind::finished;
    last.time = 250ms;
    a.events.push_back(last);
    EXPECT_EQ(run_wall_time(a), 250ms);

    const Trace empty = run(0ns, {});
    const Trace b = run(1s, {});
    const RunComparison comparison = compare_runs({ &empty, &b });
    EXPECT_EQ(comparison.runs[1].ratio, 0.0);
    EXPECT_EQ(comparison.runs[1].speedup, 0.0);
    EXPECT_EQ(comparison.summary(), "A 0.0 ms · B 1000.0 ms");
    EXPECT_TRUE(compare_runs({}).runs.empty());
}

TEST(RunComparison, LabelsGoOnPastZ)
{
    EXPECT_EQ(comparison_label(0), "A");
    EXPECT_EQ(comparison_label(25), "Z");
    EXPECT_EQ(comparison_label(26), "R27");
}

} // namespace
} // namespace poolscope::trace
