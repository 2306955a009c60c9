// Times the Gantt timeline on synthetic runs: load, replot zoomed out and in, PNG export, and a
// ten-million-task replot. Prints figures and their ratio to the targets; never fails on them.
//
//   timeline_bench [--tasks N] [--lanes L] [--big N (0 skips)] [--repeat R] [--png path] [--no-export]

#include "timeline_synthetic.h"

#include "timeline/timelineexporter.h"
#include "timeline/timelineplottable.h"
#include "timeline/timelineqcp.h"
#include "timeline/timelineview.h"
#include <poolscope/timeline/timeline_data.h>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

using namespace poolscope;
using namespace poolscope::timeline;
using namespace poolscope::widgets;

namespace {
struct Figure {
    double median = 0;
    double best = 0;
};

// Runs `work` `repeat` times after one warm-up, in ms.
Figure measure(int repeat, const std::function<void()>& work)
{
    work();
    std::vector<double> times;
    for (int i = 0; i < repeat; ++i) {
        QElapsedTimer timer;
        timer.start();
        work();
        times.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    return Figure { times[times.size() / 2], times.front() };
}

void report(const char* what, Figure f, double target)
{
    std::printf("  %-44s median %9.2f ms  best %9.2f ms  target %6.0f ms  ratio %5.2f\n", what, f.median, f.best,
        target, f.median / target);
}

double rssMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return 0;
}

// The view laid out at 1920×1080 without a window, as the benchmark and a headless export see it.
void layOut(TimelineView& view)
{
    view.resize(1920, 1080);
    view.plot()->setViewport(QRect(0, 0, 1920, 1080));
    view.replotNow();
}

struct Replots {
    Figure full;
    TimelinePlottable::DrawStats stats;
};

// One QCustomPlot::replot(): layout, axes, lanes, counter track, legend into the paint buffer.
Replots replots(TimelineView& view, int repeat)
{
    Replots r;
    r.full = measure(repeat, [&] { view.plot()->replot(QCustomPlot::rpQueuedRefresh); });
    r.stats = view.plottable()->lastDrawStats();
    return r;
}

void printStats(const TimelinePlottable::DrawStats& s)
{
    std::printf("  %-44s bars %d, fold runs %d, marks %d, labels %d, retry links %d\n", "(what the last paint drew)",
        s.bars, s.foldRuns, s.marks, s.labels, s.links);
}

// The zoomed-out replot of `view` against the empty timeline's, measured alternately in one loop so
// that both see the same load on the machine: the ratio is what the shared VM can measure steadily.
Figure replotRatio(TimelineView& view, TimelineView& empty, int repeat)
{
    auto replot = [](TimelineView& v) {
        QElapsedTimer timer;
        timer.start();
        v.plot()->replot(QCustomPlot::rpQueuedRefresh);
        return static_cast<double>(timer.nsecsElapsed()) / 1e6;
    };
    replot(view);
    replot(empty);
    std::vector<double> full;
    std::vector<double> bare;
    for (int i = 0; i < repeat; ++i) {
        full.push_back(replot(view));
        bare.push_back(replot(empty));
    }
    std::sort(full.begin(), full.end());
    std::sort(bare.begin(), bare.end());
    const Figure f { full[full.size() / 2], full.front() };
    const Figure b { bare[bare.size() / 2], bare.front() };
    std::printf("  %-44s median %9.2f ms  best %9.2f ms\n", "  empty timeline, same loop", b.median, b.best);
    std::printf("  %-44s median %9.2f ms  best %9.2f ms\n", "  zoomed out, same loop", f.median, f.best);
    std::printf("  %-44s median %9.2f x   best %9.2f x   target      3 x\n", "zoomed out / empty replot",
        f.median / b.median, f.best / b.best);
    return Figure { f.median / b.median, f.best / b.best };
}

// Replots `view` (laid out, showing all of `data`) zoomed out, then zoomed in on 2 ms in the middle:
// ~40 tasks per lane, drawn as labelled bars.
void zoomedOutAndIn(TimelineView& view, const TimelineData& data, const char* outLabel, double outTarget,
    const char* inLabel, double inTarget, int repeat)
{
    const Replots out = replots(view, repeat);
    report(outLabel, out.full, outTarget);
    printStats(out.stats);
    const double mid = static_cast<double>(data.now()) / 2;
    view.setVisibleRange(mid, mid + 2e6);
    view.replotNow();
    const Replots in = replots(view, repeat);
    report(inLabel, in.full, inTarget);
    printStats(in.stats);
}

long long argument(const QStringList& args, const QString& name, long long fallback)
{
    const auto i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1].toLongLong() : fallback;
}
} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto tasks = static_cast<std::uint64_t>(argument(args, QStringLiteral("--tasks"), 1'000'000));
    const auto lanes = static_cast<int>(argument(args, QStringLiteral("--lanes"), 16));
    const auto big = static_cast<std::uint64_t>(argument(args, QStringLiteral("--big"), 10'000'000));
    const auto repeat = static_cast<int>(argument(args, QStringLiteral("--repeat"), 15));
    const auto pngIndex = args.indexOf(QStringLiteral("--png"));
    const QString png = pngIndex >= 0 && pngIndex + 1 < args.size()
        ? args[pngIndex + 1]
        : QDir::temp().filePath(QStringLiteral("timeline_bench.png"));

    std::printf("PoolScope timeline benchmark: %llu tasks on %d lanes, 1920x1080, %d repeats (median, best)\n",
        static_cast<unsigned long long>(tasks), lanes, repeat);

    QElapsedTimer timer;
    timer.start();
    timeline_bench::SyntheticRun run(tasks, lanes);
    const trace::Trace trace = run.trace();
    std::printf("  generated %zu events in %.0f ms (not timed below)\n", trace.events.size(),
        static_cast<double>(timer.elapsed()));

    // Load: a trace's lanes and events into the timeline model.
    double loadMs = 0;
    {
        std::vector<double> times;
        for (int i = 0; i < 3; ++i) {
            QElapsedTimer t;
            t.start();
            const TimelineData d = TimelineData::fromTrace(trace);
            times.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
        }
        std::sort(times.begin(), times.end());
        loadMs = times[1];
    }
    const double rssBefore = rssMb();
    const TimelineData data = TimelineData::fromTrace(trace);
    std::printf("  model memory (RSS growth) ~%.0f MB\n", rssMb() - rssBefore);
    report("load trace (TimelineData::fromTrace)", Figure { loadMs, loadMs }, 1000);

    // What a replot costs with nothing to draw: axes, legend, buffer. The rest is the timeline's.
    const TimelineData empty;
    TimelineView baseline;
    baseline.setData(&empty);
    layOut(baseline);
    report("replot of an empty timeline (fixed overhead)", replots(baseline, repeat).full, 8);

    TimelineView view;
    view.setData(&data);
    layOut(view);
    replotRatio(view, baseline, std::max(repeat, 31));
    zoomedOutAndIn(view, data, "replot zoomed out: whole plot", 8, "replot zoomed in (2 ms): whole plot", 4, repeat);

    if (!args.contains(QStringLiteral("--no-export"))) {
        view.fit();
        TimelineExportOptions options;
        options.size = QSize(1920, 1080);
        options.title = QStringLiteral("Synthetic run");
        options.caption = TimelineExporter::captionFor(trace);
        const Figure render = measure(std::max(3, repeat / 3), [&] { TimelineExporter::renderImage(view, options); });
        report("render 1920x1080 image (no encoding)", render, 200);
        const Figure exportPng
            = measure(std::max(3, repeat / 3), [&] { TimelineExporter::exportView(view, png, options); });
        report("PNG export 1920x1080 (render + encode + write)", exportPng, 200);
        std::printf("  wrote %s\n", qPrintable(png));
    }
    view.setData(nullptr);

    if (big > 0) {
        std::printf("\n%llu tasks on %d lanes, streamed into the model in batches (as a live run would)\n",
            static_cast<unsigned long long>(big), lanes);
        TimelineData large;
        timeline_bench::SyntheticRun bigRun(big, lanes, 7);
        large.setLanes(bigRun.lanes());
        std::vector<Event> batch;
        double appendMs = 0;
        std::size_t events = 0;
        const double rss0 = rssMb();
        while (true) {
            batch.clear();
            if (!bigRun.next(batch, 1 << 20))
                break;
            QElapsedTimer t;
            t.start();
            large.appendEvents(batch);
            appendMs += static_cast<double>(t.nsecsElapsed()) / 1e6;
            events += batch.size();
        }
        std::printf("  appended %zu events in %.0f ms of appendEvents() (%.1f M events/s), model ~%.0f MB\n", events,
            appendMs, static_cast<double>(events) / appendMs / 1e3, rssMb() - rss0);
        TimelineView bigView;
        bigView.setData(&large);
        layOut(bigView);
        replotRatio(bigView, baseline, std::max(repeat, 31));
        zoomedOutAndIn(bigView, large, "10M replot zoomed out: whole plot", 16,
            "10M replot zoomed in (2 ms): whole plot", 16, repeat);
        bigView.setData(nullptr);
    }
    baseline.setData(nullptr);
    return 0;
}
