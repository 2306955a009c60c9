#include "events/eventbatcher.h"

#include <QMetaType>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <iterator>
#include <mutex>

namespace poolscope::widgets {

// Shared between the batcher and every observer it handed out, so an observer that outlives the
// batcher (installed in a log that nobody cleared) still has valid memory to look at.
struct EventBatcher::State {
    mutable std::mutex mutex;
    std::vector<Event> pending;
    bool flushScheduled = false;
    EventBatcher* target = nullptr; // null once detached; only read or written under `mutex`
};

EventBatcher::EventBatcher(QObject* parent)
    : QObject(parent)
    , m_state(std::make_shared<State>())
    , m_delayTimer(new QTimer(this))
{
    m_delayTimer->setSingleShot(true);
    m_delayTimer->setTimerType(Qt::PreciseTimer);
    connect(m_delayTimer, &QTimer::timeout, this, &EventBatcher::flushPending);
    // For queued connections to eventsArrived() and for QSignalSpy.
    qRegisterMetaType<std::vector<poolscope::Event>>();
    m_state->target = this;
}

EventBatcher::~EventBatcher()
{
    // After this no observer posts to us; a flush already posted is discarded by ~QObject, which
    // removes the posted events of a dying receiver.
    detach();
}

EventLog::Observer EventBatcher::observer()
{
    return [state = m_state](const Event& event) {
        // Recording thread, serialised by the EventLog, possibly under core locks: stay short.
        std::lock_guard lock(state->mutex);
        if (!state->target)
            return;
        state->pending.push_back(event);
        if (state->flushScheduled)
            return;
        state->flushScheduled = true;
        // Posting under the mutex keeps `target` alive: detach() takes the same mutex first.
        QMetaObject::invokeMethod(state->target, &EventBatcher::flushPending, Qt::QueuedConnection);
    };
}

void EventBatcher::flushNow()
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_delayTimer->stop();
    std::vector<Event> batch(std::make_move_iterator(m_backlog.begin() + static_cast<std::ptrdiff_t>(m_backlogNext)),
        std::make_move_iterator(m_backlog.end()));
    m_backlog.clear();
    m_backlogNext = 0;
    m_flushDeferred = false;
    {
        std::lock_guard lock(m_state->mutex);
        if (batch.empty())
            batch.swap(m_state->pending);
        else
            batch.insert(batch.end(), std::make_move_iterator(m_state->pending.begin()),
                std::make_move_iterator(m_state->pending.end()));
        m_state->pending.clear();
        m_state->flushScheduled = false;
        m_backlogLeft = 0;
    }
    if (batch.empty())
        return;
    m_sinceLastBatch.start();
    std::stable_sort(batch.begin(), batch.end(), [](const Event& a, const Event& b) { return a.time < b.time; });
    emit eventsArrived(batch);
}

void EventBatcher::drain()
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_delayTimer->stop();
    m_draining = true;
    m_flushDeferred = false;
    if (!m_sliceScheduled)
        deliver(); // otherwise the slice already on its way carries on
}

void EventBatcher::setMinimumInterval(std::chrono::milliseconds interval)
{
    m_minimumInterval = std::max(interval, std::chrono::milliseconds(0));
}

void EventBatcher::detach()
{
    std::lock_guard lock(m_state->mutex);
    m_state->target = nullptr;
}

bool EventBatcher::isAttached() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->target != nullptr;
}

std::size_t EventBatcher::pendingCount() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->pending.size() + m_backlogLeft.load();
}

void EventBatcher::flushPending()
{
    // GUI thread: the queued call from the observer, or the delay timer. The schedule flag stays set
    // while we hold the flush back, so the observer posts nothing more meanwhile.
    if (hasBacklog() || m_draining) {
        // Slices of an earlier flush are still going out; the last one comes back for these.
        m_flushDeferred = true;
        return;
    }
    if (m_minimumInterval.count() > 0 && m_sinceLastBatch.isValid()) {
        const qint64 left = m_minimumInterval.count() - m_sinceLastBatch.elapsed();
        if (left > 0) {
            m_delayTimer->start(static_cast<int>(left));
            return;
        }
    }
    deliver();
}

void EventBatcher::deliver()
{
    // GUI thread: the next slice of the backlog; once that is used up, everything pending becomes
    // the backlog.
    if (!hasBacklog()) {
        m_backlog.clear();
        m_backlogNext = 0;
        std::lock_guard lock(m_state->mutex);
        m_backlog.swap(m_state->pending);
        // Cleared together with the swap, so an event arriving from now on schedules a new flush.
        m_state->flushScheduled = false;
        m_backlogLeft = m_backlog.size();
    }
    const std::size_t left = m_backlog.size() - m_backlogNext;
    if (left == 0) {
        if (m_draining) {
            m_draining = false;
            m_flushDeferred = false;
            emit drained();
        }
        return;
    }
    const std::size_t count = m_maximumBatchSize == 0 ? left : std::min(left, m_maximumBatchSize);
    std::vector<Event> batch;
    if (count == m_backlog.size()) {
        batch.swap(m_backlog); // all of it in one batch, the usual case: nothing to copy
        m_backlogNext = 0;
    } else {
        const auto first = m_backlog.begin() + static_cast<std::ptrdiff_t>(m_backlogNext);
        batch.assign(
            std::make_move_iterator(first), std::make_move_iterator(first + static_cast<std::ptrdiff_t>(count)));
        m_backlogNext += count;
    }
    m_backlogLeft = m_backlog.size() - m_backlogNext;
    m_sinceLastBatch.start();
    if (hasBacklog() || m_draining) {
        scheduleNextSlice();
    } else if (m_flushDeferred) {
        // A flush came while the slices went out: it keeps the minimum interval like any other.
        m_flushDeferred = false;
        m_delayTimer->start(static_cast<int>(m_minimumInterval.count()));
    }
    // Observer calls are serialised but not ordered by time across threads: a thread can stamp an
    // event and then lose the race to the observer. Sorting the batch repairs that within a batch.
    std::stable_sort(batch.begin(), batch.end(), [](const Event& a, const Event& b) { return a.time < b.time; });
    emit eventsArrived(batch);
}

void EventBatcher::scheduleNextSlice()
{
    // Queued, not a loop: the event loop runs timers, input and paints before the next slice.
    if (m_sliceScheduled)
        return;
    m_sliceScheduled = true;
    QMetaObject::invokeMethod(this, &EventBatcher::deliverNextSlice, Qt::QueuedConnection);
}

void EventBatcher::deliverNextSlice()
{
    // GUI thread.
    m_sliceScheduled = false;
    if (!hasBacklog() && !m_draining) {
        flushPending(); // flushNow() took the rest meanwhile: back to the ordinary pace
        return;
    }
    deliver();
}

} // namespace poolscope::widgets
