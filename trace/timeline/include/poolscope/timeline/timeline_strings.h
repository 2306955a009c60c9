#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace poolscope::timeline {

/// Append-only text storage for the timeline: one character buffer plus offsets, so a million task
/// labels cost one allocation each for the buffer and the offsets instead of a million strings.
/// Id 0 is the empty string. Not thread-safe; owned by TimelineData.
class TimelineStrings {
public:
    TimelineStrings();

    /// Stores the text and returns its id; the empty text is always id 0. No deduplication: for texts
    /// that are nearly all different (task arguments).
    std::uint32_t add(std::string_view text);
    /// Stores the text once and returns the same id for equal texts: for texts that repeat (error
    /// messages, lane names, what the caller waited in).
    std::uint32_t intern(std::string_view text);

    /// The text with this id; empty for an unknown id.
    std::string_view at(std::uint32_t id) const;
    /// How many texts are stored, the empty one included.
    std::size_t size() const { return m_offsets.size() - 1; }

    friend bool operator==(const TimelineStrings& a, const TimelineStrings& b)
    {
        return a.m_chars == b.m_chars && a.m_offsets == b.m_offsets;
    }

private:
    std::string m_chars;
    std::vector<std::size_t> m_offsets; // text i is m_chars[m_offsets[i], m_offsets[i + 1])
    std::unordered_map<std::string, std::uint32_t> m_interned;
};

} // namespace poolscope::timeline
