#pragma once

#include "scenarios/scenario.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace poolscope::scenarios {

/// What a scenario's own <name>_scenario.cpp defines: its code. What it says about itself is data,
/// in <name>_scenario.json beside it (see BasicScenario).
struct ScenarioCode {
    /// The Python program (see Scenario::python_listing()) with one line `@constants@` where the
    /// constants block goes.
    std::string_view python_program;
    /// See Scenario::run() and Scenario::check().
    void (*run)(RunContext& context) = nullptr;
    std::string (*check)(const ParameterValues& params, const std::vector<std::string>& output) = nullptr;
};

/// Every scenario, as the registry makes it (scenario_registry.cpp) from three parts of the
/// scenario's files:
/// - its description, <name>_scenario.json: "id", "title", "hint", "explanation"; "parameters", each
///   with "name", "label", "help", "kind" (integer, real, boolean, choice), "default" (as text),
///   "minimum" and "maximum" (integer, real), "unit" (real) or "choices" (choice);
///   "python_constants", parameter name → the Python name the program's constants block gives it,
///   in the block's order; "presets", each with "name", "label", "description" and "values"
///   (parameter name → value as text);
/// - its code (ScenarioCode);
/// - the C++ listing: the code between the `// listing:begin` and `// listing:end` lines of its
///   run(), as extracted at build time (see extract_listing.cmake).
class BasicScenario final : public Scenario {
public:
    /// Throws std::invalid_argument if the description is not JSON of that shape, or the code
    /// lacks run() or check().
    BasicScenario(std::string_view description_json, ScenarioCode code, std::string_view marked_run_body);
    // info() views the strings held here.
    BasicScenario(const BasicScenario&) = delete;
    BasicScenario& operator=(const BasicScenario&) = delete;

    const ScenarioInfo& info() const noexcept final { return info_; }
    std::string_view explanation() const noexcept final { return explanation_; }
    const std::vector<Parameter>& parameters() const noexcept final { return parameters_; }
    std::string python_listing(const ParameterValues& params) const final;
    std::string_view cpp_listing() const noexcept final { return cpp_listing_; }
    const std::vector<Preset>& presets() const noexcept final { return presets_; }
    void run(RunContext& context) const final { code_.run(context); }
    std::string check(const ParameterValues& params, const std::vector<std::string>& output) const final
    {
        return code_.check(params, output);
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
    ScenarioCode code_;
    std::string cpp_listing_;
};

} // namespace poolscope::scenarios
