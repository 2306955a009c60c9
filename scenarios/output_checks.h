#pragma once

// For Scenario::check(): comparing printed lines with what the exercise prints, exactly or by shape.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace poolscope::scenarios {

/// An empty string when `output` is exactly `expected`, otherwise what differs
/// ("line 2: expected ..., got ..." or "expected 2 lines, got 1").
std::string compare_lines(const std::vector<std::string>& expected, const std::vector<std::string>& output);

/// The integers of a printed Python list ("[3, 1, 2]"), or nothing when the text is not one.
std::optional<std::vector<long long>> parse_int_list(std::string_view text);

/// Matches a printed line against a shape in which each 'N' stands for a count (1 to 9 digits):
/// match_counts("Got: 4, Timed out: 6", "Got: N, Timed out: N") gives {4, 6}; nothing if it does
/// not match. (Not std::regex: GCC 12 warns inside <regex> at -O1, and warnings are errors.)
std::optional<std::vector<long long>> match_counts(std::string_view line, std::string_view shape);

} // namespace poolscope::scenarios
