#pragma once

#include <string>
#include <utility>
#include <vector>

namespace poolscope::scenarios {

/// What kind of value a parameter takes; decides the widget in the parameter panel.
enum class ParameterKind { integer, real, boolean, choice };

/// One typed, bounded parameter of a scenario.
struct Parameter {
    std::string name; ///< as on the command line: --set workers=4
    std::string label; ///< as in the parameter panel: "Workers"
    std::string help; ///< a sentence for the tooltip and --help
    ParameterKind kind = ParameterKind::integer;
    double minimum = 0; ///< integer and real: inclusive bounds
    double maximum = 0;
    std::vector<std::string> choices; ///< choice: the allowed values
    std::string default_value; ///< as text: "5", "0.1", "true", "thread"
    std::string unit; ///< "s", "ms", "" — shown next to the value
    /// Where the parameter matters only for some values of another (choice) parameter, as the
    /// interpreter lock only for a thread pool: that parameter's name, and those values. The panel
    /// disables the field otherwise. Empty: it always applies.
    std::string applies_if;
    std::vector<std::string> applies_for;
};

/// `parameter`, applying only while the choice parameter `other` has one of `values`.
inline Parameter applies_only_if(Parameter parameter, std::string other, std::vector<std::string> values)
{
    parameter.applies_if = std::move(other);
    parameter.applies_for = std::move(values);
    return parameter;
}

} // namespace poolscope::scenarios
