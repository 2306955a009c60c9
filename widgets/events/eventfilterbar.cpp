#include "events/eventfilterbar.h"
#include "events/eventfilterproxymodel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QToolButton>

#include <optional>

namespace poolscope::widgets {

namespace {
constexpr const char* kindProperty = "poolscopeEventKind";

QString kindTitle(EventKind kind)
{
    QString name = QString::fromLatin1(to_string(kind).data(), qsizetype(to_string(kind).size()));
    return name.replace(QLatin1Char('_'), QLatin1Char(' '));
}
} // namespace

EventFilterBar::EventFilterBar(QWidget* parent)
    : QWidget(parent)
    , m_kinds(new QToolButton(this))
    , m_menu(new QMenu(this))
    , m_search(new QLineEdit(this))
    , m_clear(new QToolButton(this))
    , m_count(new QLabel(this))
{
    m_kinds->setObjectName(QStringLiteral("eventKindsButton"));
    m_kinds->setText(tr("Kinds"));
    m_kinds->setToolTip(tr("Which kinds of events the table shows"));
    m_kinds->setAccessibleName(tr("Event kinds shown"));
    m_kinds->setPopupMode(QToolButton::InstantPopup);
    m_kinds->setMenu(m_menu);

    const auto addPreset = [this](const QString& text, EventFilterProxyModel::KindSet (*kinds)()) {
        m_menu->addAction(text, this, [this, kinds] {
            if (m_filter)
                m_filter->setAcceptedKinds(kinds());
        });
    };
    addPreset(tr("All kinds"), &EventFilterProxyModel::allKinds);
    addPreset(tr("Task lifecycle only"), &EventFilterProxyModel::lifecycleKinds);
    addPreset(tr("All but the interpreter lock"), &EventFilterProxyModel::kindsWithoutGil);
    m_menu->addSeparator();
    for (std::size_t k = 0; k < event_kind_count; ++k) {
        const auto kind = static_cast<EventKind>(k);
        QAction* action = m_menu->addAction(kindTitle(kind));
        action->setCheckable(true);
        action->setProperty(kindProperty, int(k));
        connect(action, &QAction::toggled, this, [this, kind](bool on) {
            if (m_filter && !m_updating)
                m_filter->setKindAccepted(kind, on);
        });
    }

    m_search->setObjectName(QStringLiteral("eventSearch"));
    m_search->setPlaceholderText(tr("Task (42 or #42) or text"));
    m_search->setToolTip(tr("A task number shows that task's events; other text shows the events whose label holds it"));
    m_search->setAccessibleName(tr("Filter events by task or text"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString& text) {
        if (m_filter && !m_updating)
            m_filter->setSearchText(text);
    });

    m_clear->setObjectName(QStringLiteral("eventFilterClear"));
    m_clear->setText(tr("Show all"));
    m_clear->setToolTip(tr("Show every event again"));
    connect(m_clear, &QToolButton::clicked, this, &EventFilterBar::clear);

    m_count->setObjectName(QStringLiteral("eventCount"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_kinds);
    layout->addWidget(m_search, 1);
    layout->addWidget(m_clear);
    layout->addWidget(m_count);
    updateFromFilter();
}

void EventFilterBar::setFilterModel(EventFilterProxyModel* filter)
{
    if (m_filter)
        disconnect(m_filter, nullptr, this, nullptr);
    m_filter = filter;
    if (m_filter) {
        connect(m_filter, &EventFilterProxyModel::filterChanged, this, &EventFilterBar::updateFromFilter);
        // Rows arrive while a run goes: the count follows.
        connect(m_filter, &QAbstractItemModel::rowsInserted, this, &EventFilterBar::updateFromFilter);
        connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &EventFilterBar::updateFromFilter);
        connect(m_filter, &QAbstractItemModel::modelReset, this, &EventFilterBar::updateFromFilter);
        connect(m_filter, &QAbstractItemModel::layoutChanged, this, &EventFilterBar::updateFromFilter);
    }
    updateFromFilter();
}

QString EventFilterBar::countText() const
{
    return m_count->text();
}

void EventFilterBar::clear()
{
    if (!m_filter)
        return;
    m_filter->setAcceptedKinds(EventFilterProxyModel::allKinds());
    m_filter->setSearchText({});
}

void EventFilterBar::updateFromFilter()
{
    m_updating = true;
    const EventFilterProxyModel::KindSet kinds = m_filter ? m_filter->acceptedKinds() : EventFilterProxyModel::allKinds();
    for (QAction* action : m_menu->actions()) {
        const QVariant kind = action->property(kindProperty);
        if (kind.isValid())
            action->setChecked(kinds.test(std::size_t(kind.toInt())));
    }
    const bool allShown = kinds == EventFilterProxyModel::allKinds();
    m_kinds->setText(allShown ? tr("All kinds") : (kinds.count() == 1 ? tr("1 kind") : tr("%1 kinds").arg(kinds.count())));
    // The field keeps what was typed when it means the filter as it is ("#007" is task 7); only a
    // filter set from elsewhere (selecting a task, clear()) rewrites it.
    if (m_filter
        && EventFilterProxyModel::parseSearchText(m_search->text())
            != EventFilterProxyModel::SearchFilter { m_filter->taskIdFilter(), m_filter->labelFilter() })
        m_search->setText(m_filter->taskIdFilter() ? QString::number(*m_filter->taskIdFilter()) : m_filter->labelFilter());
    const int shown = m_filter ? m_filter->rowCount() : 0;
    const int total = m_filter && m_filter->sourceModel() ? m_filter->sourceModel()->rowCount() : 0;
    const QString events = total == 1 ? tr("1 event") : tr("%1 events").arg(total);
    m_count->setText(shown == total ? events : tr("%1 of %2").arg(shown).arg(events));
    m_clear->setEnabled(m_filter && m_filter->isFiltering());
    m_updating = false;
}

} // namespace poolscope::widgets
