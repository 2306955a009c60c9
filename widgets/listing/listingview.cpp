#include "listing/listingview.h"

#include "listing/listinggutter.h"

#include <QFontDatabase>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QTextBlock>

namespace poolscope::widgets {

ListingView::ListingView(QWidget* parent)
    : QPlainTextEdit(parent)
    , m_gutter(new ListingGutter(this))
{
    setReadOnly(true);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    connect(this, &QPlainTextEdit::blockCountChanged, this, [this] { setViewportMargins(gutterWidth(), 0, 0, 0); });
    connect(this, &QPlainTextEdit::updateRequest, this, &ListingView::updateGutter);
    // New text: the old highlight belonged to another program.
    connect(document(), &QTextDocument::contentsChanged, this, [this] {
        if (m_highlighted != 0)
            highlightLine(0);
    });
    setViewportMargins(gutterWidth(), 0, 0, 0);
}

int ListingView::gutterWidth() const
{
    int digits = 1;
    for (int lines = std::max(1, blockCount()); lines >= 10; lines /= 10)
        ++digits;
    return 10 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * std::max(2, digits);
}

void ListingView::highlightLine(int line)
{
    const QTextBlock block = line > 0 ? document()->findBlockByNumber(line - 1) : QTextBlock();
    m_highlighted = block.isValid() ? line : 0;
    QList<QTextEdit::ExtraSelection> selections;
    if (block.isValid()) {
        QTextEdit::ExtraSelection selection;
        // A tint of the highlight colour, so the text keeps its own colour in light and dark themes.
        QColor tint = palette().color(QPalette::Highlight);
        tint.setAlpha(90);
        selection.format.setBackground(tint);
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selection.cursor = QTextCursor(block);
        selections << selection;
        setTextCursor(QTextCursor(block));
        centerCursor();
    }
    setExtraSelections(selections);
    m_gutter->update();
}

void ListingView::mouseReleaseEvent(QMouseEvent* event)
{
    QPlainTextEdit::mouseReleaseEvent(event);
    // A drag that selected text is a copy, not a question about the line.
    if (event->button() == Qt::LeftButton && !textCursor().hasSelection())
        emit lineActivated(cursorForPosition(event->position().toPoint()).blockNumber() + 1);
}

void ListingView::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        emit lineActivated(textCursor().blockNumber() + 1);
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

void ListingView::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect contents = contentsRect();
    m_gutter->setGeometry(QRect(contents.left(), contents.top(), gutterWidth(), contents.height()));
}

void ListingView::showEvent(QShowEvent* event)
{
    QPlainTextEdit::showEvent(event);
    // Highlighted while its tab was hidden, when the viewport had no size to centre in.
    if (m_highlighted != 0)
        centerCursor();
}

void ListingView::updateGutter(const QRect& rect, int dy)
{
    if (dy != 0)
        m_gutter->scroll(0, dy);
    else
        m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
}

void ListingView::paintGutter(QPaintEvent* event)
{
    QPainter painter(m_gutter);
    painter.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
    painter.setFont(font());
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    while (block.isValid() && top <= event->rect().bottom()) {
        const int height = qRound(blockBoundingRect(block).height());
        if (block.isVisible() && top + height >= event->rect().top()) {
            const int number = block.blockNumber() + 1;
            QFont f = font();
            f.setBold(number == m_highlighted);
            painter.setFont(f);
            painter.setPen(number == m_highlighted ? palette().color(QPalette::Text)
                                                   : palette().color(QPalette::PlaceholderText));
            painter.drawText(0, top, m_gutter->width() - 5, height, Qt::AlignRight | Qt::AlignVCenter,
                QString::number(number));
        }
        block = block.next();
        top += height;
    }
}

} // namespace poolscope::widgets
