#include <poolscope/event_log.h>

#include <algorithm>
#include <thread>

namespace poolscope {

namespace {
std::atomic<std::uint64_t> next_log_uid { 1 };

// Lifecycle order of the kinds, to order events stamped in the same nanosecond.
int rank(EventKind kind) noexcept
{
    switch (kind) {
    case EventKind::worker_spawning:
        return 0;
    case EventKind::worker_started:
        return 1;
    case EventKind::submitted:
        return 2;
    case EventKind::retried:
        return 3;
    case EventKind::dispatched:
        return 4;
    case EventKind::gil_requested:
        return 5;
    case EventKind::gil_acquired:
        return 6;
    case EventKind::started:
        return 7;
    case EventKind::caller_blocked:
    case EventKind::output:
    case EventKind::error_output:
        return 8;
    case EventKind::cancel_failed:
    case EventKind::finished:
    case EventKind::failed:
    case EventKind::cancelled:
        return 9;
    case EventKind::callback_started:
        return 10;
    case EventKind::callback_finished:
        return 11;
    case EventKind::gil_released:
        return 12;
    case EventKind::caller_resumed:
        return 13;
    case EventKind::worker_stopped:
        return 14;
    }
    return 15;
}
} // namespace

// One recording thread's buffer. Its mutex is only ever contended by a reader (events(), clear()).
struct EventLog::Shard {
    std::thread::id owner;
    std::mutex mutex;
    std::vector<Event> events;
};

EventLog::EventLog()
    : uid_(next_log_uid.fetch_add(1, std::memory_order_relaxed))
    , origin_(std::chrono::steady_clock::now())
{
}

EventLog::~EventLog() = default;

EventLog::Shard& EventLog::shard_for_this_thread()
{
    // One entry is enough: a thread nearly always records into one log at a time.
    thread_local std::uint64_t cached_uid = 0;
    thread_local Shard* cached_shard = nullptr;
    if (cached_uid == uid_)
        return *cached_shard;

    const auto me = std::this_thread::get_id();
    std::lock_guard lock(shards_mutex_);
    auto it = std::find_if(shards_.begin(), shards_.end(), [&](const auto& s) { return s->owner == me; });
    if (it == shards_.end()) {
        shards_.push_back(std::make_unique<Shard>());
        shards_.back()->owner = me;
        shards_.back()->events.reserve(1024);
        it = std::prev(shards_.end());
    }
    cached_uid = uid_;
    cached_shard = it->get();
    return *cached_shard;
}

void EventLog::record(EventKind kind, std::uint64_t task_id, int worker, int attempt, std::string_view label)
{
    record(Event { task_id, kind, worker, now(), attempt, std::string(label) });
}

void EventLog::record(Event event)
{
    Shard& shard = shard_for_this_thread();
    if (!has_observer_.load(std::memory_order_acquire)) {
        std::lock_guard lock(shard.mutex);
        shard.events.push_back(std::move(event));
        return;
    }
    {
        std::lock_guard lock(shard.mutex);
        shard.events.push_back(event);
    }
    std::lock_guard lock(observer_mutex_);
    if (observer_)
        observer_(event);
}

std::vector<Event> EventLog::events() const
{
    std::vector<Event> all;
    {
        std::lock_guard lock(shards_mutex_);
        for (const auto& shard : shards_) {
            std::lock_guard shard_lock(shard->mutex);
            all.insert(all.end(), shard->events.begin(), shard->events.end());
        }
    }
    std::stable_sort(all.begin(), all.end(), [](const Event& a, const Event& b) {
        if (a.time != b.time)
            return a.time < b.time;
        return rank(a.kind) < rank(b.kind);
    });
    return all;
}

std::size_t EventLog::size() const
{
    std::size_t n = 0;
    std::lock_guard lock(shards_mutex_);
    for (const auto& shard : shards_) {
        std::lock_guard shard_lock(shard->mutex);
        n += shard->events.size();
    }
    return n;
}

void EventLog::clear()
{
    std::lock_guard lock(shards_mutex_);
    for (const auto& shard : shards_) {
        std::lock_guard shard_lock(shard->mutex);
        shard->events.clear();
    }
}

void EventLog::set_observer(Observer observer)
{
    std::lock_guard lock(observer_mutex_);
    observer_ = std::move(observer);
    has_observer_.store(static_cast<bool>(observer_), std::memory_order_release);
}

} // namespace poolscope
