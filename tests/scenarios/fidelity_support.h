#pragma once

// Shared by the fidelity tests (untraced in tst_scenario_fidelity.cpp, under the CPython tracer in
// tst_traced_fidelity.cpp): the cases, and running a scenario's Python listing with a real interpreter.

#include "scenarios/scenario.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <sys/wait.h>

namespace poolscope::scenarios::fidelity {

inline std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

struct PythonRun {
    int exit_code = -1;
    std::vector<std::string> lines; ///< stdout
    std::string errors; ///< stderr
};

/// Writes `program` to DIR/NAME.py and runs `command 'DIR/NAME.py'` through the shell (`command`:
/// the interpreter and what comes before the script, quoted by the caller), from a file because
/// exercise 7's spawned workers import it by path. DIR must exist; the caller removes it.
inline PythonRun run_python_file(
    const std::filesystem::path& dir, const std::string& command, const std::string& name, const std::string& program)
{
    const auto script = dir / (name + ".py");
    const auto errors = dir / (name + ".err");
    std::ofstream(script) << program;
    PythonRun out;
    const std::string line = command + " '" + script.string() + "' 2>'" + errors.string() + "'";
    FILE* pipe = ::popen(line.c_str(), "r");
    if (!pipe)
        return out;
    std::string text;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
        text.append(buffer, n);
    const int status = ::pclose(pipe);
    out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    out.lines = lines_of(text);
    std::ifstream err(errors);
    out.errors.assign(std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>());
    return out;
}

/// One fidelity case: a scenario and the parameters it overrides.
struct Case {
    std::string id;
    std::vector<std::pair<std::string, std::string>> overrides;
};

inline void PrintTo(const Case& c, std::ostream* os)
{
    *os << c.id;
    for (const auto& [name, value] : c.overrides)
        *os << " " << name << "=" << value;
}

/// A case made ready to run: its scenario (null for an unknown id), its parameters, and its listing
/// with the file name it runs under ("map_timeout").
struct Prepared {
    const Scenario* scenario = nullptr;
    ParameterValues params;
    std::string name;
    std::string listing;
};

inline Prepared prepare(const Case& c)
{
    Prepared p;
    p.name = c.id;
    std::replace(p.name.begin(), p.name.end(), '-', '_');
    p.scenario = find_scenario(c.id);
    if (p.scenario) {
        p.params = ParameterValues::resolve(p.scenario->parameters(), c.overrides);
        p.listing = p.scenario->python_listing(p.params);
    }
    return p;
}

/// Timings and races that CPython's own runs do not agree on: for these cases only the shape of
/// what is printed is compared.
inline bool output_varies(const Case& c)
{
    return c.id == "cpu-bound" || c.id == "first-completed" || (c.id == "as-completed" && c.overrides.empty());
}

// Every scenario with its defaults, and with a tweak that changes what it prints (submit has none:
// its output is the same with any parameters, so a one-worker run stands in).
inline std::vector<Case> cases()
{
    std::vector<Case> out;
    for (const Scenario* scenario : all_scenarios())
        out.push_back({ std::string(scenario->info().id), {} });
    const std::vector<Case> tweaks {
        { "map", { { "tasks", "3" } } },
        { "submit", { { "workers", "1" } } },
        { "exceptions", { { "fail_every", "2" } } },
        { "callbacks", { { "tasks", "3" } } },
        // 117 ms between neighbours: the order is reversed in every run.
        { "as-completed", { { "tasks", "4" }, { "order", "slowest-first" }, { "max_delay", "0.4" } } },
        { "first-completed", { { "workers", "1" } } },
        { "cpu-bound", { { "pool", "thread" } } },
        { "pipeline", { { "items", "3" } } },
        { "map-timeout", { { "timeout", "0.6" } } },
        { "shutdown", { { "tasks", "6" } } },
        { "retry", { { "max_retries", "1" } } },
    };
    out.insert(out.end(), tweaks.begin(), tweaks.end());
    return out;
}

/// The test name of a case: "map_defaults", "map_timeout_tweaked".
inline std::string case_name(const ::testing::TestParamInfo<Case>& info)
{
    std::string name = info.param.id + (info.param.overrides.empty() ? "_defaults" : "_tweaked");
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

} // namespace poolscope::scenarios::fidelity
