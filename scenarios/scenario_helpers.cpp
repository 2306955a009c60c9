#include "scenarios/scenario_helpers.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

namespace poolscope::scenarios {

namespace {
Parameter declared(std::string name, std::string label, std::string help, ParameterKind kind, std::string default_value)
{
    Parameter p;
    p.name = std::move(name);
    p.label = std::move(label);
    p.help = std::move(help);
    p.kind = kind;
    p.default_value = std::move(default_value);
    return p;
}
} // namespace

Parameter integer_parameter(
    std::string name, std::string label, std::string help, int minimum, int maximum, std::string default_value)
{
    Parameter p = declared(
        std::move(name), std::move(label), std::move(help), ParameterKind::integer, std::move(default_value));
    p.minimum = minimum;
    p.maximum = maximum;
    return p;
}

Parameter real_parameter(std::string name, std::string label, std::string help, double minimum, double maximum,
    std::string default_value, std::string unit)
{
    Parameter p
        = declared(std::move(name), std::move(label), std::move(help), ParameterKind::real, std::move(default_value));
    p.minimum = minimum;
    p.maximum = maximum;
    p.unit = std::move(unit);
    return p;
}

Parameter boolean_parameter(std::string name, std::string label, std::string help, std::string default_value)
{
    return declared(
        std::move(name), std::move(label), std::move(help), ParameterKind::boolean, std::move(default_value));
}

Parameter choice_parameter(
    std::string name, std::string label, std::string help, std::vector<std::string> choices, std::string default_value)
{
    Parameter p
        = declared(std::move(name), std::move(label), std::move(help), ParameterKind::choice, std::move(default_value));
    p.choices = std::move(choices);
    return p;
}

void sleep_unless_stopped(const std::stop_token& stop, Duration length)
{
    using namespace std::chrono_literals;
    const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(length);
    while (!stop.stop_requested()) {
        const auto now = Clock::now();
        if (now >= end)
            return;
        std::this_thread::sleep_for(std::min<Clock::duration>(end - now, 20ms));
    }
}

std::string message_of(const std::exception_ptr& error)
{
    if (!error)
        return "None";
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

} // namespace poolscope::scenarios
