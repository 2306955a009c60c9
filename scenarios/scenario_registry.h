#pragma once

// The registry: every scenario, in the order of the practice page. The list itself is
// POOLSCOPE_SCENARIOS in scenarios/CMakeLists.txt, the only place a scenario is added; the build
// generates the C++ side from it (see scenario_registry.cpp).

#include <string_view>
#include <vector>

namespace poolscope::scenarios {

class Scenario;

/// Every scenario, in the order of the practice page.
const std::vector<const Scenario*>& all_scenarios();
/// The scenario with this id, or null.
const Scenario* find_scenario(std::string_view id);

} // namespace poolscope::scenarios
