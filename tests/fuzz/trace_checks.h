#pragma once

#include <poolscope/trace/trace.h>

namespace poolscope::trace::fuzz {

/// What every fuzzed loader's result must survive: validation, a save → load round trip (equal trace,
/// byte-identical second save), the Chrome and CSV exports (well-formed), the summary and the
/// invariant checker. Runs on the fuzzer's thread. Calls std::abort() with a message on stderr when
/// a check fails, so libFuzzer (or the corpus replay) reports the input as a crash; lets any
/// unexpected exception escape, which terminates the same way.
void exercise_trace(const Trace& trace);

} // namespace poolscope::trace::fuzz
