#include "events/eventfilterproxymodel.h"
#include "events/eventmodel.h"
#include "events/eventtableview.h"

#include <QAbstractItemModelTester>
#include <QIdentityProxyModel>
#include <QSignalSpy>
#include <QTest>

#include <optional>
#include <vector>

using poolscope::Event;
using poolscope::EventKind;
using poolscope::widgets::EventFilterProxyModel;
using poolscope::widgets::EventModel;
using poolscope::widgets::EventTableView;
using KindSet = EventFilterProxyModel::KindSet;

namespace {
Event makeEvent(quint64 task, EventKind kind, int worker, int attempt = 0, std::string label = {})
{
    static qint64 clock = 0;
    Event e;
    e.task_id = task;
    e.kind = kind;
    e.worker = worker;
    e.time = std::chrono::nanoseconds(clock += 1000);
    e.attempt = attempt;
    e.label = std::move(label);
    return e;
}

// Every family of kinds: worker, caller, lifecycle, interpreter lock, a retry and a cancellation.
std::vector<Event> sampleRun()
{
    return {
        makeEvent(0, EventKind::worker_started, 0, 0, "ThreadPoolExecutor-0_0"), // 0
        makeEvent(1, EventKind::submitted, -1, 0, "(1, 'Alpha')"), // 1
        makeEvent(2, EventKind::submitted, -1, 0, "(2, 'beta')"), // 2
        makeEvent(1, EventKind::gil_requested, 0), // 3
        makeEvent(1, EventKind::gil_acquired, 0), // 4
        makeEvent(1, EventKind::started, 0), // 5
        makeEvent(1, EventKind::gil_released, 0), // 6
        makeEvent(2, EventKind::dispatched, 1), // 7
        makeEvent(2, EventKind::started, 1), // 8
        makeEvent(2, EventKind::failed, 1, 0,
            "ValueError: Gr\xc3\xbc\xc3\x9f"
            "e"), // 9
        makeEvent(2, EventKind::retried, -1, 1), // 10
        makeEvent(2, EventKind::started, 1, 1), // 11
        makeEvent(2, EventKind::finished, 1, 1, "result ALPHA"), // 12
        makeEvent(1, EventKind::finished, 0), // 13
        makeEvent(0, EventKind::caller_blocked, -1), // 14
        makeEvent(0, EventKind::caller_resumed, -1), // 15
        makeEvent(0, EventKind::worker_stopped, 0), // 16
        makeEvent(3, EventKind::cancelled, -1, 0, "(3, 'gamma')"), // 17
    };
}

KindSet only(EventKind kind)
{
    return KindSet().set(static_cast<std::size_t>(kind));
}

KindSet kindsNamed(const QString& name)
{
    if (name == QLatin1String("lifecycle"))
        return EventFilterProxyModel::lifecycleKinds();
    if (name == QLatin1String("withoutGil"))
        return EventFilterProxyModel::kindsWithoutGil();
    if (name == QLatin1String("none"))
        return {};
    if (name == QLatin1String("failed"))
        return only(EventKind::failed);
    if (name == QLatin1String("started"))
        return only(EventKind::started);
    return EventFilterProxyModel::allKinds();
}

constexpr auto qtTestReporting = QAbstractItemModelTester::FailureReportingMode::QtTest;

// An event model behind the filter, the filter checked by QAbstractItemModelTester as the test goes.
struct FilteredModel {
    FilteredModel() { proxy.setSourceModel(&model); }
    EventModel model;
    EventFilterProxyModel proxy;
    QAbstractItemModelTester tester { &proxy, qtTestReporting };
};

// The event table over the sample run, its filter checked by QAbstractItemModelTester.
struct SampleTable {
    SampleTable()
    {
        view.setEventModel(&model);
        tester.emplace(view.filterModel(), qtTestReporting);
        model.appendEvents(sampleRun());
    }
    EventModel model;
    EventTableView view;
    std::optional<QAbstractItemModelTester> tester;
};
} // namespace

