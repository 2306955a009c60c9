#include "timeline/timelinedata.h"
#include "timeline/timelineplottable.h"
#include "timeline/timelineqcp.h"
#include "timeline/timelineview.h"

#include <QSignalSpy>
#include <QTest>

#include <chrono>

using namespace poolscope;
using namespace poolscope::widgets;

namespace {
Event ev(std::int64_t t, EventKind kind, std::uint64_t task, int worker, int attempt = 0, std::string label = {})
{
    return Event { task, kind, worker, std::chrono::nanoseconds(t), attempt, std::move(label), 0 };
}

std::vector<Event> run()
{
    const std::int64_t us = 1000;
    return {
        ev(0, EventKind::worker_started, 0, 0, 0, "worker-a"),
        ev(0, EventKind::worker_started, 0, 1, 0, "worker-b"),
        ev(10 * us, EventKind::submitted, 1, -1, 0, "(1,)"),
        ev(10 * us, EventKind::submitted, 2, -1, 0, "(2,)"),
        ev(10 * us, EventKind::submitted, 3, -1, 0, "(3,)"),
        ev(20 * us, EventKind::started, 1, 0),
        ev(20 * us, EventKind::started, 2, 1),
        ev(100 * us, EventKind::finished, 1, 0),
        ev(140 * us, EventKind::started, 3, 0),
        ev(150 * us, EventKind::failed, 2, 1, 0, "ValueError: boom"),
        ev(150 * us, EventKind::retried, 2, -1, 1, "backoff 0.1 s"),
        ev(250 * us, EventKind::submitted, 2, -1, 1, "(2,)"),
        ev(260 * us, EventKind::started, 2, 1, 1),
        ev(300 * us, EventKind::finished, 2, 1, 1),
        ev(310 * us, EventKind::finished, 3, 0),
    };
}

void send(QWidget* target, QEvent::Type type, QPointF pos, Qt::MouseButton button, Qt::MouseButtons buttons,
    Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QMouseEvent event(type, pos, target->mapToGlobal(pos), button, buttons, modifiers);
    QCoreApplication::sendEvent(target, &event);
}

void drag(QWidget* target, QPointF from, QPointF to, Qt::MouseButton button, Qt::KeyboardModifiers modifiers = {})
{
    send(target, QEvent::MouseButtonPress, from, button, button, modifiers);
    send(target, QEvent::MouseMove, (from + to) / 2, Qt::NoButton, button, modifiers);
    send(target, QEvent::MouseMove, to, Qt::NoButton, button, modifiers);
    send(target, QEvent::MouseButtonRelease, to, button, Qt::NoButton, modifiers);
}

void click(QWidget* target, QPointF pos)
{
    send(target, QEvent::MouseButtonPress, pos, Qt::LeftButton, Qt::LeftButton);
    send(target, QEvent::MouseButtonRelease, pos, Qt::LeftButton, Qt::NoButton);
}
} // namespace

class TestTimelineView : public QObject {
    Q_OBJECT

    TimelineData m_data;
    std::unique_ptr<TimelineView> m_view;

private slots:
    void init()
    {
        m_data = TimelineData();
        m_data.appendEvents(run());
        m_view = std::make_unique<TimelineView>();
        m_view->resize(900, 420);
        m_view->setData(&m_data);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        QCoreApplication::processEvents();
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
        int entries = 0;
        for (int i = 0; i < m_view->legend()->itemCount(); ++i) // counts cells, some empty
            entries += m_view->legend()->item(i) != nullptr;
        QCOMPARE(entries, 15);
        // The counter track shares the lanes' time range.
        QCOMPARE(m_view->counterRect()->axis(QCPAxis::atBottom)->range(),
            m_view->laneRect()->axis(QCPAxis::atBottom)->range());
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

    void liveUpdatesAreThrottledAndFollowed()
    {
        TimelineData live;
        m_view->setData(&live);
        int replots = 0;
        connect(m_view->plot(), &QCustomPlot::afterReplot, this, [&replots] { ++replots; });
        const auto events = run();
        QElapsedTimer clock;
        clock.start();
        for (const Event& e : events) {
            m_view->notifyDataChanged(live.appendEvents({ e }));
            QTest::qWait(2);
        }
        QTest::qWait(3 * TimelineView::minimumReplotIntervalMs);
        const double elapsedMs = static_cast<double>(clock.elapsed());
        QVERIFY(replots >= 1);
        // At most one replot per interval (plus the trailing one).
        QVERIFY2(replots <= elapsedMs / TimelineView::minimumReplotIntervalMs + 2,
            qPrintable(QStringLiteral("%1 replots in %2 ms").arg(replots).arg(elapsedMs)));
        QVERIFY(m_view->isFollowing());
        QVERIFY(m_view->mapping().end >= 310e3); // the fit grew with the data
        m_view->setData(nullptr);
    }
};

QTEST_MAIN(TestTimelineView)
#include "tst_timelineview.moc"
