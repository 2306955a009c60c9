#include "scenarios/code_links.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace poolscope::scenarios {

void CodeLinks::add(std::string key, Marker marker)
{
    if (!find(key))
        entries_.emplace_back(std::move(key), std::move(marker));
}

const CodeLinks::Marker* CodeLinks::find(std::string_view key) const
{
    for (const auto& [name, marker] : entries_) {
        if (name == key)
            return &marker;
    }
    return nullptr;
}

const CodeLinks::Marker* CodeLinks::marker_for(const Event& event, bool in_process_pool, int stage) const
{
    if (stage > 1) {
        const std::string kind = std::string(to_string(event.kind)) + "#" + std::to_string(stage);
        if (!event.label.empty()) {
            if (const Marker* m = find(kind + " " + event.label))
                return m;
        }
        if (const Marker* m = find(kind))
            return m;
    }
    return unstaged(event, in_process_pool);
}

const CodeLinks::Marker* CodeLinks::unstaged(const Event& event, bool in_process_pool) const
{
    const std::string kind(to_string(event.kind));
    const std::string process = kind + "@process";
    if (!event.label.empty()) {
        if (const Marker* m = in_process_pool ? find(process + " " + event.label) : nullptr)
            return m;
        if (const Marker* m = find(kind + " " + event.label))
            return m;
    }
    if (const Marker* m = in_process_pool ? find(process) : nullptr)
        return m;
    return find(kind);
}

std::vector<const CodeLinks::Marker*> CodeLinks::markers(const std::vector<Event>& events) const
{
    // A task ran in a process pool when any of its events carries a worker process's pid (known
    // only from its later events: a pass of its own).
    std::unordered_set<std::uint64_t> in_process;
    for (const Event& e : events) {
        if (e.pid != 0 && e.task_id != 0)
            in_process.insert(e.task_id);
    }
    // A task belongs to the stage its first submission came in (a burst of submissions after a
    // block); events of no task (worker_started, a with block's end) to the stage under way.
    std::unordered_map<std::uint64_t, int> stage_of;
    int stage = 0;
    bool blocked_since_submit = true;
    std::vector<const Marker*> result;
    result.reserve(events.size());
    std::vector<const Marker*> blocked; // the markers of the caller_blocked events not ended yet
    for (const Event& e : events) {
        if (e.kind == EventKind::submitted) {
            if (blocked_since_submit) {
                ++stage;
                blocked_since_submit = false;
            }
            stage_of.try_emplace(e.task_id, stage);
        }
        const Marker* m = nullptr;
        if (e.kind == EventKind::caller_resumed) {
            if (!blocked.empty()) {
                m = blocked.back();
                blocked.pop_back();
            }
        } else {
            const auto known = e.task_id != 0 ? stage_of.find(e.task_id) : stage_of.end();
            m = marker_for(e, e.pid != 0 || in_process.contains(e.task_id),
                known != stage_of.end() ? known->second : std::max(stage, 1));
        }
        if (e.kind == EventKind::caller_blocked) {
            blocked.push_back(m);
            blocked_since_submit = true;
        }
        result.push_back(m);
    }
    return result;
}

std::vector<int> CodeLinks::lines(const std::vector<Event>& events, std::string_view listing, bool python) const
{
    std::unordered_map<const Marker*, int> found; // a marker's line, looked up once
    std::vector<int> result;
    result.reserve(events.size());
    for (const Marker* m : markers(events)) {
        int line = 0;
        if (m) {
            const auto [at, inserted] = found.try_emplace(m, 0);
            if (inserted)
                at->second = line_holding(listing, python ? m->python : m->cpp);
            line = at->second;
        }
        result.push_back(line);
    }
    return result;
}

int line_holding(std::string_view listing, std::string_view text)
{
    if (text.empty())
        return 0;
    int line = 1;
    std::size_t start = 0;
    while (start <= listing.size()) {
        const std::size_t end = std::min(listing.find('\n', start), listing.size());
        if (listing.substr(start, end - start).find(text) != std::string_view::npos)
            return line;
        if (end == listing.size())
            break;
        start = end + 1;
        ++line;
    }
    return 0;
}

std::string_view listing_line(std::string_view listing, int line)
{
    if (line < 1)
        return {};
    std::size_t start = 0;
    for (int i = 1; i < line; ++i) {
        const std::size_t next = listing.find('\n', start);
        if (next == std::string_view::npos)
            return {};
        start = next + 1;
    }
    const std::size_t end = std::min(listing.find('\n', start), listing.size());
    return listing.substr(start, end - start);
}

} // namespace poolscope::scenarios
