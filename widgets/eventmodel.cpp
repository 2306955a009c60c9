#include "widgets/eventmodel.h"

#include <limits>

namespace poolscope::widgets {

namespace {
QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

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
    return parent.isValid() ? 0 : static_cast<int>(m_events.size());
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
    const auto it = m_rowsByTask.find(taskId);
    return it == m_rowsByTask.end() ? QList<int>() : it->second;
}

void EventModel::setLaneNames(const QHash<int, QString>& names)
{
    if (names == m_laneNames)
        return;
    m_laneNames = names;
    if (!m_events.empty()) {
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
    const auto room = static_cast<std::size_t>(std::numeric_limits<int>::max()) - m_events.size();
    const std::size_t count = std::min(events.size(), room);
    if (count == 0)
        return;
    const int first = static_cast<int>(m_events.size());
    beginInsertRows({}, first, first + static_cast<int>(count) - 1);
    m_events.insert(m_events.end(), events.begin(), events.begin() + static_cast<std::ptrdiff_t>(count));
    for (std::size_t i = 0; i < count; ++i) {
        const quint64 taskId = events[i].task_id;
        if (taskId != 0)
            m_rowsByTask[taskId].append(first + static_cast<int>(i));
    }
    endInsertRows();
}

void EventModel::clear()
{
    if (m_events.empty())
        return;
    beginResetModel();
    m_events.clear();
    m_events.shrink_to_fit();
    m_rowsByTask.clear();
    endResetModel();
}

} // namespace poolscope::widgets
