#include <poolscope/trace/event_kind_name.h>

namespace poolscope::trace {

std::optional<EventKind> event_kind_from_string(std::string_view name) noexcept
{
    // Derived from core's to_string(), so a kind added there is readable here without an edit.
    for (int k = 0; k < event_kind_count; ++k) {
        const auto kind = static_cast<EventKind>(k);
        if (to_string(kind) == name)
            return kind;
    }
    return std::nullopt;
}

} // namespace poolscope::trace
