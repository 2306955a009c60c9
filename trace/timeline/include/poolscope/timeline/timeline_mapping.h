#pragma once

#include <cstdint>

namespace poolscope::timeline {

/// Time ↔ pixel for the timeline's x axis, and the zoom and pan arithmetic on it (Hotspot's
/// TimeLineData). Plain value type: the view keeps one, the plottable builds one per paint from its
/// axis, the tests check it with data rows. Times are ns on the EventLog clock, as doubles so that
/// zooming keeps fractions; pixels are the widget's x coordinates.
struct TimelineMapping {
    /// Shortest visible range: a few hundred ns is as far as a steady clock's stamps mean anything.
    static constexpr double minimumRange = 200.0;
    /// fit() leaves this fraction of the data's length free on each side.
    static constexpr double fitMargin = 0.02;

    double start = 0; ///< time at the left edge of the pixel range
    double end = 1e6; ///< time at the right edge
    double left = 0; ///< first pixel
    double width = 1000; ///< pixels
    double dataStart = 0; ///< what fit() shows and clamp() keeps in view
    double dataEnd = 1e6;

    double range() const { return end - start; }
    double right() const { return left + width; }
    double nsPerPixel() const { return width > 0 ? range() / width : 0; }
    double toPixel(double time) const { return left + (time - start) * (width / range()); }
    double toTime(double pixel) const { return start + (pixel - left) * (range() / width); }
    /// A length of time in pixels.
    double toPixels(double duration) const { return duration * (width / range()); }

    /// Zooms by `factor` (> 1 in, < 1 out) so the time under `cursor` stays under it, then clamps.
    void zoomAt(double cursor, double factor);
    /// Moves the content by `dpx` pixels: positive drags it to the right, showing earlier times.
    void pan(double dpx);
    /// Shows [from, to] (in either order), then clamps.
    void zoomTo(double from, double to);
    /// Shows all data plus fitMargin on both sides.
    void fit();
    /// Keeps the range at least minimumRange long, at most the fitted range long, and inside it.
    void clamp();
    /// The data's extent; an empty or reversed one becomes a millisecond from its start.
    void setDataRange(double from, double to);

    /// The range fit() would show.
    double fitStart() const;
    double fitEnd() const;

    friend bool operator==(const TimelineMapping&, const TimelineMapping&) = default;
};

} // namespace poolscope::timeline
