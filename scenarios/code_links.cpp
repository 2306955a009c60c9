#include "scenarios/code_links.h"

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

const CodeLinks::Marker* CodeLinks::marker_for(const Event& event, bool in_process_pool) const
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

std::vector<int> CodeLinks::lines(const std::vector<Event>& events, std::string_view listing, bool python) const
{
    // A task ran in a process pool when any of its events carries a worker process's pid.
    std::unordered_set<std::uint64_t> in_process;
    for (const Event& e : events) {
        if (e.pid != 0 && e.task_id != 0)
            in_process.insert(e.task_id);
    }
    std::unordered_map<const Marker*, int> found; // a marker's line, looked up once
    std::vector<int> result;
    result.reserve(events.size());
    std::vector<int> blocked; // the lines of the caller_blocked events not ended yet
    for (const Event& e : events) {
        int line = 0;
        if (e.kind == EventKind::caller_resumed) {
            if (!blocked.empty()) {
                line = blocked.back();
                blocked.pop_back();
            }
        } else if (const Marker* m = marker_for(e, e.pid != 0 || in_process.contains(e.task_id))) {
            const auto [at, inserted] = found.try_emplace(m, 0);
            if (inserted)
                at->second = line_holding(listing, python ? m->python : m->cpp);
            line = at->second;
        }
        if (e.kind == EventKind::caller_blocked)
            blocked.push_back(line);
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
