#pragma once

#include <QAbstractListModel>

namespace poolscope::widgets {

/// The eleven scenarios as a list: display text is the title, the tooltip the hint.
class ScenarioListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole, ///< the stable id, e.g. "as-completed"
        HintRole, ///< what to look for in the timeline
    };

    explicit ScenarioListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// The row of the scenario with this id, or -1.
    int rowOf(const QString& id) const;
};

} // namespace poolscope::widgets
