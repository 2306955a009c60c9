#include <poolscope/timeline/timeline_data.h>
#include <poolscope/timeline/viewport.h>

#include "timeline/timelineplottable.h"
#include "timeline/timelineexporter.h"
#include "timeline/timelineqcp.h"
#include "timeline/timelinestyle.h"
#include "timeline/timelineview.h"

#include "timeline_test_support.h"
#include "widget_test_support.h"

#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using namespace poolscope;
using namespace poolscope::timeline;
using namespace poolscope::widgets;
using poolscope::timeline_test::ev;
using poolscope::timeline_test::microsecondRun;
using namespace poolscope::widget_test;

class TestTimelineView : public QObject {
    Q_OBJECT

    TimelineData m_data;
    std::unique_ptr<TimelineView> m_view;

private slots:
    void init()
    {
        m_data = TimelineData();
        m_data.appendEvents(microsecondRun());
        m_view = std::make_unique<TimelineView>();
        m_view->setData(&m_data);
        QVERIFY(showExposed(*m_view, QSize(900, 420)));
        m_view->replotNow();
    }
    void cleanup() { m_view.reset(); }

    void showsLaneNamesAndAFullLegend()
    {
        auto ticker = m_view->laneRect()->axis(QCPAxis::atLeft)->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(ticker);
        const QStringList names = ticker->ticks().values();
        QCOMPARE(
            names, (QStringList { QStringLiteral("caller"), QStringLiteral("worker-a"), QStringLiteral("worker-b") }));
        // The legend lists what this run draws, in the glossary's order, and nothing else.
        using Swatch = TimelineStyle::Swatch;
        const std::vector<Swatch> expected { Swatch::Finished, Swatch::Retried, Swatch::Cancelled, Swatch::QueueWait,
            Swatch::RetryLink, Swatch::CounterRunning, Swatch::CounterQueued };
        QCOMPARE(m_view->usedSwatches(), expected);
        int entries = 0;
        for (int i = 0; i < m_view->legend()->itemCount(); ++i) // counts cells, some empty
            entries += m_view->legend()->item(i) != nullptr;
        QCOMPARE(entries, int(expected.size()));
        QVERIFY(m_view->isLegendShown());

        // With no data, every entry: it says what a run will show.
        TimelineView empty;
        int all = 0;
        for (int i = 0; i < empty.legend()->itemCount(); ++i)
            all += empty.legend()->item(i) != nullptr;
        QCOMPARE(all, int(TimelineStyle::legendEntries().size()));
        // The counter track shares the lanes' time range.
        QCOMPARE(m_view->counterRect()->axis(QCPAxis::atBottom)->range(),
            m_view->laneRect()->axis(QCPAxis::atBottom)->range());
    }

    void manyLanesScrollInsteadOfOverlapping()
    {
        // Twelve workers, one task each, in a view too short for 13 readable lanes.
        TimelineData many;
        std::vector<Event> events;
        for (int w = 0; w < 12; ++w) {
            const auto task = static_cast<std::uint64_t>(w + 1);
            events.push_back(ev(0, EventKind::worker_started, 0, w, 0, "ThreadPoolExecutor-0_" + std::to_string(w)));
            events.push_back(ev(10, EventKind::submitted, task, -1));
            events.push_back(ev(20 + w, EventKind::started, task, w));
            events.push_back(ev(500 + w, EventKind::finished, task, w));
        }
        many.appendEvents(events);
        TimelineView view;
        view.setData(&many);
        QVERIFY(showExposed(view, QSize(700, 330)));
        view.replotNow();
        auto* scroll = view.findChild<QScrollBar*>(QStringLiteral("laneScroll"));
        QVERIFY(scroll);
        const int rows = many.rowCount();
        QCOMPARE(rows, 13);
        QVERIFY2(view.visibleRowCount() < rows, qPrintable(QString::number(view.visibleRowCount())));
        QVERIFY(view.visibleRowCount() >= 1);
        QVERIFY(view.laneRect()->rect().height() >= view.visibleRowCount() * TimelineView::minimumLaneHeight);
        QVERIFY(scroll->isVisible());
        QCOMPARE(scroll->maximum(), rows - view.visibleRowCount());
        QCOMPARE(view.firstVisibleRow(), 0);
        const QCPRange shown = view.laneRect()->axis(QCPAxis::atLeft)->range();
        QCOMPARE(shown.lower, 0.0);
        QCOMPARE(shown.upper, double(view.visibleRowCount()));

        // Page Down moves by a page less one lane; the axis follows.
        QTest::keyClick(&view, Qt::Key_PageDown);
        const int afterPage = std::min(rows - view.visibleRowCount(), std::max(1, view.visibleRowCount() - 1));
        QCOMPARE(view.firstVisibleRow(), afterPage);
        QCOMPARE(scroll->value(), afterPage);
        view.replotNow();
        QCOMPARE(view.laneRect()->axis(QCPAxis::atLeft)->range().lower, double(afterPage));

        // Selecting a task on the last lane brings it into view.
        QTest::keyClick(&view, Qt::Key_Home); // fit (and the lanes stay where they are)
        scroll->setValue(0);
        QCOMPARE(view.firstVisibleRow(), 0);
        view.selectTask(12, 0);
        QVERIFY(view.firstVisibleRow() + view.visibleRowCount() >= rows);

        // Tall enough: every lane, no scroll bar.
        view.resize(700, 1000);
        QTRY_VERIFY(!scroll->isVisible());
        QCOMPARE(view.visibleRowCount(), rows);
        QCOMPARE(view.firstVisibleRow(), 0);
    }

