// Times the comparison view: two 1M-task runs on one axis (ComparisonView, 1920×1080), redrawn after
// a zoom on the shared viewport — what one wheel step costs — against the plain replot of one of
// the runs in a TimelineView of the same size, alternated in one loop so that both see the same
// load. Issue 12's benchmark "comparison replot of two 1M-task runs". Prints figures; never fails.
//
//   compare_bench [--tasks N (default 1,000,000 per run)] [--lanes L (16)] [--repeat R (15)]

#include "bench_timing.h"
#include "timeline_synthetic.h"

#include "compare/comparisonview.h"
#include "timeline/timelineqcp.h"
#include "timeline/timelineview.h"
#include <poolscope/timeline/timeline_data.h>

#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace bench = poolscope::timeline_bench;
using poolscope::timeline::TimelineData;
using poolscope::timeline::Viewport;
using poolscope::widgets::ComparisonView;
using poolscope::widgets::TimelineView;

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const auto [tasks, lanes, repeat] = bench::runOptions(QApplication::arguments(), 1'000'000);

    bench::SyntheticRun first(tasks, lanes, 42);
    bench::SyntheticRun second(tasks, lanes, 7);
    poolscope::trace::Trace a = first.trace();
    poolscope::trace::Trace b = second.trace();
    std::printf("PoolScope comparison benchmark: two runs of %llu tasks (%zu and %zu events), %d lanes each, "
                "1920x1080, %d rounds (medians)\n",
        static_cast<unsigned long long>(tasks), a.events.size(), b.events.size(), lanes, repeat);

    const TimelineData alone = TimelineData::fromTrace(a);
    TimelineView plain;
    plain.resize(1920, 1080);
    plain.plot()->setViewport(QRect(0, 0, 1920, 1080));
    plain.setData(&alone);
    plain.replotNow();

    QElapsedTimer t;
    t.start();
    ComparisonView view;
    view.resize(1920, 1080);
    view.setRuns({ std::move(a), std::move(b) });
    const double built = bench::msSince(t);
    view.show();
    QApplication::processEvents();
    for (int i = 0; i < view.groupCount(); ++i)
        view.group(i)->replotNow();

    std::vector<double> single;
    std::vector<double> compared;
    const double end = view.viewport()->extentEnd();
    for (int i = 0; i < repeat; ++i) {
        // Zoomed out, then in to a tenth, alternately: a zoom changes the range both groups draw.
        const bool zoomedIn = i % 2 == 1;
        const double from = zoomedIn ? end * 0.45 : 0;
        const double to = zoomedIn ? end * 0.55 : end;
        plain.setVisibleRange(from, to);
        t.start();
        plain.replotNow();
        single.push_back(bench::msSince(t));

        view.viewport()->setRange(from, to, Viewport::Cause::User);
        t.start();
        for (int g = 0; g < view.groupCount(); ++g)
            view.group(g)->replotNow();
        compared.push_back(bench::msSince(t));
    }
    const double base = bench::median(single);
    const double both = bench::median(compared);
    std::printf("  building the comparison (2 x fromTrace)  %9.2f ms\n", built);
    std::printf("  plain replot of one run                  %9.2f ms\n", base);
    std::printf("  comparison replot, both groups           %9.2f ms   ratio to plain %5.2f x (2 runs: 2 x is par)\n",
        both, both / base);
    return 0;
}
