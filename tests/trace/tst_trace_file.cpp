#include "trace_test_support.h"

#include <poolscope/trace/event_kind_name.h>
#include <poolscope/trace/trace_error.h>
#include <poolscope/trace/trace_file.h>

#include <gmock/gmock.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>

using namespace poolscope;
using namespace poolscope::trace;
using namespace poolscope::trace::testing;
using ::testing::HasSubstr;

namespace {

std::string saved(const Trace& t)
{
    return written(t, save_trace);
}

Trace loaded(const std::string& text)
{
    std::istringstream in(text);
    return load_trace(in);
}

std::string data_file(const std::string& name)
{
    return std::string(TRACE_TEST_DATA) + "/" + name;
}

std::string read_all(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}

// The error load_trace() throws for `text`; fails the test if it loads or throws anything else.
TraceError load_error(const std::string& text)
{
    try {
        loaded(text);
    } catch (const TraceError& e) {
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "threw something other than TraceError: " << e.what();
        return TraceError("wrong exception");
    }
    ADD_FAILURE() << "loaded without an error";
    return TraceError("no error");
}

} // namespace

// ---- round trips ----------------------------------------------------------------------------------

TEST(TraceFile, SyntheticTraceWithEveryKindRoundTrips)
{
    const Trace original = synthetic_trace();
    std::vector<bool> seen(event_kind_count, false);
    for (const Event& e : original.events)
        seen[static_cast<std::size_t>(e.kind)] = true;
    for (int k = 0; k < event_kind_count; ++k)
        EXPECT_TRUE(seen[static_cast<std::size_t>(k)])
            << "the synthetic trace lacks " << to_string(static_cast<EventKind>(k));

    const Trace back = loaded(saved(original));
    EXPECT_EQ(back, original);
    // Spot checks, so a failure says which part broke.
    EXPECT_EQ(back.title, original.title);
    EXPECT_EQ(back.parameters, original.parameters);
    EXPECT_EQ(back.lanes, original.lanes);
    ASSERT_EQ(back.events.size(), original.events.size());
    for (std::size_t i = 0; i < back.events.size(); ++i)
        EXPECT_EQ(back.events[i], original.events[i]) << "events[" << i << "]";
}

TEST(TraceFile, SavingTwiceGivesTheSameText)
{
    const std::string once = saved(synthetic_trace());
    EXPECT_EQ(saved(loaded(once)), once);
}

TEST(TraceFile, EmptyTraceRoundTrips)
{
    const Trace empty;
    EXPECT_EQ(loaded(saved(empty)), empty);
    EXPECT_EQ(loaded(saved(empty)).format_version, current_trace_format_version);
}

TEST(TraceFile, RealThreadPoolRunRoundTrips)
{
    const Trace original = real_run_trace();
    bool failed = false;
    bool cancelled = false;
    for (const Event& e : original.events) {
        failed = failed || e.kind == EventKind::failed;
        cancelled = cancelled || e.kind == EventKind::cancelled;
    }
    EXPECT_TRUE(failed);
    EXPECT_TRUE(cancelled);
    ASSERT_EQ(original.lanes.size(), 2u);
    EXPECT_EQ(original.lanes[0].name, "ThreadPoolExecutor-0_0") << "named from worker_started";
    EXPECT_EQ(loaded(saved(original)), original);
}

TEST(TraceFile, RoundTripsThroughAFile)
{
    ScratchDir dir;
    const std::string path = dir.file("run.poolscope.json");
    const Trace original = synthetic_trace();
    save_trace(original, path);
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
    EXPECT_EQ(load_trace(path), original);
}

TEST(TraceFile, EventsAreCompactRowsWithoutDefaultTrailingColumns)
{
    const std::string text = saved(synthetic_trace());
    EXPECT_THAT(text, HasSubstr("\"format\": \"poolscope-trace\""));
    EXPECT_THAT(text, HasSubstr("\"version\": 2"));
    EXPECT_THAT(text, HasSubstr("[32000, \"started\", 2, 0, 0],\n")) << "no label, no pid: five columns";
    EXPECT_THAT(text, HasSubstr("[30000, \"started\", 1, 1, 0, \"\", 4242]")) << "a pid needs the label column";
    EXPECT_THAT(text, HasSubstr("[10000, \"submitted\", 1, -1, 0, \"(1, 'naïve ☃')\", 0, 3]"))
        << "UTF-8 stays readable; a line needs the label and pid columns";
    EXPECT_THAT(text, HasSubstr("[69000, \"cancel_failed\", 2, -1, 0, \"finished\", 0, 12]"));
    EXPECT_THAT(text, HasSubstr("[80000, \"submitted\", 18446744073709551615, -1, 0, \"''\"]"));
}

