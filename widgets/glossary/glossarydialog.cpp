#include "glossary/glossarydialog.h"

#include "common/toqstring.h"
#include "timeline/timelinestyle.h"

#include <poolscope/trace/event_explanation.h>

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QTableWidget>
#include <QVBoxLayout>

namespace poolscope::widgets {

namespace {

QTableWidget* makeTable(const QStringList& headers, const QString& accessibleName)
{
    auto* table = new QTableWidget(0, static_cast<int>(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setWordWrap(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setAccessibleName(accessibleName);
    return table;
}

QIcon swatchIcon(TimelineStyle::Swatch swatch)
{
    QPixmap pixmap(36, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    TimelineStyle::drawSwatch(&painter, QRectF(2, 2, 32, 12), swatch);
    return QIcon(pixmap);
}

} // namespace

GlossaryDialog::GlossaryDialog(QWidget* parent)
    : QDialog(parent)
    , m_colours(makeTable({ tr("Colour or pattern"), tr("Means") }, tr("Colours and patterns")))
    , m_kinds(makeTable({ tr("Event"), tr("Caused by"), tr("Means") }, tr("Event kinds")))
{
    setWindowTitle(tr("Event kinds — PoolScope"));
    setObjectName(QStringLiteral("glossaryDialog"));
    m_colours->setObjectName(QStringLiteral("coloursTable"));
    m_kinds->setObjectName(QStringLiteral("kindsTable"));
    m_colours->setIconSize(QSize(36, 16));

    const auto legend = TimelineStyle::legendEntries();
    m_colours->setRowCount(static_cast<int>(legend.size()));
    for (int row = 0; row < m_colours->rowCount(); ++row) {
        const auto& entry = legend[static_cast<std::size_t>(row)];
        auto* swatch = new QTableWidgetItem(swatchIcon(entry.swatch), QString());
        swatch->setData(Qt::AccessibleTextRole, entry.text);
        m_colours->setItem(row, 0, swatch);
        m_colours->setItem(row, 1, new QTableWidgetItem(entry.text));
    }

    const auto& kinds = trace::event_kind_glossary();
    m_kinds->setRowCount(static_cast<int>(kinds.size()));
    for (int row = 0; row < m_kinds->rowCount(); ++row) {
        const trace::EventKindEntry& entry = kinds[static_cast<std::size_t>(row)];
        auto* title = new QTableWidgetItem(toQString(entry.title));
        title->setToolTip(toQString(to_string(entry.kind))); // the name in traces, CSV and the event table
        m_kinds->setItem(row, 0, title);
        m_kinds->setItem(row, 1, new QTableWidgetItem(toQString(entry.python)));
        m_kinds->setItem(row, 2, new QTableWidgetItem(toQString(entry.meaning)));
    }
    for (QTableWidget* table : { m_colours, m_kinds }) {
        table->resizeColumnsToContents();
        // The middle column wraps too, so that the meaning keeps room for its words.
        if (table->columnCount() == 3 && table->columnWidth(1) > 280)
            table->setColumnWidth(1, 280);
        table->horizontalHeader()->setStretchLastSection(true);
        // The last column wraps: its rows grow whenever its width changes (the dialog resized).
        connect(table->horizontalHeader(), &QHeaderView::sectionResized, table,
            [table] { table->resizeRowsToContents(); });
        table->resizeRowsToContents();
        table->setCurrentCell(-1, -1);
    }

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("What the timeline draws")));
    layout->addWidget(m_colours, 1);
    layout->addWidget(new QLabel(tr("What each event means, and the Python that causes it")));
    layout->addWidget(m_kinds, 2);
    layout->addWidget(buttons);
    resize(820, 640);
}

} // namespace poolscope::widgets
