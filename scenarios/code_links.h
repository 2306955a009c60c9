#pragma once

#include <poolscope/event.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace poolscope::scenarios {

/// Where in a scenario's listings its events come from: for each kind of event (or a kind with a
/// particular label, or a kind in a process pool), a piece of the line that causes it in the
/// Python listing and in the C++ one — the `submit(` call, the task function, `f.result()`, the
/// with block's end. Read from the "lines" object of <name>_scenario.json; a test checks that
/// every event a scenario's runs produce finds a line that exists and holds that text.
class CodeLinks {
public:
    struct Marker {
        std::string python; ///< text of the Python line, e.g. "executor.submit("
        std::string cpp; ///< text of the C++ line, e.g. "pool.submit("
    };

    /// `key` is an event kind's name ("submitted"), that name and a label ("caller_blocked result",
    /// matched when the event's label is exactly that), a name and "@process" ("started@process",
    /// for the events of worker processes and of the tasks they ran), or both ("caller_blocked@process
    /// result"); any of them with "#N" after the kind ("submitted#2", "caller_blocked#2 result") for
    /// the events of the N-th stage: the caller submits, blocks, then submits again (a pipeline's
    /// second stage, a second pool). Later keys do not replace earlier ones.
    void add(std::string key, Marker marker);
    const std::vector<std::pair<std::string, Marker>>& entries() const { return entries_; }

    /// The marker for an event, most specific key first (the stage's keys, then @process with the
    /// label, the label, @process, the kind); `in_process_pool`: whether the event comes from a
    /// worker process or its task ran on one; `stage`: see add(). Null when none fits.
    const Marker* marker_for(const Event& event, bool in_process_pool, int stage = 1) const;

    /// Each event's marker (null where none fits). A caller_resumed event takes the marker of the
    /// caller_blocked it ends, whatever its own kind would say.
    std::vector<const Marker*> markers(const std::vector<Event>& events) const;

    /// The line (1-based) of `listing` that each of `events` comes from (markers()), 0 where none
    /// is known. `python` picks the Python listing's markers, else the C++ ones.
    std::vector<int> lines(const std::vector<Event>& events, std::string_view listing, bool python) const;

private:
    const Marker* find(std::string_view key) const;
    const Marker* unstaged(const Event& event, bool in_process_pool) const;

    std::vector<std::pair<std::string, Marker>> entries_;
};

/// The first line (1-based) of `listing` that contains `text`; 0 when none does or `text` is empty.
int line_holding(std::string_view listing, std::string_view text);

/// Line `line` (1-based) of `listing`, without its newline; empty past the end.
std::string_view listing_line(std::string_view listing, int line);

} // namespace poolscope::scenarios
