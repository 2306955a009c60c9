// The timeline's colours tell every outcome and layer apart, and the legend explains each.
#include "timeline/timelinestyle.h"

#include <poolscope/timeline/timeline_types.h>

#include <QSet>
#include <QTest>

using namespace poolscope::timeline;
using poolscope::widgets::TimelineStyle;

class TestTimelineStyle : public QObject {
    Q_OBJECT
private slots:
    void everyOutcomeHasItsOwnColour()
    {
        QSet<QRgb> colours;
        for (auto outcome : { TimelineOutcome::Running, TimelineOutcome::Finished, TimelineOutcome::Failed,
                 TimelineOutcome::Cancelled, TimelineOutcome::Retried })
            colours.insert(TimelineStyle::outcomeColor(outcome).rgb());
        for (int k = 0; k < timelineSpanKindCount; ++k)
            colours.insert(TimelineStyle::spanColor(static_cast<TimelineSpanKind>(k)).rgb());
        QCOMPARE(colours.size(), 5 + timelineSpanKindCount);
        QCOMPARE(static_cast<int>(TimelineStyle::legendEntries().size()), 17);
    }
};

QTEST_GUILESS_MAIN(TestTimelineStyle)
#include "tst_timelinestyle.moc"
