#pragma once

#include <poolscope/event.h>
#include <poolscope/event_log.h>

#include <QElapsedTimer>
#include <QObject>

#include <chrono>
#include <memory>
#include <vector>

class QTimer;

namespace poolscope::widgets {

/// Carries events from recording threads into the GUI thread in batches (GammaRay's timer model
/// pattern): the observer appends under a mutex and schedules at most one queued flush; the flush
/// runs on the batcher's thread and emits the whole batch at once.
///
/// Batches are also at least minimumInterval() apart: an idle GUI thread would otherwise flush
/// after nearly every event when events trickle in (measured: 80,000 batches for 100,000 events
/// from four threads that yield often). The first event after a quiet spell still goes out at once.
///
/// Thread contexts:
/// - the function returned by observer() runs on recording threads (EventLog serialises the calls);
/// - everything else, and every emission of eventsArrived(), happens on the thread the batcher lives
///   on (the GUI thread).
///
/// Teardown order for the owner: first `log.set_observer({})` — when it returns no recording thread
/// is inside the observer, and none will enter it — then flushNow() if the last events matter, then
/// detach() or destroy the batcher. Getting the order wrong is still memory-safe: the observer shares
/// its state with the batcher, and once the batcher is detached or gone it drops events instead of
/// touching it.
class EventBatcher : public QObject {
    Q_OBJECT
public:
    explicit EventBatcher(QObject* parent = nullptr);
    ~EventBatcher() override;

    /// A callback for EventLog::set_observer(). Cheap on the recording thread: one copy of the event
    /// under a mutex, plus one posted event per batch. Several observers from one batcher share the
    /// same batches. After detach() the returned callbacks drop every event.
    EventLog::Observer observer();

    /// Delivers what is pending right now, without waiting for the queued flush: call it on the GUI
    /// thread at the end of a run, after removing the observer. Emits nothing when nothing is pending.
    void flushNow();

    /// Stops accepting events for good; already pending events are still delivered by the next flush.
    /// Called by the destructor. GUI thread.
    void detach();

    /// Batches come at most once per interval (default 16 ms, about one frame); zero flushes as soon
    /// as the queued call runs. flushNow() ignores it. GUI thread.
    void setMinimumInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds minimumInterval() const { return m_minimumInterval; }

    /// True until detach().
    bool isAttached() const;

    /// How many events wait for the next flush. Any thread; for tests and status displays.
    std::size_t pendingCount() const;

signals:
    /// One batch, in arrival order sorted by time (stable). Emitted on the batcher's thread only.
    void eventsArrived(const std::vector<poolscope::Event>& events);

private:
    struct State;
    void flushPending();
    void deliver();

    std::shared_ptr<State> m_state;
    std::chrono::milliseconds m_minimumInterval { 16 };
    QElapsedTimer m_sinceLastBatch; // invalid until the first batch
    QTimer* m_delayTimer; // holds back a flush that came sooner than m_minimumInterval
};

} // namespace poolscope::widgets
