#pragma once

#include <QWidget>

namespace poolscope::widgets {

class ListingView;

/// The line-number strip at the left of a ListingView; the view paints it.
class ListingGutter : public QWidget {
public:
    explicit ListingGutter(ListingView* view);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    ListingView* m_view;
};

} // namespace poolscope::widgets
