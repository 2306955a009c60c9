// libFuzzer harness for load_trace(std::istream&): anything it loads must then survive
// exercise_trace(); anything it refuses must be refused with a TraceError.

#include "trace_checks.h"
#include "trace_mutator.h"

#include <poolscope/trace/trace_error.h>
#include <poolscope/trace/trace_file.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace poolscope::trace;
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    Trace trace;
    try {
        trace = load_trace(in);
    } catch (const TraceError&) {
        return 0; // refused, as documented; any other exception escapes and counts as a crash
    }
    fuzz::exercise_trace(trace);
    return 0;
}

// libFuzzer's own mutator. Weak, so the corpus replay links without libFuzzer (it never mutates).
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size)
    __attribute__((weak));

// Half the mutants go to the loader as they are, to reach its refusals; the other half get their
// counts and event order mended first (repair_trace), since a changed count or order is refused
// before anything downstream of the loader runs.
extern "C" std::size_t LLVMFuzzerCustomMutator(
    std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned int seed)
{
    size = LLVMFuzzerMutate(data, size, max_size);
    if (seed % 2 == 0)
        return size;
    const auto repaired = poolscope::trace::fuzz::repair_trace({ reinterpret_cast<const char*>(data), size });
    if (!repaired || repaired->size() > max_size)
        return size;
    std::memcpy(data, repaired->data(), repaired->size());
    return repaired->size();
}
