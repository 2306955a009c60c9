// ReplayBar: the playhead's position, stepping between events both ways, playing at a speed, and
// the slider and the time label following; all driven by hand (advance()), never by the clock.

#include "replay/replaybar.h"

#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>
#include <QToolButton>

using poolscope::widgets::ReplayBar;

class TestReplayBar : public QObject {
    Q_OBJECT
private slots:
    void aNewRunStartsAtItsEndShowingTheWholeRun()
    {
        ReplayBar bar;
        QVERIFY(!bar.isEnabled()); // nothing to replay yet
        bar.setRun(500'000'000, { 0, 100'000'000, 250'000'000 });
        QVERIFY(bar.isEnabled());
        QCOMPARE(bar.position(), 500'000'000);
        QVERIFY(!bar.isReplaying());
        QCOMPARE(bar.slider()->value(), bar.slider()->maximum());
        QCOMPARE(bar.timeLabel()->text(), QStringLiteral("0.500 s of 0.500 s"));
    }

    void steppingVisitsEveryEventInOrderBothWays()
    {
        ReplayBar bar;
        bar.setRun(100, { 70, 10, 40, 10 }); // unsorted; two events at one moment are one step
        QSignalSpy moved(&bar, &ReplayBar::positionChanged);
        bar.goToStart();
        std::vector<qint64> forward;
        for (int i = 0; i < 4; ++i) {
            bar.stepForward();
            forward.push_back(bar.position());
        }
        QCOMPARE(forward, (std::vector<qint64> { 10, 40, 70, 100 }));
        bar.stepForward(); // at the end it stays
        QCOMPARE(bar.position(), 100);
        std::vector<qint64> back;
        for (int i = 0; i < 4; ++i) {
            bar.stepBack();
            back.push_back(bar.position());
        }
        QCOMPARE(back, (std::vector<qint64> { 70, 40, 10, 0 }));
        QCOMPARE(moved.count(), 1 + 4 + 4);
        QCOMPARE(moved.last().first().toLongLong(), 0);
    }

    void positionsAreClampedToTheRun()
    {
        ReplayBar bar;
        bar.setRun(1000, {});
        bar.setPosition(-5);
        QCOMPARE(bar.position(), 0);
        bar.setPosition(5000);
        QCOMPARE(bar.position(), 1000);
    }

    void playingAdvancesAtTheChosenSpeedAndPausesAtTheEnd_data()
    {
        QTest::addColumn<double>("speed");
        QTest::addColumn<qint64>("afterOneTick");
        QTest::newRow("quarter") << 0.25 << qint64(25);
        QTest::newRow("real time") << 1.0 << qint64(100);
        QTest::newRow("four times") << 4.0 << qint64(400);
    }

    void playingAdvancesAtTheChosenSpeedAndPausesAtTheEnd()
    {
        QFETCH(double, speed);
        QFETCH(qint64, afterOneTick);
        ReplayBar bar;
        bar.setRun(1000, { 0, 500 });
        bar.setSpeed(speed);
        QCOMPARE(bar.speed(), speed);
        QSignalSpy playing(&bar, &ReplayBar::playingChanged);
        bar.play(); // from the end: starts again at 0
        QVERIFY(bar.isPlaying());
        QCOMPARE(bar.position(), 0);
        bar.advance(100);
        QCOMPARE(bar.position(), afterOneTick);
        QVERIFY(bar.isReplaying());
        bar.advance(10'000);
        QCOMPARE(bar.position(), 1000);
        QVERIFY(!bar.isPlaying());
        QCOMPARE(playing.count(), 2);
    }

    void theSliderScrubsAndStepsPause()
    {
        ReplayBar bar;
        bar.setRun(2'000'000'000, { 1'000'000'000 });
        bar.slider()->setValue(bar.slider()->maximum() / 4);
        QCOMPARE(bar.position(), 500'000'000);
        QCOMPARE(bar.timeLabel()->text(), QStringLiteral("0.500 s of 2.000 s"));
        bar.play();
        bar.stepForward();
        QVERIFY(!bar.isPlaying());
        QCOMPARE(bar.position(), 1'000'000'000);
        QCOMPARE(bar.slider()->value(), bar.slider()->maximum() / 2);
    }

    void everySpeedIsOffered()
    {
        ReplayBar bar;
        QCOMPARE(bar.speedBox()->count(), int(ReplayBar::speeds().size()));
        QCOMPARE(bar.speedBox()->itemText(0), QStringLiteral("0.25×"));
        QCOMPARE(bar.speedBox()->itemText(bar.speedBox()->count() - 1), QStringLiteral("4×"));
        QCOMPARE(bar.speed(), 1.0);
    }
};

QTEST_MAIN(TestReplayBar)
#include "tst_replaybar.moc"
