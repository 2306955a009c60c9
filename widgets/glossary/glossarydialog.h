#pragma once

#include <QDialog>

class QTableWidget;

namespace poolscope::widgets {

/// Help ▸ Event kinds: what each colour and pattern of the timeline means (the legend's entries,
/// drawn as the timeline draws them), and each event kind with the Python call that causes it and
/// what it means (trace::event_kind_glossary()). Two tables, so a teacher can point at a row.
class GlossaryDialog : public QDialog {
    Q_OBJECT
public:
    explicit GlossaryDialog(QWidget* parent = nullptr);

    QTableWidget* coloursTable() const { return m_colours; }
    QTableWidget* kindsTable() const { return m_kinds; }

private:
    QTableWidget* m_colours = nullptr;
    QTableWidget* m_kinds = nullptr;
};

} // namespace poolscope::widgets
