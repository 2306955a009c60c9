#include "console/consoleview.h"

#include <QFontDatabase>
#include <QLocale>

#include <algorithm>

namespace poolscope::widgets {

ConsoleView::ConsoleView(QWidget* parent)
    : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
}

void ConsoleView::setMaximumLineLength(qsizetype length)
{
    m_maximumLineLength = std::max<qsizetype>(100, length);
}

QString ConsoleView::shortened(const QString& line, qsizetype maximum)
{
    if (line.size() <= maximum)
        return line;
    // Mostly head, where a printed list starts; a little tail, so its end (and closing bracket) shows.
    const qsizetype tail = maximum / 10;
    const qsizetype head = maximum - tail;
    return line.left(head) + QStringLiteral(" … [")
        + tr("%1 characters not shown").arg(QLocale::c().toString(line.size() - head - tail)) + QStringLiteral("] … ")
        + line.right(tail);
}

void ConsoleView::appendLines(const QStringList& lines)
{
    if (lines.isEmpty())
        return;
    QStringList shown;
    shown.reserve(lines.size());
    for (const QString& line : lines)
        shown.append(shortened(line, m_maximumLineLength));
    // appendPlainText() makes one block per line of the joined text, in one edit.
    appendPlainText(shown.join(QLatin1Char('\n')));
}

void ConsoleView::setOutput(const QString& text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString& line : lines)
        line = shortened(line, m_maximumLineLength);
    setPlainText(lines.join(QLatin1Char('\n')));
}

} // namespace poolscope::widgets