    void startsFittedAndFollowing()
    {
        const TimelineMapping m = m_view->mapping();
        QVERIFY(m_view->isFollowing());
        QVERIFY(m.start < 0 && m.end > 310e3);
        QCOMPARE(m_view->zoomStackDepth(), 0);
    }

    void zoomStackGoesBack()
    {
        const TimelineMapping fitted = m_view->mapping();
        m_view->setVisibleRange(50e3, 150e3);
        QCOMPARE(m_view->mapping().start, 50e3);
        QCOMPARE(m_view->mapping().end, 150e3);
        QVERIFY(!m_view->isFollowing());
        m_view->setVisibleRange(60e3, 70e3);
        QCOMPARE(m_view->zoomStackDepth(), 2);
        QTest::keyClick(m_view.get(), Qt::Key_Backspace);
        QCOMPARE(m_view->mapping().start, 50e3);
        QTest::keyClick(m_view.get(), Qt::Key_Left, Qt::AltModifier);
        QCOMPARE(m_view->mapping().start, fitted.start);
        QCOMPARE(m_view->mapping().end, fitted.end);
        QCOMPARE(m_view->zoomStackDepth(), 0);
        m_view->zoomBack(); // empty stack: nothing happens
        QCOMPARE(m_view->mapping().start, fitted.start);
    }

    void homeAndCtrl0Fit_data()
    {
        QTest::addColumn<int>("key");
        QTest::addColumn<int>("modifiers");
        QTest::newRow("home") << int { Qt::Key_Home } << int { Qt::NoModifier };
        QTest::newRow("ctrl0") << int { Qt::Key_0 } << int { Qt::ControlModifier };
    }
    void homeAndCtrl0Fit()
    {
        QFETCH(int, key);
        QFETCH(int, modifiers);
        const TimelineMapping fitted = m_view->mapping();
        m_view->setVisibleRange(50e3, 150e3);
        QTest::keyClick(m_view.get(), static_cast<Qt::Key>(key), static_cast<Qt::KeyboardModifiers>(modifiers));
        QCOMPARE(m_view->mapping().start, fitted.start);
        QCOMPARE(m_view->mapping().end, fitted.end);
        QVERIFY(m_view->isFollowing());
        QCOMPARE(m_view->zoomStackDepth(), 2); // the zoom, then the fit: both can be undone
    }

    void wheelZoomsAroundTheCursor()
    {
        const double x = m_view->pixelFor(120e3, 1).x();
        const double before = m_view->mapping().toTime(x);
        const double range = m_view->mapping().range();
        QWheelEvent wheel(QPointF(x, 100), m_view->plot()->mapToGlobal(QPointF(x, 100)), QPoint(), QPoint(0, 240),
            Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(m_view->plot(), &wheel);
        QVERIFY(m_view->mapping().range() < range * 0.8);
        QVERIFY(qAbs(m_view->mapping().toTime(x) - before) < 1.0);
        QCOMPARE(m_view->zoomStackDepth(), 1);
    }

    void dragPansAndShiftDragZooms()
    {
        m_view->setVisibleRange(100e3, 200e3);
        const TimelineMapping before = m_view->mapping();
        const QPointF a = m_view->pixelFor(150e3, 1);
        drag(m_view->plot(), a, a + QPointF(100, 0), Qt::LeftButton);
        const double shifted = 100 * before.nsPerPixel();
        QVERIFY(qAbs(m_view->mapping().start - (before.start - shifted)) < 1.0);
        QVERIFY(qFuzzyCompare(m_view->mapping().range(), before.range()));

        const TimelineMapping now = m_view->mapping();
        const double x0 = now.toPixel(120e3);
        const double x1 = now.toPixel(140e3);
        drag(m_view->plot(), QPointF(x0, a.y()), QPointF(x1, a.y()), Qt::LeftButton, Qt::ShiftModifier);
        QVERIFY(qAbs(m_view->mapping().start - 120e3) < now.nsPerPixel());
        QVERIFY(qAbs(m_view->mapping().end - 140e3) < now.nsPerPixel());

        // The right button draws a rubber band too.
        const TimelineMapping zoomed = m_view->mapping();
        drag(m_view->plot(), QPointF(zoomed.toPixel(125e3), a.y()), QPointF(zoomed.toPixel(130e3), a.y()),
            Qt::RightButton);
        QVERIFY(qAbs(m_view->mapping().start - 125e3) < zoomed.nsPerPixel());
    }

    void clickSelectsATaskAndEmptySpaceClears()
    {
        QSignalSpy selected(m_view.get(), &TimelineView::taskSelected);
        QSignalSpy cleared(m_view.get(), &TimelineView::selectionCleared);
        click(m_view->plot(), m_view->pixelFor(280e3, 2));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.at(0).at(0).value<quint64>(), quint64 { 2 });
        QCOMPARE(selected.at(0).at(1).toInt(), 1);
        QVERIFY(m_view->selectedTask());
        QCOMPARE(m_view->selectedTask()->attempt, 1);
        click(m_view->plot(), m_view->pixelFor(200e3, 2)); // the backoff gap
        QCOMPARE(cleared.count(), 1);
        QVERIFY(!m_view->selectedTask());
    }

