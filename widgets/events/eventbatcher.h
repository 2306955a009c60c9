#pragma once

#include <poolscope/event.h>
#include <poolscope/event_log.h>

#include <QElapsedTimer>
#include <QObject>

#include <atomic>
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
/// With a maximumBatchSize(), a flush that finds more events than that hands them out in slices, one
/// per event-loop turn, so that input, timers and paints get their turn in between: a fast run
/// (map over 100,000 empty tasks records two million events a second) otherwise put 50,000 events
/// in one batch and kept the GUI thread busy for 50 ms and more.
///
/// Thread contexts:
/// - the function returned by observer() runs on recording threads (EventLog serialises the calls);
/// - everything else, and every emission of eventsArrived(), happens on the thread the batcher lives
///   on (the GUI thread).
///
/// Teardown order for the owner: first `log.set_observer({})` — when it returns no recording thread
/// is inside the observer, and none will enter it — then flushNow() or drain() if the last events
/// matter, then detach() or destroy the batcher. Getting the order wrong is still memory-safe: the observer shares
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

    /// Delivers what is pending right now as one batch, whatever maximumBatchSize() says, without
    /// waiting for the queued flush: call it on the GUI thread at the end of a run, after removing
    /// the observer. Emits nothing when nothing is pending.
    void flushNow();

    /// Like flushNow(), but in batches of at most maximumBatchSize(), one per event-loop turn and
    /// without waiting for the minimum interval; emits drained() after the last (at once if nothing
    /// is pending). For the end of a run, after removing the observer. GUI thread.
    void drain();
    /// True between drain() and drained().
    bool isDraining() const { return m_draining; }

    /// Stops accepting events for good; already pending events are still delivered by the next flush.
    /// Called by the destructor. GUI thread.
    void detach();

    /// Batches come at most once per interval (default 16 ms, about one frame); zero flushes as soon
    /// as the queued call runs. flushNow() ignores it. GUI thread.
    void setMinimumInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds minimumInterval() const { return m_minimumInterval; }

    /// At most this many events per batch; 0 (the default) for no limit. GUI thread.
    void setMaximumBatchSize(std::size_t events) { m_maximumBatchSize = events; }
    std::size_t maximumBatchSize() const { return m_maximumBatchSize; }

    /// True until detach().
    bool isAttached() const;

    /// How many events wait for the next flush, recorded but not yet delivered. Any thread; for
    /// tests and status displays.
    std::size_t pendingCount() const;

signals:
    /// One batch, in arrival order sorted by time (stable). Emitted on the batcher's thread only.
    void eventsArrived(const std::vector<poolscope::Event>& events);
    /// drain() has delivered everything.
    void drained();

private:
    struct State;
    void flushPending();
    void deliver();
    void deliverNextSlice();
    void scheduleNextSlice();
    bool hasBacklog() const { return m_backlogNext < m_backlog.size(); }

    std::shared_ptr<State> m_state;
    std::chrono::milliseconds m_minimumInterval { 16 };
    std::size_t m_maximumBatchSize = 0;
    // What a flush took from the pending events and has not handed out yet: slices from
    // m_backlogNext on go out one per event-loop turn. GUI thread only.
    std::vector<Event> m_backlog;
    std::size_t m_backlogNext = 0;
    std::atomic<std::size_t> m_backlogLeft { 0 }; // for pendingCount() on other threads
    bool m_sliceScheduled = false;
    bool m_flushDeferred = false; // a flush came while the backlog went out: do it after the last slice
    bool m_draining = false;
    QElapsedTimer m_sinceLastBatch; // invalid until the first batch
    QTimer* m_delayTimer; // holds back a flush that came sooner than m_minimumInterval
};

} // namespace poolscope::widgets
