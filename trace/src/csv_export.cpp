#include <poolscope/trace/csv_export.h>
#include <poolscope/trace/trace_error.h>

#include "support.h"

#include <ostream>
#include <string_view>
#include <unordered_map>

namespace poolscope::trace {

namespace {
// RFC 4180: a field holding a comma, a quote, CR or LF is enclosed in quotes, quotes doubled.
void append_field(std::string& row, std::string_view text)
{
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        row += text;
        return;
    }
    row += '"';
    for (const char c : text) {
        if (c == '"')
            row += '"';
        row += c;
    }
    row += '"';
}
} // namespace

void write_csv(const Trace& trace, std::ostream& out)
{
    std::unordered_map<int, const std::string*> lane_names;
    for (const Lane& lane : trace.lanes)
        lane_names.try_emplace(lane.index, &lane.name);

    out << "time_ns,task_id,attempt,kind,worker,lane,pid,label,line\r\n";
    std::string row;
    for (const Event& e : trace.events) {
        row.clear();
        row += std::to_string(e.time.count());
        row += ',';
        row += std::to_string(e.task_id);
        row += ',';
        row += std::to_string(e.attempt);
        row += ',';
        row += to_string(e.kind);
        row += ',';
        row += std::to_string(e.worker);
        row += ',';
        if (const auto it = lane_names.find(e.worker); it != lane_names.end())
            append_field(row, *it->second);
        row += ',';
        row += std::to_string(e.pid);
        row += ',';
        append_field(row, e.label);
        row += ',';
        row += std::to_string(e.line);
        row += "\r\n";
        out << row;
    }
    out.flush();
    detail::check_stream(out, "CSV");
}

void write_csv(const Trace& trace, const std::string& path)
{
    detail::write_file_atomically(path, [&](std::ostream& out) { write_csv(trace, out); });
}

} // namespace poolscope::trace