    void selectTaskHighlightsWithoutSignalling()
    {
        QSignalSpy selected(m_view.get(), &TimelineView::taskSelected);
        m_view->setVisibleRange(0, 50e3);
        m_view->selectTask(3, 0); // out of view: the view pans to it
        QCOMPARE(selected.count(), 0);
        QCOMPARE(m_view->plottable()->selectedTask(), (std::optional<TimelineTaskKey>(TimelineTaskKey { 3, 0 })));
        const TimelineMapping m = m_view->mapping();
        QVERIFY(m.start <= 225e3 && m.end >= 225e3);
        QCOMPARE(m.range(), 50e3);
        m_view->clearSelection();
        QVERIFY(!m_view->selectedTask());
    }

    void tooltipDescribesTheAttempt()
    {
        const QString failed = m_view->toolTipAt(m_view->pixelFor(85e3, 2));
        QVERIFY2(failed.contains(QStringLiteral("Task #2")), qPrintable(failed));
        QVERIFY(failed.contains(QStringLiteral("attempt 1 of 2")));
        QVERIFY(failed.contains(QStringLiteral("(2,)")));
        QVERIFY(failed.contains(QStringLiteral("worker-b")));
        QVERIFY(failed.contains(QStringLiteral("queue wait 10.00 µs")));
        QVERIFY(failed.contains(QStringLiteral("run time 130.0 µs")));
        QVERIFY(failed.contains(QStringLiteral("failed, retried")));
        QVERIFY(failed.contains(QStringLiteral("ValueError: boom")));
        QVERIFY(m_view->toolTipAt(m_view->pixelFor(120e3, 1)).isEmpty());
    }

