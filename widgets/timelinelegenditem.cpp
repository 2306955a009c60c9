#include "widgets/timelinelegenditem.h"

#include <QFontMetrics>

namespace poolscope::widgets {

TimelineLegendItem::TimelineLegendItem(QCPLegend* parent, TimelineStyle::Swatch swatch, const QString& text)
    : QCPAbstractLegendItem(parent)
    , m_swatch(swatch)
    , m_text(text)
{
    setSelectable(false);
}

void TimelineLegendItem::draw(QCPPainter* painter)
{
    const QSize icon = mParentLegend->iconSize();
    const QFontMetrics fm(mFont);
    const QRect text = fm.boundingRect(0, 0, 0, icon.height(), Qt::TextDontClip, m_text);
    const int height = qMax(text.height(), icon.height());
    const QRectF iconRect(mRect.left(), mRect.top() + (height - icon.height()) / 2.0, icon.width(), icon.height());
    TimelineStyle::drawSwatch(painter, iconRect, m_swatch);
    painter->setFont(mFont);
    painter->setPen(QPen(mTextColor));
    painter->drawText(QRectF(mRect.left() + icon.width() + mParentLegend->iconTextPadding(), mRect.top(), text.width() + 2,
                          height),
        Qt::AlignLeft | Qt::AlignVCenter | Qt::TextDontClip, m_text);
}

QSize TimelineLegendItem::minimumOuterSizeHint() const
{
    const QSize icon = mParentLegend->iconSize();
    const QFontMetrics fm(mFont);
    const QRect text = fm.boundingRect(0, 0, 0, icon.height(), Qt::TextDontClip, m_text);
    QSize size(icon.width() + mParentLegend->iconTextPadding() + text.width() + 2, qMax(text.height(), icon.height()));
    size.rwidth() += mMargins.left() + mMargins.right();
    size.rheight() += mMargins.top() + mMargins.bottom();
    return size;
}

} // namespace poolscope::widgets
