#pragma once

#include <QPlainTextEdit>

namespace poolscope::widgets {

class ListingGutter;

/// A read-only program listing (the Python and C++ tabs, a traced program's source) with line
/// numbers in a gutter, and one line that can be highlighted: the line an event came from.
class ListingView : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit ListingView(QWidget* parent = nullptr);

    /// Highlights line `line` (1-based) and scrolls it into view; 0 or a line past the end clears.
    void highlightLine(int line);
    /// The highlighted line, 0 for none.
    int highlightedLine() const { return m_highlighted; }
    /// How wide the gutter is for the text shown: room for the largest line number's digits.
    int gutterWidth() const;

signals:
    /// The user clicked line `line` (1-based) without selecting text, or pressed Enter on it: the
    /// window shows the events that line caused.
    void lineActivated(int line);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    friend class ListingGutter;
    void paintGutter(QPaintEvent* event);
    void updateGutter(const QRect& rect, int dy);

    ListingGutter* m_gutter;
    int m_highlighted = 0;
};

} // namespace poolscope::widgets
