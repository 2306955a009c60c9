#pragma once

#include <span>
#include <string_view>

namespace poolscope::scenarios {

/// What the user picks from: a stable id (used on the command line and in trace files), a title
/// and a one-line hint of what to look for in the timeline.
struct ScenarioInfo {
    std::string_view id;
    std::string_view title;
    std::string_view hint;
};

/// The info() of every scenario of all_scenarios(), in the same order.
std::span<const ScenarioInfo> scenario_catalog() noexcept;

} // namespace poolscope::scenarios
