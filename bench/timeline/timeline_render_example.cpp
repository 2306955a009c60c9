// Renders the example timeline of docs/images/timeline-example.png: a hand-made but realistic run
// with every kind of span the timeline draws, exported offscreen.
//
//   timeline_render_example [out.png|.svg|.pdf|.jpg] [width height [scale]] [--range FROM_MS TO_MS]

#include "timeline_synthetic.h"

#include "timeline/timelineexporter.h"
#include "timeline/timelineview.h"
#include <poolscope/timeline/timeline_data.h>

#include <QApplication>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>

using namespace poolscope;
using poolscope::timeline_bench::makeEvent;

namespace {
constexpr std::int64_t ms = 1'000'000;
constexpr std::int64_t us = 1'000;

struct Run {
    std::vector<Event> events;
    void add(std::int64_t t, EventKind kind, std::uint64_t task, int worker, int attempt = 0, std::string label = {},
        int pid = 0)
    {
        events.push_back(makeEvent(t, kind, task, worker, attempt, std::move(label), pid));
    }
};

std::string args(std::uint64_t id)
{
    return "(" + std::to_string(id) + ",)";
}

trace::Trace exampleTrace()
{
    Run r;
    // --- thread workers 0 and 1: CPU-bound tasks taking turns on the interpreter lock ---------------
    struct Job {
        std::uint64_t id;
        int worker;
        std::int64_t start, end;
        EventKind end_kind;
        int attempt;
        std::string error;
    };
    const std::vector<Job> jobs = {
        { 1, 0, 2 * ms, 90 * ms, EventKind::finished, 0, {} },
        { 2, 1, 2 * ms, 120 * ms, EventKind::failed, 0, "ValueError: 2 is not prime enough" },
        { 3, 0, 92 * ms, 140 * ms, EventKind::finished, 0, {} },
        { 4, 1, 125 * ms, 230 * ms, EventKind::finished, 0, {} },
        { 2, 0, 145 * ms, 200 * ms, EventKind::finished, 1, {} },
        { 5, 0, 205 * ms, 300 * ms, EventKind::finished, 0, {} },
        { 6, 1, 235 * ms, 330 * ms, EventKind::failed, 0, "TimeoutError: gave up after 95 ms" },
    };
    for (std::uint64_t id = 1; id <= 7; ++id)
        r.add(0, EventKind::submitted, id, -1, 0, args(id));
    for (const Job& j : jobs) {
        r.add(j.start, EventKind::started, j.id, j.worker, j.attempt);
        if (j.id == 2 && j.attempt == 0)
            r.add(j.end, EventKind::retried, 2, -1, 1, "backoff 0.02 s");
        r.add(j.end, j.end_kind, j.id, j.worker, j.attempt, j.error);
    }
    r.add(140 * ms, EventKind::submitted, 2, -1, 1, args(2));
    r.add(335 * ms, EventKind::started, 7, 1); // still running when the snapshot was taken
    auto taskOn = [&](int worker, std::int64_t t) -> std::uint64_t {
        for (const Job& j : jobs)
            if (j.worker == worker && j.start <= t && t < j.end)
                return j.id;
        return 0;
    };
    // One lock, a 5 ms switch interval: worker 0 and worker 1 alternate while both run.
    for (std::int64_t t = 2 * ms, k = 0; t < 330 * ms; t += 5 * ms, ++k) {
        const int holder = static_cast<int>(k % 2);
        const int other = 1 - holder;
        if (k == 0)
            r.add(t, EventKind::gil_requested, taskOn(other, t), other);
        r.add(t, EventKind::gil_acquired, taskOn(holder, t), holder);
        r.add(t + 5 * ms, EventKind::gil_released, taskOn(holder, t), holder, 0, "switch");
        if (t + 10 * ms < 330 * ms) // the last turn: both let go for good
            r.add(t + 5 * ms, EventKind::gil_requested, taskOn(holder, t + 5 * ms), holder);
    }

    // --- thread worker 2: thousands of 10 µs calls, folded when zoomed out; two of them fail -------
    std::uint64_t id = 100;
    for (std::int64_t t = 20 * ms; t < 300 * ms; t += 20 * us, ++id) {
        const bool fails = id == 6100 || id == 10'100;
        r.add(t - 5 * us, EventKind::submitted, id, -1, 0, args(id));
        r.add(t, EventKind::started, id, 2);
        r.add(
            t + 10 * us, fails ? EventKind::failed : EventKind::finished, id, 2, 0, fails ? "KeyError: 'missing'" : "");
    }

    // --- process workers 3 and 4: spawned, fed through the call queue (max_workers + 1 = 3) --------
    r.add(0, EventKind::worker_spawning, 0, 3, 0, "SpawnProcess-1");
    r.add(0, EventKind::worker_spawning, 0, 4, 0, "SpawnProcess-2");
    const int pid[2] = { 31337, 31338 };
    std::int64_t ready[2] = { 45 * ms, 62 * ms };
    r.add(ready[0], EventKind::worker_started, 0, 3, 0, "SpawnProcess-1", pid[0]);
    r.add(ready[1], EventKind::worker_started, 0, 4, 0, "SpawnProcess-2", pid[1]);
    const std::int64_t length[] = { 60, 45, 70, 50, 55, 40, 65, 48 };
    std::deque<std::uint64_t> pending;
    for (std::uint64_t p = 20; p < 28; ++p) {
        r.add(1 * ms, EventKind::submitted, p, -1, 0, "(" + std::to_string(p * 1000) + ",)");
        pending.push_back(p);
    }
    // A tiny simulation: dispatch while fewer than three are in flight, start on the first free worker.
    std::deque<std::pair<std::uint64_t, std::int64_t>> callQueue; // (task, dispatched at)
    std::int64_t now = 1 * ms + 200 * us;
    int inFlight = 0;
    std::int64_t freeAt[2] = { ready[0], ready[1] };
    std::vector<std::int64_t> ends;
    while (!pending.empty() || !callQueue.empty()) {
        while (!pending.empty() && inFlight < 3) {
            r.add(now, EventKind::dispatched, pending.front(), -1);
            callQueue.emplace_back(pending.front(), now);
            pending.pop_front();
            ++inFlight;
        }
        const int w = freeAt[0] <= freeAt[1] ? 0 : 1;
        const auto [task, dispatched] = callQueue.front();
        callQueue.pop_front();
        const std::int64_t start = std::max(freeAt[w], dispatched) + 300 * us;
        const std::int64_t end = start + length[task - 20] * ms;
        r.add(start, EventKind::started, task, 3 + w, 0, {}, pid[w]);
        const bool fails = task == 25;
        r.add(end, fails ? EventKind::failed : EventKind::finished, task, 3 + w, 0,
            fails ? "ZeroDivisionError: division by zero" : "", pid[w]);
        freeAt[w] = end;
        // The next dispatch happens when this one left the call queue for a worker.
        now = start;
        --inFlight;
    }

    // --- the caller: waits in as_completed(), then shuts down cancelling what never started ------
    for (std::uint64_t c = 40; c < 43; ++c)
        r.add(0, EventKind::submitted, c, -1, 0, args(c));
    r.add(3 * ms, EventKind::caller_blocked, 0, -1, 0, "as_completed()");
    r.add(372 * ms, EventKind::caller_resumed, 0, -1, 0, "as_completed()");
    for (std::uint64_t c = 40; c < 43; ++c)
        r.add(375 * ms + static_cast<std::int64_t>(c - 40) * ms, EventKind::cancelled, c, -1);
    r.add(378 * ms, EventKind::caller_blocked, 0, -1, 0, "shutdown(wait=True)");

    std::stable_sort(r.events.begin(), r.events.end(), [](const Event& a, const Event& b) { return a.time < b.time; });

    trace::Trace t;
    t.scenario = "example";
    t.title = "Thread pool with a GIL beside a process pool";
    t.parameters = { { "thread workers", "3" }, { "process workers", "2" }, { "switch interval", "5 ms" } };
    t.pool_kind = "thread + process";
    t.max_workers = 5;
    t.host = "example";
    t.started_at = "2024-05-01T12:00:00Z";
    t.wall_time = std::chrono::milliseconds(400);
    t.lanes = { { 0, "ThreadPoolExecutor-0_0", 0 }, { 1, "ThreadPoolExecutor-0_1", 0 },
        { 2, "ThreadPoolExecutor-0_2", 0 }, { 3, "SpawnProcess-1", pid[0] }, { 4, "SpawnProcess-2", pid[1] } };
    t.events = std::move(r.events);
    return t;
}
} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    const QString out = arguments.size() > 1 ? arguments[1] : QStringLiteral("timeline-example.png");
    widgets::TimelineExportOptions options;
    options.size = QSize(1600, 900);
    if (arguments.size() > 3 && arguments[2] != QLatin1String("--range"))
        options.size = QSize(arguments[2].toInt(), arguments[3].toInt());
    if (arguments.size() > 4 && arguments[4] != QLatin1String("--range"))
        options.scale = arguments[4].toDouble();
    // --range FROM_MS TO_MS: export a zoomed-in part instead of the whole run.
    const auto range = arguments.indexOf(QStringLiteral("--range"));
    widgets::TimelineExportResult result;
    if (range > 0 && range + 2 < arguments.size()) {
        const trace::Trace t = exampleTrace();
        const timeline::TimelineData data = timeline::TimelineData::fromTrace(t);
        widgets::TimelineView view;
        view.resize(options.size);
        view.setData(&data);
        view.setVisibleRange(arguments[range + 1].toDouble() * 1e6, arguments[range + 2].toDouble() * 1e6);
        options.title = widgets::TimelineExporter::titleFor(t);
        options.caption = widgets::TimelineExporter::captionFor(t);
        result = widgets::TimelineExporter::exportView(view, out, options);
        view.setData(nullptr);
    } else {
        result = widgets::TimelineExporter::exportTrace(exampleTrace(), out, options);
    }
    QTextStream err(stderr);
    if (!result.ok) {
        err << "export failed: " << result.error << '\n';
        return 1;
    }
    err << "wrote " << out << " (" << result.pixelSize.width() << "x" << result.pixelSize.height() << ")\n";
    return 0;
}
