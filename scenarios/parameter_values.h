#pragma once

#include "scenarios/parameter.h"

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace poolscope::scenarios {

/// A parameter value that does not fit: names the parameter and its allowed range, e.g.
/// "workers must be an integer from 1 to 64, got 0".
class ParameterError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// A complete, validated set of values for one scenario's parameters.
class ParameterValues {
public:
    /// Defaults for everything not in `overrides` (name → text); throws ParameterError for an
    /// unknown name (listing the known ones), a value of the wrong type, or one out of bounds.
    static ParameterValues resolve(const std::vector<Parameter>& parameters,
        const std::vector<std::pair<std::string, std::string>>& overrides = {});

    /// Typed access; throws std::out_of_range for a name that is not a parameter of this kind.
    int integer(std::string_view name) const;
    double real(std::string_view name) const;
    bool boolean(std::string_view name) const;
    const std::string& choice(std::string_view name) const;

    /// Every value as canonical text, in declaration order (for trace files and captions).
    const std::vector<std::pair<std::string, std::string>>& as_text() const noexcept { return values_; }

private:
    const std::pair<std::string, std::string>& find(std::string_view name, ParameterKind kind) const;
    std::vector<Parameter> parameters_;
    std::vector<std::pair<std::string, std::string>> values_;
};

} // namespace poolscope::scenarios
