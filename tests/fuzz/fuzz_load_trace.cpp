// libFuzzer harness for load_trace(std::istream&): anything it loads must then survive
// exercise_trace(); anything it refuses must be refused with a TraceError.

#include "trace_checks.h"

#include <poolscope/trace/trace_error.h>
#include <poolscope/trace/trace_file.h>

#include <cstddef>
#include <cstdint>
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
