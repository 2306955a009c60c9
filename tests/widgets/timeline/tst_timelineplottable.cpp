#include "timeline/timelineexporter.h"
#include "timeline/timelineplottable.h"
#include "timeline/timelinestyle.h"
#include "timeline/timelineview.h"
#include <poolscope/timeline/timeline_data.h>

#include "timeline_test_support.h"
#include "widget_test_support.h"

#include <QTest>

#include <memory>

using namespace poolscope;
using namespace poolscope::timeline;
using namespace poolscope::widgets;
using poolscope::timeline_test::ev;
using poolscope::timeline_test::microsecondRun;
using poolscope::widget_test::showExposed;

namespace {
// `count` tasks of 1 µs with 1 µs gaps on one worker: far narrower than a pixel when fitted.
std::vector<Event> denseRun(int count, int failedIndex)
{
    std::vector<Event> events;
    events.reserve(static_cast<std::size_t>(count) * 3);
    for (int i = 0; i < count; ++i) {
        const std::int64_t t = 2000LL * i;
        const auto id = static_cast<std::uint64_t>(i + 1);
        events.push_back(ev(t, EventKind::submitted, id, -1));
        events.push_back(ev(t, EventKind::started, id, 0));
        events.push_back(ev(t + 1000, i == failedIndex ? EventKind::failed : EventKind::finished, id, 0, 0,
            i == failedIndex ? "boom" : ""));
    }
    return events;
}

int countColour(const QImage& image, const QRect& area, QRgb colour)
{
    int n = 0;
    const QRect r = area.intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            n += (image.pixel(x, y) & 0xffffff) == (colour & 0xffffff);
    return n;
}

// Shows the view with its data and replots; false if the window never got exposed.
[[nodiscard]] bool showView(TimelineView& view, const TimelineData& data, QSize size = QSize(900, 420))
{
    view.setData(&data);
    if (!showExposed(view, size))
        return false;
    view.replotNow();
    return true;
}
} // namespace

class TestTimelinePlottable : public QObject {
    Q_OBJECT

    // The small run in a window, for the hit tests.
    TimelineData m_small;
    std::unique_ptr<TimelineView> m_view;

private slots:
    void initTestCase()
    {
        m_small.appendEvents(microsecondRun());
        m_view = std::make_unique<TimelineView>();
        QVERIFY(showView(*m_view, m_small));
    }
    void cleanupTestCase() { m_view.reset(); }

    void hitTestReturnsTheTaskUnderThePixel_data()
    {
        QTest::addColumn<double>("time");
        QTest::addColumn<int>("row");
        QTest::addColumn<quint64>("taskId");
        QTest::addColumn<int>("attempt");
        QTest::newRow("firstTaskMiddle") << 60e3 << 1 << quint64 { 1 } << 0;
        QTest::newRow("longTaskNearItsEnd") << 305e3 << 1 << quint64 { 3 } << 0;
        QTest::newRow("failedFirstAttempt") << 85e3 << 2 << quint64 { 2 } << 0;
        QTest::newRow("retriedSecondAttempt") << 280e3 << 2 << quint64 { 2 } << 1;
        QTest::newRow("cancelledMarkOnCallerLane") << 150e3 << 0 << quint64 { 4 } << 0;
    }
    void hitTestReturnsTheTaskUnderThePixel()
    {
        QFETCH(double, time);
        QFETCH(int, row);
        QFETCH(quint64, taskId);
        QFETCH(int, attempt);
        const QPointF pixel = m_view->pixelFor(time, row);
        QVERIFY(m_view->plottable()->rowRect(row).contains(pixel));
        const auto task = m_view->plottable()->taskAt(pixel);
        QVERIFY2(task, qPrintable(QStringLiteral("nothing at %1,%2").arg(pixel.x()).arg(pixel.y())));
        QCOMPARE(task->taskId, std::uint64_t { taskId });
        QCOMPARE(task->attempt, attempt);
        QCOMPARE(m_view->plottable()->selectTest(pixel, false), 0.0);
    }

