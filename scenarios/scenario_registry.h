#pragma once

// One accessor per scenario, each defined in its scenario's .cpp as a function-local static
// instance; scenario.cpp lists them in the order of the practice page (all_scenarios()).
// Below them, the few helpers the scenarios share (defined in scenario.cpp).

#include "scenarios/scenario.h"

#include <poolscope/duration.h>

#include <cstddef>
#include <exception>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace poolscope {
class ThreadPoolExecutor;
}

namespace poolscope::scenarios {

const Scenario& map_scenario();
const Scenario& submit_scenario();
const Scenario& exceptions_scenario();
const Scenario& callbacks_scenario();
const Scenario& as_completed_scenario();
const Scenario& first_completed_scenario();
const Scenario& cpu_bound_scenario();
const Scenario& pipeline_scenario();
const Scenario& map_timeout_scenario();
const Scenario& shutdown_scenario();
const Scenario& retry_scenario();

// ---- shared by the scenarios -------------------------------------------------------------------

/// The scenario_catalog() entry with this id; std::out_of_range if there is none.
const ScenarioInfo& catalog_entry(std::string_view id);

/// Parameter declarations, short: an integer or real from `minimum` to `maximum`, or one of
/// `choices`; the default as text.
Parameter integer_parameter(
    std::string name, std::string label, std::string help, int minimum, int maximum, std::string default_value);
Parameter real_parameter(std::string name, std::string label, std::string help, double minimum, double maximum,
    std::string default_value, std::string unit);
Parameter choice_parameter(
    std::string name, std::string label, std::string help, std::vector<std::string> choices, std::string default_value);

/// time.sleep(length) for task code: std::this_thread::sleep_for in slices of at most 20 ms, so
/// that it returns early once `stop` is requested (a stopped run must end within about a second,
/// and a running task cannot be cancelled).
void sleep_unless_stopped(const std::stop_token& stop, Duration length);

/// Describes a thread pool's lanes to the run: sets pool_kind ("thread") and max_workers at once,
/// and when it goes out of scope names one lane per worker thread the pool started, as Python
/// names them ("ThreadPoolExecutor-0_1"), lane index = worker index. Declare it right after the
/// executor, so it is destroyed first, while the executor still knows its threads.
class ThreadPoolLanes {
public:
    ThreadPoolLanes(RunContext& context, const ThreadPoolExecutor& executor);
    ~ThreadPoolLanes();
    ThreadPoolLanes(const ThreadPoolLanes&) = delete;
    ThreadPoolLanes& operator=(const ThreadPoolLanes&) = delete;

private:
    RunContext& context_;
    const ThreadPoolExecutor& executor_;
};

/// Python's str(exc) for a task's exception: what() of a std::exception, or a fixed text.
std::string message_of(const std::exception_ptr& error);

/// Python's repr() of a str: 'text', with double quotes when the text holds a single quote only.
std::string repr_string(std::string_view text);

namespace detail {
template <class T> inline constexpr bool is_pair = false;
template <class A, class B> inline constexpr bool is_pair<std::pair<A, B>> = true;
} // namespace detail

/// What Python's print() shows for a value: True/False, 42, 'text', (a, b) for a pair, and
/// [a, b, ...] for any other range.
template <class T> std::string repr(const T& value)
{
    if constexpr (std::is_same_v<T, bool>) {
        return value ? "True" : "False";
    } else if constexpr (std::is_integral_v<T>) {
        return std::to_string(value);
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        return repr_string(value);
    } else if constexpr (detail::is_pair<T>) {
        return "(" + repr(value.first) + ", " + repr(value.second) + ")";
    } else {
        std::string out = "[";
        for (const auto& item : value) {
            if (out.size() > 1)
                out += ", ";
            out += repr(item);
        }
        return out + "]";
    }
}

/// For check(): an empty string when `output` is exactly `expected`, otherwise what differs
/// ("line 2: expected ..., got ..." or "expected 2 lines, got 1").
std::string compare_lines(const std::vector<std::string>& expected, const std::vector<std::string>& output);

/// For check(): the integers of a printed Python list ("[3, 1, 2]"), or nothing when the text is
/// not one.
std::optional<std::vector<long long>> parse_int_list(std::string_view text);

/// Matches a printed line against a shape in which each 'N' stands for a count (1 to 9 digits):
/// match_counts("Got: 4, Timed out: 6", "Got: N, Timed out: N") gives {4, 6}; nothing if it does
/// not match. (Not std::regex: GCC 12 warns inside <regex> at -O1, and warnings are errors.)
std::optional<std::vector<long long>> match_counts(std::string_view line, std::string_view shape);

/// A listing cut from a source file, without its common indentation and surrounding blank lines.
std::string dedent_listing(std::string_view code);

} // namespace poolscope::scenarios
