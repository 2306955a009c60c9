#pragma once

#include <string>
#include <string_view>

namespace poolscope::timeline {

/// A label for the eye: every decimal number in `text` with more than four digits after the point is
/// rounded to four (or, below 0.001, to three significant digits), trailing zeros dropped, so that
/// `(0.15000000000000002,)` reads `(0.15,)` on a bar. Integers, exponents and digits inside names
/// (`ThreadPoolExecutor-0_1`) are left as they are. Tooltips and the event table keep the full text.
std::string rounded_for_display(std::string_view text);

} // namespace poolscope::timeline
