// CPythonEventReader: the tracer's events files (tracer/PROTOCOL.md) into a Trace. Recorded runs of
// the exercises must give exactly the trace the tracer's own merge wrote; damaged lines are skipped
// and named by file and line (or refused, strict); nothing in a file makes it crash.
//
// data/cpython/<exercise>/ is recorded by scripts/record-cpython-data.py: the scenarios' listings with
// their defaults, traced by Debian's python3 with
//   PYTHONPATH=tracer python3 -m poolscope_tracer --events-dir <data>/cpython/NAME
//       --trace <data>/cpython/NAME/trace.json -- NAME.py

#include <poolscope/trace/cpython_event_reader.h>
#include <poolscope/trace/trace_error.h>
#include <poolscope/trace/trace_file.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace poolscope;
using namespace poolscope::trace;

const std::string header
    = R"j({"poolscope_events": 1, "run": "r1", "pid": 10, "ppid": 1, "process": "MainProcess", "role": "parent", "python": "3.11.2", "clock": "monotonic_ns", "origin_ns": 1000})j"
      "\n";
const std::string meta
    = R"j({"meta": {"program": "dir/prog.py", "arguments": ["a", "b"], "python_version": "3.11.2", "host": "box", "started_at": "2024-05-01T12:00:00Z", "source": "print(1)\n"}})j"
      "\n";
const std::string exit_line = R"j({"exit": {"exit_code": 3, "time_ns": 9000}})j"
                              "\n";

std::string worker_header(int pid, const std::string& run = "r1")
{
    return "{\"poolscope_events\": 1, \"run\": \"" + run + "\", \"pid\": " + std::to_string(pid)
        + ", \"role\": \"worker\", \"origin_ns\": 1000}\n";
}

