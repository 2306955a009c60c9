#include "scenarios/basic_scenario.h"

#include "scenarios/listing_text.h"
#include "scenarios/python_repr.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace poolscope::scenarios {

namespace {

// ordered_json: the constants block and a preset's values keep the order of the file.
using Json = nlohmann::ordered_json;

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

ParameterKind kind_named(const std::string& name)
{
    for (const auto kind :
        { ParameterKind::integer, ParameterKind::real, ParameterKind::boolean, ParameterKind::choice }) {
        static constexpr const char* names[] = { "integer", "real", "boolean", "choice" };
        if (name == names[static_cast<int>(kind)])
            return kind;
    }
    throw std::invalid_argument("unknown parameter kind '" + name + "'");
}

Parameter parameter_from(const Json& j)
{
    Parameter p;
    p.name = j.at("name").get<std::string>();
    p.label = j.at("label").get<std::string>();
    p.help = j.at("help").get<std::string>();
    p.kind = kind_named(j.at("kind").get<std::string>());
    p.default_value = j.at("default").get<std::string>();
    if (p.kind == ParameterKind::integer || p.kind == ParameterKind::real) {
        p.minimum = j.at("minimum").get<double>();
        p.maximum = j.at("maximum").get<double>();
    }
    p.unit = j.value("unit", std::string());
    if (p.kind == ParameterKind::choice)
        p.choices = j.at("choices").get<std::vector<std::string>>();
    if (const auto applies = j.find("applies_if"); applies != j.end()) {
        p.applies_if = applies->at("parameter").get<std::string>();
        p.applies_for = applies->at("values").get<std::vector<std::string>>();
    }
    return p;
}

std::vector<std::pair<std::string, std::string>> text_pairs(const Json& object)
{
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& [key, value] : object.items())
        pairs.emplace_back(key, value.get<std::string>());
    return pairs;
}

Preset preset_from(const Json& j)
{
    return Preset { .name = j.at("name").get<std::string>(),
        .label = j.at("label").get<std::string>(),
        .description = j.at("description").get<std::string>(),
        .values = text_pairs(j.at("values")) };
}

} // namespace

BasicScenario::BasicScenario(const ScenarioTexts& texts, RunFunction run_function, CheckFunction check_function)
    : python_program_(texts.python_program)
    , cpp_listing_(dedent_listing(texts.marked_run_body))
    , run_(run_function)
    , check_(check_function)
{
    try {
        const Json j = Json::parse(texts.description_json);
        id_ = j.at("id").get<std::string>();
        title_ = j.at("title").get<std::string>();
        hint_ = j.at("hint").get<std::string>();
        explanation_ = j.at("explanation").get<std::string>();
        for (const auto& parameter : j.at("parameters"))
            parameters_.push_back(parameter_from(parameter));
        python_constants_ = text_pairs(j.at("python_constants"));
        for (const auto& preset : j.at("presets"))
            presets_.push_back(preset_from(preset));
        for (const auto& [key, where] : j.at("lines").items())
            code_links_.add(key,
                CodeLinks::Marker { .python = where.at("python").get<std::string>(), .cpp = where.at("cpp").get<std::string>() });
    } catch (const Json::exception& e) {
        throw std::invalid_argument("scenario '" + id_ + "': its description does not fit: " + e.what());
    }
    info_ = { id_, title_, hint_ };
    if (!run_ || !check_)
        throw std::invalid_argument("scenario '" + id_ + "': no run() or check()");
    presets_.insert(presets_.begin(),
        Preset { .name = "page",
            .label = "As on the page",
            .description = "The exercise's own program: its functions, constants and worker counts.",
            .values = {} });
}

std::string BasicScenario::python_listing(const ParameterValues& params) const
{
    std::string block;
    for (const auto& [parameter, python_name] : python_constants_)
        block += python_name + " = " + python_literal(parameter_named(parameters(), parameter), params) + "\n";
    std::string program(python_program_);
    const std::string marker = "@constants@\n";
    const auto at = program.find(marker);
    if (at == std::string::npos)
        throw std::out_of_range(std::string(info().id) + ": the Python program has no @constants@ line");
    program.replace(at, marker.size(), block);
    return program;
}

} // namespace poolscope::scenarios
