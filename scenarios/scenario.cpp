#include "scenarios/scenario.h"

#include <algorithm>

namespace poolscope::scenarios {

std::string Scenario::python_listing() const
{
    return python_listing(ParameterValues::resolve(parameters()));
}

const Preset* Scenario::find_preset(std::string_view name) const
{
    const auto& all = presets();
    const auto it = std::find_if(all.begin(), all.end(), [name](const Preset& p) { return p.name == name; });
    return it == all.end() ? nullptr : &*it;
}

} // namespace poolscope::scenarios
