#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QMenu;
class QToolButton;

namespace poolscope::widgets {

class EventFilterProxyModel;

/// The controls above the event table: which kinds of events to show (a menu of every kind, with
/// "all", "task lifecycle" and "all but the interpreter lock" at the top), a field for a task
/// ("42", "#42") or label text, and how many rows the filter leaves. It drives an
/// EventFilterProxyModel and follows it, so a filter set from code shows here too.
class EventFilterBar : public QWidget {
    Q_OBJECT
public:
    explicit EventFilterBar(QWidget* parent = nullptr);

    /// The filter to drive; not owned, may be null.
    void setFilterModel(EventFilterProxyModel* filter);

    QToolButton* kindsButton() const { return m_kinds; }
    QMenu* kindsMenu() const { return m_menu; }
    QLineEdit* searchField() const { return m_search; }
    /// "12 of 340 events", or "340 events" when nothing is hidden.
    QString countText() const;

public slots:
    /// Shows every event again: all kinds, no task, no text.
    void clear();

private:
    void updateFromFilter();

    EventFilterProxyModel* m_filter = nullptr;
    QToolButton* m_kinds;
    QMenu* m_menu;
    QLineEdit* m_search;
    QToolButton* m_clear;
    QLabel* m_count;
    bool m_updating = false; // updateFromFilter() is setting the controls: their signals are not the user's
};

} // namespace poolscope::widgets
