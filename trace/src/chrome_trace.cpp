#include <poolscope/trace/chrome_trace.h>
#include <poolscope/trace/trace_error.h>

#include "support.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace poolscope::trace {

namespace {

using Json = nlohmann::ordered_json; // keeps "name", "ph", "ts"... in a readable order

constexpr std::int64_t caller_pid = 1;
constexpr std::int64_t caller_tid = 0;

// Where entries sort among others with the same timestamp: metadata first, then slices (longest
// first, so a parent precedes what nests in it), instants, and flow events last, so each flow
// event finds the slice it binds to already open.
enum Rank : int { rank_metadata, rank_slice, rank_instant, rank_flow_start, rank_flow_end };

struct Entry {
    std::int64_t ts_ns;
    Rank rank;
    std::int64_t dur_ns;
    Json object;
};

using AttemptKey = std::pair<std::uint64_t, int>; // task id, attempt

struct Running {
    std::int64_t start_ns;
    int worker;
};

struct AttemptEnd {
    std::int64_t start_ns;
    std::int64_t end_ns;
    int worker;
    int attempt;
};

struct Pending {
    std::int64_t ns;
    int worker;
    std::uint64_t task_id;
};

std::string task_name(std::uint64_t task_id, const std::string& label)
{
    std::string name = "task " + std::to_string(task_id);
    if (!label.empty())
        name += " " + label;
    return name;
}

class ChromeWriter {
public:
    explicit ChromeWriter(const Trace& trace)
        : trace_(trace)
    {
        for (const Event& e : trace_.events)
            end_ns_ = std::max(end_ns_, e.time.count());
        collect_lanes();
    }

    void write(std::ostream& out)
    {
        add_metadata();
        for (const Event& e : trace_.events)
            add(e);
        close_pending();
        std::stable_sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
            return std::tie(a.ts_ns, a.rank, b.dur_ns) < std::tie(b.ts_ns, b.rank, a.dur_ns);
        });

        out << "{\"traceEvents\": [";
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            out << (i == 0 ? "\n" : ",\n") << dump(entries_[i].object);
        }
        out << "\n],\n\"displayTimeUnit\": \"ms\",\n\"otherData\": " << dump(other_data()) << "\n}\n";
        out.flush();
        detail::check_stream(out, "Chrome trace");
    }

