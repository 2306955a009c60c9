#pragma once

#include <cstdint>
#include <string_view>

namespace poolscope {

/// A future's state, as Python's _state ("PENDING", "RUNNING", "CANCELLED", "FINISHED").
enum class FutureState : std::uint8_t { pending, running, cancelled, finished };

/// The state's Python spelling: "PENDING", "RUNNING", "CANCELLED" or "FINISHED".
std::string_view to_string(FutureState state) noexcept;

} // namespace poolscope
