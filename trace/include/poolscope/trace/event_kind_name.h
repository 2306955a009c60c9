#pragma once

#include <poolscope/event.h>

#include <optional>
#include <string_view>

namespace poolscope::trace {

/// The kind whose poolscope::to_string() name is `name` ("started" → EventKind::started);
/// std::nullopt for anything else (names are case-sensitive). Never throws.
std::optional<EventKind> event_kind_from_string(std::string_view name) noexcept;

} // namespace poolscope::trace
