#pragma once

// What Python's print() shows for a value, so scenarios print what the Python program prints.

#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace poolscope::scenarios {

/// Python's repr() of a str: 'text', with double quotes when the text holds a single quote only.
std::string repr_string(std::string_view text);

/// Python's repr() of a float: the shortest text that reads back as the same value, "0.1", "2.0",
/// "1e-05", "1.5e+16", "inf", "nan".
std::string repr_float(double value);

/// Python's f"{value:.{digits}f}": rounded half to even on the exact binary value, as printf does.
std::string format_fixed(double value, int digits);

namespace detail {
template <class T> inline constexpr bool is_pair = false;
template <class A, class B> inline constexpr bool is_pair<std::pair<A, B>> = true;
template <class T> inline constexpr bool is_tuple = false;
template <class... T> inline constexpr bool is_tuple<std::tuple<T...>> = true;
} // namespace detail

/// What Python's print() shows for a value: True/False, 42, 0.25, 'text', (a, b) for a pair or
/// tuple, and [a, b, ...] for any other range.
template <class T> std::string repr(const T& value)
{
    if constexpr (std::is_same_v<T, bool>) {
        return value ? "True" : "False";
    } else if constexpr (std::is_integral_v<T>) {
        return std::to_string(value);
    } else if constexpr (std::is_floating_point_v<T>) {
        return repr_float(static_cast<double>(value));
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        return repr_string(value);
    } else if constexpr (detail::is_pair<T>) {
        return "(" + repr(value.first) + ", " + repr(value.second) + ")";
    } else if constexpr (detail::is_tuple<T>) {
        std::string out;
        std::apply([&out](const auto&... items) { ((out += (out.empty() ? "" : ", ") + repr(items)), ...); }, value);
        return "(" + out + (std::tuple_size_v<T> == 1 ? ",)" : ")");
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