bool contains(const std::vector<std::string>& problems, const std::string& text)
{
    return std::any_of(
        problems.begin(), problems.end(), [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

std::string join(const std::vector<std::string>& lines)
{
    std::string all;
    for (const std::string& l : lines)
        all += l + "\n";
    return all;
}

// ---- recorded runs ------------------------------------------------------------------------------

class RecordedRun : public ::testing::TestWithParam<const char*> { };

TEST_P(RecordedRun, GivesTheTraceTheTracersMergeWrote)
{
    const std::filesystem::path dir = std::filesystem::path(TRACE_TEST_DATA) / "cpython" / GetParam();
    std::vector<std::string> problems;
    const Trace ours = read_cpython_events(dir.string(), &problems);
    const Trace theirs = load_trace((dir / "trace.json").string());
    EXPECT_EQ(problems, std::vector<std::string> {});
    EXPECT_EQ(ours.lanes, theirs.lanes);
    ASSERT_EQ(ours.events.size(), theirs.events.size());
    for (std::size_t i = 0; i < ours.events.size(); ++i)
        ASSERT_EQ(ours.events[i], theirs.events[i]) << "event " << i;
    EXPECT_EQ(ours, theirs); // the run's metadata too: program, arguments, source, exit code...
    EXPECT_EQ(ours.origin, "cpython");
    EXPECT_EQ(ours.exit_code, 0);
    EXPECT_NO_THROW(validate_trace(ours));
}

INSTANTIATE_TEST_SUITE_P(Exercises, RecordedRun,
    ::testing::Values(
        "ex04_callbacks", "ex05_as_completed", "ex07_cpu_bound", "ex09_map_timeout", "ex11_retry_executor"));

TEST(CPythonEventReader, ReadsADirectoryAsItGrows)
{
    const std::filesystem::path src = std::filesystem::path(TRACE_TEST_DATA) / "cpython" / "ex05_as_completed";
    const std::filesystem::path dir = std::filesystem::temp_directory_path()
        / ("poolscope-reader-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-grow");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::string name;
    std::string text;
    for (const auto& entry : std::filesystem::directory_iterator(src)) {
        if (entry.path().extension() == ".jsonl") {
            name = entry.path().filename().string();
            std::ifstream in(entry.path(), std::ios::binary);
            text.assign(std::istreambuf_iterator<char>(in), {});
        }
    }
    ASSERT_FALSE(name.empty());
    CPythonEventReader reader;
    std::size_t written = 0;
    std::size_t lines = 0;
    std::vector<std::size_t> counts;
    // In five pieces cut anywhere, mid-line included, as a live program's file grows.
    for (int piece = 1; piece <= 5; ++piece) {
        const std::size_t upto = text.size() * piece / 5;
        std::ofstream(dir / name, std::ios::binary | std::ios::app) << text.substr(written, upto - written);
        written = upto;
        lines += reader.poll_directory(dir.string());
        counts.push_back(reader.event_count());
    }
    EXPECT_TRUE(std::is_sorted(counts.begin(), counts.end()));
    EXPECT_EQ(lines, static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
    EXPECT_TRUE(reader.exited());
    EXPECT_EQ(reader.trace(), load_trace((src / "trace.json").string()));
    std::filesystem::remove_all(dir);
}

// ---- damaged lines ------------------------------------------------------------------------------

struct DamagedLine {
    const char* name;
    std::string line; // written as line 3, after the header and meta
    const char* problem; // what problems() says about it, after "events-10.jsonl: line 3: "
};

void PrintTo(const DamagedLine& d, std::ostream* os)
{
    *os << d.name;
}

class DamagedLines : public ::testing::TestWithParam<DamagedLine> { };

TEST_P(DamagedLines, AreSkippedAndNamedByFileAndLine)
{
    const DamagedLine& d = GetParam();
    CPythonEventReader reader;
    reader.add_data("events-10.jsonl",
        header + meta + d.line + "\n" + R"j([2000, "submitted", 1, null, "(1,)", 4])j" + "\n" + exit_line);
    const std::vector<std::string> problems = reader.problems();
    EXPECT_TRUE(contains(problems, std::string("events-10.jsonl: line 3: ") + d.problem)) << join(problems);
    const Trace t = reader.trace();
    ASSERT_EQ(t.events.size(), 1u) << "the line after the damaged one is read";
    EXPECT_EQ(t.events[0].kind, EventKind::submitted);
    EXPECT_EQ(t.events[0].line, 4);
    EXPECT_EQ(t.exit_code, 3);
    EXPECT_NO_THROW(validate_trace(t));
}

TEST_P(DamagedLines, AreRefusedWithTheirLineWhenStrict)
{
    const DamagedLine& d = GetParam();
    CPythonEventReader reader(CPythonEventReader::Options { .strict = true });
    try {
        reader.add_data("events-10.jsonl", header + meta + d.line + "\n");
        FAIL() << "no TraceError";
    } catch (const TraceError& e) {
        EXPECT_EQ(e.file(), "events-10.jsonl");
        EXPECT_EQ(e.location(), "line 3");
        EXPECT_NE(e.problem().find(d.problem), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(Rows, DamagedLines,
    ::testing::Values(DamagedLine { "notJson", "[2000, \"started\", 1, \"10:1\"", "not JSON at byte" },
        DamagedLine { "trailingGarbage", "[1, \"started\", 1, null, \"\", 0] x", "not JSON at byte" },
        DamagedLine { "invalidUtf8", "[1, \"started\", 1, null, \"\xff\", 0]", "not JSON at byte" },
        DamagedLine { "scalar", "42", "neither an event (an array) nor an object" },
        DamagedLine { "tooFewColumns", "[1, \"started\", 1, null, \"\"]", "an event needs 6 columns" },
        DamagedLine {
            "timeFractional", "[1.5, \"started\", 1, null, \"\", 0]", "event column 0 (time_ns) is not an integer" },
        DamagedLine {
            "timeBeyondInt64", "[18446744073709551615, \"started\", 1, null, \"\", 0]", "event column 0 (time_ns)" },
        DamagedLine { "kindNumber", "[1, 7, 1, null, \"\", 0]", "event column 1 (kind) is not a string" },
        DamagedLine { "taskNegative", "[1, \"started\", -1, null, \"\", 0]", "event column 2 (task)" },
        DamagedLine { "laneNumber", "[1, \"started\", 1, 5, \"\", 0]", "event column 3 (lane)" },
        DamagedLine { "labelNull", "[1, \"started\", 1, null, null, 0]", "event column 4 (label) is not a string" },
        DamagedLine { "lineNegative", "[1, \"started\", 1, null, \"\", -2]", "event column 5 (line)" },
        DamagedLine { "lineBeyondInt", "[1, \"started\", 1, null, \"\", 4294967296]", "event column 5 (line)" },
        DamagedLine { "laneNameNumber", R"j({"lane": "10:1", "name": 3})j", "lane.name is not a string" },
        DamagedLine {
            "lanePidNegative", R"j({"lane": "77", "name": "SpawnProcess-1", "pid": -4})j", "lane.pid is out of range" },
        DamagedLine { "poolWorkersText", R"j({"pool": 1, "kind": "thread", "max_workers": "4"})j",
            "pool.max_workers is not an integer" },
        DamagedLine { "metaArray", R"j({"meta": []})j", "meta is not an object" },
        DamagedLine { "argumentsNotStrings", R"j({"meta": {"arguments": [1]}})j", "meta.arguments holds a value" },
        DamagedLine { "exitCodeText", R"j({"exit": {"exit_code": "1"}})j", "exit.exit_code is not an integer" },
        DamagedLine { "warningNumber", R"j({"warning": 5})j", "warning is not a string" },
        DamagedLine { "longLine", "[1, \"started\", 1, null, \"" + std::string(2 << 20, 'x') + "\", 0]",
            "the line is longer than" }),
    [](const ::testing::TestParamInfo<DamagedLine>& row) { return std::string(row.param.name); });

TEST(CPythonEventReader, AFileWithoutAHeaderIsIgnoredAndNamed)
{
    CPythonEventReader reader;
    reader.add_data("events-10.jsonl", header + meta + exit_line);
    reader.add_data("events-11.jsonl", "[5000, \"started\", 1, \"11\", \"\", 0]\n");
    reader.add_data(
        "events-12.jsonl", "{\"poolscope_events\": 2, \"run\": \"r1\"}\n[5000, \"started\", 1, \"12\", \"\", 0]\n");
    const auto problems = reader.problems();
    EXPECT_TRUE(contains(problems, "events-11.jsonl: line 1: no header")) << join(problems);
    EXPECT_TRUE(contains(problems, "events-12.jsonl: line 1: events format version 2 is newer")) << join(problems);
    EXPECT_TRUE(reader.trace().events.empty());
}

TEST(CPythonEventReader, UnknownKindsAndObjectsAreIgnoredSilently)
{
    CPythonEventReader reader;
    reader.add_data("events-10.jsonl",
        header + meta + R"j([1500, "teleported", 1, null, "", 0])j" + "\n" + R"j({"novelty": true})j" + "\n"
            + R"j([2000, "submitted", 1, null, "", 0, "a 7th column from a newer tracer"])j" + "\n" + exit_line);
    EXPECT_EQ(reader.problems(), std::vector<std::string> {});
    ASSERT_EQ(reader.trace().events.size(), 1u);
}

TEST(CPythonEventReader, AnUnfinishedLastLineWaitsForItsNewline)
{
    CPythonEventReader reader;
    const std::string submitted = R"j([2000, "submitted", 1, null, "(1,)", 4])j";
    reader.add_data("events-10.jsonl", header + meta + submitted.substr(0, 10));
    EXPECT_TRUE(reader.trace().events.empty());
    EXPECT_TRUE(contains(reader.problems(), "an unfinished last line"));
    EXPECT_TRUE(contains(reader.problems(), "the run did not end normally"));
    EXPECT_FALSE(reader.exited());
    EXPECT_EQ(reader.exit_code(), std::nullopt);
    reader.add_data("events-10.jsonl", submitted.substr(10) + "\n" + exit_line);
    ASSERT_EQ(reader.trace().events.size(), 1u);
    EXPECT_EQ(reader.trace().events[0].label, "(1,)");
    EXPECT_EQ(reader.problems(), std::vector<std::string> {});
    EXPECT_TRUE(reader.exited());
}

// ---- merging ------------------------------------------------------------------------------------

TEST(CPythonEventReader, MergesProcessesByTimeWithDenseLanesAndTheParentsOutcome)
{
    CPythonEventReader reader;
    reader.add_data("events-10.jsonl",
        header + meta + R"j({"pool": 1, "kind": "process", "class": "ProcessPoolExecutor", "max_workers": 2})j" + "\n"
            + R"j({"lane": "20", "name": "ForkProcess-1", "pid": 20, "pool": 1})j" + "\n"
            + R"j([1100, "worker_spawning", 0, "20", "ForkProcess-1", 0])j" + "\n"
            + R"j([1200, "submitted", 1, null, "(1,)", 7])j" + "\n" + R"j([1201, "submitted", 2, null, "(2,)", 7])j"
            + "\n" + R"j([1300, "dispatched", 1, "10:1", "", 0])j" + "\n"
            + R"j([1600, "exception_set", 1, "10:1", "PicklingError: cannot pickle", 0])j" + "\n"
            + R"j([1700, "exception_set", 2, "10:1", "BrokenProcessPool: died", 0])j" + "\n" + exit_line);
    reader.add_data("events-20.jsonl",
        worker_header(20) + R"j({"lane": "20", "name": "ForkProcess-1", "pid": 20, "pool": 1})j" + "\n"
            + R"j([1150, "worker_started", 0, "20", "ForkProcess-1", 0])j" + "\n"
            + R"j([1400, "started", 1, "20", "", 0])j" + "\n" + R"j([1500, "finished", 1, "20", "", 0])j" + "\n"
            + R"j([1550, "started", 2, "20", "", 0])j" + "\n");
    // Another run's file in the same directory: not this run.
    reader.add_data("events-30.jsonl", worker_header(30, "other") + R"j([1450, "started", 9, "30", "", 0])j" + "\n");

    const Trace t = reader.trace();
    ASSERT_EQ(t.lanes.size(), 1u);
    EXPECT_EQ(t.lanes[0], (Lane { 0, "ForkProcess-1", 20 }));
    std::vector<std::string> kinds;
    for (const Event& e : t.events)
        kinds.emplace_back(to_string(e.kind));
    EXPECT_EQ(kinds,
        (std::vector<std::string> { "worker_spawning", "worker_started", "submitted", "submitted", "dispatched",
            "started", "failed", "started", "failed" }));
    EXPECT_EQ(t.events[0].time.count(), 100) << "times count from the origin";
    EXPECT_EQ(t.events[4].worker, -1) << "dispatched has no lane";
    EXPECT_EQ(t.events[6].time.count(), 500) << "the worker's stamp ends the call...";
    EXPECT_EQ(t.events[6].label, "PicklingError: cannot pickle") << "...with the parent's outcome";
    EXPECT_EQ(t.events[6].pid, 20);
    EXPECT_EQ(t.events[8].time.count(), 700) << "a call whose worker died ends at the parent's time";
    EXPECT_EQ(t.events[8].worker, 0) << "on the lane it started on";
    EXPECT_EQ(t.pool_kind, "process");
    EXPECT_EQ(t.max_workers, 2);
    EXPECT_EQ(t.wall_time.count(), 8000) << "up to the exit";
    EXPECT_EQ(t.program, "dir/prog.py");
    EXPECT_EQ(t.title, "prog.py");
    EXPECT_EQ(t.arguments, (std::vector<std::string> { "a", "b" }));
    EXPECT_EQ(t.source, "print(1)\n");
    EXPECT_EQ(t.host, "box");
    EXPECT_NO_THROW(validate_trace(t));
}

TEST(CPythonEventReader, CapturedOutputJoinsTheEventsByTimeAndIsBounded)
{
    CPythonEventReader reader(CPythonEventReader::Options { .max_output_lines = 3 });
    reader.add_data("events-10.jsonl",
        header + meta + R"j([2000, "submitted", 1, null, "", 0])j" + "\n" + R"j([4000, "submitted", 2, null, "", 0])j"
            + "\n" + exit_line);
    reader.add_output(EventKind::output, 3000, "between");
    reader.add_output(EventKind::error_output, 500, "before the origin");
    reader.add_output(EventKind::output, 4000, "tie");
    reader.add_output(EventKind::output, 5000, "dropped");
    const Trace t = reader.trace();
    std::vector<std::string> order;
    for (const Event& e : t.events)
        order.push_back(e.label.empty() ? std::string(to_string(e.kind)) : e.label);
    EXPECT_EQ(order, (std::vector<std::string> { "before the origin", "submitted", "between", "submitted", "tie" }));
    EXPECT_EQ(t.events[0].time.count(), 0);
    EXPECT_EQ(t.events[0].kind, EventKind::error_output);
    EXPECT_EQ(t.output, "between\nbefore the origin\ntie\n[1 more lines not recorded]\n");
    EXPECT_TRUE(contains(reader.problems(), "1 output lines beyond the first 3 were not recorded"));
}

TEST(CPythonEventReader, ExtremeTimesDoNotOverflow)
{
    CPythonEventReader reader;
    reader.add_data("events-10.jsonl",
        R"j({"poolscope_events": 1, "run": "r", "role": "parent", "origin_ns": 9223372036854775807})j"
        "\n"
        R"j([-9223372036854775808, "submitted", 1, null, "", 0])j"
        "\n"
        R"j([9223372036854775807, "submitted", 2, null, "", 0])j"
        "\n"
        R"j({"exit": {"exit_code": null, "time_ns": -9223372036854775808}})j"
        "\n");
    const Trace t = reader.trace();
    ASSERT_EQ(t.events.size(), 2u);
    EXPECT_EQ(t.events[0].time.count(), 0);
    EXPECT_EQ(t.exit_code, std::nullopt);
    EXPECT_NO_THROW(validate_trace(t));
}

TEST(CPythonEventReader, ADirectoryThatIsNotThereOrHoldsNoRunIsAnError)
{
    CPythonEventReader reader;
    EXPECT_THROW(reader.poll_directory("/nonexistent/poolscope/events"), TraceError);
    const std::filesystem::path empty = std::filesystem::temp_directory_path()
        / ("poolscope-reader-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-empty");
    std::filesystem::create_directories(empty);
    try {
        read_cpython_events(empty.string());
        FAIL() << "no TraceError";
    } catch (const TraceError& e) {
        EXPECT_NE(std::string(e.what()).find("no events file"), std::string::npos) << e.what();
    }
    std::filesystem::remove_all(empty);
}

} // namespace
