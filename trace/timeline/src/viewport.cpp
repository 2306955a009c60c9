#include <poolscope/timeline/viewport.h>

#include <algorithm>

namespace poolscope::timeline {

Viewport::Viewport()
{
    fit(Cause::Program);
}

int Viewport::addListener(Listener listener)
{
    const int id = m_nextListener++;
    m_listeners.emplace_back(id, std::move(listener));
    return id;
}

void Viewport::removeListener(int id)
{
    std::erase_if(m_listeners, [id](const auto& entry) { return entry.first == id; });
}

void Viewport::setExtent(const void* owner, double from, double to)
{
    const auto it
        = std::find_if(m_extents.begin(), m_extents.end(), [owner](const auto& e) { return e.first == owner; });
    if (it != m_extents.end())
        it->second = { from, to };
    else
        m_extents.emplace_back(owner, std::pair { from, to });
    updateExtent();
}

void Viewport::removeExtent(const void* owner)
{
    std::erase_if(m_extents, [owner](const auto& e) { return e.first == owner; });
    updateExtent();
}

void Viewport::updateExtent()
{
    if (m_extents.empty()) {
        m_extentStart = 0;
        m_extentEnd = 1e6;
        return;
    }
    m_extentStart = m_extents.front().second.first;
    m_extentEnd = m_extents.front().second.second;
    for (const auto& [owner, extent] : m_extents) {
        m_extentStart = std::min(m_extentStart, extent.first);
        m_extentEnd = std::max(m_extentEnd, extent.second);
    }
}

TimelineMapping Viewport::mapping(double left, double width) const
{
    TimelineMapping m;
    m.left = left;
    m.width = width;
    m.setDataRange(m_extentStart, m_extentEnd);
    m.start = m_start;
    m.end = m_end;
    return m;
}

void Viewport::setRange(double from, double to, Cause cause)
{
    TimelineMapping m = mapping(0, 1);
    m.zoomTo(from, to);
    if (m.start == m_start && m.end == m_end)
        return;
    m_start = m.start;
    m_end = m.end;
    notify(cause);
}

void Viewport::fit(Cause cause)
{
    TimelineMapping m = mapping(0, 1);
    m.fit();
    if (m.start == m_start && m.end == m_end)
        return;
    m_start = m.start;
    m_end = m.end;
    notify(cause);
}

void Viewport::pushZoom()
{
    const std::pair current(m_start, m_end);
    if (m_zoomStack.empty() || m_zoomStack.back() != current)
        m_zoomStack.push_back(current);
    if (m_zoomStack.size() > maximumZoomStackDepth)
        m_zoomStack.erase(m_zoomStack.begin());
}

bool Viewport::zoomBack(Cause cause)
{
    if (m_zoomStack.empty())
        return false;
    const auto [from, to] = m_zoomStack.back();
    m_zoomStack.pop_back();
    m_following = false;
    setRange(from, to, cause);
    return true;
}

void Viewport::notify(Cause cause)
{
    // A copy: a listener may add or remove listeners (a view being destroyed) while we call them.
    const auto listeners = m_listeners;
    for (const auto& [id, listener] : listeners)
        listener(m_start, m_end, cause);
}

std::pair<int, int> linkViewports(Viewport& a, Viewport& b)
{
    const int onA = a.addListener([&b](double start, double end, Viewport::Cause cause) {
        if (cause == Viewport::Cause::User)
            b.setRange(start, end, Viewport::Cause::Program);
    });
    const int onB = b.addListener([&a](double start, double end, Viewport::Cause cause) {
        if (cause == Viewport::Cause::User)
            a.setRange(start, end, Viewport::Cause::Program);
    });
    return { onA, onB };
}

} // namespace poolscope::timeline