TEST(TraceFile, SaveRefusesATraceItCouldNotLoad)
{
    Trace t = synthetic_trace();
    t.events[7].worker = 9;
    std::ostringstream out;
    try {
        save_trace(t, out);
        FAIL() << "saved a trace with an event on an undeclared lane";
    } catch (const TraceError& e) {
        EXPECT_EQ(e.location(), "events[7].worker");
        EXPECT_THAT(e.what(), HasSubstr("lane 9 is not declared"));
    }
    EXPECT_TRUE(out.str().empty()) << "nothing is written for a refused trace";

    ScratchDir dir;
    EXPECT_THROW(save_trace(t, dir.file("bad.json")), TraceError);
    EXPECT_FALSE(std::filesystem::exists(dir.file("bad.json")));
    EXPECT_FALSE(std::filesystem::exists(dir.file("bad.json.tmp")));
}

TEST(TraceFile, SaveRefusesEventsOutOfOrderAndNegativeNumbers)
{
    Trace t = synthetic_trace();
    std::swap(t.events[3], t.events[4]);
    EXPECT_THROW(saved(t), TraceError);
    t = synthetic_trace();
    t.max_workers = -1;
    EXPECT_THROW(saved(t), TraceError);
    t = synthetic_trace();
    t.events[0].attempt = -1;
    EXPECT_THROW(saved(t), TraceError);
}

TEST(TraceFile, InvalidUtf8InALabelIsSavedAsReplacementCharacters)
{
    Trace t;
    t.events = { make_event(1, EventKind::submitted, 1, -1, 0, std::string("bad \xff byte")) };
    const Trace back = loaded(saved(t));
    ASSERT_EQ(back.events.size(), 1u);
    EXPECT_EQ(back.events[0].label, "bad \xEF\xBF\xBD byte");
}

TEST(TraceFile, SavingToAnUnwritablePathThrowsNamingIt)
{
    const std::string path = "/nonexistent-dir-poolscope/x/trace.json";
    try {
        save_trace(synthetic_trace(), path);
        FAIL() << "saved into a directory that does not exist";
    } catch (const TraceError& e) {
        EXPECT_EQ(e.file(), path);
        EXPECT_THAT(e.what(), HasSubstr(path));
    }
}

// ---- helpers ----------------------------------------------------------------------------------------

TEST(TraceFile, EveryKindNameReadsBack)
{
    for (int k = 0; k < event_kind_count; ++k) {
        const auto kind = static_cast<EventKind>(k);
        EXPECT_EQ(event_kind_from_string(to_string(kind)), kind) << to_string(kind);
    }
    EXPECT_EQ(event_kind_from_string("strated"), std::nullopt);
    EXPECT_EQ(event_kind_from_string("Started"), std::nullopt);
    EXPECT_EQ(event_kind_from_string(""), std::nullopt);
    EXPECT_EQ(event_kind_from_string("unknown"), std::nullopt);
}

TEST(TraceFile, LanesFromEventsAreDenseAndNamedByWorkerStarted)
{
    const std::vector<Event> events = {
        make_event(0, EventKind::worker_started, 0, 2, 0, "SpawnProcess-3", 77),
        make_event(1, EventKind::started, 5, 0, 0),
        make_event(2, EventKind::worker_started, 0, 2, 0, "renamed later"),
        make_event(3, EventKind::submitted, 6, -1, 0),
    };
    const std::vector<Lane> lanes = lanes_from_events(events);
    ASSERT_EQ(lanes.size(), 3u);
    EXPECT_EQ(lanes[0], (Lane { 0, "worker 0", 0 }));
    EXPECT_EQ(lanes[1], (Lane { 1, "worker 1", 0 })) << "a gap is filled, so the lanes stay dense";
    EXPECT_EQ(lanes[2], (Lane { 2, "SpawnProcess-3", 77 }));
    EXPECT_TRUE(lanes_from_events({}).empty());
    EXPECT_TRUE(lanes_from_events({ make_event(0, EventKind::started, 1, 50'000'000) }).empty())
        << "an absurd worker index is ignored rather than allocated for";
}

TEST(TraceFile, TheValidDataFileLoads)
{
    const Trace t = load_trace(data_file("valid.json"));
    EXPECT_EQ(t.scenario, "demo");
    EXPECT_EQ(t.lanes.size(), 2u);
    ASSERT_EQ(t.events.size(), 4u);
    EXPECT_EQ(t.events[0].label, "(1,)");
    EXPECT_EQ(t.events[1].time, std::chrono::nanoseconds(100));
    EXPECT_EQ(t.events[1].kind, EventKind::started);
}

