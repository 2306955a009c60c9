#include <poolscope/timeline/timeline_mapping.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace poolscope::timeline {

void TimelineMapping::zoomAt(double cursor, double factor)
{
    if (!(factor > 0) || !std::isfinite(factor) || width <= 0)
        return;
    const double anchor = toTime(cursor);
    const double fraction = (cursor - left) / width;
    double newRange = range() / factor;
    newRange = std::clamp(newRange, minimumRange, std::max(minimumRange, fitEnd() - fitStart()));
    start = anchor - fraction * newRange;
    end = start + newRange;
    // Clamping may shift the range, but only when the cursor's time would otherwise leave the data.
    clamp();
}

void TimelineMapping::pan(double dpx)
{
    if (width <= 0)
        return;
    const double dt = dpx * nsPerPixel();
    start -= dt;
    end -= dt;
    clamp();
}

void TimelineMapping::zoomTo(double from, double to)
{
    if (to < from)
        std::swap(from, to);
    start = from;
    end = to;
    clamp();
}

void TimelineMapping::fit()
{
    start = fitStart();
    end = fitEnd();
}

void TimelineMapping::clamp()
{
    const double lo = fitStart();
    const double hi = fitEnd();
    double r = std::clamp(range(), minimumRange, std::max(minimumRange, hi - lo));
    if (!std::isfinite(r))
        r = hi - lo;
    const double centre = (start + end) / 2;
    start = centre - r / 2;
    end = start + r;
    if (start < lo) {
        start = lo;
        end = lo + r;
    }
    if (end > hi) {
        end = hi;
        start = hi - r;
    }
}

void TimelineMapping::setDataRange(double from, double to)
{
    dataStart = from;
    dataEnd = to > from ? to : from + 1e6;
}

double TimelineMapping::fitStart() const
{
    return dataStart - fitMargin * (dataEnd - dataStart);
}

double TimelineMapping::fitEnd() const
{
    return dataEnd + fitMargin * (dataEnd - dataStart);
}

} // namespace poolscope::timeline
