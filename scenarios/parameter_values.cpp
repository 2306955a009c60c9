#include "scenarios/parameter_values.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace poolscope::scenarios {

namespace {

std::string_view trimmed(std::string_view text)
{
    const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return text;
}

// Shortest text that reads back as the same double; whole numbers without a fraction ("60", not
// "60.0"), so bounds read naturally in messages.
std::string number_text(double value)
{
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc {} ? std::string(buffer, end) : std::to_string(value);
}

std::optional<long long> parse_integer(std::string_view text)
{
    text = trimmed(text);
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc {} || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::optional<double> parse_real(std::string_view text)
{
    text = trimmed(text);
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc {} || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::optional<bool> parse_boolean(std::string_view text)
{
    std::string lower(trimmed(text));
    std::transform(lower.begin(), lower.end(), lower.begin(),
        [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    if (lower == "true" || lower == "1" || lower == "yes" || lower == "on")
        return true;
    if (lower == "false" || lower == "0" || lower == "no" || lower == "off")
        return false;
    return std::nullopt;
}

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items) {
        if (!out.empty())
            out += ", ";
        out += item;
    }
    return out;
}

// The canonical text of `text` for `p`; throws ParameterError naming the parameter and what it takes.
std::string canonical(const Parameter& p, std::string_view text)
{
    const std::string got = ", got " + (text.empty() ? std::string("nothing") : std::string(text));
    const std::string unit = p.unit.empty() ? std::string() : " " + p.unit;
    switch (p.kind) {
    case ParameterKind::integer: {
        const auto value = parse_integer(text);
        if (!value || static_cast<double>(*value) < p.minimum || static_cast<double>(*value) > p.maximum)
            throw ParameterError(p.name + " must be an integer from " + number_text(p.minimum) + " to "
                + number_text(p.maximum) + unit + got);
        return std::to_string(*value);
    }
    case ParameterKind::real: {
        const auto value = parse_real(text);
        if (!value || *value < p.minimum || *value > p.maximum)
            throw ParameterError(p.name + " must be a number from " + number_text(p.minimum) + " to "
                + number_text(p.maximum) + unit + got);
        return number_text(*value);
    }
    case ParameterKind::boolean: {
        const auto value = parse_boolean(text);
        if (!value)
            throw ParameterError(p.name + " must be true or false" + got);
        return *value ? "true" : "false";
    }
    case ParameterKind::choice: {
        const std::string value(trimmed(text));
        if (std::find(p.choices.begin(), p.choices.end(), value) == p.choices.end())
            throw ParameterError(p.name + " must be one of " + joined(p.choices) + got);
        return value;
    }
    }
    throw ParameterError(p.name + " has an unknown kind");
}

} // namespace

ParameterValues ParameterValues::resolve(
    const std::vector<Parameter>& parameters, const std::vector<std::pair<std::string, std::string>>& overrides)
{
    for (const auto& [name, text] : overrides) {
        const bool known = std::any_of(
            parameters.begin(), parameters.end(), [&name = name](const Parameter& p) { return p.name == name; });
        if (!known) {
            std::vector<std::string> names;
            for (const auto& p : parameters)
                names.push_back(p.name);
            throw ParameterError("unknown parameter '" + name + "' for this scenario; "
                + (names.empty() ? std::string("it has none") : "known: " + joined(names)));
        }
    }

    ParameterValues out;
    out.parameters_ = parameters;
    for (const auto& p : parameters) {
        // The last override of a name wins, as on a command line.
        std::string_view text = p.default_value;
        for (const auto& [name, value] : overrides) {
            if (name == p.name)
                text = value;
        }
        out.values_.emplace_back(p.name, canonical(p, text));
    }
    return out;
}

const std::pair<std::string, std::string>& ParameterValues::find(std::string_view name, ParameterKind kind) const
{
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
        if (parameters_[i].name == name) {
            if (parameters_[i].kind != kind)
                throw std::out_of_range("parameter '" + std::string(name) + "' is of another kind");
            return values_[i];
        }
    }
    throw std::out_of_range("no parameter '" + std::string(name) + "'");
}

int ParameterValues::integer(std::string_view name) const
{
    // Canonical text, already checked against the bounds (which fit an int for every scenario).
    return static_cast<int>(*parse_integer(find(name, ParameterKind::integer).second));
}

double ParameterValues::real(std::string_view name) const
{
    return *parse_real(find(name, ParameterKind::real).second);
}

bool ParameterValues::boolean(std::string_view name) const
{
    return find(name, ParameterKind::boolean).second == "true";
}

const std::string& ParameterValues::choice(std::string_view name) const
{
    return find(name, ParameterKind::choice).second;
}

} // namespace poolscope::scenarios
