#include <poolscope/duration.h>

#include <cmath>
#include <stdexcept>

namespace poolscope {

Deadline deadline_after(std::optional<Duration> timeout)
{
    if (!timeout)
        return std::nullopt;
    const double seconds = timeout->count();
    if (std::isnan(seconds))
        throw std::invalid_argument("timeout must be a number of seconds, not NaN");
    // Beyond a century the time_point arithmetic would overflow; nobody waits that long.
    constexpr double forever = 100.0 * 365 * 24 * 3600;
    if (seconds > forever)
        return std::nullopt;
    const double clamped = std::max(seconds, -forever);
    return Clock::now() + std::chrono::duration_cast<Clock::duration>(Duration(clamped));
}

} // namespace poolscope
