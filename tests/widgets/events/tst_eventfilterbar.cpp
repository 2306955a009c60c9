// EventFilterBar: the controls drive the filter, and a filter set from code shows in the controls,
// without rewriting what the user typed.

#include "events/eventfilterbar.h"
#include "events/eventfilterproxymodel.h"
#include "events/eventmodel.h"

#include <QAction>
#include <QLineEdit>
#include <QMenu>
#include <QTest>
#include <QToolButton>

using poolscope::Event;
using poolscope::EventKind;
using poolscope::widgets::EventFilterBar;
using poolscope::widgets::EventFilterProxyModel;
using poolscope::widgets::EventModel;

namespace {
Event makeEvent(std::uint64_t task, EventKind kind, std::string label = {})
{
    Event e;
    e.task_id = task;
    e.kind = kind;
    e.worker = task == 0 ? -1 : 0;
    e.time = std::chrono::nanoseconds(task * 10 + static_cast<int>(kind));
    e.label = std::move(label);
    return e;
}

QAction* kindAction(const EventFilterBar& bar, const QString& text)
{
    for (QAction* action : bar.kindsMenu()->actions()) {
        if (action->text() == text)
            return action;
    }
    return nullptr;
}
} // namespace

class TestEventFilterBar : public QObject {
    Q_OBJECT

    EventModel m_model;
    EventFilterProxyModel m_filter;

private slots:
    void init()
    {
        m_model.clear();
        m_model.appendEvents({ makeEvent(1, EventKind::submitted), makeEvent(1, EventKind::started),
            makeEvent(1, EventKind::finished, "done"), makeEvent(2, EventKind::submitted), makeEvent(2, EventKind::started),
            makeEvent(2, EventKind::failed, "ValueError: Bad value: 2"), makeEvent(0, EventKind::gil_acquired) });
        m_filter.setSourceModel(&m_model);
        m_filter.setAcceptedKinds(EventFilterProxyModel::allKinds());
        m_filter.setSearchText({});
    }

    void everyKindIsOfferedAndCheckedAtFirst()
    {
        EventFilterBar bar;
        bar.setFilterModel(&m_filter);
        int checkable = 0;
        for (QAction* action : bar.kindsMenu()->actions())
            checkable += action->isCheckable() && action->isChecked();
        QCOMPARE(checkable, int(poolscope::event_kind_count));
        QCOMPARE(bar.countText(), QStringLiteral("7 events"));
        QCOMPARE(bar.kindsButton()->text(), QStringLiteral("All kinds"));
    }

    void uncheckingAKindHidesItsRowsAndSaysHowManyAreLeft()
    {
        EventFilterBar bar;
        bar.setFilterModel(&m_filter);
        QAction* submitted = kindAction(bar, QStringLiteral("submitted"));
        QVERIFY(submitted);
        submitted->setChecked(false);
        QVERIFY(!m_filter.isKindAccepted(EventKind::submitted));
        QCOMPARE(m_filter.rowCount(), 5);
        QCOMPARE(bar.countText(), QStringLiteral("5 of 7 events"));
        QCOMPARE(bar.kindsButton()->text(), QString::number(int(poolscope::event_kind_count) - 1) + QStringLiteral(" kinds"));
    }

    void aPresetSetsTheKindsAndTheMenuFollows()
    {
        EventFilterBar bar;
        bar.setFilterModel(&m_filter);
        QAction* lifecycle = kindAction(bar, QStringLiteral("Task lifecycle only"));
        QVERIFY(lifecycle);
        lifecycle->trigger();
        QCOMPARE(m_filter.acceptedKinds(), EventFilterProxyModel::lifecycleKinds());
        QVERIFY(!kindAction(bar, QStringLiteral("gil acquired"))->isChecked());
        QVERIFY(kindAction(bar, QStringLiteral("finished"))->isChecked());
        QCOMPARE(m_filter.rowCount(), 6);
    }

    void theFieldFiltersByTaskOrTextAndKeepsWhatWasTyped_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<int>("rows");
        QTest::newRow("task") << QStringLiteral("2") << 3;
        QTest::newRow("hashTask") << QStringLiteral("#1") << 3;
        QTest::newRow("leadingZeros") << QStringLiteral("#002") << 3;
        QTest::newRow("text") << QStringLiteral("valueerror") << 1;
        QTest::newRow("spaces") << QStringLiteral(" done ") << 1;
        QTest::newRow("nothing") << QStringLiteral("no such label") << 0;
    }

    void theFieldFiltersByTaskOrTextAndKeepsWhatWasTyped()
    {
        QFETCH(QString, typed);
        QFETCH(int, rows);
        EventFilterBar bar;
        bar.setFilterModel(&m_filter);
        QTest::keyClicks(bar.searchField(), typed);
        QCOMPARE(bar.searchField()->text(), typed);
        QCOMPARE(m_filter.rowCount(), rows);
        QVERIFY(m_filter.isFiltering());
    }

    void aFilterSetElsewhereShowsInTheFieldAndShowAllClearsIt()
    {
        EventFilterBar bar;
        bar.setFilterModel(&m_filter);
        m_filter.setTaskIdFilter(1);
        QCOMPARE(bar.searchField()->text(), QStringLiteral("1"));
        QCOMPARE(bar.countText(), QStringLiteral("3 of 7 events"));
        kindAction(bar, QStringLiteral("started"))->setChecked(false);
        bar.clear();
        QVERIFY(!m_filter.isFiltering());
        QCOMPARE(bar.searchField()->text(), QString());
        QCOMPARE(bar.countText(), QStringLiteral("7 events"));
        QVERIFY(kindAction(bar, QStringLiteral("started"))->isChecked());
    }

    void theCountFollowsRowsArrivingDuringARun()
    {
        EventFilterBar bar;
        bar.setFilterModel(&m_filter);
        m_model.appendEvents({ makeEvent(3, EventKind::submitted) });
        QCOMPARE(bar.countText(), QStringLiteral("8 events"));
    }
};

QTEST_MAIN(TestEventFilterBar)
#include "tst_eventfilterbar.moc"
