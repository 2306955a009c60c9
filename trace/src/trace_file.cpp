#include <poolscope/trace/event_kind_name.h>
#include <poolscope/trace/trace_error.h>
#include <poolscope/trace/trace_file.h>

#include "support.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <istream>
#include <iterator>
#include <limits>
#include <ostream>
#include <string_view>

namespace poolscope::trace {

namespace {

using detail::json_quote;
using detail::quote_for_message;
using detail::quote_tail_for_message;
using nlohmann::json;

constexpr std::string_view format_name = "poolscope-trace";
constexpr std::string_view row_layout = "[time_ns, kind, task_id, worker, attempt, label, pid, line]";
constexpr std::string_view version_1_row_layout = "[time_ns, kind, task_id, worker, attempt, label, pid]";
constexpr std::size_t required_columns = 5; // label, pid and line may be left off when "", 0 and 0
constexpr std::size_t version_1_columns = 7; // `line` came with version 2
constexpr std::size_t all_columns = 8;

// ---- writing ------------------------------------------------------------------------------------

void write_event_row(std::string& line, const Event& e)
{
    line += '[';
    line += std::to_string(e.time.count());
    line += ", \"";
    line += to_string(e.kind); // kind names are plain ASCII identifiers, no escaping needed
    line += "\", ";
    line += std::to_string(e.task_id);
    line += ", ";
    line += std::to_string(e.worker);
    line += ", ";
    line += std::to_string(e.attempt);
    // Trailing columns that hold their default are left off.
    if (!e.label.empty() || e.pid != 0 || e.line != 0) {
        line += ", ";
        line += json_quote(e.label);
    }
    if (e.pid != 0 || e.line != 0) {
        line += ", ";
        line += std::to_string(e.pid);
    }
    if (e.line != 0) {
        line += ", ";
        line += std::to_string(e.line);
    }
    line += ']';
}

// ---- reading ------------------------------------------------------------------------------------

[[noreturn]] void fail(const std::string& location, const std::string& problem)
{
    throw TraceError(problem, location);
}

std::string join(const std::string& parent, std::string_view key)
{
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string index(const std::string& parent, std::size_t i)
{
    return parent + "[" + std::to_string(i) + "]";
}

// What a value is, for messages. Scalars are shown (strings shortened); arrays and objects are
// only named, because dumping an arbitrarily deep value would recurse.
std::string describe(const json& v)
{
    switch (v.type()) {
    case json::value_t::string:
        return "the string " + quote_for_message(v.get_ref<const std::string&>());
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
    case json::value_t::boolean:
        return v.dump();
    case json::value_t::null:
        return "null";
    case json::value_t::array:
        return "an array";
    case json::value_t::object:
        return "an object";
    default:
        return "an unsupported value";
    }
}

const json& member(const json& object, const std::string& object_path, const char* key)
{
    const auto it = object.find(key);
    if (it == object.end())
        fail(join(object_path, key), "missing (a required field)");
    return *it;
}

const json& expect_object(const json& v, const std::string& path)
{
    if (!v.is_object())
        fail(path, "expected an object, found " + describe(v));
    return v;
}

const json& expect_array(const json& v, const std::string& path)
{
    if (!v.is_array())
        fail(path, "expected an array, found " + describe(v));
    return v;
}

std::string get_string(const json& v, const std::string& path)
{
    if (!v.is_string())
        fail(path, "expected a string, found " + describe(v));
    return v.get<std::string>();
}

// An integer in [min, max]. Floats are refused even when integral: the writer never produces them,
// so one is a sign of a hand edit gone wrong or a different program's file.
std::int64_t get_integer(const json& v, const std::string& path, std::int64_t min, std::int64_t max)
{
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(max))
            fail(path, "must be at most " + std::to_string(max) + ", found " + std::to_string(u));
        return static_cast<std::int64_t>(u);
    }
    if (v.is_number_integer()) {
        const auto i = v.get<std::int64_t>();
        if (i < min)
            fail(path,
                (min == 0 ? std::string("must not be negative") : "must be at least " + std::to_string(min))
                    + ", found " + std::to_string(i));
        if (i > max)
            fail(path, "must be at most " + std::to_string(max) + ", found " + std::to_string(i));
        return i;
    }
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (std::isfinite(d) && d == std::floor(d))
            fail(path,
                "the number " + v.dump() + " is out of range (an integer from " + std::to_string(min) + " to "
                    + std::to_string(max) + " is expected)");
        fail(path, "expected an integer, found " + v.dump());
    }
    fail(path, "expected an integer, found " + describe(v));
}

int get_int(const json& v, const std::string& path, int min = std::numeric_limits<int>::min())
{
    return static_cast<int>(get_integer(v, path, min, std::numeric_limits<int>::max()));
}

