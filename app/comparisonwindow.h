#pragma once

#include <poolscope/trace/trace.h>

#include <QMainWindow>

#include <vector>

namespace poolscope::widgets {
class ComparisonView;
}

namespace poolscope::app {

/// A window of runs compared on one time axis (Compare ▸ …): the ComparisonView, with export and
/// zoom actions. It owns its copies of the runs, so the main window can go on running and replacing
/// its documents. Deletes itself when closed.
class ComparisonWindow : public QMainWindow {
    Q_OBJECT
public:
    ComparisonWindow(std::vector<trace::Trace> runs, const QString& title, QWidget* parent = nullptr);

    widgets::ComparisonView* view() const { return m_view; }

private:
    void exportComparison();

    widgets::ComparisonView* m_view;
};

} // namespace poolscope::app