TEST(TraceFile, UnknownKeysAreIgnored)
{
    std::string text = read_all(data_file("valid.json"));
    text.insert(text.find("\"run\""), "\"comment\": {\"anything\": [1, 2]},\n  ");
    EXPECT_EQ(loaded(text), load_trace(data_file("valid.json")));
}

// ---- damaged files ----------------------------------------------------------------------------------

struct BrokenFile {
    const char* name; // the test row's name
    const char* file; // under tests/trace/data
    const char* location; // what TraceError::location() must contain
    const char* problem; // what TraceError::what() must contain
};

void PrintTo(const BrokenFile& row, std::ostream* os)
{
    *os << row.file;
}

const BrokenFile broken_files[] = {
    BrokenFile { "empty", "empty.json", "byte 0 (line 1, column 1)", "the input is empty" },
    BrokenFile { "blank", "blank.json", "byte 5 (line 3, column 1)", "the input is empty" },
    BrokenFile { "notJson", "not_json.json", "(line 1, column", "not valid JSON" },
    BrokenFile { "truncated", "truncated.json", "(line 24, column 12)", "is it truncated?" },
    BrokenFile { "trailingGarbage", "trailing_garbage.json", "(line 28, column 1)", "not valid JSON" },
    BrokenFile { "invalidUtf8", "invalid_utf8.json", "(line 22, column", "UTF-8" },
    BrokenFile { "numberOverflow", "number_overflow.json", "(line 23, column 6)", "number overflow" },
    BrokenFile { "topLevelArray", "top_level_array.json", "top level", "expected a JSON object, found an array" },
    BrokenFile { "wrongFormat", "wrong_format.json", "format",
        "expected \"poolscope-trace\", found the string \"chrome-trace\"" },
    BrokenFile { "chromeTraceGiven", "chrome_trace_given.json", "format", "looks like a Chrome trace" },
    BrokenFile { "missingVersion", "missing_version.json", "version", "missing" },
    BrokenFile {
        "newerVersion", "newer_version.json", "version", "trace version 7 is newer than this PoolScope reads (2)" },
    BrokenFile { "unknownVersion", "unknown_version.json", "version", "unknown trace version 0" },
    BrokenFile {
        "versionAsString", "version_as_string.json", "version", "expected an integer, found the string \"1\"" },
    BrokenFile { "missingRunField", "missing_run_field.json", "run.max_workers", "missing" },
    BrokenFile { "runNotObject", "run_not_object.json", "run", "expected an object, found an array" },
    BrokenFile { "missingEvents", "missing_events.json", "events", "missing" },
    BrokenFile {
        "timeAsString", "time_as_string.json", "events[1].time", "expected an integer, found the string \"100\"" },
    BrokenFile { "timeAsFloat", "time_as_float.json", "events[1].time", "expected an integer, found 100.5" },
    BrokenFile { "hugeInteger", "huge_integer.json", "events[1].time", "out of range" },
    BrokenFile { "labelAsNumber", "label_as_number.json", "events[0].label", "expected a string, found 5" },
    BrokenFile { "negativeTime", "negative_time.json", "events[0].time", "must not be negative, found -5" },
    BrokenFile { "negativeTaskId", "negative_task_id.json", "events[1].task_id", "must not be negative, found -1" },
    BrokenFile { "workerBelowMinusOne", "worker_below_minus_one.json", "events[1].worker",
        "must be -1 (no worker) or a lane index, found -2" },
    BrokenFile { "undeclaredLane", "undeclared_lane.json", "events[1].worker",
        "lane 5 is not declared (the trace declares 2 lanes, indices 0 to 1)" },
    BrokenFile {
        "laneIndexOutOfRange", "lane_index_out_of_range.json", "lanes[1].index", "lane index 9 is out of range" },
    BrokenFile { "duplicateLaneIndex", "duplicate_lane_index.json", "lanes[1].index",
        "lane 0 is declared twice (also at lanes[0])" },
    BrokenFile {
        "negativeMaxWorkers", "negative_max_workers.json", "run.max_workers", "must not be negative, found -3" },
    BrokenFile { "absurdEventCount", "absurd_event_count.json", "event_count",
        "5000000000 events are more than this PoolScope loads (100000000)" },
    BrokenFile { "absurdLaneCount", "absurd_lane_count.json", "lane_count",
        "200000000 lanes are more than this PoolScope loads (100000000)" },
    BrokenFile {
        "eventCountMismatch", "event_count_mismatch.json", "events", "holds 4 entries but event_count says 10" },
    BrokenFile { "outOfOrder", "out_of_order.json", "events[2].time",
        "out of order: 50 ns is earlier than events[1] at 100 ns" },
    BrokenFile { "unknownKind", "unknown_kind.json", "events[1].kind", "unknown event kind \"strated\"" },
    BrokenFile { "shortRow", "short_row.json", "events[1]", "expected 5 to 7 columns" },
    BrokenFile { "lineColumnInVersion1", "line_column_in_version_1.json", "events[1]",
        "expected 5 to 7 columns [time_ns, kind, task_id, worker, attempt, label, pid]" },
    BrokenFile { "negativeLine", "negative_line.json", "events[0].line", "must not be negative, found -4" },
    BrokenFile {
        "argumentsNotStrings", "arguments_not_strings.json", "run.arguments[1]", "expected a string, found 2" },
    BrokenFile { "exitCodeAsString", "exit_code_as_string.json", "run.exit_code", "expected an integer" },
    BrokenFile { "eventNotArray", "event_not_array.json", "events[1]", "expected an event row" },
};