private:
    static std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

    // Lanes as declared, completed for any worker index the events use without declaring it.
    void collect_lanes()
    {
        for (const Lane& lane : trace_.lanes)
            lanes_.try_emplace(lane.index, lane);
        std::set<int> named;
        for (const Event& e : trace_.events) {
            if (e.worker < 0)
                continue;
            auto [it, inserted] = lanes_.try_emplace(e.worker, Lane { e.worker, "worker " + std::to_string(e.worker) });
            if (inserted)
                derived_.insert(e.worker);
            if (!derived_.contains(e.worker))
                continue;
            if (e.kind == EventKind::worker_started && !e.label.empty() && named.insert(e.worker).second)
                it->second.name = e.label;
            if (it->second.pid == 0 && e.pid > 0)
                it->second.pid = e.pid;
        }
    }

    std::int64_t pid_of(int worker) const
    {
        const auto it = lanes_.find(worker);
        return it != lanes_.end() && it->second.pid > 0 ? it->second.pid : caller_pid;
    }

    static std::int64_t tid_of(int worker) { return worker < 0 ? caller_tid : static_cast<std::int64_t>(worker) + 1; }

    static double us(std::int64_t ns) { return static_cast<double>(ns) / 1000.0; }

    // to - from, or 0 if to is not later; computed without overflow, since the writer accepts any
    // trace, also one with absurd times that validate_trace() would refuse.
    static std::int64_t length(std::int64_t from, std::int64_t to)
    {
        if (to <= from)
            return 0;
        const std::uint64_t d = static_cast<std::uint64_t>(to) - static_cast<std::uint64_t>(from);
        return static_cast<std::int64_t>(std::min<std::uint64_t>(d, std::numeric_limits<std::int64_t>::max()));
    }

    Json& push(std::int64_t ts_ns, Rank rank, std::int64_t dur_ns, const char* ph, std::string name, const char* cat,
        int worker)
    {
        Json j;
        j["name"] = std::move(name);
        j["cat"] = cat;
        j["ph"] = ph;
        j["ts"] = us(ts_ns);
        if (rank == rank_slice)
            j["dur"] = us(dur_ns);
        j["pid"] = pid_of(worker);
        j["tid"] = tid_of(worker);
        entries_.push_back(Entry { ts_ns, rank, dur_ns, std::move(j) });
        return entries_.back().object;
    }

    Json& slice(std::int64_t from_ns, std::int64_t to_ns, std::string name, const char* cat, int worker)
    {
        return push(from_ns, rank_slice, length(from_ns, to_ns), "X", std::move(name), cat, worker);
    }

    Json& instant(const Event& e, std::string name, int worker)
    {
        Json& j = push(e.time.count(), rank_instant, 0, "i", std::move(name), "event", worker);
        j["s"] = "t";
        j["args"] = Json { { "kind", std::string(to_string(e.kind)) }, { "task_id", e.task_id },
            { "attempt", e.attempt }, { "label", e.label } };
        if (e.pid != 0)
            j["args"]["pid"] = e.pid;
        return j;
    }

    void flow(const char* name, std::int64_t from_ns, int from_worker, std::int64_t to_ns, int to_worker)
    {
        const std::uint64_t id = next_flow_id_++;
        Json& start = push(from_ns, rank_flow_start, 0, "s", name, "flow", from_worker);
        start["id"] = id;
        Json& end = push(to_ns, rank_flow_end, 0, "f", name, "flow", to_worker);
        end["id"] = id;
        end["bp"] = "e"; // bind to the enclosing slice: the attempt that starts here
    }

    void add_metadata()
    {
        const auto meta = [&](const char* name, std::int64_t pid, std::int64_t tid, Json args) {
            Json j;
            j["name"] = name;
            j["ph"] = "M";
            j["ts"] = 0;
            j["pid"] = pid;
            j["tid"] = tid;
            j["args"] = std::move(args);
            entries_.push_back(Entry { 0, rank_metadata, 0, std::move(j) });
        };
        std::string run = !trace_.title.empty() ? trace_.title : trace_.scenario;
        meta("process_name", caller_pid, caller_tid,
            Json { { "name", run.empty() ? "PoolScope" : "PoolScope: " + run } });
        meta("process_sort_index", caller_pid, caller_tid, Json { { "sort_index", 0 } });
        meta("thread_name", caller_pid, caller_tid, Json { { "name", "caller" } });
        meta("thread_sort_index", caller_pid, caller_tid, Json { { "sort_index", 0 } });
        std::set<std::int64_t> named_processes;
        for (const auto& [index, lane] : lanes_) {
            const std::int64_t pid = pid_of(index);
            if (pid != caller_pid && named_processes.insert(pid).second) {
                meta("process_name", pid, tid_of(index),
                    Json { { "name", lane.name + " (pid " + std::to_string(pid) + ")" } });
                meta("process_sort_index", pid, tid_of(index), Json { { "sort_index", tid_of(index) } });
            }
            meta("thread_name", pid, tid_of(index), Json { { "name", lane.name } });
            meta("thread_sort_index", pid, tid_of(index), Json { { "sort_index", tid_of(index) } });
        }
    }

    void add(const Event& e)
    {
        const std::int64_t t = e.time.count();
        const AttemptKey key { e.task_id, e.attempt };
        switch (e.kind) {
        case EventKind::submitted: {
            instant(e, "submit " + task_name(e.task_id, e.label), -1);
            submitted_.try_emplace(key, t);
            labels_.try_emplace(e.task_id, e.label);
            break;
        }
        case EventKind::started:
            start(e, key);
            break;
        case EventKind::finished:
        case EventKind::failed:
        case EventKind::cancelled:
            end(e, key);
            break;
        case EventKind::retried:
            instant(e, "retry " + task_name(e.task_id, {}) + " (attempt " + std::to_string(e.attempt) + ")", e.worker);
            break;
        case EventKind::worker_spawning:
            spawning_[e.worker] = t;
            break;
        case EventKind::worker_started:
            if (const auto it = spawning_.find(e.worker); it != spawning_.end()) {
                Json& j = slice(it->second, t, "spawn", "worker", e.worker);
                j["args"] = Json { { "label", e.label }, { "pid", e.pid } };
                lane_free_at_[e.worker] = t;
                spawning_.erase(it);
            } else {
                instant(e, "worker started", e.worker);
            }
            break;
        case EventKind::worker_stopped:
            instant(e, "worker stopped", e.worker);
            break;
        case EventKind::caller_blocked:
            blocked_[std::make_tuple(e.task_id, e.attempt, e.label)].push_back(t);
            break;
        case EventKind::caller_resumed: {
            auto it = blocked_.find(std::make_tuple(e.task_id, e.attempt, e.label));
            if (it == blocked_.end() || it->second.empty()) {
                instant(e, "caller resumed", -1);
                break;
            }
            caller_block(it->second.front(), t, e.task_id, e.label, false);
            it->second.erase(it->second.begin());
            break;
        }
        case EventKind::dispatched:
            dispatched_[key] = Pending { t, e.worker, e.task_id };
            break;
        case EventKind::gil_requested:
            gil_requests_[e.worker] = Pending { t, e.worker, e.task_id };
            break;
        case EventKind::gil_acquired:
            if (const auto it = gil_requests_.find(e.worker); it != gil_requests_.end()) {
                gil_wait(it->second, t, false);
                gil_requests_.erase(it);
            }
            break;
        case EventKind::gil_released:
            break; // the gaps between the waits show who holds the lock; an instant per switch is noise
        case EventKind::cancel_failed:
            instant(e, "cancel() returned False: " + task_name(e.task_id, {}), e.worker);
            break;
        case EventKind::callback_started:
            callbacks_[std::make_pair(e.worker, e.task_id)].push_back(Pending { t, e.worker, e.task_id });
            break;
        case EventKind::callback_finished: {
            auto it = callbacks_.find(std::make_pair(e.worker, e.task_id));
            if (it == callbacks_.end() || it->second.empty()) {
                instant(e, "callback finished", e.worker);
                break;
            }
            callback(it->second.back(), t, e.label, false);
            it->second.pop_back();
            break;
        }
        case EventKind::output:
        case EventKind::error_output:
            instant(e, std::string(e.kind == EventKind::output ? "stdout: " : "stderr: ") + e.label, e.worker);
            break;
        }
    }

    void start(const Event& e, const AttemptKey& key)
    {
        const std::int64_t t = e.time.count();
        if (const auto d = dispatched_.find(key); d != dispatched_.end()) {
            // The task may have entered the call queue while this lane still ran its previous task;
            // slices on one thread must nest, so the wait is drawn from when the lane became free.
            const int lane = e.worker >= 0 ? e.worker : d->second.worker;
            std::int64_t from = d->second.ns;
            if (const auto free = lane_free_at_.find(lane); free != lane_free_at_.end())
                from = std::max(from, std::min(free->second, t));
            Json& j = slice(from, t, "dispatched (waiting in call queue)", "wait", lane);
            j["args"]
                = Json { { "task_id", e.task_id }, { "attempt", e.attempt }, { "dispatched_at_us", us(d->second.ns) } };
            dispatched_.erase(d);
        }
        running_[key] = Running { t, e.worker };
        if (const auto s = submitted_.find(key); s != submitted_.end())
            flow("submit → start", s->second, -1, t, e.worker);
        if (const auto prev = last_end_.find(e.task_id); prev != last_end_.end() && prev->second.attempt < e.attempt) {
            // One nanosecond inside the previous attempt's slice, so viewers bind the arrow to it.
            const AttemptEnd& p = prev->second;
            flow("retry", p.end_ns > p.start_ns ? p.end_ns - 1 : p.start_ns, p.worker, t, e.worker);
        }
    }

    void end(const Event& e, const AttemptKey& key)
    {
        const auto it = running_.find(key);
        if (it == running_.end()) {
            // Never started: cancelled while pending, or failed when the pool broke under it.
            const std::string what = e.kind == EventKind::cancelled ? "cancel " : std::string(to_string(e.kind)) + " ";
            instant(e, what + task_name(e.task_id, {}), e.worker);
            return;
        }
        task_slice(e.task_id, e.attempt, it->second, e.time.count(), std::string(to_string(e.kind)),
            e.kind == EventKind::failed ? &e.label : nullptr);
        running_.erase(it);
    }

    void task_slice(std::uint64_t task_id, int attempt, const Running& r, std::int64_t end_ns, std::string outcome,
        const std::string* error)
    {
        const auto label = labels_.find(task_id);
        const std::string& arguments = label != labels_.end() ? label->second : empty_;
        Json& j = slice(r.start_ns, end_ns, task_name(task_id, arguments), "task", r.worker);
        j["args"] = Json { { "task_id", task_id }, { "attempt", attempt }, { "arguments", arguments },
            { "outcome", std::move(outcome) } };
        if (error)
            j["args"]["error"] = *error;
        lane_free_at_[r.worker] = end_ns;
        last_end_[task_id] = AttemptEnd { r.start_ns, end_ns, r.worker, attempt };
    }

    void caller_block(
        std::int64_t from, std::int64_t to, std::uint64_t task_id, const std::string& what, bool unfinished)
    {
        Json& j = slice(from, to, what.empty() ? "caller blocked" : "caller blocked in " + what + "()", "caller", -1);
        j["args"] = Json { { "task_id", task_id }, { "call", what } };
        if (unfinished)
            j["args"]["unfinished"] = true;
    }

    void callback(const Pending& began, std::int64_t to, const std::string& name, bool unfinished)
    {
        Json& j = slice(began.ns, to, name.empty() ? "done-callback" : "done-callback " + name, "callback", began.worker);
        j["args"] = Json { { "task_id", began.task_id }, { "callback", name } };
        if (unfinished)
            j["args"]["unfinished"] = true;
    }

    void gil_wait(const Pending& request, std::int64_t to, bool unfinished)
    {
        Json& j = slice(request.ns, to, "waiting for GIL", "wait", request.worker);
        j["args"] = Json { { "task_id", request.task_id } };
        if (unfinished)
            j["args"]["unfinished"] = true;
    }

    // Whatever was still open when the trace ended is drawn up to its last event, marked unfinished.
    void close_pending()
    {
        for (const auto& [key, r] : running_)
            task_slice(key.first, key.second, r, end_ns_, "unfinished", nullptr);
        for (const auto& [key, starts] : blocked_) {
            for (const std::int64_t from : starts)
                caller_block(from, end_ns_, std::get<0>(key), std::get<2>(key), true);
        }
        for (const auto& [worker, from] : spawning_) {
            Json& j = slice(from, end_ns_, "spawn", "worker", worker);
            j["args"] = Json { { "unfinished", true } };
        }
        for (const auto& [worker, request] : gil_requests_)
            gil_wait(request, end_ns_, true);
        for (const auto& [key, began] : callbacks_) {
            for (const Pending& b : began)
                callback(b, end_ns_, {}, true);
        }
        for (const auto& [key, d] : dispatched_) {
            Event e;
            e.kind = EventKind::dispatched;
            e.task_id = key.first;
            e.attempt = key.second;
            e.time = std::chrono::nanoseconds(d.ns);
            instant(e, "dispatched " + task_name(key.first, {}), d.worker);
        }
    }

    Json other_data() const
    {
        Json parameters = Json::object();
        for (const auto& [name, value] : trace_.parameters)
            parameters[name] = value;
        return Json { { "exported_by", "PoolScope" }, { "trace_format_version", trace_.format_version },
            { "scenario", trace_.scenario }, { "title", trace_.title }, { "parameters", std::move(parameters) },
            { "pool_kind", trace_.pool_kind }, { "max_workers", trace_.max_workers }, { "host", trace_.host },
            { "started_at", trace_.started_at },
            { "wall_time_ms", static_cast<double>(trace_.wall_time.count()) / 1e6 }, { "output", trace_.output } };
    }

    const Trace& trace_;
    const std::string empty_;
    std::int64_t end_ns_ = 0;
    std::map<int, Lane> lanes_;
    std::set<int> derived_; // lanes not declared in trace.lanes, named from their events
    std::vector<Entry> entries_;
    std::uint64_t next_flow_id_ = 1;

    std::map<AttemptKey, std::int64_t> submitted_;
    std::unordered_map<std::uint64_t, std::string> labels_; // task → its arguments
    std::map<AttemptKey, Running> running_;
    std::unordered_map<std::uint64_t, AttemptEnd> last_end_;
    std::map<AttemptKey, Pending> dispatched_;
    std::map<int, std::int64_t> spawning_;
    std::map<int, std::int64_t> lane_free_at_;
    std::map<int, Pending> gil_requests_;
    std::map<std::pair<int, std::uint64_t>, std::vector<Pending>> callbacks_; // (lane, task) → open callbacks
    std::map<std::tuple<std::uint64_t, int, std::string>, std::vector<std::int64_t>> blocked_;
};

} // namespace

void write_chrome_trace(const Trace& trace, std::ostream& out)
{
    ChromeWriter(trace).write(out);
}

void write_chrome_trace(const Trace& trace, const std::string& path)
{
    detail::write_file_atomically(path, [&](std::ostream& out) { write_chrome_trace(trace, out); });
}

} // namespace poolscope::trace
