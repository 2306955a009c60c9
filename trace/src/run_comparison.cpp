#include <poolscope/trace/run_comparison.h>

#include <algorithm>
#include <cstdio>
#include <optional>

namespace poolscope::trace {

namespace {
bool isCPython(const Trace& trace)
{
    return trace.origin == "cpython";
}

std::string interpreter(const Trace& trace)
{
    if (!isCPython(trace))
        return "C++";
    return trace.python_version.empty() ? "CPython" : "CPython " + trace.python_version;
}

std::optional<std::string> parameter(const Trace& trace, const std::string& name)
{
    for (const auto& [key, value] : trace.parameters) {
        if (key == name)
            return value;
    }
    return std::nullopt;
}

// "thread pool", "process pool", "thread pool under the GIL", "thread and process pools".
std::string pool(const Trace& trace)
{
    if (trace.pool_kind.empty())
        return std::string();
    if (trace.pool_kind == "thread+gil")
        return "thread pool under the GIL";
    if (trace.pool_kind == "thread+process")
        return "thread and process pools";
    return trace.pool_kind + " pool";
}

std::string milliseconds(std::chrono::nanoseconds ns)
{
    char text[48];
    std::snprintf(text, sizeof text, "%.1f ms", static_cast<double>(ns.count()) / 1e6);
    return text;
}
} // namespace

std::chrono::nanoseconds run_wall_time(const Trace& trace)
{
    if (trace.wall_time.count() > 0)
        return trace.wall_time;
    return trace.events.empty() ? std::chrono::nanoseconds(0) : trace.events.back().time;
}

std::string comparison_label(std::size_t index)
{
    if (index < 26)
        return std::string(1, static_cast<char>('A' + index));
    return "R" + std::to_string(index + 1);
}

std::string describe_run(const Trace& trace)
{
    std::string text = interpreter(trace);
    if (!trace.pool_kind.empty()) {
        text += " · " + pool(trace);
        if (trace.max_workers > 0)
            text += ", max_workers=" + std::to_string(trace.max_workers);
    } else if (!trace.title.empty()) {
        text += " · " + trace.title;
    }
    return text;
}

std::string describe_changes(const Trace& from, const Trace& to)
{
    std::vector<std::string> parts;
    for (const auto& [name, value] : from.parameters) {
        const auto now = parameter(to, name);
        if (!now)
            parts.push_back(name + " " + value + " → –");
        else if (*now != value)
            parts.push_back(name + " " + value + " → " + *now);
    }
    for (const auto& [name, value] : to.parameters) {
        if (!parameter(from, name))
            parts.push_back(name + " – → " + value);
    }
    if (isCPython(from) != isCPython(to) || from.python_version != to.python_version)
        parts.push_back(interpreter(from) + " → " + interpreter(to));
    // A pool change no parameter explains (the same scenario's parameters, or none at all).
    if (from.pool_kind != to.pool_kind && !from.pool_kind.empty() && !to.pool_kind.empty()
        && from.parameters == to.parameters)
        parts.push_back(pool(from) + " → " + pool(to));
    if (from.scenario != to.scenario && !from.scenario.empty() && !to.scenario.empty())
        parts.push_back("scenario " + from.scenario + " → " + to.scenario);

    std::string text;
    for (const std::string& part : parts)
        text += (text.empty() ? "" : ", ") + part;
    return text;
}

RunComparison compare_runs(const std::vector<const Trace*>& runs)
{
    RunComparison comparison;
    if (runs.empty())
        return comparison;
    const std::chrono::nanoseconds baseline = run_wall_time(*runs.front());
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const Trace& run = *runs[i];
        ComparedRun compared;
        compared.label = comparison_label(i);
        compared.name = describe_run(run);
        if (i > 0)
            compared.changes = describe_changes(*runs.front(), run);
        compared.wall_time = run_wall_time(run);
        if (baseline.count() > 0 && compared.wall_time.count() > 0) {
            compared.ratio = static_cast<double>(compared.wall_time.count()) / static_cast<double>(baseline.count());
            compared.speedup = 1.0 / compared.ratio;
        }
        comparison.runs.push_back(std::move(compared));
    }
    return comparison;
}

std::string RunComparison::summary() const
{
    std::string text;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const ComparedRun& run = runs[i];
        if (i > 0)
            text += " · ";
        text += run.label + " " + milliseconds(run.wall_time);
        if (i > 0 && run.ratio > 0) {
            char ratio[64];
            std::snprintf(ratio, sizeof ratio, " (%.2f× %s)", run.ratio, runs.front().label.c_str());
            text += ratio;
        }
    }
    return text;
}

} // namespace poolscope::trace
