// The time axis's labels and the tooltips' durations pick their unit from the step.
#include "timeline/timelinetimeticker.h"

#include <QTest>

using poolscope::widgets::TimelineTimeTicker;

class TestTimelineTimeTicker : public QObject {
    Q_OBJECT
private slots:
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

QTEST_GUILESS_MAIN(TestTimelineTimeTicker)
#include "tst_timelinetimeticker.moc"
