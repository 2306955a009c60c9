// ComparisonView: runs compared on one axis — one group per run, every group on the shared
// viewport starting at 0, zoom moving all, titles naming what changed, and ratios and speedups
// from the runs' recorded wall times; the export draws it all.

#include "compare/comparisonview.h"
#include "timeline/timelineexporter.h"
#include "timeline/timelineqcp.h"
#include "timeline/timelineview.h"
#include "widget_test_support.h"

#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace poolscope;
using namespace poolscope::widgets;
using namespace std::chrono_literals;

namespace {
// `tasks` tasks of `each` on `workers` thread lanes, back to back, starting `offset` into the run.
trace::Trace pool(int workers, int tasks, std::chrono::nanoseconds each, std::chrono::nanoseconds offset,
    std::vector<std::pair<std::string, std::string>> parameters)
{
    trace::Trace t;
    t.scenario = "cpu-bound";
    t.origin = "scenario";
    t.pool_kind = "thread";
    t.max_workers = workers;
    t.parameters = std::move(parameters);
    for (int w = 0; w < workers; ++w)
        t.lanes.push_back({ w, "ThreadPoolExecutor-0_" + std::to_string(w), 0 });
    std::vector<Event> events;
    for (int i = 0; i < tasks; ++i) {
        const auto id = static_cast<std::uint64_t>(i + 1);
        const int worker = i % workers;
        const auto start = offset + each * (i / workers);
        events.push_back({ id, EventKind::submitted, -1, offset, 0, "cpu_work", 0, 0 });
        events.push_back({ id, EventKind::started, worker, start, 0, {}, 0, 0 });
        events.push_back({ id, EventKind::finished, worker, start + each, 0, "42", 0, 0 });
    }
    std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.time < b.time; });
    t.events = std::move(events);
    t.wall_time = t.events.back().time;
    return t;
}
} // namespace

class TestComparisonView : public QObject {
    Q_OBJECT
private slots:
    void eachRunIsAGroupOnOneSharedAxisFromZero()
    {
        ComparisonView view;
        // B starts its tasks late (a process pool's start-up): its group still starts at 0.
        view.setRuns({ pool(4, 4, 100ms, 1ms, { { "workers", "4" } }), pool(2, 4, 100ms, 50ms, { { "workers", "2" } }) });
        QVERIFY(widget_test::showExposed(view, QSize(900, 700)));
        QCOMPARE(view.groupCount(), 2);
        QVERIFY(view.group(0) != view.group(1));
        QCOMPARE(view.group(0)->viewport(), view.viewport());
        QCOMPARE(view.group(1)->viewport(), view.viewport());
        QCOMPARE(view.group(0)->data()->rowCount(), 5); // caller + 4 workers
        QCOMPARE(view.group(1)->data()->rowCount(), 3);
        // One axis: from at most 0 to at least the longer run's end (250 ms).
        QVERIFY(view.viewport()->start() <= 0);
        QVERIFY(view.viewport()->end() >= 250e6);
        QCOMPARE(view.group(0)->mapping().start, view.group(1)->mapping().start);
        QCOMPARE(view.group(0)->mapping().end, view.group(1)->mapping().end);
    }

    void zoomingOneGroupMovesAll()
    {
        ComparisonView view;
        view.setRuns({ pool(2, 4, 100ms, 0ms, {}), pool(2, 8, 50ms, 0ms, {}) });
        QVERIFY(widget_test::showExposed(view, QSize(900, 700)));
        view.group(1)->zoomIn();
        const double start = view.group(1)->mapping().start;
        const double end = view.group(1)->mapping().end;
        QVERIFY(end - start < view.viewport()->extentEnd() - view.viewport()->extentStart());
        QCOMPARE(view.group(0)->mapping().start, start);
        QCOMPARE(view.group(0)->mapping().end, end);
        view.fit();
        QVERIFY(view.group(0)->mapping().start <= 0);
    }

