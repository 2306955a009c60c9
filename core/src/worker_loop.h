#pragma once

#include <string>

namespace poolscope::detail {

/// Runs in a worker process: announces itself, then takes tasks from the parent over `fd` until
/// told to stop, the parent goes away, or max_tasks (0: no limit) tasks are done. Returns the
/// process's exit status; the caller ends the process with it.
int worker_loop(int fd, int lane, const std::string& name, int max_tasks);

/// The argument that marks a worker invocation of the program.
inline constexpr const char* worker_flag = "--poolscope-worker";

} // namespace poolscope::detail
