#include "scenarios/basic_scenario.h"

#include "scenarios/listing_text.h"
#include "scenarios/python_repr.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace poolscope::scenarios {

namespace {

const Parameter& parameter_named(const std::vector<Parameter>& parameters, std::string_view name)
{
    const auto it
        = std::find_if(parameters.begin(), parameters.end(), [name](const Parameter& p) { return p.name == name; });
    if (it == parameters.end())
        throw std::out_of_range("no parameter '" + std::string(name) + "'");
    return *it;
}

// The value as Python source: 5, 0.05, True, 'spawn'.
std::string python_literal(const Parameter& p, const ParameterValues& params)
{
    switch (p.kind) {
    case ParameterKind::integer:
        return std::to_string(params.integer(p.name));
    case ParameterKind::real:
        return repr(params.real(p.name));
    case ParameterKind::boolean:
        return repr(params.boolean(p.name));
    case ParameterKind::choice:
        return repr_string(params.choice(p.name));
    }
    throw std::out_of_range("parameter '" + p.name + "' has an unknown kind");
}

} // namespace

BasicScenario::BasicScenario(ScenarioDescription description, std::string_view marked_run_body)
    : description_(std::move(description))
    , cpp_listing_(dedent_listing(marked_run_body))
{
    if (!description_.run || !description_.check)
        throw std::invalid_argument(std::string(info().id) + ": the description has no run() or check()");
    description_.presets.insert(description_.presets.begin(),
        Preset { .name = "page",
            .label = "As on the page",
            .description = "The exercise's own program: its functions, constants and worker counts.",
            .values = {} });
}

std::string BasicScenario::python_listing(const ParameterValues& params) const
{
    std::string block;
    for (const auto& [parameter, python_name] : description_.python_constants)
        block += python_name + " = " + python_literal(parameter_named(parameters(), parameter), params) + "\n";
    std::string program(description_.python_program);
    const std::string marker = "@constants@\n";
    const auto at = program.find(marker);
    if (at == std::string::npos)
        throw std::out_of_range(std::string(info().id) + ": the Python program has no @constants@ line");
    program.replace(at, marker.size(), block);
    return program;
}

} // namespace poolscope::scenarios