class TestEventFilterProxyModel : public QObject {
    Q_OBJECT
private slots:
    void passesTheModelTesterWhileFiltersChange()
    {
        FilteredModel f;
        f.model.appendEvents(sampleRun());
        f.proxy.setAcceptedKinds(EventFilterProxyModel::kindsWithoutGil());
        f.proxy.setTaskIdFilter(2);
        f.proxy.setLabelFilter(QStringLiteral("alpha"));
        f.model.appendEvents(sampleRun());
        f.proxy.setSearchText(QString());
        f.proxy.setAcceptedKinds(EventFilterProxyModel::allKinds());
        f.model.clear();
        QCOMPARE(f.proxy.rowCount(), 0);
    }

    void filtersByKindTaskAndLabel_data()
    {
        QTest::addColumn<QString>("kinds");
        QTest::addColumn<qint64>("taskId"); // -1: no task filter
        QTest::addColumn<QString>("label");
        QTest::addColumn<QList<int>>("rows"); // source rows that stay

        QTest::newRow("noFilter_everyRow")
            << QStringLiteral("all") << qint64(-1) << QString()
            << QList<int> { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 };
        QTest::newRow("lifecycleKinds_hideWorkerCallerAndGil") << QStringLiteral("lifecycle") << qint64(-1) << QString()
                                                               << QList<int> { 1, 2, 5, 7, 8, 9, 10, 11, 12, 13, 17 };
        QTest::newRow("withoutGil_hidesOnlyTheLock")
            << QStringLiteral("withoutGil") << qint64(-1) << QString()
            << QList<int> { 0, 1, 2, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 };
        QTest::newRow("noKinds_hideEverything") << QStringLiteral("none") << qint64(-1) << QString() << QList<int>();
        QTest::newRow("onlyFailed") << QStringLiteral("failed") << qint64(-1) << QString() << QList<int> { 9 };
        QTest::newRow("task2_everyAttempt")
            << QStringLiteral("all") << qint64(2) << QString() << QList<int> { 2, 7, 8, 9, 10, 11, 12 };
        QTest::newRow("task0_workerAndCallerEvents")
            << QStringLiteral("all") << qint64(0) << QString() << QList<int> { 0, 14, 15, 16 };
        QTest::newRow("unknownTask_none") << QStringLiteral("all") << qint64(99) << QString() << QList<int>();
        QTest::newRow("label_asciiIgnoresCase")
            << QStringLiteral("all") << qint64(-1) << QStringLiteral("alpha") << QList<int> { 1, 12 };
        QTest::newRow("label_nonAsciiIgnoresCase")
            << QStringLiteral("all") << qint64(-1) << QStringLiteral("GR\u00dc") << QList<int> { 9 };
        QTest::newRow("label_punctuation")
            << QStringLiteral("all") << qint64(-1) << QStringLiteral("'") << QList<int> { 1, 2, 17 };
        QTest::newRow("label_noMatch") << QStringLiteral("all") << qint64(-1) << QStringLiteral("zzz") << QList<int>();
        QTest::newRow("combined_task2Started")
            << QStringLiteral("started") << qint64(2) << QString() << QList<int> { 8, 11 };
        QTest::newRow("combined_task2LifecycleLabelAlpha")
            << QStringLiteral("lifecycle") << qint64(2) << QStringLiteral("Alpha") << QList<int> { 12 };
    }
    void filtersByKindTaskAndLabel()
    {
        QFETCH(QString, kinds);
        QFETCH(qint64, taskId);
        QFETCH(QString, label);
        QFETCH(QList<int>, rows);
        // The same filter over an EventModel (the fast path) and over a model that only has the roles.
        EventModel model;
        QIdentityProxyModel anyModel;
        anyModel.setSourceModel(&model);
        EventFilterProxyModel fast;
        fast.setSourceModel(&model);
        EventFilterProxyModel generic;
        generic.setSourceModel(&anyModel);
        QAbstractItemModelTester fastTester(&fast, qtTestReporting);
        QAbstractItemModelTester genericTester(&generic, qtTestReporting);
        model.appendEvents(sampleRun());
        for (EventFilterProxyModel* proxy : { &fast, &generic }) {
            proxy->setAcceptedKinds(kindsNamed(kinds));
            proxy->setTaskIdFilter(taskId < 0 ? std::nullopt : std::optional<quint64>(quint64(taskId)));
            proxy->setLabelFilter(label);
            QList<int> shown;
            for (int row = 0; row < proxy->rowCount(); ++row)
                shown.append(proxy->mapToSource(proxy->index(row, 0)).row());
            QCOMPARE(shown, rows);
            QCOMPARE(proxy->isFiltering(), kinds != QLatin1String("all") || taskId >= 0 || !label.isEmpty());
        }
    }

