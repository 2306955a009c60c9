#include "events/eventtableview.h"

#include "events/eventfilterproxymodel.h"
#include "events/eventmodel.h"

#include <QHeaderView>
#include <QItemSelection>
#include <QScrollBar>

#include <algorithm>

namespace poolscope::widgets {

EventTableView::EventTableView(QWidget* parent)
    : QTableView(parent)
    , m_proxy(new EventFilterProxyModel(this))
{
    setModel(m_proxy);
    setSelectionBehavior(SelectRows);
    setSelectionMode(ExtendedSelection);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setCornerButtonEnabled(false);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setHighlightSections(false);
    // Fixed row heights: the view never measures 100,000 rows to lay them out.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    verticalHeader()->hide();

    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeInserted, this, &EventTableView::rowsAboutToBeAppended);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &EventTableView::rowsAppended);
}

void EventTableView::setEventModel(EventModel* model)
{
    m_eventModel = model;
    m_proxy->setSourceModel(model);
}

int EventTableView::selectTask(quint64 taskId)
{
    QItemSelectionModel* selection = selectionModel();
    if (!m_eventModel || taskId == 0) {
        selection->clearSelection();
        return 0;
    }
    QList<int> rows;
    for (int sourceRow : m_eventModel->rowsForTask(taskId)) {
        const QModelIndex proxyIndex = m_proxy->mapFromSource(m_eventModel->index(sourceRow, 0));
        if (proxyIndex.isValid())
            rows.append(proxyIndex.row());
    }
    std::sort(rows.begin(), rows.end());
    QItemSelection wanted;
    const int lastColumn = m_proxy->columnCount() - 1;
    for (qsizetype i = 0; i < rows.size();) {
        // Adjacent rows become one range, which keeps the selection small for a task's burst.
        qsizetype j = i;
        while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1)
            ++j;
        wanted.select(m_proxy->index(rows[i], 0), m_proxy->index(rows[j], lastColumn));
        i = j + 1;
    }
    selection->select(wanted, QItemSelectionModel::ClearAndSelect);
    if (!rows.isEmpty()) {
        const QModelIndex first = m_proxy->index(rows.first(), 0);
        m_selectingTask = true;
        selection->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
        m_selectingTask = false;
        scrollTo(first, PositionAtCenter);
    }
    return static_cast<int>(rows.size());
}

void EventTableView::currentChanged(const QModelIndex& current, const QModelIndex& previous)
{
    QTableView::currentChanged(current, previous);
    if (!current.isValid() || m_selectingTask)
        return;
    const quint64 taskId = current.data(EventModel::TaskIdRole).toULongLong();
    if (taskId != 0 && taskId != previous.data(EventModel::TaskIdRole).toULongLong())
        emit taskActivated(taskId);
}

void EventTableView::rowsAboutToBeAppended()
{
    const QScrollBar* bar = verticalScrollBar();
    m_followTail = bar->value() == bar->maximum();
}

void EventTableView::rowsAppended()
{
    if (m_followTail)
        scrollToBottom();
}

} // namespace poolscope::widgets
