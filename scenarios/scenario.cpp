#include "scenarios/scenario.h"
#include "scenarios/scenario_registry.h"

#include <poolscope/errors.h>
#include <poolscope/thread_pool_executor.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

#include <unistd.h>

namespace poolscope::scenarios {

const std::vector<const Scenario*>& all_scenarios()
{
    static const std::vector<const Scenario*> scenarios {
        &map_scenario(),
        &submit_scenario(),
        &exceptions_scenario(),
        &callbacks_scenario(),
        &as_completed_scenario(),
        &first_completed_scenario(),
        &cpu_bound_scenario(),
        &pipeline_scenario(),
        &map_timeout_scenario(),
        &shutdown_scenario(),
        &retry_scenario(),
    };
    return scenarios;
}

const Scenario* find_scenario(std::string_view id)
{
    const auto& scenarios = all_scenarios();
    const auto it = std::find_if(
        scenarios.begin(), scenarios.end(), [id](const Scenario* scenario) { return scenario->info().id == id; });
    return it == scenarios.end() ? nullptr : *it;
}

namespace {

std::string host_name()
{
    char buffer[256] = {};
    if (gethostname(buffer, sizeof buffer - 1) != 0)
        return {};
    return buffer;
}

std::string utc_now_iso8601()
{
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc {};
    gmtime_r(&now, &utc);
    char buffer[32];
    const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return std::string(buffer, length);
}

std::string joined_lines(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& line : lines) {
        if (!out.empty())
            out += '\n';
        out += line;
    }
    return out;
}

} // namespace

ScenarioRun run_scenario(const Scenario& scenario, const ParameterValues& params, EventLog& log, const RunHooks& hooks)
{
    std::mutex output_mutex;
    std::vector<std::string> output;
    std::vector<trace::Lane> lanes;
    std::string pool_kind;
    int max_workers = 0;
    RunContext context {
        .params = params,
        .log = log,
        // Any thread: done-callbacks print from workers.
        .print =
            [&](const std::string& line) {
                {
                    std::lock_guard lock(output_mutex);
                    output.push_back(line);
                }
                if (hooks.on_output)
                    hooks.on_output(line);
            },
        .stop = hooks.stop,
        .lanes = lanes,
        .pool_kind = pool_kind,
        .max_workers = max_workers,
    };

    ScenarioRun out;
    out.trace.started_at = utc_now_iso8601();
    const auto start = std::chrono::steady_clock::now();
    try {
        scenario.run(context);
    } catch (const CancelledError& e) {
        // Stop cancels what has not started; a scenario waiting on such a future ends this way,
        // like Python code whose result() raises CancelledError. That is a stopped run, not a failure.
        if (!hooks.stop.stop_requested())
            out.failure = e.what();
    } catch (const std::exception& e) {
        out.failure = e.what();
    } catch (...) {
        out.failure = "unknown exception";
    }
    out.trace.wall_time
        = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start);

    // run() has returned and its executors are gone, but a done-callback could in principle still
    // print; take the lines under the lock.
    std::vector<std::string> printed;
    {
        std::lock_guard lock(output_mutex);
        printed = output;
    }
    out.trace.scenario = std::string(scenario.info().id);
    out.trace.title = std::string(scenario.info().title);
    out.trace.parameters = params.as_text();
    out.trace.pool_kind = pool_kind;
    out.trace.max_workers = max_workers;
    out.trace.host = host_name();
    out.trace.output = joined_lines(printed);
    out.trace.events = log.events();
    out.trace.lanes = lanes.empty() ? trace::lanes_from_events(out.trace.events) : lanes;
    try {
        out.check_error = scenario.check(params, printed);
    } catch (const std::exception& e) {
        out.check_error = std::string("check failed: ") + e.what();
    }
    return out;
}

// ---- shared by the scenarios -------------------------------------------------------------------

const ScenarioInfo& catalog_entry(std::string_view id)
{
    for (const ScenarioInfo& info : scenario_catalog()) {
        if (info.id == id)
            return info;
    }
    throw std::out_of_range("no scenario '" + std::string(id) + "' in the catalog");
}

Parameter integer_parameter(
    std::string name, std::string label, std::string help, int minimum, int maximum, std::string default_value)
{
    Parameter p;
    p.name = std::move(name);
    p.label = std::move(label);
    p.help = std::move(help);
    p.kind = ParameterKind::integer;
    p.minimum = minimum;
    p.maximum = maximum;
    p.default_value = std::move(default_value);
    return p;
}

Parameter real_parameter(std::string name, std::string label, std::string help, double minimum, double maximum,
    std::string default_value, std::string unit)
{
    Parameter p;
    p.name = std::move(name);
    p.label = std::move(label);
    p.help = std::move(help);
    p.kind = ParameterKind::real;
    p.minimum = minimum;
    p.maximum = maximum;
    p.default_value = std::move(default_value);
    p.unit = std::move(unit);
    return p;
}

