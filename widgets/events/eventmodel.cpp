#include "events/eventmodel.h"
#include "common/toqstring.h"

#include <algorithm>
#include <limits>

namespace poolscope::widgets {

namespace {
QString timeText(std::chrono::nanoseconds time)
{
    return QString::number(static_cast<double>(time.count()) / 1e6, 'f', 3);
}
} // namespace

EventModel::EventModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int EventModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_count);
}

int EventModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Event& e = event(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (static_cast<Column>(index.column())) {
        case TimeColumn:
            return timeText(e.time);
        case TaskColumn:
            // task 0 means "no task" (worker and caller events)
            return e.task_id == 0 ? QVariant() : QVariant::fromValue<quint64>(e.task_id);
        case AttemptColumn:
            return e.attempt;
        case KindColumn:
            return toQString(to_string(e.kind));
        case WorkerColumn:
            return workerText(e.worker);
        case PidColumn:
            return e.pid == 0 ? QVariant() : QVariant(e.pid);
        case LabelColumn:
            return toQString(e.label);
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        return index.column() == LabelColumn && !e.label.empty() ? QVariant(toQString(e.label)) : QVariant();
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case TimeColumn:
        case TaskColumn:
        case AttemptColumn:
        case PidColumn:
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        default:
            return {};
        }
    case EventRole:
        return index.row();
    case TaskIdRole:
        return QVariant::fromValue<quint64>(e.task_id);
    case KindRole:
        return static_cast<int>(e.kind);
    case TimeNsRole:
        return QVariant::fromValue<qint64>(e.time.count());
    case AttemptRole:
        return e.attempt;
    default:
        return {};
    }
}

QVariant EventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time (ms)");
    case TaskColumn:
        return tr("Task");
    case AttemptColumn:
        return tr("Attempt");
    case KindColumn:
        return tr("Kind");
    case WorkerColumn:
        return tr("Worker");
    case PidColumn:
        return tr("PID");
    case LabelColumn:
        return tr("Label");
    default:
        return {};
    }
}

QHash<int, QByteArray> EventModel::roleNames() const
{
    auto names = QAbstractTableModel::roleNames();
    names.insert(EventRole, "eventIndex");
    names.insert(TaskIdRole, "taskId");
    names.insert(KindRole, "kind");
    names.insert(TimeNsRole, "timeNs");
    names.insert(AttemptRole, "attempt");
    return names;
}

QList<int> EventModel::rowsForTask(quint64 taskId) const
{
    QList<int> rows;
    if (taskId == 0)
        return rows;
    if (const TaskRows* task = findTaskRows(taskId)) {
        for (int row = task->first; row >= 0; row = m_nextRowOfTask[static_cast<std::size_t>(row)])
            rows.append(row);
    }
    return rows;
}

const EventModel::TaskRows* EventModel::findTaskRows(quint64 taskId) const
{
    if (taskId < m_denseTaskRows.size() && m_denseTaskRows[taskId].first >= 0)
        return &m_denseTaskRows[taskId];
    const auto it = m_sparseTaskRows.find(taskId);
    return it == m_sparseTaskRows.end() ? nullptr : &it->second;
}

EventModel::TaskRows& EventModel::taskRowsFor(quint64 taskId)
{
    if (taskId < m_denseTaskRows.size() && m_denseTaskRows[taskId].first >= 0)
        return m_denseTaskRows[taskId];
    if (const auto it = m_sparseTaskRows.find(taskId); it != m_sparseTaskRows.end())
        return it->second;
    // Dense while ids stay within a small multiple of the row count (TimelineData does the same).
    if (taskId < 2 * (m_count + 1024)) {
        if (taskId >= m_denseTaskRows.size())
            m_denseTaskRows.resize(std::max<std::size_t>(taskId + 1, m_denseTaskRows.size() * 2));
        return m_denseTaskRows[taskId];
    }
    return m_sparseTaskRows[taskId];
}

void EventModel::setLaneNames(const QHash<int, QString>& names)
{
    if (names == m_laneNames)
        return;
    m_laneNames = names;
    if (m_count > 0) {
        const int last = rowCount() - 1;
        emit dataChanged(index(0, WorkerColumn), index(last, WorkerColumn), { Qt::DisplayRole });
    }
}

QString EventModel::workerText(int worker) const
{
    if (worker < 0)
        return tr("caller");
    const auto it = m_laneNames.constFind(worker);
    return it == m_laneNames.constEnd() || it->isEmpty() ? QString::number(worker) : *it;
}

void EventModel::appendEvents(const std::vector<poolscope::Event>& events)
{
    if (events.empty())
        return;
    // Rows are ints in Qt; a run never gets near that, but an overflow would corrupt every view.
    const auto room = static_cast<std::size_t>(std::numeric_limits<int>::max()) - m_count;
    const std::size_t count = std::min(events.size(), room);
    if (count == 0)
        return;
    const int first = static_cast<int>(m_count);
    beginInsertRows({}, first, first + static_cast<int>(count) - 1);
    for (std::size_t i = 0; i < count; ++i) {
        if (m_chunks.empty() || m_chunks.back().size() == chunkSize) {
            m_chunks.emplace_back();
            m_chunks.back().reserve(chunkSize);
        }
        m_chunks.back().push_back(events[i]);
    }
    m_count += count;
    m_nextRowOfTask.resize(m_count, -1);
    for (std::size_t i = 0; i < count; ++i) {
        const quint64 taskId = events[i].task_id;
        if (taskId == 0)
            continue;
        const int row = first + static_cast<int>(i);
        TaskRows& task = taskRowsFor(taskId);
        if (task.last >= 0)
            m_nextRowOfTask[static_cast<std::size_t>(task.last)] = row;
        else
            task.first = row;
        task.last = row;
    }
    endInsertRows();
}

void EventModel::clear()
{
    if (m_count == 0)
        return;
    beginResetModel();
    m_chunks.clear();
    m_chunks.shrink_to_fit();
    m_count = 0;
    m_denseTaskRows = {};
    m_sparseTaskRows = {};
    m_nextRowOfTask = {};
    endResetModel();
}

} // namespace poolscope::widgets
