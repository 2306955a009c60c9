#pragma once

// Synthetic runs for the timeline's benchmark and example picture. Header-only, std + the trace
// types: no executor runs, so the numbers measure the timeline and nothing else.

#include <poolscope/event.h>
#include <poolscope/trace/trace.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <random>
#include <string>
#include <vector>

namespace poolscope::timeline_bench {

inline Event makeEvent(std::int64_t t, EventKind kind, std::uint64_t task, int worker, int attempt = 0,
    std::string label = {}, int pid = 0)
{
    return Event { task, kind, worker, std::chrono::nanoseconds(t), attempt, std::move(label), pid };
}

/// A thread pool chewing through `tasks` calls on `lanes` workers, streamed in time order so that ten
/// million tasks never sit in memory as Events: calls are submitted in bursts of 256, each runs
/// 20–80 µs on the worker that frees up first; 0.5 % fail, another 0.2 % fail once and are retried
/// after a 100 µs backoff.
class SyntheticRun {
public:
    SyntheticRun(std::uint64_t tasks, int lanes, unsigned seed = 42)
        : m_tasks(tasks)
        , m_lanes(lanes)
        , m_random(seed)
    {
        for (int w = 0; w < lanes; ++w)
            m_free.push({ 0, w });
    }

    /// The lanes' names, as a trace would list them.
    std::vector<trace::Lane> lanes() const
    {
        std::vector<trace::Lane> result;
        for (int w = 0; w < m_lanes; ++w)
            result.push_back({ w, "ThreadPoolExecutor-0_" + std::to_string(w), 0 });
        return result;
    }

    /// Appends up to about `max` further events to `batch`, in time order; false once none are left.
    bool next(std::vector<Event>& batch, std::size_t max)
    {
        const std::size_t before = batch.size();
        const std::size_t target = before + max;
        while (batch.size() < target) {
            if (m_submitted < m_tasks || !m_retries.empty()) {
                // The next submission: a new call or a due retry, whichever comes first.
                const std::int64_t burstTime = static_cast<std::int64_t>(m_submitted / burst) * burstGap();
                const bool retryFirst
                    = !m_retries.empty() && (m_submitted >= m_tasks || m_retries.top().due <= burstTime);
                Submit s;
                if (retryFirst) {
                    s = m_retries.top();
                    m_retries.pop();
                } else {
                    s = Submit { burstTime, ++m_submitted, 0 };
                }
                // Everything pending before this submission is final: later tasks only add later events.
                flush(batch, s.due);
                schedule(s);
            } else {
                flush(batch, std::numeric_limits<std::int64_t>::max());
                return batch.size() > before;
            }
        }
        return true;
    }

    /// The whole run as a trace (for a million tasks: about 3 million events, ~250 MB).
    trace::Trace trace()
    {
        trace::Trace t;
        t.scenario = "synthetic";
        t.title
            = "Synthetic thread pool: " + std::to_string(m_tasks) + " tasks on " + std::to_string(m_lanes) + " workers";
        t.pool_kind = "thread";
        t.max_workers = m_lanes;
        t.lanes = lanes();
        t.events.reserve(m_tasks * 3 + 64);
        while (next(t.events, 1 << 20)) { }
        return t;
    }

private:
    static constexpr std::uint64_t burst = 256;
    struct Submit {
        std::int64_t due;
        std::uint64_t id;
        int attempt;
        bool operator>(const Submit& o) const { return due > o.due; }
    };
    struct Pending {
        std::int64_t time;
        std::uint64_t seq;
        Event event;
        bool operator>(const Pending& o) const { return time != o.time ? time > o.time : seq > o.seq; }
    };
    struct Lane {
        std::int64_t free;
        int worker;
        bool operator>(const Lane& o) const { return free != o.free ? free > o.free : worker > o.worker; }
    };

    // Slightly slower than the workers drain (mean 50.5 µs a task with the start gap): the queue
    // fills in each burst and empties before the next, as a healthy pool's does.
    std::int64_t burstGap() const { return static_cast<std::int64_t>(burst) * 52'000 / m_lanes; }

    void push(Event e)
    {
        const std::int64_t t = e.time.count();
        m_pending.push(Pending { t, m_seq++, std::move(e) });
    }

    void flush(std::vector<Event>& batch, std::int64_t upTo)
    {
        while (!m_pending.empty() && m_pending.top().time <= upTo) {
            batch.push_back(m_pending.top().event);
            m_pending.pop();
        }
    }

    void schedule(const Submit& s)
    {
        std::uniform_int_distribution<int> duration(20'000, 80'000);
        std::uniform_int_distribution<int> fate(0, 999);
        Lane lane = m_free.top();
        m_free.pop();
        const std::int64_t start = std::max(s.due, lane.free) + 500;
        const std::int64_t end = start + duration(m_random);
        const int roll = fate(m_random);
        const bool retry = s.attempt == 0 && roll < 2;
        const bool failed = retry || roll < 7;
        push(makeEvent(s.due, EventKind::submitted, s.id, -1, s.attempt,
            s.attempt ? std::string() : "(" + std::to_string(s.id) + ",)"));
        push(makeEvent(start, EventKind::started, s.id, lane.worker, s.attempt));
        if (retry)
            push(makeEvent(end, EventKind::retried, s.id, -1, 1, "backoff 0.0001 s"));
        push(makeEvent(end, failed ? EventKind::failed : EventKind::finished, s.id, lane.worker, s.attempt,
            failed ? "ValueError: synthetic failure" : std::string()));
        if (retry)
            m_retries.push(Submit { end + 100'000, s.id, 1 });
        m_free.push(Lane { end, lane.worker });
    }

    std::uint64_t m_tasks;
    int m_lanes;
    std::mt19937_64 m_random;
    std::uint64_t m_submitted = 0;
    std::uint64_t m_seq = 0;
    std::priority_queue<Lane, std::vector<Lane>, std::greater<>> m_free;
    std::priority_queue<Submit, std::vector<Submit>, std::greater<>> m_retries;
    std::priority_queue<Pending, std::vector<Pending>, std::greater<>> m_pending;
};

} // namespace poolscope::timeline_bench
