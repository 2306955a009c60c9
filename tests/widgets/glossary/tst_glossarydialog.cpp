#include "glossary/glossarydialog.h"
#include "timeline/timelinestyle.h"

#include <poolscope/event.h>

#include <QTableWidget>
#include <QtTest>

using poolscope::widgets::GlossaryDialog;
using poolscope::widgets::TimelineStyle;

class TestGlossaryDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Every colour of the legend and every event kind has a row, with words in every cell.
    void everyColourAndEveryKindIsExplained()
    {
        GlossaryDialog dialog;
        QCOMPARE(dialog.coloursTable()->rowCount(), static_cast<int>(TimelineStyle::legendEntries().size()));
        QCOMPARE(dialog.kindsTable()->rowCount(), poolscope::event_kind_count);
        for (int row = 0; row < dialog.kindsTable()->rowCount(); ++row) {
            for (int column = 0; column < 3; ++column)
                QVERIFY2(!dialog.kindsTable()->item(row, column)->text().isEmpty(),
                    qPrintable(QStringLiteral("row %1 column %2").arg(row).arg(column)));
        }
        QCOMPARE(dialog.kindsTable()->item(0, 0)->toolTip(), QStringLiteral("submitted"));
        for (int row = 0; row < dialog.coloursTable()->rowCount(); ++row) {
            QVERIFY(!dialog.coloursTable()->item(row, 0)->icon().isNull());
            QVERIFY(!dialog.coloursTable()->item(row, 1)->text().isEmpty());
        }
        QVERIFY(!dialog.kindsTable()->accessibleName().isEmpty());
        QVERIFY(!dialog.coloursTable()->accessibleName().isEmpty());
    }
};

QTEST_MAIN(TestGlossaryDialog)
#include "tst_glossarydialog.moc"
