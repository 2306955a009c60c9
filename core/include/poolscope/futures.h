#pragma once

// PoolScope's core: Python's concurrent.futures in C++20, recording every state change.
// One include brings the whole public API, as `from concurrent.futures import *` would.

#include <poolscope/as_completed.h>
#include <poolscope/duration.h>
#include <poolscope/error_handler.h>
#include <poolscope/errors.h>
#include <poolscope/event.h>
#include <poolscope/event_invariants.h>
#include <poolscope/event_log.h>
#include <poolscope/future.h>
#include <poolscope/future_state.h>
#include <poolscope/interpreter_lock.h>
#include <poolscope/map_result.h>
#include <poolscope/process_pool_executor.h>
#include <poolscope/py.h>
#include <poolscope/retry_executor.h>
#include <poolscope/task_identity.h>
#include <poolscope/thread_pool_executor.h>
#include <poolscope/wait.h>
