#pragma once

#include <QTableView>

namespace poolscope::widgets {

class EventFilterProxyModel;
class EventModel;

/// The event table: an EventModel behind the view's own EventFilterProxyModel. Owns no events.
/// Follows the newest rows while scrolled to the bottom, so a live run scrolls by itself until the
/// user scrolls up.
class EventTableView : public QTableView {
    Q_OBJECT
public:
    explicit EventTableView(QWidget* parent = nullptr);

    /// Shows `model` (not owned; may be null) through filterModel().
    void setEventModel(EventModel* model);
    EventModel* eventModel() const { return m_eventModel; }
    /// The filter between the model and the view, for the filter controls.
    EventFilterProxyModel* filterModel() const { return m_proxy; }

    /// Selects the visible rows of this task (a timeline click) and scrolls to the first; returns
    /// how many rows were selected (0 clears the selection).
    int selectTask(quint64 taskId);

signals:
    /// The user moved the current row to an event of another task (never for task 0, and not when
    /// selectTask() moves it).
    void taskActivated(quint64 taskId);

protected:
    void currentChanged(const QModelIndex& current, const QModelIndex& previous) override;

private:
    void rowsAboutToBeAppended();
    void rowsAppended();

    EventModel* m_eventModel = nullptr;
    EventFilterProxyModel* m_proxy;
    bool m_followTail = true;
    bool m_selectingTask = false; // selectTask() moves the current row without reporting it back
};

} // namespace poolscope::widgets
