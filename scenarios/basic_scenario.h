#pragma once

#include "scenarios/scenario.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace poolscope::scenarios {

/// Everything a scenario says about itself that is data, not code.
struct ScenarioDescription {
    ScenarioInfo info;
    /// See Scenario::explanation().
    std::string_view explanation;
    std::vector<Parameter> parameters;
    /// The Python program (see Scenario::python_listing()) with one line `@constants@` where the
    /// constants block goes.
    std::string_view python_program;
    /// The parameters the program takes as constants: (parameter name, Python name), in the order
    /// of the block. Each becomes `NAME = value` with the value as a Python literal.
    std::vector<std::pair<std::string, std::string>> python_constants;
    /// The named variations; BasicScenario puts "page" (the defaults) first.
    std::vector<Preset> presets;
    /// See Scenario::run() and Scenario::check().
    void (*run)(RunContext& context) = nullptr;
    std::string (*check)(const ParameterValues& params, const std::vector<std::string>& output) = nullptr;
};

/// Every scenario: its description and the C++ listing of its run(). A scenario's own file holds
/// its description, run() and check() and nothing else; the registry (scenario_registry.cpp)
/// makes the BasicScenario from them.
class BasicScenario final : public Scenario {
public:
    /// `marked_run_body` is the code between the `// listing:begin` and `// listing:end` lines of
    /// the scenario's run(), as extracted at build time (see extract_listing.cmake).
    BasicScenario(ScenarioDescription description, std::string_view marked_run_body);

    const ScenarioInfo& info() const noexcept final { return description_.info; }
    std::string_view explanation() const noexcept final { return description_.explanation; }
    const std::vector<Parameter>& parameters() const noexcept final { return description_.parameters; }
    std::string python_listing(const ParameterValues& params) const final;
    std::string_view cpp_listing() const noexcept final { return cpp_listing_; }
    const std::vector<Preset>& presets() const noexcept final { return description_.presets; }
    void run(RunContext& context) const final { description_.run(context); }
    std::string check(const ParameterValues& params, const std::vector<std::string>& output) const final
    {
        return description_.check(params, output);
    }

private:
    ScenarioDescription description_;
    std::string cpp_listing_;
};

} // namespace poolscope::scenarios