class BrokenFiles : public ::testing::TestWithParam<BrokenFile> { };

TEST_P(BrokenFiles, AreRefusedWithTheirPosition)
{
    const BrokenFile& row = GetParam();
    const std::string path = data_file(row.file);
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    try {
        const Trace t = load_trace(path);
        FAIL() << row.file << " loaded, with " << t.events.size() << " events";
    } catch (const TraceError& e) {
        EXPECT_THAT(e.location(), HasSubstr(row.location)) << e.what();
        EXPECT_THAT(e.what(), HasSubstr(row.problem));
        EXPECT_EQ(e.file(), path);
        EXPECT_THAT(e.what(), ::testing::StartsWith(path + ": "));
    } catch (const std::exception& e) {
        FAIL() << "threw something other than TraceError: " << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(TraceFile, BrokenFiles, ::testing::ValuesIn(broken_files),
    [](const ::testing::TestParamInfo<BrokenFile>& row) { return std::string(row.param.name); });

TEST(TraceFile, EveryDataFileHasARow)
{
    // A broken file added to data/ without a row above would never be tested.
    for (const auto& entry : std::filesystem::directory_iterator(TRACE_TEST_DATA)) {
        if (entry.is_directory()) // cpython/: the CPython event reader's files, tested by its own test
            continue;
        const std::string name = entry.path().filename().string();
        if (name == "valid.json" || name == "valid_v2.json")
            continue;
        const bool covered = std::any_of(
            std::begin(broken_files), std::end(broken_files), [&](const BrokenFile& row) { return name == row.file; });
        EXPECT_TRUE(covered) << name << " has no BrokenFiles row";
    }
}

TEST(TraceFile, AVersion1FileLoadsWithTheDefaultsOfVersion2)
{
    const Trace t = load_trace(data_file("valid.json"));
    EXPECT_EQ(t.format_version, 1);
    EXPECT_EQ(t.events.size(), 4u);
    EXPECT_TRUE(t.origin.empty());
    EXPECT_FALSE(t.exit_code.has_value());
    EXPECT_EQ(t.events[0].line, 0);
    // Saved again it becomes a version 2 file with the same content.
    const Trace again = loaded(saved(t));
    EXPECT_EQ(again.format_version, current_trace_format_version);
    EXPECT_EQ(again.events, t.events);
}

TEST(TraceFile, AVersion2FileOfATracedProgramLoads)
{
    const Trace t = load_trace(data_file("valid_v2.json"));
    EXPECT_EQ(t.format_version, 2);
    EXPECT_EQ(t.origin, "cpython");
    EXPECT_EQ(t.python_version, "3.11.2");
    EXPECT_EQ(t.program, "demo.py");
    EXPECT_EQ(t.arguments, (std::vector<std::string> { "--n", "3" }));
    EXPECT_EQ(t.exit_code, 0);
    EXPECT_THAT(t.source, HasSubstr("ThreadPoolExecutor"));
    ASSERT_EQ(t.events.size(), 8u);
    EXPECT_EQ(t.events[0].line, 5) << "submitted at line 5";
    EXPECT_EQ(t.events[4].kind, EventKind::callback_started);
    EXPECT_EQ(t.events[7].kind, EventKind::output);
    EXPECT_EQ(t.events[7].label, "done");
    EXPECT_EQ(t.events[7].line, 8);
}

TEST(TraceFile, AMissingFileNamesThePath)
{
    const std::string path = data_file("no_such_file.json");
    try {
        load_trace(path);
        FAIL();
    } catch (const TraceError& e) {
        EXPECT_EQ(e.file(), path);
        EXPECT_THAT(e.what(), HasSubstr("cannot open"));
    }
}

TEST(TraceFile, EveryTruncationOfAValidFileIsRefused)
{
    const std::string text = saved(synthetic_trace());
    const std::size_t last_brace = text.rfind('}');
    for (std::size_t cut = 0; cut <= last_brace; ++cut) {
        const TraceError e = load_error(text.substr(0, cut));
        EXPECT_FALSE(e.location().empty()) << "cut at " << cut << ": " << e.what();
    }
}

TEST(TraceFile, RandomDamageNeverCrashes)
{
    // Flip, drop and duplicate bytes of a valid file: each result either loads (the damage hit a
    // label, say) or gives a TraceError, and nothing else. Run under ASan/UBSan for its real value.
    const std::string text = saved(synthetic_trace());
    std::mt19937 random(12345);
    std::uniform_int_distribution<std::size_t> position(0, text.size() - 1);
    std::uniform_int_distribution<int> byte(0, 255);
    const std::string interesting = "[]{}\",:-0123456789e. \n";
    for (int round = 0; round < 3000; ++round) {
        std::string damaged = text;
        const int edits = 1 + round % 4;
        for (int i = 0; i < edits; ++i) {
            const std::size_t at = position(random) % damaged.size();
            switch (byte(random) % 4) {
            case 0:
                damaged[at] = static_cast<char>(byte(random));
                break;
            case 1:
                damaged[at] = interesting[static_cast<std::size_t>(byte(random)) % interesting.size()];
                break;
            case 2:
                damaged.erase(at, 1);
                break;
            default:
                damaged.insert(at, 1, damaged[at]);
                break;
            }
        }
        try {
            const Trace t = loaded(damaged);
            EXPECT_NO_THROW(validate_trace(t)) << "whatever loads is valid";
        } catch (const TraceError&) {
            // expected for most damage
        } catch (const std::exception& e) {
            ADD_FAILURE() << "round " << round << " threw something other than TraceError: " << e.what();
        }
    }
}

TEST(TraceFile, DeeplyNestedJsonIsRefusedWithoutRecursion)
{
    const std::string arrays(200'000, '[');
    const TraceError e1 = load_error(arrays);
    EXPECT_THAT(e1.what(), HasSubstr("is it truncated?"));
    const std::string nested = "[" + arrays + std::string(200'001, ']');
    const TraceError e2 = load_error(nested);
    EXPECT_EQ(e2.location(), "top level");
    std::string in_events = read_all(data_file("valid.json"));
    in_events.replace(in_events.find("[100, \"started\", 1, 0, 0]"), 25, arrays + std::string(200'000, ']'));
    const TraceError e3 = load_error(in_events);
    EXPECT_EQ(e3.location(), "events[1]");
    EXPECT_THAT(e3.what(), HasSubstr("expected 5 to 7 columns"));
}

TEST(TraceFile, MessagesStayShortWhenTheDamageIsLarge)
{
    // Cut in the middle of a megabyte-long label: the parser's "last read" is the whole string so
    // far, which the message must not repeat.
    Trace t = synthetic_trace();
    t.events[2].label = std::string(1'000'000, 'x');
    const std::string text = saved(t);
    const TraceError e = load_error(text.substr(0, text.find("xxxx") + 500'000));
    EXPECT_THAT(e.what(), HasSubstr("is it truncated?"));
    EXPECT_LT(std::string(e.what()).size(), 400u) << e.what();

    std::string long_kind = saved(synthetic_trace());
    long_kind.replace(long_kind.find("\"started\""), 9, "\"" + std::string(100'000, 'q') + "\"");
    const TraceError unknown = load_error(long_kind);
    EXPECT_THAT(unknown.what(), HasSubstr("unknown event kind \"qqq"));
    EXPECT_LT(std::string(unknown.what()).size(), 200u) << unknown.what();
}

TEST(TraceFile, SyntaxErrorPositionsCountCharactersNotBytes)
{
    const TraceError e = load_error("{\"format\": \"ünïcödé\" oops}");
    // The error is at the 'o' of oops: byte 25 counting from 0, after four two-byte characters,
    // so column 22.
    EXPECT_EQ(e.location(), "byte 25 (line 1, column 22)");
}
