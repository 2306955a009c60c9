#include "trace_test_support.h"

#include <poolscope/trace/csv_export.h>
#include <poolscope/trace/trace_error.h>

#include <gmock/gmock.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace poolscope;
using namespace poolscope::trace;
using namespace poolscope::trace::testing;
using ::testing::HasSubstr;

namespace {

std::string csv(const Trace& t)
{
    return written(t, write_csv);
}

// A strict RFC 4180 reader: records end with CRLF, quoted fields may hold commas, CR, LF and
// doubled quotes. Fails the test on anything else.
std::vector<std::vector<std::string>> parse_csv(const std::string& text)
{
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    std::size_t i = 0;
    bool quoted = false;
    while (i < text.size()) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                i += 2;
            } else if (c == '"') {
                quoted = false;
                ++i;
                const bool ends_field = i >= text.size() || text[i] == ',' || text[i] == '\r';
                EXPECT_TRUE(ends_field) << "text after a closing quote at byte " << i;
            } else {
                field += c;
                ++i;
            }
        } else if (c == '"') {
            EXPECT_TRUE(field.empty()) << "a quote inside an unquoted field at byte " << i;
            quoted = true;
            ++i;
        } else if (c == ',') {
            record.push_back(std::move(field));
            field.clear();
            ++i;
        } else if (c == '\r') {
            EXPECT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << "a bare CR at byte " << i;
            record.push_back(std::move(field));
            field.clear();
            records.push_back(std::move(record));
            record.clear();
            i += 2;
        } else {
            EXPECT_NE(c, '\n') << "a bare LF outside quotes at byte " << i;
            field += c;
            ++i;
        }
    }
    EXPECT_FALSE(quoted) << "an unterminated quoted field";
    EXPECT_TRUE(record.empty() && field.empty()) << "the last record lacks its CRLF";
    return records;
}

} // namespace

TEST(CsvExport, HeaderAndOneRowPerEvent)
{
    const Trace t = synthetic_trace();
    const auto records = parse_csv(csv(t));
    ASSERT_EQ(records.size(), t.events.size() + 1);
    EXPECT_EQ(records[0],
        (std::vector<std::string> {
            "time_ns", "task_id", "attempt", "kind", "worker", "lane", "pid", "label", "line" }));
    for (std::size_t i = 0; i < t.events.size(); ++i) {
        const Event& e = t.events[i];
        const auto& r = records[i + 1];
        ASSERT_EQ(r.size(), 9u) << "row " << i + 1;
        EXPECT_EQ(r[0], std::to_string(e.time.count()));
        EXPECT_EQ(r[1], std::to_string(e.task_id));
        EXPECT_EQ(r[2], std::to_string(e.attempt));
        EXPECT_EQ(r[3], to_string(e.kind));
        EXPECT_EQ(r[4], std::to_string(e.worker));
        EXPECT_EQ(r[5], e.worker < 0 ? "" : t.lanes[static_cast<std::size_t>(e.worker)].name);
        EXPECT_EQ(r[6], std::to_string(e.pid));
        EXPECT_EQ(r[7], e.label) << "row " << i + 1;
        EXPECT_EQ(r[8], std::to_string(e.line)) << "row " << i + 1;
    }
}

TEST(CsvExport, QuotesCommasQuotesAndNewlines)
{
    const std::string text = csv(synthetic_trace());
    EXPECT_THAT(text, ::testing::StartsWith("time_ns,task_id,attempt,kind,worker,lane,pid,label,line\r\n"));
    EXPECT_THAT(text,
        HasSubstr("50000,1,0,failed,1,SpawnProcess-1,4242,\"ValueError: boom, \"\"quoted\"\"\nsecond line\",0\r\n"));
    EXPECT_THAT(text, HasSubstr("10000,1,0,submitted,-1,,0,\"(1, 'naïve ☃')\",3\r\n")) << "with its line";
    EXPECT_THAT(text, HasSubstr("12000,2,0,submitted,-1,,0,,0\r\n")) << "an empty label is an empty field";
    EXPECT_THAT(text, HasSubstr("80000,18446744073709551615,0,submitted,-1,,0,'',0\r\n")) << "no quoting needed";
}

TEST(CsvExport, LaneNamesAreQuotedToo)
{
    Trace t;
    t.lanes = { { 0, "pool \"a\", lane 0", 0 } };
    t.events = { make_event(1, EventKind::started, 3, 0) };
    const auto records = parse_csv(csv(t));
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[1][5], "pool \"a\", lane 0");
}

TEST(CsvExport, EmptyTraceIsJustTheHeader)
{
    EXPECT_EQ(csv(Trace {}), "time_ns,task_id,attempt,kind,worker,lane,pid,label,line\r\n");
}

TEST(CsvExport, RealRunExportsEveryEvent)
{
    const Trace t = real_run_trace();
    const auto records = parse_csv(csv(t));
    EXPECT_EQ(records.size(), t.events.size() + 1);
    for (std::size_t i = 1; i < records.size(); ++i)
        EXPECT_EQ(records[i].size(), 9u);
}

TEST(CsvExport, WritesAFile)
{
    ScratchDir dir;
    const std::string path = dir.file("events.csv");
    const Trace t = synthetic_trace();
    write_csv(t, path);
    std::ifstream in(path, std::ios::binary);
    const std::string text { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
    EXPECT_EQ(text, csv(t));
    EXPECT_THROW(write_csv(t, dir.file("missing/dir/events.csv")), TraceError);
}
