#include "catalog/scenariolistmodel.h"
#include "common/toqstring.h"

#include "scenarios/scenario_catalog.h"

namespace poolscope::widgets {

ScenarioListModel::ScenarioListModel(QObject* parent)
    : QAbstractListModel(parent)
{
}

int ScenarioListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(scenarios::scenario_catalog().size());
}

QVariant ScenarioListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto& info = scenarios::scenario_catalog()[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return toQString(info.title);
    case Qt::ToolTipRole:
    case HintRole:
        return toQString(info.hint);
    case IdRole:
        return toQString(info.id);
    default:
        return {};
    }
}

QHash<int, QByteArray> ScenarioListModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert(IdRole, "scenarioId");
    names.insert(HintRole, "hint");
    return names;
}

int ScenarioListModel::rowOf(const QString& id) const
{
    const auto catalog = scenarios::scenario_catalog();
    for (std::size_t i = 0; i < catalog.size(); ++i) {
        if (toQString(catalog[i].id) == id)
            return static_cast<int>(i);
    }
    return -1;
}

} // namespace poolscope::widgets
