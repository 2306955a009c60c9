#pragma once

#include <chrono>
#include <optional>

namespace poolscope {

/// Timeouts are seconds as a double, like Python's, so both 0.2s and 200ms convert implicitly.
using Duration = std::chrono::duration<double>;

/// The steady clock the core measures deadlines and event times with.
using Clock = std::chrono::steady_clock;

/// An absolute deadline; empty means "wait forever".
using Deadline = std::optional<Clock::time_point>;

/// Turns a relative timeout into a deadline from now. A negative timeout is a deadline in the past
/// (Python's behaviour: check once, don't wait); an absurdly long one (over a century) means forever.
/// Throws std::invalid_argument for a NaN timeout.
Deadline deadline_after(std::optional<Duration> timeout);

} // namespace poolscope
