#include "timeline/timelinelegenditem.h"

#include <QFontMetrics>

namespace poolscope::widgets {

TimelineLegendItem::TimelineLegendItem(QCPLegend* parent, TimelineStyle::Swatch swatch, const QString& text)
    : QCPAbstractLegendItem(parent)
    , m_swatch(swatch)
    , m_text(text)
{
    setSelectable(false);
    setMargins(QMargins(2, 2, 2, 2));
}

void TimelineLegendItem::draw(QCPPainter* painter)
{
    const QSize icon = mParentLegend->iconSize();
    const QRectF iconRect(mRect.left(), mRect.center().y() - icon.height() / 2.0 + 0.5, icon.width(), icon.height());
    TimelineStyle::drawSwatch(painter, iconRect, m_swatch, m_scheme);
    painter->setFont(mFont);
    painter->setPen(QPen(mTextColor));
    // The whole item height, and no clipping: descenders must survive a device whose font
    // metrics differ a little from the screen's the layout was computed with.
    const double x = mRect.left() + icon.width() + mParentLegend->iconTextPadding();
    painter->drawText(QRectF(x, mRect.top(), mRect.right() - x + 4, mRect.height()),
        Qt::AlignLeft | Qt::AlignVCenter | Qt::TextDontClip, m_text);
}

QSize TimelineLegendItem::minimumOuterSizeHint() const
{
    const QSize icon = mParentLegend->iconSize();
    const QFontMetrics fm(mFont);
    // A little slack on both axes for the same reason as in draw().
    QSize size(icon.width() + mParentLegend->iconTextPadding() + fm.horizontalAdvance(m_text) + 6,
        qMax(fm.height() + 2, icon.height()));
    size.rwidth() += mMargins.left() + mMargins.right();
    size.rheight() += mMargins.top() + mMargins.bottom();
    return size;
}

} // namespace poolscope::widgets
