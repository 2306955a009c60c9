// Times the replay's playhead: moving it to a moment of a finished run and redrawing, as
// MainWindow::showReplayPosition() does (TimelineView::setTimeLimit(), a replot), against a plain
// replot of the whole run in the same process; and, for comparison, the first way it was done
// (trace_at(), TimelineData::fromTrace(), a replot). Issue 12's target: ≤ 16 ms on a 1M-event trace.
// Prints figures; never fails on them.
//
//   replay_bench [--tasks N (default 333,000: about 1M events)] [--lanes L] [--repeat R]

#include "bench_timing.h"
#include "timeline_synthetic.h"

#include "timeline/timelineqcp.h"
#include "timeline/timelineview.h"
#include <poolscope/timeline/timeline_data.h>
#include <poolscope/trace/trace_at.h>

#include "events/eventfilterproxymodel.h"
#include "events/eventmodel.h"

#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace poolscope;
using namespace poolscope::timeline;
using namespace poolscope::widgets;

using timeline_bench::median;
using timeline_bench::msSince;

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const auto [tasks, lanes, repeat] = timeline_bench::runOptions(QApplication::arguments(), 333'000);

    timeline_bench::SyntheticRun run(tasks, lanes);
    const trace::Trace trace = run.trace();
    std::printf("PoolScope replay benchmark: %zu events, %d lanes, 1920x1080, %d playhead moves (medians)\n",
        trace.events.size(), lanes, repeat);

    const TimelineData whole = TimelineData::fromTrace(trace);
    TimelineView view;
    view.resize(1920, 1080);
    view.plot()->setViewport(QRect(0, 0, 1920, 1080));
    view.setData(&whole);
    view.replotNow();

    std::vector<double> plain;
    std::vector<double> limited;
    std::vector<double> cut;
    std::vector<double> rebuild;
    std::vector<double> moved;
    const std::int64_t end = whole.now();
    TimelineData soFar;
    for (int i = 0; i < repeat; ++i) {
        // Alternately: the plain replot, then a playhead move to a moment spread over the run.
        view.setData(&whole);
        QElapsedTimer t;
        t.start();
        view.replotNow();
        plain.push_back(msSince(t));

        const auto at = std::chrono::nanoseconds(end / (repeat + 1) * (i + 1));
        t.start();
        view.setTimeLimit(at.count());
        view.replotNow();
        limited.push_back(msSince(t));
        view.setTimeLimit(std::nullopt);

        QElapsedTimer step;
        step.start();
        t.start();
        const trace::Trace atMoment = trace::trace_at(trace, at);
        cut.push_back(msSince(t));
        t.start();
        soFar = TimelineData::fromTrace(atMoment);
        rebuild.push_back(msSince(t));
        view.setData(&soFar);
        view.replotNow();
        moved.push_back(msSince(step));
    }
    const double base = median(plain);
    const double step = median(limited);
    const double before = median(moved);
    std::printf("  plain replot of the whole run           %9.2f ms\n", base);
    std::printf("  playhead move + redraw (time limit)     %9.2f ms   target 16 ms   ratio to plain %6.1f x\n", step,
        step / base);
    std::printf("  the same by rebuilding (the first way)  %9.2f ms                  ratio to plain %6.1f x\n", before,
        before / base);
    std::printf("    of which trace_at()                   %9.2f ms\n", median(cut));
    std::printf("    of which TimelineData::fromTrace()    %9.2f ms\n", median(rebuild));

    // The event table follows the playhead too: its filter keeps the events up to it.
    EventModel events;
    events.appendEvents(trace.events);
    EventFilterProxyModel table;
    table.setSourceModel(&events);
    std::vector<double> filtered;
    for (int i = 0; i < repeat; ++i) {
        const auto at = end / (repeat + 1) * (i + 1);
        QElapsedTimer t;
        t.start();
        table.setTimeLimit(at);
        const int rows = table.rowCount(); // the mapping is built when first asked
        filtered.push_back(msSince(t));
        if (rows < 0)
            std::printf("impossible\n");
    }
    std::printf("  event table follows the playhead         %9.2f ms   (%zu rows)\n", median(filtered),
        trace.events.size());
    return 0;
}
