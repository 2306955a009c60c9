#pragma once

namespace poolscope {

/// The C++ counterpart of Python's `if __name__ == "__main__":` guard, and required in every
/// program that uses a ProcessPoolExecutor with the spawn start method. A process pool starts its
/// workers by running the current program again (/proc/self/exe) with worker arguments; call this
/// first thing in main(). In such a worker it runs the worker loop and ends the process without
/// returning; in the normal program it returns at once and does nothing:
///
///     int main(int argc, char** argv)
///     {
///         poolscope::run_worker_if_spawned(argc, argv);
///         ... // the program proper, which may create process pools
///     }
///
/// Task functions must be registered with POOLSCOPE_TASK at namespace scope, so that the worker
/// finds them by name before main() runs.
void run_worker_if_spawned(int argc, char** argv);

} // namespace poolscope
