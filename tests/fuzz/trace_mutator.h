#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace poolscope::trace::fuzz {

/// Mends what byte-level mutation of a native trace breaks most often, so that more mutants load and
/// reach the exporters, the summary and the invariant checker: `lane_count` and `event_count` are
/// set to their arrays' lengths, and when every event row starts with a number the rows are sorted
/// by it. Returns the mended JSON (compact), or std::nullopt when `text` is not a JSON object.
/// Never throws except std::bad_alloc.
std::optional<std::string> repair_trace(std::string_view text);

} // namespace poolscope::trace::fuzz
