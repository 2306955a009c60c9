#pragma once

// What Python's print() shows for a value, so scenarios print what the Python program prints.

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace poolscope::scenarios {

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

} // namespace poolscope::scenarios