std::uint64_t get_unsigned(const json& v, const std::string& path)
{
    if (v.is_number_unsigned())
        return v.get<std::uint64_t>();
    if (v.is_number_integer()) // negative: nlohmann stores non-negative integers as unsigned
        fail(path, "must not be negative, found " + v.dump());
    return static_cast<std::uint64_t>(get_integer(v, path, 0, std::numeric_limits<std::int64_t>::max()));
}

// A count field (lane_count, event_count), checked against the limit before anything is sized by it.
std::size_t get_count(const json& top, const char* key, const json& array, const char* array_key)
{
    const json& v = member(top, "", key);
    const std::int64_t count = get_integer(v, key, 0, std::numeric_limits<std::int64_t>::max());
    if (static_cast<std::uint64_t>(count) > max_trace_items)
        fail(key,
            std::to_string(count) + " " + array_key + " are more than this PoolScope loads ("
                + std::to_string(max_trace_items) + ")");
    if (array.size() != static_cast<std::size_t>(count))
        fail(array_key,
            "holds " + std::to_string(array.size()) + " entries but " + key + " says " + std::to_string(count)
                + " (was the file cut or edited?)");
    return static_cast<std::size_t>(count);
}

// Line and column (1-based; columns count characters, not bytes) of byte `offset` in `text`.
std::string describe_position(std::string_view text, std::size_t offset)
{
    offset = std::min(offset, text.size());
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++column;
        }
    }
    return "byte " + std::to_string(offset) + " (line " + std::to_string(line) + ", column " + std::to_string(column)
        + ")";
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 3, column 7: "
// prefix (we say where in our own words), with the token it quotes ("last read: '...'", "parsing
// '...'") shortened and made printable: a token can be a whole megabyte-long string, or hold the
// very bytes that are not UTF-8.
std::string tidy_parser_message(std::string detail, std::string* token = nullptr)
{
    if (const auto id_end = detail.find("] "); detail.starts_with("[json.") && id_end != std::string::npos) {
        const auto position_end = detail.find(": ", id_end);
        const bool has_position = detail.compare(id_end + 2, 11, "parse error") == 0;
        detail.erase(0, has_position && position_end != std::string::npos ? position_end + 2 : id_end + 2);
    }
    for (const std::string_view opener : { std::string_view("last read: '"), std::string_view("parsing '") }) {
        const auto open = detail.find(opener);
        if (open == std::string::npos)
            continue;
        const auto from = open + opener.size();
        auto close = detail.rfind("'; expected ");
        if (close == std::string::npos || close < from)
            close = detail.size() > from && detail.back() == '\'' ? detail.size() - 1 : std::string::npos;
        if (close == std::string::npos)
            continue;
        const std::string quoted = detail.substr(from, close - from);
        if (token)
            *token = quoted;
        detail.replace(open, close + 1 - open,
            std::string(opener.substr(0, opener.size() - 1))
                + (opener.starts_with("last") ? quote_tail_for_message(quoted) : quote_for_message(quoted)));
    }
    return detail;
}

json parse_text(const std::string& text)
{
    if (std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }))
        throw TraceError("the input is empty: no JSON at all", describe_position(text, text.size()));
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        // nlohmann counts e.byte from 1: the position of the last character it read.
        const std::size_t offset = e.byte > 0 ? static_cast<std::size_t>(e.byte - 1) : 0;
        std::string problem = "not valid JSON: " + tidy_parser_message(e.what());
        if (offset >= text.size())
            problem += " (the file ends too early; is it truncated?)";
        throw TraceError(std::move(problem), describe_position(text, offset));
    } catch (const json::exception& e) {
        // A number too large for a double: nlohmann reports "number overflow parsing '1e999'" with
        // no position, so the position is that of the first occurrence of the token.
        std::string token;
        std::string problem = "not valid JSON: " + tidy_parser_message(e.what(), &token);
        std::string location;
        if (const auto at = token.empty() ? std::string::npos : text.find(token); at != std::string::npos)
            location = describe_position(text, at);
        throw TraceError(std::move(problem), std::move(location));
    }
}

