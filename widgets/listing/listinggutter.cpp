#include "listing/listinggutter.h"

#include "listing/listingview.h"

namespace poolscope::widgets {

ListingGutter::ListingGutter(ListingView* view)
    : QWidget(view)
    , m_view(view)
{
}

QSize ListingGutter::sizeHint() const
{
    return { m_view->gutterWidth(), 0 };
}

void ListingGutter::paintEvent(QPaintEvent* event)
{
    m_view->paintGutter(event);
}

} // namespace poolscope::widgets
