// What task code calls to behave like Python code; the lock itself is in interpreter_lock.cpp.
#include <poolscope/py.h>

#include "gil_context.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>

namespace poolscope::py {

using detail::current_gil;

void tick()
{
    // The fast path: nobody asked (or no lock), one relaxed load after the thread-local one.
    detail::GilContext* const context = current_gil;
    if (context == nullptr || !context->drop_request->load(std::memory_order_relaxed)) [[likely]]
        return;
    detail::switch_gil(*context);
}

void sleep(Duration d)
{
    // Checked before anything is released, so a bad call leaves the lock as it was. Python's
    // time.sleep() raises ValueError for both.
    if (std::isnan(d.count()))
        throw std::invalid_argument("sleep length must be a number, not NaN");
    if (d < Duration::zero())
        throw std::invalid_argument("sleep length must be non-negative");
    // Beyond a century the conversion to the clock's integer ticks would overflow.
    const Duration length = std::min(d, Duration(std::chrono::hours(24 * 365 * 100)));
    detail::GilContext* const context = current_gil;
    if (context == nullptr) {
        std::this_thread::sleep_for(length);
        return;
    }
    detail::release_gil(*context, "sleep");
    std::this_thread::sleep_for(length);
    detail::acquire_gil(*context);
}

bool holds_gil() noexcept
{
    return current_gil != nullptr;
}

ReleaseGil::ReleaseGil()
{
    if (detail::GilContext* const context = current_gil) {
        detail::release_gil(*context, "io");
        released_ = true;
    }
}

ReleaseGil::~ReleaseGil()
{
    detail::GilContext& context = detail::this_thread_gil;
    // Only while the hold it released for is still there, and not taken back already: a ReleaseGil
    // that outlived its task must not take the lock for nobody, nor wait for its own thread.
    if (released_ && context.lock != nullptr && current_gil == nullptr)
        detail::acquire_gil(context);
}

} // namespace poolscope::py
