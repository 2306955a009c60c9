#pragma once

#include "scenarios/scenario.h"

#include <string>
#include <string_view>
#include <vector>

namespace poolscope::scenarios {

/// Everything a scenario says about itself that is data, not code.
struct ScenarioDescription {
    ScenarioInfo info;
    /// See Scenario::explanation().
    std::string_view explanation;
    std::vector<Parameter> parameters;
    /// See Scenario::python_listing().
    std::string_view python_listing;
    /// The code between the `// listing:begin` and `// listing:end` lines of the scenario's run(),
    /// as extracted at build time into listings/<name>_scenario.inc (see extract_listing.cmake).
    std::string_view marked_run_body;
};

/// The base of every scenario: keeps its description and answers the accessors from it, so a
/// scenario's own file holds its description, run() and check() and nothing else.
class BasicScenario : public Scenario {
public:
    explicit BasicScenario(ScenarioDescription description);

    const ScenarioInfo& info() const noexcept final { return description_.info; }
    std::string_view explanation() const noexcept final { return description_.explanation; }
    const std::vector<Parameter>& parameters() const noexcept final { return description_.parameters; }
    std::string_view python_listing() const noexcept final { return description_.python_listing; }
    std::string_view cpp_listing() const noexcept final { return cpp_listing_; }

private:
    ScenarioDescription description_;
    std::string cpp_listing_;
};

} // namespace poolscope::scenarios
