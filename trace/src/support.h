#pragma once

// Helpers shared by the trace writers and the loader. Private to poolscope_trace: nlohmann stays
// out of the public headers.

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

namespace poolscope::trace::detail {

/// `text` as a JSON string literal, quotes included, non-ASCII kept as UTF-8. Bytes that are not
/// valid UTF-8 become U+FFFD, since JSON cannot carry them.
std::string json_quote(std::string_view text);

/// `text` quoted for an error message: a JSON string literal of at most about 60 bytes (cut at a
/// character boundary, "…" marking the cut), so a damaged file cannot flood the message.
std::string quote_for_message(std::string_view text);

/// The same for the end of `text`: keeps its last ~60 bytes, "…" marking the cut at the front.
std::string quote_tail_for_message(std::string_view text);

/// Throws TraceError("could not write ...: the stream failed") unless `out` is good.
void check_stream(const std::ostream& out, std::string_view what);

/// Runs `write` on a file stream for "<path>.tmp" and renames that over `path` once it succeeded,
/// so a failed export never leaves a partial file where a good one was. Throws TraceError with
/// file() = path, for its own failures and for a TraceError thrown by `write`; the temporary file
/// is removed on failure.
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

} // namespace poolscope::trace::detail
