#pragma once

#include <poolscope/event.h>

#include <QByteArray>
#include <QSortFilterProxyModel>
#include <QString>

#include <bitset>
#include <optional>

namespace poolscope::widgets {

class EventModel;

/// Filters an EventModel by event kind, task id and label text; a row must pass all three.
/// The inherited filterRegularExpression() is not used. Cheap enough to refilter 100,000 rows on
/// every keystroke: with an EventModel as source, filterAcceptsRow() reads the event directly
/// (no QVariant), and an ASCII label search compares bytes without converting the label.
class EventFilterProxyModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    /// Bit static_cast<int>(kind) set = the kind is shown.
    using KindSet = std::bitset<event_kind_count>;

    /// Every kind.
    static KindSet allKinds();
    /// What happens to tasks: submitted, dispatched, started, finished, failed, cancelled, retried.
    static KindSet lifecycleKinds();
    /// Every kind except the interpreter-lock ones (gil_requested/acquired/released), which can
    /// outnumber everything else by far in a CPU-bound run.
    static KindSet kindsWithoutGil();

    explicit EventFilterProxyModel(QObject* parent = nullptr);

    void setSourceModel(QAbstractItemModel* sourceModel) override;

    KindSet acceptedKinds() const { return m_kinds; }
    void setAcceptedKinds(KindSet kinds);
    bool isKindAccepted(EventKind kind) const { return m_kinds.test(static_cast<std::size_t>(kind)); }
    void setKindAccepted(EventKind kind, bool accepted);

    /// Only the events of this task (exact match); nullopt shows every task. Task 0 selects the
    /// worker and caller events.
    std::optional<quint64> taskIdFilter() const { return m_taskId; }
    void setTaskIdFilter(std::optional<quint64> taskId);

    /// Only events whose label contains this text, case-insensitively; empty shows every label.
    QString labelFilter() const { return m_label; }
    void setLabelFilter(const QString& text);

    /// What a search box's text asks for: "42" or "#42" a task id, anything else label text
    /// (trimmed), empty text neither.
    struct SearchFilter {
        std::optional<quint64> taskId;
        QString label;
        friend bool operator==(const SearchFilter&, const SearchFilter&) = default;
    };
    static SearchFilter parseSearchText(const QString& text);
    /// For a single search box: sets both filters as parseSearchText() reads `text`.
    void setSearchText(const QString& text);

    /// Only events up to and including this time (ns since the run started), as a replay's playhead
    /// shows them; nullopt shows every time. Not a filter of the user's: isFiltering() ignores it.
    /// Applies with an EventModel as the source.
    std::optional<qint64> timeLimit() const { return m_timeLimit; }
    void setTimeLimit(std::optional<qint64> ns);

    /// True when some filter hides rows.
    bool isFiltering() const;

signals:
    /// After any filter changed and the rows were refiltered (one layoutChanged(), see refilter()).
    void filterChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool labelMatches(std::string_view label) const;
    void assignLabel(const QString& text);
    void refilter();

    EventModel* m_eventModel = nullptr; // the source, when it is an EventModel (the fast path)
    KindSet m_kinds;
    std::optional<quint64> m_taskId;
    std::optional<qint64> m_timeLimit;
    QString m_label;
    QByteArray m_asciiNeedle; // m_label lower-cased, when it is pure ASCII; empty otherwise
};

} // namespace poolscope::widgets
