#include <poolscope/trace/cpython_event_reader.h>
#include <poolscope/trace/event_kind_name.h>
#include <poolscope/trace/trace_error.h>
#include <poolscope/trace/trace_file.h>

#include "support.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <tuple>
#include <utility>

namespace poolscope::trace {

namespace {

using nlohmann::json;

constexpr std::int64_t events_format_version = 1; // PROTOCOL.md: "poolscope_events": 1

// The kinds of an events file: the trace's, plus the parent's view of a process-pool call's end.
enum class RawKind : std::uint8_t { trace_kind, result_set, exception_set };

struct RawEvent {
    std::int64_t time_ns = 0;
    RawKind raw = RawKind::trace_kind;
    EventKind kind = EventKind::submitted;
    std::uint64_t task = 0;
    std::optional<std::string> lane; // nullopt: the program's main thread
    std::string label;
    int line = 0;
};

struct LaneDeclaration {
    std::string name;
    int pid = 0;
};

struct Pool {
    std::string kind;
    int max_workers = 0;
};

struct Meta {
    std::string program;
    std::vector<std::string> arguments;
    std::string python_version;
    std::string host;
    std::string started_at;
    std::string source;
};

struct Exit {
    std::optional<int> exit_code;
    std::int64_t time_ns = 0;
};

enum class Role : std::uint8_t { parent, worker, other };

struct EventsFile {
    std::string name; // the file's name within the directory, which also orders the workers
    std::uintmax_t offset = 0; // bytes of the file on disk already read (poll_directory)
    std::string pending; // an unfinished last line, waiting for its newline
    std::size_t lines = 0; // lines parsed so far: the next one is lines + 1
    bool header_seen = false;
    bool refused = false; // no header, or a newer format: the rest of the file is ignored
    std::string run;
    Role role = Role::other;
    std::int64_t origin_ns = 0;
    bool has_origin = false;
    std::vector<std::pair<std::string, LaneDeclaration>> lanes;
    std::vector<std::pair<std::int64_t, Pool>> pools;
    std::optional<Meta> meta;
    std::optional<Exit> exit;
    std::vector<std::string> warnings;
    std::vector<RawEvent> events;
};

// A line's problem, as TraceError words it: "events-1.jsonl: line 7: not JSON ...".
struct LineError {
    std::string problem;
};

const json* member(const json& object, const char* key)
{
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::string string_member(const json& object, const char* key, const char* where)
{
    const json* value = member(object, key);
    if (!value || value->is_null())
        return {};
    if (!value->is_string())
        throw LineError { std::string(where) + "." + key + " is not a string" };
    return value->get<std::string>();
}

std::int64_t integer_member(const json& object, const char* key, const char* where, std::int64_t low, std::int64_t high)
{
    const json* value = member(object, key);
    if (!value || value->is_null())
        return 0;
    if (value->is_number_unsigned()) {
        if (value->get<std::uint64_t>() <= static_cast<std::uint64_t>(high))
            return static_cast<std::int64_t>(value->get<std::uint64_t>());
    } else if (value->is_number_integer()) {
        const auto v = value->get<std::int64_t>();
        if (v >= low && v <= high)
            return v;
    } else {
        throw LineError { std::string(where) + "." + key + " is not an integer" };
    }
    throw LineError { std::string(where) + "." + key + " is out of range (" + std::to_string(low) + " to "
        + std::to_string(high) + ")" };
}

// One event row: [time_ns, kind, task, lane, label, line]; later columns are ignored.
std::optional<RawEvent> parse_event(const json& row)
{
    if (row.size() < 6)
        throw LineError { "an event needs 6 columns [time_ns, kind, task, lane, label, line], this one has "
            + std::to_string(row.size()) };
    RawEvent e;
    if (row[0].is_number_unsigned() && row[0].get<std::uint64_t>() <= std::uint64_t(INT64_MAX))
        e.time_ns = static_cast<std::int64_t>(row[0].get<std::uint64_t>());
    else if (row[0].is_number_integer() && !row[0].is_number_unsigned())
        e.time_ns = row[0].get<std::int64_t>();
    else
        throw LineError { "event column 0 (time_ns) is not an integer" };
    if (!row[1].is_string())
        throw LineError { "event column 1 (kind) is not a string" };
    const auto& kind = row[1].get_ref<const std::string&>();
    if (!row[2].is_number_unsigned())
        throw LineError { "event column 2 (task) is not an integer >= 0" };
    e.task = row[2].get<std::uint64_t>();
    if (row[3].is_string())
        e.lane = row[3].get<std::string>();
    else if (!row[3].is_null())
        throw LineError { "event column 3 (lane) is neither a string nor null" };
    if (!row[4].is_string())
        throw LineError { "event column 4 (label) is not a string" };
    e.label = row[4].get<std::string>();
    if (!row[5].is_number_unsigned() || row[5].get<std::uint64_t>() > std::uint64_t(INT_MAX))
        throw LineError { "event column 5 (line) is not an integer from 0 to " + std::to_string(INT_MAX) };
    e.line = static_cast<int>(row[5].get<std::uint64_t>());

    if (kind == "result_set") {
        e.raw = RawKind::result_set;
    } else if (kind == "exception_set") {
        e.raw = RawKind::exception_set;
    } else {
        const auto known = event_kind_from_string(kind);
        // The kinds the tracer stamps. Others (a newer tracer's) are skipped, as PROTOCOL.md asks;
        // the interpreter-lock kinds, retried and output never come from it.
        static const std::set<EventKind> traced { EventKind::submitted, EventKind::started, EventKind::finished,
            EventKind::failed, EventKind::cancelled, EventKind::worker_started, EventKind::worker_stopped,
            EventKind::caller_blocked, EventKind::caller_resumed, EventKind::dispatched, EventKind::worker_spawning,
            EventKind::cancel_failed, EventKind::callback_started, EventKind::callback_finished };
        if (!known || !traced.contains(*known))
            return std::nullopt;
        e.kind = *known;
    }
    return e;
}

void parse_header(EventsFile& file, const json& value)
{
    if (!value.is_object() || !value.contains("poolscope_events"))
        throw LineError { "no header: line 1 must be the object {\"poolscope_events\": 1, ...}" };
    const std::int64_t version = integer_member(value, "poolscope_events", "header", 1, INT64_MAX);
    if (version > events_format_version)
        throw LineError { "events format version " + std::to_string(version) + " is newer than this PoolScope reads ("
            + std::to_string(events_format_version) + ")" };
    if (version < 1)
        throw LineError { "header.poolscope_events must be 1" };
    file.run = string_member(value, "run", "header");
    const std::string role = string_member(value, "role", "header");
    file.role = role == "parent" ? Role::parent : role == "worker" ? Role::worker : Role::other;
    if (const json* origin = member(value, "origin_ns"); origin && !origin->is_null()) {
        file.origin_ns = integer_member(value, "origin_ns", "header", INT64_MIN, INT64_MAX);
        file.has_origin = true;
    }
}

void parse_object(EventsFile& file, const json& value)
{
    if (const json* lane = member(value, "lane")) {
        if (!lane->is_string())
            throw LineError { "lane.lane is not a string" };
        LaneDeclaration declaration { string_member(value, "name", "lane"),
            static_cast<int>(integer_member(value, "pid", "lane", 0, INT_MAX)) };
        file.lanes.emplace_back(lane->get<std::string>(), std::move(declaration));
    } else if (member(value, "pool")) {
        Pool pool { string_member(value, "kind", "pool"),
            static_cast<int>(integer_member(value, "max_workers", "pool", 0, INT_MAX)) };
        file.pools.emplace_back(integer_member(value, "pool", "pool", INT64_MIN, INT64_MAX), std::move(pool));
    } else if (const json* meta = member(value, "meta")) {
        if (!meta->is_object())
            throw LineError { "meta is not an object" };
        Meta m;
        m.program = string_member(*meta, "program", "meta");
        m.python_version = string_member(*meta, "python_version", "meta");
        m.host = string_member(*meta, "host", "meta");
        m.started_at = string_member(*meta, "started_at", "meta");
        m.source = string_member(*meta, "source", "meta");
        if (const json* arguments = member(*meta, "arguments"); arguments && !arguments->is_null()) {
            if (!arguments->is_array())
                throw LineError { "meta.arguments is not an array" };
            for (const json& a : *arguments) {
                if (!a.is_string())
                    throw LineError { "meta.arguments holds a value that is not a string" };
                m.arguments.push_back(a.get<std::string>());
            }
        }
        file.meta = std::move(m);
    } else if (const json* exit = member(value, "exit")) {
        if (!exit->is_object())
            throw LineError { "exit is not an object" };
        Exit e;
        if (const json* code = member(*exit, "exit_code"); code && !code->is_null())
            e.exit_code = static_cast<int>(integer_member(*exit, "exit_code", "exit", INT_MIN, INT_MAX));
        e.time_ns = integer_member(*exit, "time_ns", "exit", INT64_MIN, INT64_MAX);
        file.exit = e;
    } else if (const json* warning = member(value, "warning")) {
        if (!warning->is_string())
            throw LineError { "warning is not a string" };
        file.warnings.push_back(warning->get<std::string>());
    }
    // Other objects: a newer tracer's, ignored as PROTOCOL.md asks.
}

void parse_line(EventsFile& file, std::string_view text, std::size_t max_line_bytes)
{
    if (text.size() > max_line_bytes)
        throw LineError { "the line is longer than the " + std::to_string(max_line_bytes)
            + " bytes this PoolScope reads in one line" };
    json value;
    try {
        value = json::parse(text);
    } catch (const json::parse_error& e) {
        std::string message = e.what();
        // nlohmann says "[json.exception.parse_error.101] parse error at line 1, column 5: ..."; the
        // line is ours to name, so keep what follows the position.
        if (const auto colon = message.find(": "); colon != std::string::npos)
            message.erase(0, colon + 2);
        throw LineError { "not JSON at byte " + std::to_string(e.byte) + " of the line ("
            + detail::quote_for_message(text) + "): " + message };
    }
    if (!file.header_seen) {
        file.header_seen = true;
        parse_header(file, value);
        return;
    }
    if (value.is_array()) {
        if (auto e = parse_event(value))
            file.events.push_back(std::move(*e));
    } else if (value.is_object()) {
        parse_object(file, value);
    } else {
        throw LineError { "neither an event (an array) nor an object" };
    }
}

std::int64_t saturating_difference(std::int64_t a, std::int64_t b)
{
    std::int64_t d = 0;
    if (__builtin_sub_overflow(a, b, &d))
        return a > b ? INT64_MAX : INT64_MIN;
    return d;
}

std::string base_name(const std::string& path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

struct CPythonEventReader::State {
    Options options;
    std::map<std::string, EventsFile> files; // by name: workers merge in name order
    std::vector<std::string> problems; // malformed lines and unreadable files, in the order met
    struct Output {
        EventKind kind;
        std::int64_t time_ns;
        std::string line;
    };
    std::vector<Output> output;
    std::size_t output_dropped = 0;

    std::size_t add(EventsFile& file, std::string_view bytes)
    {
        std::size_t parsed = 0;
        while (!bytes.empty()) {
            const auto newline = bytes.find('\n');
            const std::size_t limit = options.max_line_bytes + 1; // one byte more keeps a long line malformed
            if (newline == std::string_view::npos) {
                // An unfinished line, kept for the next read; bounded, however long it claims to be.
                const std::size_t room = limit - std::min(file.pending.size(), limit);
                file.pending.append(bytes.substr(0, std::min(bytes.size(), room)));
                break;
            }
            std::string_view text = bytes.substr(0, newline);
            bytes.remove_prefix(newline + 1);
            std::string joined;
            if (!file.pending.empty()) {
                joined = std::move(file.pending);
                file.pending.clear();
                const std::size_t room = limit - std::min(joined.size(), limit);
                joined.append(text.substr(0, std::min(text.size(), room)));
                text = joined;
            }
            ++file.lines;
            ++parsed;
            if (file.refused)
                continue;
            try {
                parse_line(file, text, options.max_line_bytes);
            } catch (const LineError& e) {
                if (file.lines == 1)
                    file.refused = true;
                TraceError error(e.problem, "line " + std::to_string(file.lines), file.name);
                if (options.strict)
                    throw error;
                problems.emplace_back(error.what());
            } catch (const json::exception& e) {
                // A type mismatch nlohmann found before our checks did: malformed, never a crash.
                TraceError error(
                    std::string("malformed: ") + e.what(), "line " + std::to_string(file.lines), file.name);
                if (options.strict)
                    throw error;
                problems.emplace_back(error.what());
            }
        }
        return parsed;
    }

    // The files of the parent's run, the parent first, then the others by name.
    std::vector<const EventsFile*> run_files() const
    {
        std::vector<const EventsFile*> with_header;
        for (const auto& [name, file] : files) {
            if (file.header_seen && !file.refused)
                with_header.push_back(&file);
        }
        if (with_header.empty())
            return {};
        const EventsFile* parent = nullptr;
        for (const EventsFile* f : with_header) {
            if (f->role == Role::parent) {
                parent = f;
                break;
            }
        }
        const std::string& run = (parent ? parent : with_header.front())->run;
        std::vector<const EventsFile*> chosen;
        if (parent)
            chosen.push_back(parent);
        for (const EventsFile* f : with_header) {
            if (f != parent && f->run == run)
                chosen.push_back(f);
        }
        return chosen;
    }

    const EventsFile* parent() const
    {
        for (const auto& [name, file] : files) {
            if (file.header_seen && !file.refused && file.role == Role::parent)
                return &file;
        }
        return nullptr;
    }
};

CPythonEventReader::CPythonEventReader()
    : CPythonEventReader(Options {})
{
}

CPythonEventReader::CPythonEventReader(Options options)
    : state_(std::make_unique<State>())
{
    state_->options = options;
}

CPythonEventReader::~CPythonEventReader() = default;
CPythonEventReader::CPythonEventReader(CPythonEventReader&&) noexcept = default;
CPythonEventReader& CPythonEventReader::operator=(CPythonEventReader&&) noexcept = default;

std::size_t CPythonEventReader::poll_directory(const std::string& dir)
{
    namespace fs = std::filesystem;
    std::error_code error;
    fs::directory_iterator it(dir, error);
    if (error)
        throw TraceError("cannot list the events directory: " + error.message(), {}, dir);
    std::vector<std::string> names;
    for (const fs::directory_entry& entry : it) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with("events-") && name.ends_with(".jsonl"))
            names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    std::size_t parsed = 0;
    for (const std::string& name : names) {
        EventsFile& file = state_->files[name];
        file.name = name;
        std::ifstream in(fs::path(dir) / name, std::ios::binary);
        if (!in) {
            state_->problems.push_back(name + ": cannot be opened, skipped");
            continue;
        }
        in.seekg(0, std::ios::end);
        const auto size = static_cast<std::uintmax_t>(std::max<std::streamoff>(0, in.tellg()));
        if (size <= file.offset)
            continue;
        in.seekg(static_cast<std::streamoff>(file.offset));
        std::string bytes(size - file.offset, '\0');
        in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        bytes.resize(static_cast<std::size_t>(std::max<std::streamsize>(0, in.gcount())));
        file.offset += bytes.size();
        parsed += state_->add(file, bytes);
    }
    return parsed;
}

std::size_t CPythonEventReader::add_data(const std::string& file_name, std::string_view bytes)
{
    EventsFile& file = state_->files[file_name];
    file.name = file_name;
    return state_->add(file, bytes);
}

void CPythonEventReader::add_output(EventKind kind, std::int64_t time_ns, std::string line)
{
    if (state_->output.size() >= state_->options.max_output_lines) {
        ++state_->output_dropped;
        return;
    }
    state_->output.push_back({ kind, time_ns, std::move(line) });
}

Trace CPythonEventReader::trace() const
{
    const std::vector<const EventsFile*> files = state_->run_files();
    const EventsFile* parent = state_->parent();
    std::int64_t origin = 0;
    if (parent && parent->has_origin)
        origin = parent->origin_ns;
    else if (!files.empty() && files.front()->has_origin)
        origin = files.front()->origin_ns;

    struct Row {
        std::int64_t time;
        std::size_t sequence;
        const RawEvent* event;
        Role role;
        const State::Output* output;
    };
    std::vector<Row> rows;
    std::map<std::string, LaneDeclaration> lanes; // the first declaration of each lane key
    std::map<std::int64_t, Pool> pools;
    std::size_t sequence = 0;
    for (const EventsFile* f : files) {
        for (const auto& [key, declaration] : f->lanes)
            lanes.emplace(key, declaration);
        for (const auto& [id, pool] : f->pools)
            pools.emplace(id, pool);
        for (const RawEvent& e : f->events)
            rows.push_back({ e.time_ns, sequence++, &e, f->role, nullptr });
    }
    for (const State::Output& o : state_->output)
        rows.push_back({ o.time_ns, sequence++, nullptr, Role::parent, &o });
    std::sort(rows.begin(), rows.end(),
        [](const Row& a, const Row& b) { return std::tie(a.time, a.sequence) < std::tie(b.time, b.sequence); });

    // A process-pool call's end (PROTOCOL.md): the worker's stamp is the terminal event, with the
    // outcome the parent saw; without a stamp from the worker (it died), the parent's view ends the
    // call on the lane it started on.
    std::map<std::uint64_t, const RawEvent*> parent_end;
    std::set<std::uint64_t> worker_end;
    std::map<std::uint64_t, std::optional<std::string>> started_lane;
    for (const Row& r : rows) {
        if (!r.event)
            continue;
        const RawEvent& e = *r.event;
        if (e.raw != RawKind::trace_kind)
            parent_end.emplace(e.task, &e);
        else if ((e.kind == EventKind::finished || e.kind == EventKind::failed) && r.role == Role::worker)
            worker_end.insert(e.task);
        else if (e.kind == EventKind::started)
            started_lane.emplace(e.task, e.lane);
    }

    Trace t;
    t.origin = "cpython";
    std::map<std::string, int> lane_index;
    const auto lane_of = [&](const std::optional<std::string>& key) {
        if (!key)
            return -1;
        const auto [it, added] = lane_index.emplace(*key, static_cast<int>(t.lanes.size()));
        if (added) {
            Lane lane;
            lane.index = it->second;
            const auto declared = lanes.find(*key);
            lane.name = declared != lanes.end() && !declared->second.name.empty() ? declared->second.name : *key;
            if (key->find(':') == std::string::npos && declared != lanes.end()) // a worker process
                lane.pid = declared->second.pid;
            t.lanes.push_back(std::move(lane));
        }
        return it->second;
    };
    for (const Row& r : rows) {
        Event out;
        out.time = std::chrono::nanoseconds(std::max<std::int64_t>(0, saturating_difference(r.time, origin)));
        if (r.output) {
            out.kind = r.output->kind;
            out.label = r.output->line;
            t.events.push_back(std::move(out));
            continue;
        }
        const RawEvent& e = *r.event;
        out.kind = e.kind;
        out.task_id = e.task;
        out.label = e.label;
        out.line = e.line;
        std::optional<std::string> lane = e.lane;
        if (e.raw != RawKind::trace_kind) {
            if (worker_end.contains(e.task))
                continue;
            out.kind = e.raw == RawKind::result_set ? EventKind::finished : EventKind::failed;
            const auto started = started_lane.find(e.task);
            lane = started == started_lane.end() ? std::nullopt : started->second;
        } else if ((e.kind == EventKind::finished || e.kind == EventKind::failed) && r.role == Role::worker) {
            if (const auto outcome = parent_end.find(e.task); outcome != parent_end.end()) {
                out.kind = outcome->second->raw == RawKind::result_set ? EventKind::finished : EventKind::failed;
                out.label = outcome->second->label;
            }
        } else if (e.kind == EventKind::dispatched) {
            lane.reset(); // stamped on the manager thread; the call has no lane until it starts
        }
        out.worker = lane_of(lane);
        if (out.worker >= 0)
            out.pid = t.lanes[static_cast<std::size_t>(out.worker)].pid;
        t.events.push_back(std::move(out));
    }

    bool thread = false;
    bool process = false;
    for (const auto& [id, pool] : pools) {
        thread = thread || pool.kind == "thread";
        process = process || pool.kind == "process";
        t.max_workers = std::max(t.max_workers, pool.max_workers);
    }
    t.pool_kind = thread && process ? "thread+process" : thread ? "thread" : process ? "process" : "";

    std::int64_t wall = t.events.empty() ? 0 : t.events.back().time.count();
    if (parent && parent->exit && parent->exit->time_ns != 0)
        wall = std::max(wall, saturating_difference(parent->exit->time_ns, origin));
    t.wall_time = std::chrono::nanoseconds(std::max<std::int64_t>(0, wall));
    if (parent && parent->meta) {
        const Meta& m = *parent->meta;
        t.program = m.program;
        t.title = base_name(m.program);
        t.arguments = m.arguments;
        t.python_version = m.python_version;
        t.host = m.host;
        t.started_at = m.started_at;
        t.source = m.source;
    }
    if (parent && parent->exit)
        t.exit_code = parent->exit->exit_code;
    for (const State::Output& o : state_->output) {
        t.output += o.line;
        t.output += '\n';
    }
    if (state_->output_dropped > 0)
        t.output += "[" + std::to_string(state_->output_dropped) + " more lines not recorded]\n";
    return t;
}

std::vector<std::string> CPythonEventReader::problems() const
{
    std::vector<std::string> all;
    std::set<std::string> seen;
    for (const EventsFile* f : state_->run_files()) {
        for (const std::string& w : f->warnings) {
            if (seen.insert(w).second)
                all.push_back(w);
        }
    }
    all.insert(all.end(), state_->problems.begin(), state_->problems.end());
    for (const auto& [name, file] : state_->files) {
        if (!file.pending.empty())
            all.push_back(name + ": an unfinished last line (" + std::to_string(file.pending.size())
                + " bytes, no newline) is not read yet");
    }
    const EventsFile* parent = state_->parent();
    if (!parent)
        all.emplace_back("no events file from the traced program's own process");
    else if (!parent->exit)
        all.emplace_back("the run did not end normally (killed, or os._exit): the trace may be cut short");
    if (state_->output_dropped > 0)
        all.push_back(std::to_string(state_->output_dropped) + " output lines beyond the first "
            + std::to_string(state_->options.max_output_lines) + " were not recorded");
    return all;
}

bool CPythonEventReader::exited() const
{
    const EventsFile* parent = state_->parent();
    return parent && parent->exit;
}

std::optional<int> CPythonEventReader::exit_code() const
{
    const EventsFile* parent = state_->parent();
    return parent && parent->exit ? parent->exit->exit_code : std::nullopt;
}

std::size_t CPythonEventReader::event_count() const
{
    std::size_t n = state_->output.size();
    for (const auto& [name, file] : state_->files)
        n += file.events.size();
    return n;
}

std::optional<std::int64_t> CPythonEventReader::origin_ns() const
{
    const EventsFile* parent = state_->parent();
    if (parent && parent->has_origin)
        return parent->origin_ns;
    return std::nullopt;
}

Trace read_cpython_events(const std::string& dir, std::vector<std::string>* problems)
{
    CPythonEventReader reader;
    reader.poll_directory(dir);
    Trace t = reader.trace();
    std::vector<std::string> found = reader.problems();
    if (!reader.origin_ns() && t.events.empty())
        throw TraceError("no events file of a traced run (events-<pid>.jsonl with a header) in the directory", {}, dir);
    if (problems)
        *problems = std::move(found);
    return t;
}

} // namespace poolscope::trace