    void liveUpdatesAreCoalescedAndFollowed()
    {
        TimelineData live;
        m_view->setData(&live);
        m_view->setReplotInterval(0);
        int replots = 0;
        connect(m_view->plot(), &QCustomPlot::afterReplot, this, [&replots] { ++replots; });
        QSignalSpy replotted(m_view->plot(), &QCustomPlot::afterReplot);
        for (const Event& e : microsecondRun())
            m_view->notifyDataChanged(live.appendEvents({ e }));
        QCOMPARE(replots, 0); // nothing is painted while the notifications come in...
        QVERIFY(replotted.wait(5000)); // ...and one replot takes them all, on the next event loop turn
        QCoreApplication::processEvents();
        QCOMPARE(replots, 1);
        QVERIFY(m_view->isFollowing());
        QVERIFY(m_view->mapping().end >= 310e3); // the fit grew with the data

        // Within the interval since the last replot, new data waits for the next one.
        m_view->setReplotInterval(60'000);
        m_view->replotNow();
        m_view->notifyDataChanged(live.appendEvents({ ev(400'000, EventKind::submitted, 9, -1) }));
        QCoreApplication::processEvents();
        QCOMPARE(replots, 2);
        QVERIFY(m_view->mapping().end >= 400e3);
        m_view->setData(nullptr);
    }

    void aDarkPaletteDarkensTheGroundButExportsStayLight()
    {
        QCOMPARE(m_view->scheme(), TimelineStyle::Scheme {});
        QPalette dark = m_view->palette();
        dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
        dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
        m_view->setPalette(dark); // as the system switching to its dark theme does
        QVERIFY(m_view->scheme().dark);
        QCOMPARE(m_view->plottable()->scheme().dark, true);
        QVERIFY(m_view->plot()->xAxis->tickLabelColor().lightness() > 180);
        m_view->replotNow();
        // The lanes on screen are dark; the bars keep their Okabe–Ito colours.
        const QImage screen = m_view->plot()->toPixmap(0, 0, 1).toImage();
        const QRectF lane = m_view->plottable()->rowRect(1);
        QVERIFY(screen.pixelColor(QPoint(int(lane.right()) - 2, int(lane.top()) + 1)).lightness() < 80);
        // An export is a document: light.
        TimelineExportOptions options;
        options.size = QSize(900, 420);
        TimelineExportResult result;
        const QImage exported = TimelineExporter::renderImage(*m_view, options, &result);
        const QRectF exportedLane = result.laneRects.value(1);
        QVERIFY(exported.pixelColor(QPoint(int(exportedLane.right()) - 2, int(exportedLane.top()) + 1)).lightness() > 200);
        QVERIFY(m_view->scheme().dark); // and the screen stays dark after it
        m_view->setPalette(QPalette());
        QVERIFY(!m_view->scheme().dark);
    }

    void highContrastStrengthensTheLanesAndAxes()
    {
        m_view->setHighContrast(true);
        QVERIFY(m_view->isHighContrast());
        QVERIFY(m_view->plottable()->scheme().highContrast);
        QCOMPARE(m_view->plot()->xAxis->basePen().width(), 2);
        // Neighbouring lanes differ by a clear step, not a hint of grey.
        const int step = std::abs(TimelineStyle::laneBackground(1, m_view->scheme()).lightness()
            - TimelineStyle::laneBackground(2, m_view->scheme()).lightness());
        QVERIFY2(step >= 30, qPrintable(QString::number(step)));
        m_view->setHighContrast(false);
        QCOMPARE(m_view->plot()->xAxis->basePen().width(), 1);
    }

    void viewsSharingAViewportZoomTogether()
    {
        // The other view shows a shorter run: the shared axis still covers the longer one.
        TimelineData shorter;
        shorter.appendEvents({ ev(0, EventKind::submitted, 1, -1), ev(10'000, EventKind::started, 1, 0),
            ev(50'000, EventKind::finished, 1, 0) });
        TimelineView other;
        other.setViewport(m_view->viewport());
        other.setData(&shorter);
        QVERIFY(showExposed(other, QSize(900, 420)));
        m_view->fit();
        QVERIFY(other.mapping().end >= 310e3);

        int user = 0;
        int program = 0;
        const int listener = m_view->viewport()->addListener(
            [&](double, double, Viewport::Cause cause) { ++(cause == Viewport::Cause::User ? user : program); });
        const TimelineMapping fitted = m_view->mapping();
        QTest::keyClick(m_view.get(), Qt::Key_Plus);
        QCOMPARE(user, 1);
        QCOMPARE(program, 0); // the other view applied the change without answering it
        QCOMPARE(other.mapping().start, m_view->mapping().start);
        QCOMPARE(other.mapping().end, m_view->mapping().end);
        QCOMPARE(
            other.laneRect()->axis(QCPAxis::atBottom)->range(), m_view->laneRect()->axis(QCPAxis::atBottom)->range());
        QCOMPARE(other.zoomStackDepth(), 1);
        QTest::keyClick(&other, Qt::Key_Backspace); // back in the other view: back in both
        QCOMPARE(m_view->mapping().start, fitted.start);
        QCOMPARE(m_view->mapping().end, fitted.end);
        QCOMPARE(user, 2);
        m_view->viewport()->removeListener(listener);
    }

    void linkedViewsFollowTheUserWithoutLooping()
    {
        TimelineView other;
        other.setData(&m_data);
        QVERIFY(showExposed(other, QSize(900, 420)));
        const auto [onMine, onTheirs] = linkViewports(*m_view->viewport(), *other.viewport());
        QSignalSpy mine(m_view.get(), &TimelineView::visibleRangeChanged);
        QSignalSpy theirs(&other, &TimelineView::visibleRangeChanged);
        QTest::keyClick(m_view.get(), Qt::Key_Plus);
        QCOMPARE(mine.count(), 1);
        QCOMPARE(theirs.count(), 1);
        QCOMPARE(other.mapping().start, m_view->mapping().start);
        QTest::keyClick(&other, Qt::Key_Right);
        QCOMPARE(mine.count(), 2);
        QCOMPARE(theirs.count(), 2);
        QCOMPARE(m_view->mapping().start, other.mapping().start);
        // A range set from code stays in its view.
        m_view->setVisibleRange(20e3, 40e3);
        QCOMPARE(mine.count(), 3);
        QCOMPARE(theirs.count(), 2);
        m_view->viewport()->removeListener(onMine);
        other.viewport()->removeListener(onTheirs);
    }
};

QTEST_MAIN(TestTimelineView)
#include "tst_timelineview.moc"
