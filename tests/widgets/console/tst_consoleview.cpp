#include "console/consoleview.h"

#include <QLocale>
#include <QTest>
#include <QTextBlock>

using poolscope::widgets::ConsoleView;

class TestConsoleView : public QObject {
    Q_OBJECT
private slots:
    void shortensOnlyLongLines_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<bool>("shortened");
        QTest::newRow("short_unchanged") << 50 << false;
        QTest::newRow("exactlyTheMaximum_unchanged") << 1000 << false;
        QTest::newRow("oneOver_shortened") << 1001 << true;
        QTest::newRow("aHundredItemsList_shortened") << 700'000 << true;
    }
    void shortensOnlyLongLines()
    {
        QFETCH(int, length);
        QFETCH(bool, shortened);
        // A printed list: starts with '[', ends with ']', so head and tail are recognisable.
        QString line = QStringLiteral("[") + QString(length - 2, QLatin1Char('7')) + QStringLiteral("]");
        const QString shown = ConsoleView::shortened(line, 1000);
        if (!shortened) {
            QCOMPARE(shown, line);
            return;
        }
        QVERIFY(shown.size() < 1100);
        QVERIFY(shown.startsWith(QLatin1Char('[')));
        QVERIFY(shown.endsWith(QLatin1Char(']')));
        // What was left out is counted, with thousands separators: 1000 of the characters remain.
        const QString count = QLocale::c().toString(length - 1000);
        QVERIFY2(
            shown.contains(QStringLiteral("[") + count + QStringLiteral(" characters not shown]")), qPrintable(shown));
    }

    void appendsABatchAsOneLinePerString()
    {
        ConsoleView view;
        view.setMaximumLineLength(100);
        view.appendLines({ QStringLiteral("first"), QString(), QString(5000, QLatin1Char('x')) });
        view.appendLines({});
        view.appendLines({ QStringLiteral("last") });
        QTextDocument* document = view.document();
        QCOMPARE(document->blockCount(), 4);
        QCOMPARE(document->findBlockByNumber(0).text(), QStringLiteral("first"));
        QCOMPARE(document->findBlockByNumber(1).text(), QString());
        QVERIFY(document->findBlockByNumber(2).text().size() < 150);
        QCOMPARE(document->findBlockByNumber(3).text(), QStringLiteral("last"));
    }

    void setOutputShortensEachLine()
    {
        ConsoleView view;
        view.setMaximumLineLength(100);
        view.setOutput(QStringLiteral("a\n") + QString(300, QLatin1Char('y')) + QStringLiteral("\nb"));
        QCOMPARE(view.document()->blockCount(), 3);
        QCOMPARE(view.document()->findBlockByNumber(0).text(), QStringLiteral("a"));
        QVERIFY(view.document()->findBlockByNumber(1).text().contains(QStringLiteral("characters not shown")));
        QCOMPARE(view.document()->findBlockByNumber(2).text(), QStringLiteral("b"));
        QVERIFY(view.isReadOnly());
    }

    void maximumLineLengthHasAFloor()
    {
        ConsoleView view;
        QCOMPARE(view.maximumLineLength(), ConsoleView::defaultMaximumLineLength);
        view.setMaximumLineLength(3);
        QCOMPARE(view.maximumLineLength(), qsizetype(100));
    }
};

QTEST_MAIN(TestConsoleView)
#include "tst_consoleview.moc"
