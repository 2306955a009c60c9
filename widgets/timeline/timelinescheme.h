#pragma once

namespace poolscope::widgets {

/// The ground the timeline's colours stand on: a dark theme (the system palette is dark) and high
/// contrast (presenter mode, for a projector). The Okabe–Ito colours and the patterns never change;
/// the lanes, the axes and the text around them do (see TimelineStyle).
struct TimelineScheme {
    bool dark = false;
    bool highContrast = false;
    friend bool operator==(const TimelineScheme&, const TimelineScheme&) = default;
};

} // namespace poolscope::widgets
