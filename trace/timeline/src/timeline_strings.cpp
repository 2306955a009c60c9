#include <poolscope/timeline/timeline_strings.h>

#include <limits>

namespace poolscope::timeline {

TimelineStrings::TimelineStrings()
    : m_offsets { 0, 0 }
{
}

std::uint32_t TimelineStrings::add(std::string_view text)
{
    if (text.empty())
        return 0;
    // Four billion texts would need far more memory than any trace we can load; saturate instead of
    // wrapping so a runaway input shows as "the last text", never as a wrong one.
    if (size() >= std::numeric_limits<std::uint32_t>::max())
        return static_cast<std::uint32_t>(size() - 1);
    m_chars.append(text);
    m_offsets.push_back(m_chars.size());
    return static_cast<std::uint32_t>(size() - 1);
}

std::uint32_t TimelineStrings::intern(std::string_view text)
{
    if (text.empty())
        return 0;
    const auto it = m_interned.find(std::string(text));
    if (it != m_interned.end())
        return it->second;
    const std::uint32_t id = add(text);
    m_interned.emplace(std::string(text), id);
    return id;
}

std::string_view TimelineStrings::at(std::uint32_t id) const
{
    if (id >= size())
        return {};
    return std::string_view(m_chars).substr(m_offsets[id], m_offsets[id + 1] - m_offsets[id]);
}

} // namespace poolscope::timeline
