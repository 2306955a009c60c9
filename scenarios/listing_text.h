#pragma once

#include <string>
#include <string_view>

namespace poolscope::scenarios {

/// A listing cut from a source file, without its common indentation and surrounding blank lines.
std::string dedent_listing(std::string_view code);

} // namespace poolscope::scenarios
