#include <poolscope/timeline/display_text.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace poolscope::timeline {

namespace {

bool isDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool isNamePart(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// `number` is digits, a point and more than four digits, not part of a name or an exponent.
std::string rounded(std::string_view number)
{
    double value = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (error != std::errc() || end != number.data() + number.size())
        return std::string(number);
    int decimals = 4;
    if (value != 0 && std::fabs(value) < 0.001)
        decimals = std::min(12, static_cast<int>(std::ceil(-std::log10(std::fabs(value)))) + 2);
    char buffer[64];
    const int n = std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    if (n <= 0 || n >= static_cast<int>(sizeof buffer))
        return std::string(number);
    std::string out(buffer, static_cast<std::size_t>(n));
    // Python's way: 0.3, 2.0; never "0.3000" nor "2.".
    while (out.size() > 2 && out.back() == '0' && out[out.size() - 2] != '.')
        out.pop_back();
    return out;
}

} // namespace

std::string rounded_for_display(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (!isDigit(text[i]) || (i > 0 && (isNamePart(text[i - 1]) || text[i - 1] == '.'))) {
            out += text[i++];
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && isDigit(text[j]))
            ++j;
        std::size_t fraction = 0;
        if (j + 1 < text.size() && text[j] == '.' && isDigit(text[j + 1])) {
            std::size_t k = j + 1;
            while (k < text.size() && isDigit(text[k]))
                ++k;
            fraction = k - j - 1;
            j = k;
        }
        const bool exponent = j < text.size() && (text[j] == 'e' || text[j] == 'E');
        const bool inName = j < text.size() && isNamePart(text[j]);
        const std::string_view number = text.substr(i, j - i);
        out += fraction > 4 && !exponent && !inName ? rounded(number) : std::string(number);
        i = j;
    }
    return out;
}

} // namespace poolscope::timeline