    void groupsAreTitledWithWhatChangedAndTheRatio()
    {
        ComparisonView view;
        view.setRuns({ pool(4, 4, 100ms, 0ms, { { "workers", "4" }, { "gil", "true" } }),
                         pool(2, 4, 100ms, 0ms, { { "workers", "2" }, { "gil", "true" } }) },
            QStringLiteral("workers 4 → 2"));
        QCOMPARE(view.title(), QStringLiteral("workers 4 → 2"));
        QCOMPARE(view.groupTitle(0), QStringLiteral("A · C++ · thread pool, max_workers=4 · 100.0 ms"));
        QCOMPARE(view.groupTitle(1),
            QStringLiteral("B · C++ · thread pool, max_workers=2 · workers 4 → 2 · 200.0 ms (2.00× A)"));
        QCOMPARE(view.group(1)->title(), view.groupTitle(1));
        QCOMPARE(view.summaryText(), QStringLiteral("A 100.0 ms · B 200.0 ms (2.00× A)"));
        // One legend, under the last group.
        QVERIFY(!view.group(0)->isLegendVisible());
        QVERIFY(view.group(1)->isLegendVisible());
        QVERIFY(!view.isBarChartVisible()); // two runs: the summary row says it all
    }

    void threeRunsGetABarChartOfTheirRecordedTimes()
    {
        ComparisonView view;
        view.setRuns({ pool(4, 4, 400ms, 0ms, { { "pool", "thread" }, { "gil", "true" } }),
            pool(4, 4, 100ms, 0ms, { { "pool", "thread" }, { "gil", "false" } }),
            pool(4, 4, 100ms, 100ms, { { "pool", "process" } }) });
        QVERIFY(widget_test::showExposed(view, QSize(1000, 800)));
        QVERIFY(view.isBarChartVisible());
        const trace::RunComparison& comparison = view.comparison();
        QCOMPARE(comparison.runs.size(), std::size_t(3));
        QCOMPARE(comparison.runs[1].speedup, 4.0);
        QCOMPARE(comparison.runs[2].speedup, 2.0);
        auto* bars = qobject_cast<QCPBars*>(view.barChart()->plottable(0));
        QVERIFY(bars);
        QCOMPARE(bars->data()->size(), 3);
        QCOMPARE(bars->data()->at(0)->value, 400.0);
        QCOMPARE(bars->data()->at(1)->value, 100.0);
        QCOMPARE(bars->data()->at(2)->value, 200.0);
        QStringList labels;
        for (int i = 0; i < view.barChart()->itemCount(); ++i)
            labels << qobject_cast<QCPItemText*>(view.barChart()->item(i))->text();
        QCOMPARE(labels,
            (QStringList { QStringLiteral("400.0 ms\nbaseline"), QStringLiteral("100.0 ms\n4.00×\nfaster"),
                QStringLiteral("200.0 ms\n2.00×\nfaster") }));
    }

    void theLanesOfEveryGroupStartAtOneX()
    {
        ComparisonView view;
        trace::Trace longNames = pool(2, 2, 100ms, 0ms, {});
        longNames.lanes[0].name = "a-much-longer-lane-name-than-the-other";
        view.setRuns({ pool(2, 2, 100ms, 0ms, {}), longNames });
        QVERIFY(widget_test::showExposed(view, QSize(900, 600)));
        QTRY_COMPARE(view.group(0)->laneRect()->left(), view.group(1)->laneRect()->left());
    }

    void theExportDrawsEveryGroupAndTheSummary()
    {
        ComparisonView view;
        view.setRuns({ pool(2, 4, 100ms, 0ms, {}), pool(4, 4, 100ms, 0ms, {}), pool(1, 4, 100ms, 0ms, {}) });
        QTemporaryDir dir;
        for (const char* name : { "c.png", "c.svg", "c.pdf", "c.jpg" }) {
            const QString path = dir.filePath(QString::fromLatin1(name));
            TimelineExportOptions options;
            options.size = QSize(1200, 900);
            const auto result = TimelineExporter::exportPainting(
                path, options, [&view](QCPPainter* p, const QSize& s) { view.render(p, s); }, view.title());
            QVERIFY2(result.ok, qPrintable(result.error));
        }
        const QImage image(dir.filePath(QStringLiteral("c.png")));
        QCOMPARE(image.size(), QSize(1200, 900));
        // Something is drawn in each third of the groups' column (the Okabe–Ito bars are not white).
        for (int third = 0; third < 3; ++third) {
            int coloured = 0;
            for (int y = 120 + third * 230; y < 120 + (third + 1) * 230 && y < image.height(); y += 3)
                for (int x = 0; x < 880; x += 3) {
                    const QColor c = image.pixelColor(x, y);
                    coloured += c.saturation() > 80 ? 1 : 0;
                }
            QVERIFY2(coloured > 50, qPrintable(QStringLiteral("third %1: %2 coloured").arg(third).arg(coloured)));
        }
    }
};

QTEST_MAIN(TestComparisonView)
#include "tst_comparisonview.moc"