    void hitTestFindsNothingBetweenBarsOrOutside_data()
    {
        QTest::addColumn<double>("time");
        QTest::addColumn<int>("row");
        QTest::newRow("gapBetweenTasks") << 120e3 << 1;
        QTest::newRow("beforeAnything") << 2e3 << 2;
        QTest::newRow("backoffGap") << 200e3 << 2;
    }
    void hitTestFindsNothingBetweenBarsOrOutside()
    {
        QFETCH(double, time);
        QFETCH(int, row);
        QVERIFY(!m_view->plottable()->taskAt(m_view->pixelFor(time, row)));
        QVERIFY(!m_view->plottable()->taskAt(QPointF(2, 2))); // the axis margin
        QCOMPARE(m_view->plottable()->selectTest(m_view->pixelFor(time, row), false), -1.0);
    }

    void foldingKeepsAFailedTaskVisible()
    {
        // 50 000 tasks of 1 µs in 100 ms on ~800 px: ~60 tasks per pixel, all folded. The one failure
        // must still show in the failed colour, right where it happened.
        const int count = 50'000;
        const int failed = 31'234;
        TimelineData data;
        data.appendEvents(denseRun(count, failed));
        TimelineView view;
        view.resize(1000, 400);
        view.setData(&data);
        TimelineExportOptions options;
        options.size = QSize(1000, 400);
        options.legend = false;
        TimelineExportResult result;
        const QImage image = TimelineExporter::renderImage(view, options, &result);
        QVERIFY(!image.isNull());
        QCOMPARE(result.laneRects.size(), 2);
        const auto stats = view.plottable()->lastDrawStats();
        QCOMPARE(stats.bars, 0); // everything folded
        QVERIFY(stats.foldRuns > 0);
        QVERIFY(stats.foldRuns <= 1000); // per pixel run, not per task
        QVERIFY(stats.marks >= 1);

        const QRect lane = result.laneRects[1].toAlignedRect();
        const QRgb red = TimelineStyle::outcomeColor(TimelineOutcome::Failed).rgb();
        QVERIFY(countColour(image, lane, red) > 0);
        // ...at the failure's time, inside a folded block (fold shades on both sides of it).
        const double x = view.plottable()->mapping().toPixel(2000.0 * failed);
        const QRect around(static_cast<int>(x) - 3, lane.top(), 7, lane.height());
        QVERIFY(countColour(image, around, red) > 0);
        const int y = static_cast<int>(TimelineStyle::rowGeometry(lane.top(), lane.bottom()).centre());
        const QRgb finished = TimelineStyle::outcomeColor(TimelineOutcome::Finished).rgb();
        for (const int dx : { -12, 12 }) {
            const QRgb c = image.pixel(static_cast<int>(x) + dx, y);
            QVERIFY2(c != TimelineStyle::laneBackground(1).rgb() && c != red && c != finished,
                qPrintable(QString::number(c, 16)));
        }
    }

