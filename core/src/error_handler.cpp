#include <poolscope/error_handler.h>

#include <cstdio>
#include <mutex>
#include <string>

namespace poolscope {

namespace {
std::mutex& handler_mutex()
{
    static std::mutex mutex;
    return mutex;
}
ErrorHandler& current_handler()
{
    static ErrorHandler handler;
    return handler;
}
} // namespace

ErrorHandler set_error_handler(ErrorHandler handler)
{
    std::lock_guard lock(handler_mutex());
    std::swap(current_handler(), handler);
    return handler;
}

void report_error(std::string_view message) noexcept
{
    std::lock_guard lock(handler_mutex());
    try {
        if (auto& handler = current_handler()) {
            handler(message);
            return;
        }
    } catch (...) {
        // A handler that throws must not take the reporting thread (often a worker) down with it.
    }
    std::fprintf(stderr, "poolscope: %.*s\n", static_cast<int>(message.size()), message.data());
}

} // namespace poolscope
