#pragma once

#include <cstdint>

namespace poolscope {

/// Which task, and which attempt of it, a submission is. Every attempt of one retried call shares
/// the task id, so a timeline can join them.
struct TaskIdentity {
    std::uint64_t task_id = 0;
    int attempt = 0; ///< 0 for the first attempt
};

} // namespace poolscope
