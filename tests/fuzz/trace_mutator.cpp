#include "trace_mutator.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace poolscope::trace::fuzz {

std::optional<std::string> repair_trace(std::string_view text)
{
    using nlohmann::json;
    json top = json::parse(text, nullptr, false);
    if (!top.is_object())
        return std::nullopt;
    for (const auto& [array, count] : { std::pair { "lanes", "lane_count" }, std::pair { "events", "event_count" } }) {
        if (const auto it = top.find(array); it != top.end() && it->is_array())
            top[count] = it->size();
    }
    if (const auto events = top.find("events"); events != top.end() && events->is_array()) {
        const bool timed = std::all_of(events->begin(), events->end(),
            [](const json& row) { return row.is_array() && !row.empty() && row[0].is_number(); });
        if (timed)
            std::stable_sort(events->begin(), events->end(), [](const json& a, const json& b) { return a[0] < b[0]; });
    }
    return top.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace poolscope::trace::fuzz