Parameter choice_parameter(
    std::string name, std::string label, std::string help, std::vector<std::string> choices, std::string default_value)
{
    Parameter p;
    p.name = std::move(name);
    p.label = std::move(label);
    p.help = std::move(help);
    p.kind = ParameterKind::choice;
    p.choices = std::move(choices);
    p.default_value = std::move(default_value);
    return p;
}

void sleep_unless_stopped(const std::stop_token& stop, Duration length)
{
    using namespace std::chrono_literals;
    const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(length);
    while (!stop.stop_requested()) {
        const auto now = Clock::now();
        if (now >= end)
            return;
        std::this_thread::sleep_for(std::min<Clock::duration>(end - now, 20ms));
    }
}

ThreadPoolLanes::ThreadPoolLanes(RunContext& context, const ThreadPoolExecutor& executor)
    : context_(context)
    , executor_(executor)
{
    context_.pool_kind = "thread";
    context_.max_workers = executor_.max_workers();
}

ThreadPoolLanes::~ThreadPoolLanes()
{
    try {
        const auto names = executor_.thread_names();
        context_.lanes.clear();
        for (std::size_t i = 0; i < names.size(); ++i)
            context_.lanes.push_back(trace::Lane { .index = static_cast<int>(i), .name = names[i], .pid = 0 });
    } catch (...) {
        // Out of memory: run_scenario() names the lanes from the events instead.
        context_.lanes.clear();
    }
}

std::string message_of(const std::exception_ptr& error)
{
    if (!error)
        return "None";
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

std::string repr_string(std::string_view text)
{
    const bool has_single = text.find('\'') != std::string_view::npos;
    const bool has_double = text.find('"') != std::string_view::npos;
    const char quote = has_single && !has_double ? '"' : '\'';
    std::string out(1, quote);
    for (const char c : text) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c == quote)
                out += '\\';
            out += c;
        }
    }
    out += quote;
    return out;
}

std::string compare_lines(const std::vector<std::string>& expected, const std::vector<std::string>& output)
{
    for (std::size_t i = 0; i < std::min(expected.size(), output.size()); ++i) {
        if (expected[i] != output[i])
            return "line " + std::to_string(i + 1) + ": expected " + expected[i] + ", got " + output[i];
    }
    if (expected.size() != output.size())
        return "expected " + std::to_string(expected.size()) + " lines, got " + std::to_string(output.size());
    return {};
}

std::optional<std::vector<long long>> parse_int_list(std::string_view text)
{
    if (text.size() < 2 || text.front() != '[' || text.back() != ']')
        return std::nullopt;
    text = text.substr(1, text.size() - 2);
    std::vector<long long> out;
    if (text.empty())
        return out;
    while (true) {
        long long value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc {})
            return std::nullopt;
        out.push_back(value);
        text.remove_prefix(static_cast<std::size_t>(end - text.data()));
        if (text.empty())
            return out;
        if (!text.starts_with(", "))
            return std::nullopt;
        text.remove_prefix(2);
    }
}

std::optional<std::vector<long long>> match_counts(std::string_view line, std::string_view shape)
{
    std::vector<long long> counts;
    std::size_t at = 0;
    for (char c : shape) {
        if (c != 'N') {
            if (at >= line.size() || line[at] != c)
                return std::nullopt;
            ++at;
            continue;
        }
        const std::size_t first = at;
        long long value = 0;
        while (at < line.size() && at - first < 9 && line[at] >= '0' && line[at] <= '9')
            value = value * 10 + (line[at++] - '0');
        if (at == first)
            return std::nullopt;
        counts.push_back(value);
    }
    if (at != line.size())
        return std::nullopt;
    return counts;
}

std::string dedent_listing(std::string_view code)
{
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start <= code.size();) {
        const std::size_t end = std::min(code.find('\n', start), code.size());
        std::string_view line = code.substr(start, end - start);
        line = line.substr(0, line.find_last_not_of(" \t\r") + 1); // npos + 1 == 0: a blank line
        lines.push_back(line);
        start = end + 1;
    }
    while (!lines.empty() && lines.front().empty())
        lines.erase(lines.begin());
    while (!lines.empty() && lines.back().empty())
        lines.pop_back();
    std::size_t indent = std::string_view::npos;
    for (std::string_view line : lines) {
        if (!line.empty())
            indent = std::min(indent, line.find_first_not_of(' '));
    }
    std::string out;
    for (std::string_view line : lines) {
        if (!line.empty())
            out.append(line.substr(indent));
        out += '\n';
    }
    return out;
}

} // namespace poolscope::scenarios
