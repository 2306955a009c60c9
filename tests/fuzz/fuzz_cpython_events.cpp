// libFuzzer harness for CPythonEventReader (the CPython tracer's events files): whatever the bytes,
// the reader never throws in its tolerant mode, its trace passes exercise_trace(), and in strict
// mode it either refuses with a TraceError or gives the same trace.
//
// The input is one or more events files separated by the byte 0x1e (ASCII record separator): part
// i is "events-<i>.jsonl". Each part arrives in two reads, cut in its middle, as a live file does.

#include "trace_checks.h"

#include <poolscope/trace/cpython_event_reader.h>
#include <poolscope/trace/trace_error.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {
void feed(poolscope::trace::CPythonEventReader& reader, const std::vector<std::string_view>& parts)
{
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string name = "events-" + std::to_string(i + 1) + ".jsonl";
        const std::size_t half = parts[i].size() / 2;
        reader.add_data(name, parts[i].substr(0, half));
        reader.add_data(name, parts[i].substr(half));
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace poolscope::trace;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const std::size_t end = input.find('\x1e', start);
        parts.push_back(input.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos || parts.size() == 64)
            break;
        start = end + 1;
    }

    CPythonEventReader tolerant;
    feed(tolerant, parts); // any exception escapes: a finding
    const Trace trace = tolerant.trace();
    (void)tolerant.problems();
    fuzz::exercise_trace(trace);

    CPythonEventReader strict(CPythonEventReader::Options { .strict = true });
    try {
        feed(strict, parts);
    } catch (const TraceError&) {
        return 0;
    }
    if (!(strict.trace() == trace)) {
        std::fputs("fuzz_cpython_events: the strict reader accepted the input but gave another trace\n", stderr);
        std::abort();
    }
    return 0;
}
