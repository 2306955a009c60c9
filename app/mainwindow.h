#pragma once

#include <QMainWindow>

class QLabel;
class QListView;

namespace poolscope::widgets {
class ScenarioListModel;
}

namespace poolscope::app {

/// PoolScope's main window. For now it lists the scenarios and describes the selected one; the
/// parameter panel, timeline and event table land here as they are built.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// The id of the selected scenario ("map", "as-completed"...), empty if none.
    QString currentScenarioId() const;
    /// Selects a scenario by id; returns false if there is no such scenario.
    bool selectScenario(const QString& id);

signals:
    void currentScenarioChanged(const QString& id);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void showScenario(const QModelIndex& index);
    void restoreSettings();
    void saveSettings() const;

    widgets::ScenarioListModel* m_scenarios;
    QListView* m_list;
    QLabel* m_title;
    QLabel* m_hint;
    QLabel* m_upcoming;
};

} // namespace poolscope::app