    void aTimeLimitDrawsTheRunAsItStoodThen()
    {
        // microsecondRun(): task 1 on worker-a 20 → 100 µs, task 3 on worker-a 140 → 310 µs; task 2
        // fails on worker-b at 150 µs and its retry runs 260 → 300 µs. At 200 µs: task 1 finished,
        // task 3 running, task 2's failure drawn, its retry not started.
        TimelineData data;
        data.appendEvents(microsecondRun());
        TimelineView view;
        view.resize(1000, 400);
        view.setData(&data);
        view.setTimeLimit(200'000);
        QCOMPARE(view.timeLimit(), std::optional<std::int64_t>(200'000));
        TimelineExportOptions options;
        options.size = QSize(1000, 400);
        options.legend = false;
        TimelineExportResult result;
        const QImage image = TimelineExporter::renderImage(view, options, &result);
        QCOMPARE(result.laneRects.size(), 3);
        const TimelineMapping map = view.plottable()->mapping();
        auto colourAt = [&](int row, double us) {
            const QRectF lane = result.laneRects[row];
            const int y = static_cast<int>(TimelineStyle::rowGeometry(lane.top(), lane.bottom()).centre());
            return image.pixel(static_cast<int>(map.toPixel(us * 1000)), y) & 0xffffff;
        };
        const auto colour = [](TimelineOutcome o) { return TimelineStyle::outcomeColor(o).rgb() & 0xffffff; };
        QCOMPARE(colourAt(1, 60), colour(TimelineOutcome::Finished)); // task 1, done by then
        QCOMPARE(colourAt(1, 170), colour(TimelineOutcome::Running)); // task 3, running then
        QCOMPARE(colourAt(1, 250), TimelineStyle::laneBackground(1).rgb() & 0xffffff); // not yet
        QCOMPARE(colourAt(2, 280), TimelineStyle::laneBackground(2).rgb() & 0xffffff); // the retry, later
        QCOMPARE(view.plottable()->lastDrawStats().links, 0); // its retry link ends after 200 µs

        // No limit: everything, in its final colours.
        view.setTimeLimit(std::nullopt);
        const QImage all = TimelineExporter::renderImage(view, options, &result);
        const QRectF lane = result.laneRects[1];
        const int y = static_cast<int>(TimelineStyle::rowGeometry(lane.top(), lane.bottom()).centre());
        QCOMPARE(all.pixel(static_cast<int>(map.toPixel(250'000)), y) & 0xffffff, colour(TimelineOutcome::Finished));
    }

    void foldingWithoutFailuresDrawsNoFailedColour()
    {
        TimelineData data;
        data.appendEvents(denseRun(50'000, -1));
        TimelineView view;
        view.resize(1000, 400);
        view.setData(&data);
        TimelineExportOptions options;
        options.size = QSize(1000, 400);
        TimelineExportResult result;
        const QImage image = TimelineExporter::renderImage(view, options, &result);
        const QRgb red = TimelineStyle::outcomeColor(TimelineOutcome::Failed).rgb();
        QCOMPARE(countColour(image, result.laneRects[1].toAlignedRect(), red), 0);
        QCOMPARE(view.plottable()->lastDrawStats().marks, 0);
    }

    void drawingCostDependsOnPixelsNotTasks()
    {
        TimelineData small;
        small.appendEvents(denseRun(20'000, 10));
        TimelineData large;
        large.appendEvents(denseRun(200'000, 10));
        TimelineExportOptions options;
        options.size = QSize(1000, 400);
        int runs[2] = {};
        int i = 0;
        for (const TimelineData* data : { &small, &large }) {
            TimelineView view;
            view.setData(data);
            TimelineExporter::renderImage(view, options);
            runs[i++] = view.plottable()->lastDrawStats().foldRuns;
        }
        // Ten times the tasks, about the same number of rectangles.
        QVERIFY2(runs[1] <= runs[0] * 2 + 10, qPrintable(QStringLiteral("%1 vs %2").arg(runs[0]).arg(runs[1])));
    }

    void zoomedInDrawsBarsWithLabels()
    {
        TimelineData data;
        data.appendEvents(denseRun(50'000, 2));
        TimelineView view;
        QVERIFY(showView(view, data, QSize(1200, 400)));
        view.setVisibleRange(0, 12'000); // six tasks
        view.replotNow();
        const auto stats = view.plottable()->lastDrawStats();
        QVERIFY2(stats.bars >= 6, qPrintable(QString::number(stats.bars)));
        QCOMPARE(stats.foldRuns, 0);
        QVERIFY(stats.labels >= 6);
        const auto task = view.plottable()->taskAt(view.pixelFor(4500, 1));
        QVERIFY(task);
        QCOMPARE(task->taskId, std::uint64_t { 3 });
    }
};

QTEST_MAIN(TestTimelinePlottable)
#include "tst_timelineplottable.moc"
