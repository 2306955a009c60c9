#pragma once

#include <charconv>
#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>

namespace poolscope::detail {

/// Appends a short, Python-repr-like text for one argument; types it cannot show become "…".
template <class A> void append_arg(std::string& out, const A& arg)
{
    using D = std::remove_cvref_t<A>;
    if constexpr (std::is_same_v<D, bool>) {
        out += arg ? "True" : "False";
    } else if constexpr (std::is_arithmetic_v<D>) {
        char buffer[32];
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, arg);
        if (ec == std::errc {})
            out.append(buffer, end);
    } else if constexpr (std::is_convertible_v<const D&, std::string_view>) {
        const std::string_view text(arg);
        out += '\'';
        out.append(text.substr(0, 24));
        if (text.size() > 24)
            out += "…";
        out += '\'';
    } else {
        out += "…";
    }
}

/// The arguments of a call as a label, e.g. "(2, 10)"; empty for a call without arguments, so
/// empty tasks (the benchmark's) cost no formatting.
template <class... Args> std::string format_args(const Args&... args)
{
    if constexpr (sizeof...(Args) == 0) {
        return {};
    } else {
        std::string out = "(";
        bool first = true;
        ((out += first ? "" : ", ", first = false, append_arg(out, args)), ...);
        out += ')';
        return out;
    }
}

} // namespace poolscope::detail
