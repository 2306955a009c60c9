#pragma once

// Running a scenario's Python listing with a real interpreter, for the fidelity tests (untraced in
// tst_scenario_fidelity.cpp, under the CPython tracer in tst_traced_fidelity.cpp).

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
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

} // namespace poolscope::scenarios::fidelity