int read_header(const json& top)
{
    const auto format = top.find("format");
    if (format == top.end()) {
        std::string problem = "missing: this is not a PoolScope trace";
        if (top.contains("traceEvents"))
            problem += " (it looks like a Chrome trace, which PoolScope exports but does not load)";
        fail("format", problem);
    }
    if (!format->is_string() || format->get_ref<const std::string&>() != format_name)
        fail("format", "expected \"" + std::string(format_name) + "\", found " + describe(*format));

    const json& version_value = member(top, "", "version");
    const std::int64_t version = get_integer(
        version_value, "version", std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
    if (version > current_trace_format_version)
        fail("version",
            "trace version " + std::to_string(version) + " is newer than this PoolScope reads ("
                + std::to_string(current_trace_format_version) + ")");
    if (version < 1)
        fail("version", "unknown trace version " + std::to_string(version));
    return static_cast<int>(version);
}

// An optional member: null when absent.
const json* optional_member(const json& object, const char* key)
{
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

void read_run(const json& top, Trace& trace)
{
    const json& run = expect_object(member(top, "", "run"), "run");
    const std::string p = "run";
    trace.scenario = get_string(member(run, p, "scenario"), "run.scenario");
    trace.title = get_string(member(run, p, "title"), "run.title");
    const json& parameters = expect_array(member(run, p, "parameters"), "run.parameters");
    trace.parameters.reserve(parameters.size());
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const std::string pp = index("run.parameters", i);
        const json& parameter = expect_object(parameters[i], pp);
        trace.parameters.emplace_back(get_string(member(parameter, pp, "name"), join(pp, "name")),
            get_string(member(parameter, pp, "value"), join(pp, "value")));
    }
    trace.pool_kind = get_string(member(run, p, "pool_kind"), "run.pool_kind");
    trace.max_workers = get_int(member(run, p, "max_workers"), "run.max_workers", 0);
    trace.host = get_string(member(run, p, "host"), "run.host");
    trace.started_at = get_string(member(run, p, "started_at"), "run.started_at");
    trace.wall_time = std::chrono::nanoseconds(
        get_integer(member(run, p, "wall_time_ns"), "run.wall_time_ns", 0, std::numeric_limits<std::int64_t>::max()));
    trace.output = get_string(member(run, p, "output"), "run.output");

    // Version 2's optional keys; a version 1 file simply does not have them.
    if (const json* v = optional_member(run, "origin"))
        trace.origin = get_string(*v, "run.origin");
    if (const json* v = optional_member(run, "python_version"))
        trace.python_version = get_string(*v, "run.python_version");
    if (const json* v = optional_member(run, "program"))
        trace.program = get_string(*v, "run.program");
    if (const json* v = optional_member(run, "arguments")) {
        const json& arguments = expect_array(*v, "run.arguments");
        trace.arguments.reserve(arguments.size());
        for (std::size_t i = 0; i < arguments.size(); ++i)
            trace.arguments.push_back(get_string(arguments[i], index("run.arguments", i)));
    }
    if (const json* v = optional_member(run, "exit_code"))
        trace.exit_code = get_int(*v, "run.exit_code");
    if (const json* v = optional_member(run, "source"))
        trace.source = get_string(*v, "run.source");
}

void read_lanes(const json& top, Trace& trace)
{
    const json& lanes = expect_array(member(top, "", "lanes"), "lanes");
    const std::size_t count = get_count(top, "lane_count", lanes, "lanes");
    trace.lanes.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::string lp = index("lanes", i);
        const json& lane = expect_object(lanes[i], lp);
        Lane l;
        l.index = get_int(member(lane, lp, "index"), join(lp, "index"));
        l.name = get_string(member(lane, lp, "name"), join(lp, "name"));
        if (const auto pid = lane.find("pid"); pid != lane.end())
            l.pid = get_int(*pid, join(lp, "pid"));
        trace.lanes.push_back(std::move(l));
    }
}

Event read_event(const json& row, const std::string& ep, int version)
{
    if (!row.is_array())
        fail(ep, "expected an event row " + std::string(row_layout) + ", found " + describe(row));
    const std::size_t most = version >= 2 ? all_columns : version_1_columns;
    if (row.size() < required_columns || row.size() > most)
        fail(ep,
            "expected " + std::to_string(required_columns) + " to " + std::to_string(most) + " columns "
                + std::string(version >= 2 ? row_layout : version_1_row_layout) + ", found "
                + std::to_string(row.size()));
    Event e;
    e.time = std::chrono::nanoseconds(get_integer(
        row[0], join(ep, "time"), std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()));
    const std::string kind = get_string(row[1], join(ep, "kind"));
    const auto parsed = event_kind_from_string(kind);
    if (!parsed)
        fail(join(ep, "kind"), "unknown event kind " + quote_for_message(kind));
    e.kind = *parsed;
    e.task_id = get_unsigned(row[2], join(ep, "task_id"));
    e.worker = get_int(row[3], join(ep, "worker"));
    e.attempt = get_int(row[4], join(ep, "attempt"));
    if (row.size() > 5)
        e.label = get_string(row[5], join(ep, "label"));
    if (row.size() > 6)
        e.pid = get_int(row[6], join(ep, "pid"));
    if (row.size() > 7)
        e.line = get_int(row[7], join(ep, "line"), 0);
    return e;
}

void read_events(const json& top, Trace& trace)
{
    const json& events = expect_array(member(top, "", "events"), "events");
    const std::size_t count = get_count(top, "event_count", events, "events");
    trace.events.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        trace.events.push_back(read_event(events[i], index("events", i), trace.format_version));
}

