#pragma once

#include <functional>
#include <string_view>

namespace poolscope {

/// Receives errors the core reports but never throws to a caller: a done-callback that threw, a
/// worker initializer that failed. Python logs these; our default handler writes them to stderr.
using ErrorHandler = std::function<void(std::string_view message)>;

/// Installs a handler (an empty one restores the stderr default) and returns the previous one.
/// Thread-safe; the handler may be called on any thread and calls are serialised.
ErrorHandler set_error_handler(ErrorHandler handler);

/// Passes a message to the current handler. Any thread; never throws.
void report_error(std::string_view message) noexcept;

} // namespace poolscope
