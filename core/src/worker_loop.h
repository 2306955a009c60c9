#pragma once

#include <string>

namespace poolscope::detail {

/// Runs in a worker process: announces itself on `fd`, then takes calls from the pool's shared call
/// queue `call_fd` and answers each on `fd`, until it takes a stop, the parent goes away, or
/// max_tasks (0: no limit) tasks are done. `herald_thread`: report long calls' starts from a thread
/// of its own (not in a forked worker); without it every call's start is sent before it runs.
/// Returns the process's exit status; the caller ends the process with it.
int worker_loop(int fd, int call_fd, int lane, const std::string& name, int max_tasks, bool herald_thread);

/// The argument that marks a worker invocation of the program.
inline constexpr const char* worker_flag = "--poolscope-worker";

} // namespace poolscope::detail
