#include "scenarios/scenario_helpers.h"

#include <poolscope/errors.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace poolscope::scenarios {

ThreadPoolOptions thread_pool_options(RunContext& context, int max_workers)
{
    return { .max_workers = max_workers, .thread_name_prefix = context.thread_pool_prefix(), .events = &context.log };
}

void sleep_unless_stopped(const std::stop_token& stop, Duration length)
{
    using namespace std::chrono_literals;
    const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(length);
    while (!stop.stop_requested()) {
        const auto now = Clock::now();
        if (now >= end)
            return;
        std::this_thread::sleep_for(std::min<Clock::duration>(end - now, 20ms));
    }
}

std::string message_of(const std::exception_ptr& error)
{
    return error ? exception_message(error) : "None";
}

} // namespace poolscope::scenarios
