#pragma once

#include <poolscope/timeline/timeline_mapping.h>

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

namespace poolscope::timeline {

/// The visible time range of one or more timeline views, with the zoom stack and the "follow new
/// data" state, so views that share one stay on one axis: lanes and counters of one run today, runs
/// compared side by side later. Holds times only (ns on the EventLog clock); each view brings its
/// own pixels through mapping().
///
/// The range it keeps in view is the union of the extents its clients declared (setExtent()), so
/// a run shorter than its neighbour can be shown over the neighbour's whole length.
///
/// Listeners hear every change with its cause. A view applies a change to its axes and must not
/// answer it with another change; a link between two viewports forwards Cause::User changes only
/// and sets them as Cause::Program, so two linked views cannot loop. Setting the range it already
/// has notifies no one. Not thread-safe: the GUI thread uses it.
class Viewport {
public:
    enum class Cause {
        User, ///< a gesture: wheel, drag, key, rubber band, zoom back
        Program, ///< code: fitting new data, a linked view, selecting a task from elsewhere
    };
    using Listener = std::function<void(double start, double end, Cause cause)>;

    /// How many ranges zoomBack() can go back through.
    static constexpr std::size_t maximumZoomStackDepth = 100;

    Viewport();

    /// Calls `listener` after every change; returns an id for removeListener().
    int addListener(Listener listener);
    void removeListener(int id);

    double start() const { return m_start; }
    double end() const { return m_end; }
    double range() const { return m_end - m_start; }

    /// The stretch of time `owner` (a view, a run) has data for; the viewport keeps the union of all
    /// owners' extents in view. A shrunk union clamps the range at the next change, not now.
    void setExtent(const void* owner, double from, double to);
    void removeExtent(const void* owner);
    double extentStart() const { return m_extentStart; }
    double extentEnd() const { return m_extentEnd; }

    /// This range on `width` pixels from `left`, with the union extent as the data range.
    TimelineMapping mapping(double left, double width) const;

    /// Shows [from, to] (either order), clamped to the extent. Notifies if anything changed.
    void setRange(double from, double to, Cause cause);
    /// Takes a mapping's range after a zoom or pan done on it (TimelineMapping::zoomAt, pan).
    void apply(const TimelineMapping& mapping, Cause cause) { setRange(mapping.start, mapping.end, cause); }
    /// Shows the whole extent with margins.
    void fit(Cause cause);

    /// Remembers the current range for zoomBack(); a range equal to the top is not pushed twice.
    void pushZoom();
    /// Back to the range before the last push; false (and no change) on an empty stack.
    bool zoomBack(Cause cause);
    std::size_t zoomStackDepth() const { return m_zoomStack.size(); }
    void clearZoomStack() { m_zoomStack.clear(); }

    /// Following: the views fit the range to new data as it arrives (until the user zooms or pans).
    bool isFollowing() const { return m_following; }
    void setFollowing(bool following) { m_following = following; }

private:
    void notify(Cause cause);
    void updateExtent();

    double m_start = 0;
    double m_end = 1e6;
    double m_extentStart = 0;
    double m_extentEnd = 1e6;
    bool m_following = true;
    std::vector<std::pair<double, double>> m_zoomStack;
    std::vector<std::pair<const void*, std::pair<double, double>>> m_extents;
    std::vector<std::pair<int, Listener>> m_listeners;
    int m_nextListener = 1;
};

/// Keeps `b` showing what the user chose in `a` and the other way round: user changes of either are
/// set on the other as Cause::Program, so the link never feeds itself. Returns the two listener ids
/// (on a, on b) for removeListener().
std::pair<int, int> linkViewports(Viewport& a, Viewport& b);

} // namespace poolscope::timeline
