#include "events/eventfilterproxymodel.h"

#include "events/eventmodel.h"

#include <algorithm>

namespace poolscope::widgets {

namespace {
EventFilterProxyModel::KindSet kindSet(std::initializer_list<EventKind> kinds)
{
    EventFilterProxyModel::KindSet set;
    for (EventKind kind : kinds)
        set.set(static_cast<std::size_t>(kind));
    return set;
}

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
} // namespace

EventFilterProxyModel::KindSet EventFilterProxyModel::allKinds()
{
    return KindSet().set();
}

EventFilterProxyModel::KindSet EventFilterProxyModel::lifecycleKinds()
{
    return kindSet({ EventKind::submitted, EventKind::dispatched, EventKind::started, EventKind::finished,
        EventKind::failed, EventKind::cancelled, EventKind::retried });
}

EventFilterProxyModel::KindSet EventFilterProxyModel::kindsWithoutGil()
{
    return allKinds() & ~kindSet({ EventKind::gil_requested, EventKind::gil_acquired, EventKind::gil_released });
}

EventFilterProxyModel::EventFilterProxyModel(QObject* parent)
    : QSortFilterProxyModel(parent)
    , m_kinds(allKinds())
{
}

void EventFilterProxyModel::setSourceModel(QAbstractItemModel* sourceModel)
{
    m_eventModel = qobject_cast<EventModel*>(sourceModel);
    QSortFilterProxyModel::setSourceModel(sourceModel);
}

void EventFilterProxyModel::setAcceptedKinds(KindSet kinds)
{
    if (kinds == m_kinds)
        return;
    m_kinds = kinds;
    refilter();
}

void EventFilterProxyModel::setKindAccepted(EventKind kind, bool accepted)
{
    KindSet kinds = m_kinds;
    kinds.set(static_cast<std::size_t>(kind), accepted);
    setAcceptedKinds(kinds);
}

void EventFilterProxyModel::setTaskIdFilter(std::optional<quint64> taskId)
{
    if (taskId == m_taskId)
        return;
    m_taskId = taskId;
    refilter();
}

void EventFilterProxyModel::setLabelFilter(const QString& text)
{
    if (text == m_label)
        return;
    assignLabel(text);
    refilter();
}

EventFilterProxyModel::SearchFilter EventFilterProxyModel::parseSearchText(const QString& text)
{
    const QString trimmed = text.trimmed();
    QStringView digits = trimmed;
    if (digits.startsWith(QLatin1Char('#')))
        digits = digits.mid(1);
    bool isNumber = false;
    const quint64 taskId = digits.toULongLong(&isNumber);
    if (isNumber)
        return { taskId, QString() };
    return { std::nullopt, trimmed };
}

void EventFilterProxyModel::setSearchText(const QString& text)
{
    SearchFilter wanted = parseSearchText(text);
    if (wanted.taskId == m_taskId && wanted.label == m_label)
        return;
    // Both filters change together, so the rows are refiltered once.
    m_taskId = wanted.taskId;
    assignLabel(std::move(wanted.label));
    refilter();
}

void EventFilterProxyModel::setTimeLimit(std::optional<qint64> ns)
{
    if (ns == m_timeLimit)
        return;
    m_timeLimit = ns;
    refilter();
}

bool EventFilterProxyModel::isFiltering() const
{
    return !m_kinds.all() || m_taskId.has_value() || !m_label.isEmpty();
}

bool EventFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    if (m_eventModel) {
        // The fast path: no QVariant, no QString unless the label search is non-ASCII.
        const Event& e = m_eventModel->event(sourceRow);
        if (m_timeLimit && e.time.count() > *m_timeLimit)
            return false;
        return m_kinds.test(static_cast<std::size_t>(e.kind)) && (!m_taskId || *m_taskId == e.task_id)
            && labelMatches(e.label);
    }
    const QAbstractItemModel* source = sourceModel();
    const QModelIndex index = source->index(sourceRow, EventModel::LabelColumn, sourceParent);
    const int kind = index.data(EventModel::KindRole).toInt();
    if (kind < 0 || kind >= event_kind_count || !m_kinds.test(static_cast<std::size_t>(kind)))
        return false;
    if (m_taskId && index.data(EventModel::TaskIdRole).toULongLong() != *m_taskId)
        return false;
    return m_label.isEmpty() || index.data().toString().contains(m_label, Qt::CaseInsensitive);
}

bool EventFilterProxyModel::labelMatches(std::string_view label) const
{
    if (m_label.isEmpty())
        return true;
    if (!m_asciiNeedle.isEmpty()) {
        // Lower-casing ASCII bytes leaves UTF-8 multi-byte sequences alone, so ASCII letters match
        // case-insensitively and everything else byte for byte.
        const auto it = std::search(label.begin(), label.end(), m_asciiNeedle.cbegin(), m_asciiNeedle.cend(),
            [](char a, char b) { return asciiLower(a) == b; });
        return it != label.end();
    }
    return QString::fromUtf8(label.data(), static_cast<qsizetype>(label.size())).contains(m_label, Qt::CaseInsensitive);
}

void EventFilterProxyModel::assignLabel(const QString& text)
{
    m_label = text;
    const bool ascii = std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; });
    m_asciiNeedle = ascii ? text.toLatin1().toLower() : QByteArray();
}

void EventFilterProxyModel::refilter()
{
    // Not invalidateFilter(): it announces every contiguous run of hidden rows as its own removal,
    // and GIL events interleave with everything else, so hiding them from 100,000 rows meant 20,000
    // rowsRemoved() signals and seconds of QTableView/QHeaderView work. invalidate() is one
    // layoutChanged(); the mapping is rebuilt lazily, and persistent indexes (selection, current
    // row) of rows that stay visible are kept.
    invalidate();
    emit filterChanged();
}

} // namespace poolscope::widgets
