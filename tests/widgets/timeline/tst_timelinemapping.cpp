#include "timeline/timelinemapping.h"
#include "timeline/timelinetimeticker.h"

#include <QTest>

using poolscope::widgets::TimelineMapping;
using poolscope::widgets::TimelineTimeTicker;

Q_DECLARE_METATYPE(TimelineMapping)

namespace {
// 1 s of data on 1000 px starting at x = 100, fitted: fit adds 2 % on each side.
TimelineMapping fitted()
{
    TimelineMapping m;
    m.left = 100;
    m.width = 1000;
    m.setDataRange(0, 1e9);
    m.fit();
    return m;
}

TimelineMapping showing(double from, double to)
{
    TimelineMapping m = fitted();
    m.start = from;
    m.end = to;
    return m;
}
} // namespace

class TestTimelineMapping : public QObject {
    Q_OBJECT
private slots:
    void timeAndPixelRoundTrip_data()
    {
        QTest::addColumn<TimelineMapping>("mapping");
        QTest::addColumn<double>("time");
        QTest::addColumn<double>("pixel");
        QTest::newRow("fitted_leftEdgeIsFitStart") << fitted() << -2e7 << 100.0;
        QTest::newRow("fitted_rightEdgeIsFitEnd") << fitted() << 1.02e9 << 1100.0;
        QTest::newRow("zoomed_midpoint") << showing(1e8, 2e8) << 1.5e8 << 600.0;
        QTest::newRow("zoomed_leftOfView_negativePixels") << showing(1e8, 2e8) << 0.0 << -900.0;
    }
    void timeAndPixelRoundTrip()
    {
        QFETCH(TimelineMapping, mapping);
        QFETCH(double, time);
        QFETCH(double, pixel);
        QCOMPARE(mapping.toPixel(time), pixel);
        QCOMPARE(mapping.toTime(pixel), time);
    }

    void zoomAt_data()
    {
        QTest::addColumn<TimelineMapping>("before");
        QTest::addColumn<double>("cursor");
        QTest::addColumn<double>("factor");
        QTest::addColumn<double>("expectedRange");
        QTest::addColumn<bool>("cursorTimeKept");
        QTest::newRow("zoomInAroundCursor_keepsCursorTime") << fitted() << 350.0 << 2.0 << 0.52e9 << true;
        QTest::newRow("zoomInAtLeftEdge_keepsCursorTime") << fitted() << 100.0 << 4.0 << 0.26e9 << true;
        QTest::newRow("zoomOutAroundCursor_keepsCursorTime") << showing(4e8, 5e8) << 800.0 << 0.5 << 2e8 << true;
        QTest::newRow("zoomOutPastEverything_clampsToFit") << showing(4e8, 5e8) << 800.0 << 0.001 << 1.04e9 << false;
        QTest::newRow("zoomInBelowMinimum_stopsAtMinimumRange")
            << showing(4e8, 4e8 + 1000) << 600.0 << 100.0 << TimelineMapping::minimumRange << true;
        QTest::newRow("zoomNonsenseFactor_changesNothing") << showing(4e8, 5e8) << 600.0 << -1.0 << 1e8 << true;
    }
    void zoomAt()
    {
        QFETCH(TimelineMapping, before);
        QFETCH(double, cursor);
        QFETCH(double, factor);
        QFETCH(double, expectedRange);
        QFETCH(bool, cursorTimeKept);
        TimelineMapping after = before;
        after.zoomAt(cursor, factor);
        QVERIFY2(qFuzzyCompare(after.range(), expectedRange), qPrintable(QString::number(after.range())));
        if (cursorTimeKept)
            QVERIFY(qAbs(after.toTime(cursor) - before.toTime(cursor)) < 1e-3);
        QVERIFY(after.start >= after.fitStart() - 1e-3);
        QVERIFY(after.end <= after.fitEnd() + 1e-3);
    }

    void pan_data()
    {
        QTest::addColumn<TimelineMapping>("before");
        QTest::addColumn<double>("dpx");
        QTest::addColumn<double>("expectedStart");
        QTest::newRow("dragRight_showsEarlierTimes") << showing(4e8, 5e8) << 100.0 << 3.9e8;
        QTest::newRow("dragLeft_showsLaterTimes") << showing(4e8, 5e8) << -100.0 << 4.1e8;
        QTest::newRow("dragPastTheStart_stopsAtFitStart") << showing(4e8, 5e8) << 1e5 << -2e7;
        QTest::newRow("dragPastTheEnd_stopsAtFitEnd") << showing(4e8, 5e8) << -1e5 << 1.02e9 - 1e8;
    }
    void pan()
    {
        QFETCH(TimelineMapping, before);
        QFETCH(double, dpx);
        QFETCH(double, expectedStart);
        TimelineMapping after = before;
        after.pan(dpx);
        QVERIFY2(qAbs(after.start - expectedStart) < 1e-3, qPrintable(QString::number(after.start, 'f')));
        QVERIFY(qFuzzyCompare(after.range(), before.range())); // panning never zooms
    }

    void fitShowsDataWithMargins()
    {
        TimelineMapping m = showing(3e8, 4e8);
        m.fit();
        QCOMPARE(m.start, -2e7);
        QCOMPARE(m.end, 1.02e9);
    }

    void emptyDataStillHasARange()
    {
        TimelineMapping m;
        m.setDataRange(5, 5);
        m.fit();
        QVERIFY(m.range() > 0);
    }

    void zoomToTakesEitherOrder()
    {
        TimelineMapping m = fitted();
        m.zoomTo(3e8, 2e8);
        QCOMPARE(m.start, 2e8);
        QCOMPARE(m.end, 3e8);
    }

    void tickLabelsPickTheirUnit_data()
    {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<double>("step");
        QTest::addColumn<QString>("label");
        QTest::newRow("secondsStep") << 2.0 << 1.0 << QStringLiteral("2 s");
        QTest::newRow("halfSecondStep") << 1.5 << 0.5 << QStringLiteral("1.5 s");
        QTest::newRow("millisecondStep") << 0.0125 << 0.0025 << QStringLiteral("12.5 ms");
        QTest::newRow("microsecondStep") << 42e-6 << 2e-6 << QStringLiteral("42 µs");
        QTest::newRow("nanosecondStep") << 50e-9 << 10e-9 << QStringLiteral("50 ns");
        QTest::newRow("zero") << 0.0 << 0.2 << QStringLiteral("0.0 s");
    }
    void tickLabelsPickTheirUnit()
    {
        QFETCH(double, seconds);
        QFETCH(double, step);
        QFETCH(QString, label);
        QCOMPARE(TimelineTimeTicker::format(seconds, step), label);
    }

    void durationsPickTheirUnit_data()
    {
        QTest::addColumn<double>("ns");
        QTest::addColumn<QString>("text");
        QTest::newRow("nanoseconds") << 850.0 << QStringLiteral("850 ns");
        QTest::newRow("microseconds") << 12340.0 << QStringLiteral("12.34 µs");
        QTest::newRow("milliseconds") << 1.5e6 << QStringLiteral("1.500 ms");
        QTest::newRow("seconds") << 2.25e9 << QStringLiteral("2.250 s");
    }
    void durationsPickTheirUnit()
    {
        QFETCH(double, ns);
        QFETCH(QString, text);
        QCOMPARE(TimelineTimeTicker::formatNs(ns), text);
    }
};

QTEST_GUILESS_MAIN(TestTimelineMapping)
#include "tst_timelinemapping.moc"
