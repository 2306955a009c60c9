#include "scenarios/output_checks.h"

#include <algorithm>
#include <charconv>
#include <system_error>

namespace poolscope::scenarios {

std::string compare_lines(const std::vector<std::string>& expected, const std::vector<std::string>& output)
{
    for (std::size_t i = 0; i < std::min(expected.size(), output.size()); ++i) {
        if (expected[i] != output[i])
            return "line " + std::to_string(i + 1) + ": expected " + expected[i] + ", got " + output[i];
    }
    if (expected.size() != output.size())
        return "expected " + std::to_string(expected.size()) + " lines, got " + std::to_string(output.size());
    return {};
}

std::optional<std::vector<long long>> parse_int_list(std::string_view text)
{
    if (text.size() < 2 || text.front() != '[' || text.back() != ']')
        return std::nullopt;
    text = text.substr(1, text.size() - 2);
    std::vector<long long> out;
    if (text.empty())
        return out;
    while (true) {
        long long value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc {})
            return std::nullopt;
        out.push_back(value);
        text.remove_prefix(static_cast<std::size_t>(end - text.data()));
        if (text.empty())
            return out;
        if (!text.starts_with(", "))
            return std::nullopt;
        text.remove_prefix(2);
    }
}

std::optional<std::vector<long long>> match_counts(std::string_view line, std::string_view shape)
{
    std::vector<long long> counts;
    std::size_t at = 0;
    for (char c : shape) {
        if (c != 'N') {
            if (at >= line.size() || line[at] != c)
                return std::nullopt;
            ++at;
            continue;
        }
        const std::size_t first = at;
        long long value = 0;
        while (at < line.size() && at - first < 9 && line[at] >= '0' && line[at] <= '9')
            value = value * 10 + (line[at++] - '0');
        if (at == first)
            return std::nullopt;
        counts.push_back(value);
    }
    if (at != line.size())
        return std::nullopt;
    return counts;
}

} // namespace poolscope::scenarios
