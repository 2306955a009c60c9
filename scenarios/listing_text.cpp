#include "scenarios/listing_text.h"

#include <algorithm>
#include <vector>

namespace poolscope::scenarios {

std::string dedent_listing(std::string_view code)
{
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start <= code.size();) {
        const std::size_t end = std::min(code.find('\n', start), code.size());
        std::string_view line = code.substr(start, end - start);
        line = line.substr(0, line.find_last_not_of(" \t\r") + 1); // npos + 1 == 0: a blank line
        lines.push_back(line);
        start = end + 1;
    }
    while (!lines.empty() && lines.front().empty())
        lines.erase(lines.begin());
    while (!lines.empty() && lines.back().empty())
        lines.pop_back();
    std::size_t indent = std::string_view::npos;
    for (std::string_view line : lines) {
        if (!line.empty())
            indent = std::min(indent, line.find_first_not_of(' '));
    }
    std::string out;
    for (std::string_view line : lines) {
        if (!line.empty())
            out.append(line.substr(indent));
        out += '\n';
    }
    return out;
}

} // namespace poolscope::scenarios
