#pragma once

#include <QPlainTextEdit>
#include <QStringList>

namespace poolscope::widgets {

/// The scenario's printed output: read-only, monospaced, unwrapped, fed with lines in batches.
///
/// Lines longer than maximumLineLength() are shown shortened, head and tail around a note of what was
/// left out: QTextLayout shapes a whole line at once, however little of it is visible, so the one
/// 690,000-character line that as-completed prints for 100,000 items cost the GUI thread 110 ms to
/// append, 60 ms more when the next line came, and its paints on top. The full text stays in the
/// trace (Save Trace, the command line).
class ConsoleView : public QPlainTextEdit {
    Q_OBJECT
public:
    static constexpr qsizetype defaultMaximumLineLength = 2000;

    explicit ConsoleView(QWidget* parent = nullptr);

    /// Longer lines are shortened to about this many characters (at least 100).
    void setMaximumLineLength(qsizetype length);
    qsizetype maximumLineLength() const { return m_maximumLineLength; }

    /// `line` as the view shows it: unchanged if it fits in `maximum` characters, otherwise its head
    /// and tail around "… [N characters not shown] …".
    static QString shortened(const QString& line, qsizetype maximum);

public slots:
    /// Appends the lines as one edit: one layout pass and one scroll for the whole batch.
    void appendLines(const QStringList& lines);
    /// Replaces everything with `text` (a loaded trace's output), shortening its lines.
    void setOutput(const QString& text);

private:
    qsizetype m_maximumLineLength = defaultMaximumLineLength;
};

} // namespace poolscope::widgets
