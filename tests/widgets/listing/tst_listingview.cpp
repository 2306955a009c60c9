// ListingView: line numbers that make room for their digits, and one highlighted line that follows
// what is asked and goes with new text.
#include "listing/listingview.h"

#include "widget_test_support.h"

#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>

#include <utility>

using poolscope::widgets::ListingView;

class TestListingView : public QObject {
    Q_OBJECT
private slots:
    void gutterMakesRoomForTheDigits()
    {
        ListingView view;
        view.setPlainText(QStringLiteral("a\nb\nc"));
        const int small = view.gutterWidth();
        QStringList lines;
        for (int i = 0; i < 1200; ++i)
            lines << QStringLiteral("x = %1").arg(i);
        view.setPlainText(lines.join(u'\n'));
        QVERIFY2(view.gutterWidth() > small, qPrintable(QStringLiteral("%1 vs %2").arg(view.gutterWidth()).arg(small)));
        QVERIFY(poolscope::widget_test::showExposed(view, QSize(400, 300)));
        // The text starts right of the gutter.
        QVERIFY(view.viewport()->geometry().left() >= view.gutterWidth());
    }

    void highlightsOneLineAndScrollsToIt()
    {
        ListingView view;
        QStringList lines;
        for (int i = 1; i <= 500; ++i)
            lines << QStringLiteral("line %1").arg(i);
        view.setPlainText(lines.join(u'\n'));
        QVERIFY(poolscope::widget_test::showExposed(view, QSize(400, 300)));
        // Asked for, then shown: the first line, one far down (scrolled to), 0 and one past the end (cleared).
        const std::pair<int, int> rows[] = { { 1, 1 }, { 450, 450 }, { 0, 0 }, { 501, 0 } };
        for (const auto& [line, highlighted] : rows) {
            view.highlightLine(7); // something to replace or clear
            view.highlightLine(line);
            QCOMPARE(view.highlightedLine(), highlighted);
            const auto selections = view.extraSelections();
            QCOMPARE(int(selections.size()), highlighted > 0 ? 1 : 0);
            if (highlighted == 0)
                continue;
            QCOMPARE(selections.first().cursor.block().blockNumber() + 1, highlighted);
            QCOMPARE(selections.first().cursor.block().text(), QStringLiteral("line %1").arg(highlighted));
            // On screen: the block lies within the viewport.
            const int first = view.cursorForPosition(QPoint(5, 5)).block().blockNumber() + 1;
            const int last = view.cursorForPosition(QPoint(5, view.viewport()->height() - 5)).block().blockNumber() + 1;
            QVERIFY2(first <= highlighted && highlighted <= last, qPrintable(QStringLiteral("%1..%2").arg(first).arg(last)));
        }
    }

    void newTextDropsTheHighlight()
    {
        ListingView view;
        view.setPlainText(QStringLiteral("a\nb\nc"));
        view.highlightLine(2);
        QCOMPARE(view.highlightedLine(), 2);
        view.setPlainText(QStringLiteral("d\ne"));
        QCOMPARE(view.highlightedLine(), 0);
        QVERIFY(view.extraSelections().isEmpty());
    }

    void clickingALineOrPressingEnterOnItActivatesIt()
    {
        ListingView view;
        view.setPlainText(QStringLiteral("first\nsecond\nthird\nfourth"));
        QVERIFY(poolscope::widget_test::showExposed(view, QSize(300, 200)));
        QSignalSpy activated(&view, &ListingView::lineActivated);
        QTextCursor onThird(view.document()->findBlockByNumber(2));
        const QPointF at = QRectF(view.cursorRect(onThird)).center();
        poolscope::widget_test::click(view.viewport(), QPointF(20, at.y()));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.last().first().toInt(), 3);
        view.highlightLine(4); // the cursor goes to the line shown
        QTest::keyClick(&view, Qt::Key_Return);
        QCOMPARE(activated.count(), 2);
        QCOMPARE(activated.last().first().toInt(), 4);
        // Selecting text by dragging is no question about a line.
        QTextCursor cursor = view.textCursor();
        cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        cursor.movePosition(QTextCursor::StartOfBlock, QTextCursor::MoveAnchor);
        cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        view.setTextCursor(cursor);
        poolscope::widget_test::sendMouse(view.viewport(), QEvent::MouseButtonRelease, QPointF(20, at.y()),
            Qt::LeftButton, Qt::NoButton);
        QCOMPARE(activated.count(), 2);
    }
};

QTEST_MAIN(TestListingView)
#include "tst_listingview.moc"