Trace decode(const json& top)
{
    if (!top.is_object())
        fail("top level", "expected a JSON object, found " + describe(top));
    Trace trace;
    trace.format_version = read_header(top);
    read_run(top, trace);
    read_lanes(top, trace);
    read_events(top, trace);
    validate_trace(trace);
    return trace;
}

} // namespace

void save_trace(const Trace& trace, std::ostream& out)
{
    validate_trace(trace);

    std::string text;
    text += "{\n";
    text += "  \"format\": " + json_quote(format_name) + ",\n";
    text += "  \"version\": " + std::to_string(current_trace_format_version) + ",\n";
    text += "  \"run\": {\n";
    text += "    \"scenario\": " + json_quote(trace.scenario) + ",\n";
    text += "    \"title\": " + json_quote(trace.title) + ",\n";
    text += "    \"parameters\": [";
    for (std::size_t i = 0; i < trace.parameters.size(); ++i) {
        text += i == 0 ? "" : ", ";
        text += "{\"name\": " + json_quote(trace.parameters[i].first)
            + ", \"value\": " + json_quote(trace.parameters[i].second) + "}";
    }
    text += "],\n";
    text += "    \"pool_kind\": " + json_quote(trace.pool_kind) + ",\n";
    text += "    \"max_workers\": " + std::to_string(trace.max_workers) + ",\n";
    text += "    \"host\": " + json_quote(trace.host) + ",\n";
    text += "    \"started_at\": " + json_quote(trace.started_at) + ",\n";
    text += "    \"wall_time_ns\": " + std::to_string(trace.wall_time.count()) + ",\n";
    text += "    \"output\": " + json_quote(trace.output);
    // Version 2's optional keys, written only when set, so a scenario run's file reads as before.
    const auto optional_string = [&text](const char* key, const std::string& value) {
        if (!value.empty())
            text += ",\n    \"" + std::string(key) + "\": " + json_quote(value);
    };
    optional_string("origin", trace.origin);
    optional_string("python_version", trace.python_version);
    optional_string("program", trace.program);
    if (!trace.arguments.empty()) {
        text += ",\n    \"arguments\": [";
        for (std::size_t i = 0; i < trace.arguments.size(); ++i)
            text += (i == 0 ? "" : ", ") + json_quote(trace.arguments[i]);
        text += ']';
    }
    if (trace.exit_code)
        text += ",\n    \"exit_code\": " + std::to_string(*trace.exit_code);
    optional_string("source", trace.source);
    text += "\n  },\n";
    text += "  \"lane_count\": " + std::to_string(trace.lanes.size()) + ",\n";
    text += "  \"lanes\": [";
    for (std::size_t i = 0; i < trace.lanes.size(); ++i) {
        const Lane& lane = trace.lanes[i];
        text += i == 0 ? "\n    " : ",\n    ";
        text += "{\"index\": " + std::to_string(lane.index) + ", \"name\": " + json_quote(lane.name);
        if (lane.pid != 0)
            text += ", \"pid\": " + std::to_string(lane.pid);
        text += '}';
    }
    text += trace.lanes.empty() ? "],\n" : "\n  ],\n";
    text += "  \"event_count\": " + std::to_string(trace.events.size()) + ",\n";
    text += "  \"events\": [";
    out << text;

    // Events go out one line at a time, so a big trace is never held twice in memory.
    std::string line;
    for (std::size_t i = 0; i < trace.events.size(); ++i) {
        line.assign(i == 0 ? "\n    " : ",\n    ");
        write_event_row(line, trace.events[i]);
        out << line;
    }
    out << (trace.events.empty() ? "]\n}\n" : "\n  ]\n}\n");
    out.flush();
    detail::check_stream(out, "trace");
}

void save_trace(const Trace& trace, const std::string& path)
{
    // Validate before touching the file system, so a bad trace does not even create the temporary.
    try {
        validate_trace(trace);
    } catch (const TraceError& e) {
        throw e.in_file(path);
    }
    detail::write_file_atomically(path, [&](std::ostream& out) { save_trace(trace, out); });
}

Trace load_trace(std::istream& in)
{
    std::string text { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
    if (in.bad())
        throw TraceError("could not read the trace: the input stream failed");
    const json top = parse_text(text);
    text.clear();
    text.shrink_to_fit(); // the document holds everything now; do not keep the file twice
    try {
        return decode(top);
    } catch (const json::exception& e) {
        // Every access above is type-checked first; this is a last line of defence, so that a
        // damaged file can only ever produce a TraceError.
        throw TraceError(std::string("unexpected content: ") + e.what());
    }
}

Trace load_trace(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw TraceError(std::string("cannot open: ") + std::strerror(errno), {}, path);
    try {
        return load_trace(in);
    } catch (const TraceError& e) {
        throw e.in_file(path);
    }
}

} // namespace poolscope::trace
