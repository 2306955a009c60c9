#include "widgets/eventbatcher.h"

#include <QMetaType>
#include <QThread>
#include <QTimer>

#include <algorithm>
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
    deliver();
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
    return m_state->pending.size();
}

void EventBatcher::flushPending()
{
    // GUI thread: the queued call from the observer, or the delay timer. The schedule flag stays set
    // while we hold the flush back, so the observer posts nothing more meanwhile.
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
    // GUI thread.
    std::vector<Event> batch;
    {
        std::lock_guard lock(m_state->mutex);
        batch.swap(m_state->pending);
        // Cleared together with the swap, so an event arriving from now on schedules a new flush.
        m_state->flushScheduled = false;
    }
    if (batch.empty())
        return;
    m_sinceLastBatch.start();
    // Observer calls are serialised but not ordered by time across threads: a thread can stamp an
    // event and then lose the race to the observer. Sorting the batch repairs that within a batch.
    std::stable_sort(batch.begin(), batch.end(), [](const Event& a, const Event& b) { return a.time < b.time; });
    emit eventsArrived(batch);
}

} // namespace poolscope::widgets
