#pragma once

#include <poolscope/event.h>

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QString>

#include <unordered_map>
#include <vector>

namespace poolscope::widgets {

/// Every event of a run as a table, one row per event, in arrival order (which is time order: the
/// batcher sorts each batch). Append-only while a run goes on; clear() starts over.
class EventModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn, ///< ms since the log's origin, 3 decimals
        TaskColumn,
        AttemptColumn,
        KindColumn, ///< the kind's name, "worker_started"
        WorkerColumn, ///< "caller" for -1, the lane name if known, else the lane number
        PidColumn, ///< empty for 0 (thread pools)
        LabelColumn,
        ColumnCount
    };
    enum Role {
        EventRole = Qt::UserRole, ///< int: the event's index, for event()
        TaskIdRole, ///< quint64
        KindRole, ///< int: static_cast<int>(EventKind)
        TimeNsRole, ///< qint64: ns since the log's origin
        AttemptRole, ///< int
    };

    explicit EventModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// The event shown in `row`; the row must be valid.
    const Event& event(int row) const
    {
        const auto r = static_cast<std::size_t>(row);
        return m_chunks[r / chunkSize][r % chunkSize];
    }

    /// Rows of the events of this task, ascending; empty for task 0 (worker and caller events) and
    /// for unknown tasks. O(1) lookup plus one step per row of the task.
    QList<int> rowsForTask(quint64 taskId) const;

    /// Names for worker lanes ("ThreadPoolExecutor-0_1"); lanes without a name show their number.
    void setLaneNames(const QHash<int, QString>& names);
    QHash<int, QString> laneNames() const { return m_laneNames; }

    /// Display text of an event's worker: "caller", the lane name or the lane number.
    QString workerText(int worker) const;

public slots:
    /// Appends a batch as one row insertion. Connect EventBatcher::eventsArrived() here.
    void appendEvents(const std::vector<poolscope::Event>& events);
    /// Removes every row (a model reset); lane names are kept.
    void clear();

private:
    // Events live in fixed-size chunks rather than one vector: growing one vector past 260,000
    // events copied 19 MB in one go and stalled the GUI thread for 13-24 ms in the middle of a live
    // run. A full chunk never moves; a new one is reserved at once.
    static constexpr std::size_t chunkSize = 16384;
    std::vector<std::vector<Event>> m_chunks;
    std::size_t m_count = 0;

    // Each task's rows as a chain: its first and last row, and for every row the next row of the
    // same task. A list per task meant two allocations per task, which made appending and clearing
    // 100,000 tasks cost the GUI thread several milliseconds each.
    struct TaskRows {
        int first = -1;
        int last = -1;
    };
    const TaskRows* findTaskRows(quint64 taskId) const;
    TaskRows& taskRowsFor(quint64 taskId);
    // Task ids are small and dense in practice (an executor counts from 1): a vector maps them; the
    // hash map takes the rest.
    std::vector<TaskRows> m_denseTaskRows; // by task id
    std::unordered_map<quint64, TaskRows> m_sparseTaskRows;
    std::vector<int> m_nextRowOfTask; // by row; -1 for a task's last row and for rows without a task
    QHash<int, QString> m_laneNames;
};

} // namespace poolscope::widgets