    void searchTextPicksTaskIdOrLabel_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("taskId"); // expected filter, -1: none
        QTest::addColumn<QString>("label"); // expected filter
        QTest::addColumn<int>("rowCount");
        QTest::newRow("number_isTaskId") << QStringLiteral("2") << qint64(2) << QString() << 7;
        QTest::newRow("hashNumber_isTaskId") << QStringLiteral(" #3 ") << qint64(3) << QString() << 1;
        QTest::newRow("word_isLabel") << QStringLiteral(" beta ") << qint64(-1) << QStringLiteral("beta") << 1;
        QTest::newRow("digitsAndLetters_isLabel") << QStringLiteral("1a") << qint64(-1) << QStringLiteral("1a") << 0;
        QTest::newRow("empty_clearsBoth") << QString() << qint64(-1) << QString() << 18;
    }
    void searchTextPicksTaskIdOrLabel()
    {
        QFETCH(QString, text);
        QFETCH(qint64, taskId);
        FilteredModel f;
        f.model.appendEvents(sampleRun());
        // Start from the other kind of filter, so the search text has to replace it.
        f.proxy.setSearchText(taskId < 0 ? QStringLiteral("1") : QStringLiteral("alpha"));
        f.proxy.setSearchText(text);
        QCOMPARE(f.proxy.taskIdFilter(), taskId < 0 ? std::nullopt : std::optional<quint64>(quint64(taskId)));
        QTEST(f.proxy.labelFilter(), "label");
        QTEST(f.proxy.rowCount(), "rowCount");
    }

    void filterChangedOnlyOnChange_data()
    {
        QTest::addColumn<int>("which"); // 0 kinds, 1 task, 2 label, 3 search text
        QTest::newRow("kinds") << 0;
        QTest::newRow("taskId") << 1;
        QTest::newRow("label") << 2;
        QTest::newRow("searchText") << 3;
    }
    void filterChangedOnlyOnChange()
    {
        QFETCH(int, which);
        FilteredModel f;
        f.model.appendEvents(sampleRun());
        QSignalSpy changed(&f.proxy, &EventFilterProxyModel::filterChanged);
        QSignalSpy layoutChanged(&f.proxy, &QAbstractItemModel::layoutChanged);
        QSignalSpy removed(&f.proxy, &QAbstractItemModel::rowsRemoved);
        const auto apply = [&] {
            switch (which) {
            case 0:
                f.proxy.setKindAccepted(EventKind::gil_acquired, false);
                break;
            case 1:
                f.proxy.setTaskIdFilter(1);
                break;
            case 2:
                f.proxy.setLabelFilter(QStringLiteral("beta"));
                break;
            default:
                f.proxy.setSearchText(QStringLiteral("#1"));
                break;
            }
        };
        apply();
        QCOMPARE(changed.count(), 1);
        QVERIFY(f.proxy.isFiltering());
        // One layout change, never a removal per hidden run of rows (see EventFilterProxyModel::refilter()).
        QCOMPARE(layoutChanged.count(), 1);
        QCOMPARE(removed.count(), 0);
        apply();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(layoutChanged.count(), 1);
    }

    void arrivingRowsAreFiltered_data()
    {
        QTest::addColumn<QString>("kinds");
        QTest::addColumn<int>("perRun");
        QTest::newRow("lifecycle_elevenPerRun") << QStringLiteral("lifecycle") << 11;
        QTest::newRow("onlyFailed_onePerRun") << QStringLiteral("failed") << 1;
    }
    void arrivingRowsAreFiltered()
    {
        QFETCH(QString, kinds);
        QFETCH(int, perRun);
        FilteredModel f;
        f.proxy.setAcceptedKinds(kindsNamed(kinds));
        QSignalSpy inserted(&f.proxy, &QAbstractItemModel::rowsInserted);
        for (int run = 1; run <= 3; ++run) {
            f.model.appendEvents(sampleRun());
            QCOMPARE(f.proxy.rowCount(), run * perRun);
        }
        QVERIFY(!inserted.isEmpty());
    }

    void tableSelectsTheVisibleRowsOfATask_data()
    {
        QTest::addColumn<QString>("kinds");
        QTest::addColumn<quint64>("taskId");
        QTest::addColumn<int>("selected");
        QTest::newRow("allKinds_task2_sevenRows") << QStringLiteral("all") << quint64(2) << 7;
        QTest::newRow("onlyStarted_task2_twoRows") << QStringLiteral("started") << quint64(2) << 2;
        QTest::newRow("lifecycle_task1_threeRows") << QStringLiteral("lifecycle") << quint64(1) << 3;
        QTest::newRow("unknownTask_clearsSelection") << QStringLiteral("all") << quint64(99) << 0;
        QTest::newRow("taskZero_clearsSelection") << QStringLiteral("all") << quint64(0) << 0;
    }
    void tableSelectsTheVisibleRowsOfATask()
    {
        QFETCH(QString, kinds);
        QFETCH(quint64, taskId);
        QFETCH(int, selected);
        SampleTable t;
        t.view.filterModel()->setAcceptedKinds(kindsNamed(kinds));
        t.view.selectionModel()->select(t.view.model()->index(0, 0), QItemSelectionModel::Select);
        QSignalSpy activated(&t.view, &EventTableView::taskActivated);

        QCOMPARE(t.view.selectTask(taskId), selected);
        const QModelIndexList rows = t.view.selectionModel()->selectedRows();
        QCOMPARE(int(rows.size()), selected);
        for (const QModelIndex& row : rows)
            QCOMPARE(row.data(EventModel::TaskIdRole).value<quint64>(), taskId);
        QCOMPARE(activated.count(), 0); // selectTask() came from outside; no echo

        // The user moving to a row of another task reports it.
        const QList<int> task3 = t.model.rowsForTask(3);
        QCOMPARE(task3.size(), 1);
        const QModelIndex cancelled = t.view.filterModel()->mapFromSource(t.model.index(task3.first(), 0));
        if (cancelled.isValid()) {
            t.view.setCurrentIndex(cancelled);
            QCOMPARE(activated.count(), 1);
            QCOMPARE(activated.first().at(0).value<quint64>(), quint64(3));
        }
    }

    void selectionSurvivesAFilterChange_data()
    {
        QTest::addColumn<QString>("kinds");
        QTest::addColumn<int>("stillSelected");
        QTest::newRow("hideGil_task2HasNone_allSevenStay") << QStringLiteral("withoutGil") << 7;
        QTest::newRow("onlyStarted_twoStay") << QStringLiteral("started") << 2;
        QTest::newRow("onlyFailed_oneStays") << QStringLiteral("failed") << 1;
    }
    void selectionSurvivesAFilterChange()
    {
        QFETCH(QString, kinds);
        SampleTable t;
        QCOMPARE(t.view.selectTask(2), 7);
        t.view.filterModel()->setAcceptedKinds(kindsNamed(kinds));
        const QModelIndexList rows = t.view.selectionModel()->selectedRows();
        QTEST(int(rows.size()), "stillSelected");
        for (const QModelIndex& row : rows)
            QCOMPARE(row.data(EventModel::TaskIdRole).value<quint64>(), quint64(2));
    }
};

QTEST_MAIN(TestEventFilterProxyModel)
#include "tst_eventfilterproxymodel.moc"
