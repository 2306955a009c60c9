#pragma once

#include "scenarios/scenario.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace poolscope::scenarios {

/// What the build embeds of a scenario's files (generated scenario_texts.h).
struct ScenarioTexts {
    /// <name>_scenario.json: "id", "title", "hint", "explanation"; "parameters", each with "name",
    /// "label", "help", "kind" (integer, real, boolean, choice), "default" (as text), "minimum" and
    /// "maximum" (integer, real), "unit" (real) or "choices" (choice); "python_constants",
    /// parameter name → the Python name the program's constants block gives it, in the block's
    /// order; "presets", each with "name", "label", "description" and "values" (parameter name →
    /// value as text); "lines", an event key (see CodeLinks::add()) → {"python": text, "cpp": text},
    /// the text of the line each listing has for it.
    std::string_view description_json;
    /// <name>_scenario.py: the Python program (see Scenario::python_listing()) with one line
    /// `@constants@` where the constants block goes.
    std::string_view python_program;
    /// The code between the `// listing:begin` and `// listing:end` lines of <name>_run() in
    /// <name>_scenario.cpp (see extract_listing.cmake).
    std::string_view marked_run_body;
};

/// What <name>_scenario.cpp defines: <name>_run() and <name>_check() (see Scenario::run() and
/// Scenario::check()).
using RunFunction = void (*)(RunContext& context);
using CheckFunction = std::string (*)(const ParameterValues& params, const std::vector<std::string>& output);

/// Every scenario, as the registry (scenario_registry.cpp) makes it from the scenario's files: its
/// texts, its run() and its check().
class BasicScenario final : public Scenario {
public:
    /// Throws std::invalid_argument if the description is not JSON of that shape, or a function is
    /// null.
    BasicScenario(const ScenarioTexts& texts, RunFunction run_function, CheckFunction check_function);
    // info() views the strings held here.
    BasicScenario(const BasicScenario&) = delete;
    BasicScenario& operator=(const BasicScenario&) = delete;

    const ScenarioInfo& info() const noexcept final { return info_; }
    std::string_view explanation() const noexcept final { return explanation_; }
    const std::vector<Parameter>& parameters() const noexcept final { return parameters_; }
    std::string python_listing(const ParameterValues& params) const final;
    std::string_view cpp_listing() const noexcept final { return cpp_listing_; }
    const CodeLinks& code_links() const noexcept final { return code_links_; }
    const std::vector<Preset>& presets() const noexcept final { return presets_; }
    void run(RunContext& context) const final { run_(context); }
    std::string check(const ParameterValues& params, const std::vector<std::string>& output) const final
    {
        return check_(params, output);
    }

private:
    std::string id_;
    std::string title_;
    std::string hint_;
    ScenarioInfo info_;
    std::string explanation_;
    std::vector<Parameter> parameters_;
    std::vector<std::pair<std::string, std::string>> python_constants_;
    std::vector<Preset> presets_;
    std::string_view python_program_;
    std::string cpp_listing_;
    CodeLinks code_links_;
    RunFunction run_;
    CheckFunction check_;
};

} // namespace poolscope::scenarios
