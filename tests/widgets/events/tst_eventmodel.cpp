#include "events/eventbatcher.h"
#include "events/eventmodel.h"

#include <poolscope/event_log.h>

#include <QAbstractItemModelTester>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

using poolscope::Event;
using poolscope::EventKind;
using poolscope::EventLog;
using poolscope::widgets::EventBatcher;
using poolscope::widgets::EventModel;

namespace {
Event makeEvent(
    quint64 task, EventKind kind, int worker, qint64 ns, int attempt = 0, std::string label = {}, int pid = 0)
{
    Event e;
    e.task_id = task;
    e.kind = kind;
    e.worker = worker;
    e.time = std::chrono::nanoseconds(ns);
    e.attempt = attempt;
    e.label = std::move(label);
    e.pid = pid;
    return e;
}

// A short run: two tasks on two lanes, the second retried once and then failing.
std::vector<Event> sampleRun()
{
    return {
        makeEvent(0, EventKind::worker_started, 0, 1'000, 0, "ThreadPoolExecutor-0_0"),
        makeEvent(1, EventKind::submitted, -1, 2'000, 0, "(1,)"),
        makeEvent(2, EventKind::submitted, -1, 3'000, 0, "(2,)"),
        makeEvent(1, EventKind::started, 0, 4'000),
        makeEvent(2, EventKind::started, 1, 5'000),
        makeEvent(1, EventKind::finished, 0, 6'000),
        makeEvent(2, EventKind::retried, -1, 7'000, 1),
        makeEvent(2, EventKind::started, 1, 8'000, 1),
        makeEvent(2, EventKind::failed, 1, 9'000, 1, "ValueError: boom"),
    };
}

using Tester = QAbstractItemModelTester;
constexpr auto qtTestReporting = QAbstractItemModelTester::FailureReportingMode::QtTest;
} // namespace

class TestEventModel : public QObject {
    Q_OBJECT
private slots:
    // --- EventModel -----------------------------------------------------------------------------

    void passesTheModelTesterWhileGrowingAndClearing()
    {
        EventModel model;
        Tester tester(&model, qtTestReporting);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(EventModel::ColumnCount));
        model.appendEvents(sampleRun());
        model.appendEvents(sampleRun());
        QCOMPARE(model.rowCount(), 18);
        QCOMPARE(model.rowCount(model.index(0, 0)), 0);
        QCOMPARE(model.columnCount(model.index(0, 0)), 0);
        model.setLaneNames({ { 0, QStringLiteral("lane-a") } });
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void displaysEachColumn_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<QString>("time");
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("attempt");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("worker");
        QTest::addColumn<QString>("pid");
        QTest::addColumn<QString>("label");
        // rows of the model built in displaysEachColumn()
        QTest::newRow("workerStarted_noTask_namedLane")
            << 0 << QStringLiteral("0.000") << QString() << QStringLiteral("0") << QStringLiteral("worker_started")
            << QStringLiteral("pool-0") << QString() << QStringLiteral("ThreadPoolExecutor-0_0");
        QTest::newRow("submitted_byCaller_msWithThreeDecimals")
            << 1 << QStringLiteral("1.235") << QStringLiteral("7") << QStringLiteral("0") << QStringLiteral("submitted")
            << QStringLiteral("caller") << QString() << QStringLiteral("(7,)");
        QTest::newRow("started_onUnnamedLane_showsNumber")
            << 2 << QStringLiteral("12.000") << QStringLiteral("7") << QStringLiteral("0") << QStringLiteral("started")
            << QStringLiteral("3") << QString() << QString();
        QTest::newRow("failed_secondAttempt_inProcess")
            << 3 << QStringLiteral("2500.000") << QStringLiteral("7") << QStringLiteral("1") << QStringLiteral("failed")
            << QStringLiteral("pool-0") << QStringLiteral("4242") << QStringLiteral("ValueError: ü");
    }
    void displaysEachColumn()
    {
        QFETCH(int, row);
        EventModel model;
        Tester tester(&model, qtTestReporting);
        model.setLaneNames({ { 0, QStringLiteral("pool-0") } });
        model.appendEvents({
            makeEvent(0, EventKind::worker_started, 0, 0, 0, "ThreadPoolExecutor-0_0"),
            makeEvent(7, EventKind::submitted, -1, 1'234'567, 0, "(7,)"),
            makeEvent(7, EventKind::started, 3, 12'000'000),
            makeEvent(7, EventKind::failed, 0, 2'500'000'000, 1, "ValueError: \xc3\xbc", 4242),
        });
        const auto text = [&](int column) { return model.index(row, column).data().toString(); };
        QTEST(text(EventModel::TimeColumn), "time");
        QTEST(text(EventModel::TaskColumn), "task");
        QTEST(text(EventModel::AttemptColumn), "attempt");
        QTEST(text(EventModel::KindColumn), "kind");
        QTEST(text(EventModel::WorkerColumn), "worker");
        QTEST(text(EventModel::PidColumn), "pid");
        QTEST(text(EventModel::LabelColumn), "label");
    }

    void rolesCarryTheRawValues_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<quint64>("taskId");
        QTest::addColumn<int>("kind");
        QTest::addColumn<qint64>("timeNs");
        QTest::addColumn<int>("attempt");
        QTest::newRow("firstRow_workerEvent")
            << 0 << quint64(0) << int(EventKind::worker_started) << qint64(1'000) << 0;
        QTest::newRow("retriedTask_secondAttempt") << 7 << quint64(2) << int(EventKind::started) << qint64(8'000) << 1;
        QTest::newRow("lastRow_failure") << 8 << quint64(2) << int(EventKind::failed) << qint64(9'000) << 1;
    }
    void rolesCarryTheRawValues()
    {
        QFETCH(int, row);
        EventModel model;
        Tester tester(&model, qtTestReporting);
        model.appendEvents(sampleRun());
        for (int column = 0; column < EventModel::ColumnCount; ++column) {
            const QModelIndex index = model.index(row, column);
            QCOMPARE(index.data(EventModel::EventRole).toInt(), row);
            QTEST(index.data(EventModel::TaskIdRole).value<quint64>(), "taskId");
            QTEST(index.data(EventModel::KindRole).toInt(), "kind");
            QTEST(index.data(EventModel::TimeNsRole).value<qint64>(), "timeNs");
            QTEST(index.data(EventModel::AttemptRole).toInt(), "attempt");
        }
        QCOMPARE(model.event(row), sampleRun()[static_cast<std::size_t>(row)]);
        QVERIFY(model.roleNames().contains(EventModel::TaskIdRole));
    }

    void headersNameEveryColumn()
    {
        EventModel model;
        Tester tester(&model, qtTestReporting);
        QSet<QString> names;
        for (int column = 0; column < EventModel::ColumnCount; ++column)
            names.insert(model.headerData(column, Qt::Horizontal).toString());
        QCOMPARE(names.size(), int(EventModel::ColumnCount));
        QVERIFY(!names.contains(QString()));
        QVERIFY(!model.headerData(EventModel::ColumnCount, Qt::Horizontal).isValid());
    }

    void appendInsertsEachBatchWithOneSignal_data()
    {
        QTest::addColumn<int>("existing");
        QTest::addColumn<int>("batchSize");
        QTest::newRow("emptyModel_oneEvent") << 0 << 1;
        QTest::newRow("emptyModel_thousandEvents") << 0 << 1000;
        QTest::newRow("afterExistingRows_tenEvents") << 25 << 10;
        QTest::newRow("emptyBatch_noSignal") << 5 << 0;
    }
    void appendInsertsEachBatchWithOneSignal()
    {
        QFETCH(int, existing);
        QFETCH(int, batchSize);
        EventModel model;
        Tester tester(&model, qtTestReporting);
        const auto batch = [](int count, int firstTask) {
            std::vector<Event> events;
            for (int i = 0; i < count; ++i)
                events.push_back(makeEvent(quint64(firstTask + i), EventKind::submitted, -1, i));
            return events;
        };
        model.appendEvents(batch(existing, 1));
        QSignalSpy aboutToInsert(&model, &QAbstractItemModel::rowsAboutToBeInserted);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.appendEvents(batch(batchSize, existing + 1));
        QCOMPARE(model.rowCount(), existing + batchSize);
        const int expectedSignals = batchSize > 0 ? 1 : 0;
        QCOMPARE(aboutToInsert.count(), expectedSignals);
        QCOMPARE(inserted.count(), expectedSignals);
        if (expectedSignals) {
            QCOMPARE(inserted.first().at(1).toInt(), existing);
            QCOMPARE(inserted.first().at(2).toInt(), existing + batchSize - 1);
        }
    }

    void rowsForTaskFindsEveryRowOfTheTask_data()
    {
        QTest::addColumn<quint64>("taskId");
        QTest::addColumn<QList<int>>("rows");
        // sampleRun() appended twice: rows 9..17 repeat rows 0..8
        QTest::newRow("finishedTask_threeEventsPerRun") << quint64(1) << QList<int> { 1, 3, 5, 10, 12, 14 };
        QTest::newRow("retriedTask_fiveEventsPerRun") << quint64(2) << QList<int> { 2, 4, 6, 7, 8, 11, 13, 15, 16, 17 };
        QTest::newRow("unknownTask_none") << quint64(99) << QList<int>();
        QTest::newRow("taskZero_isNoTask") << quint64(0) << QList<int>();
        // Then a task with a huge id (rows 18 and 20) around task 3 (row 19).
        QTest::newRow("hugeId_sparse") << (quint64(1) << 40) << QList<int> { 18, 20 };
        QTest::newRow("unknownHugeId_none") << (quint64(1) << 41) << QList<int>();
        QTest::newRow("newSmallIdBetweenThem_dense") << quint64(3) << QList<int> { 19 };
    }
    void rowsForTaskFindsEveryRowOfTheTask()
    {
        QFETCH(quint64, taskId);
        EventModel model;
        Tester tester(&model, qtTestReporting);
        model.appendEvents(sampleRun());
        model.appendEvents(sampleRun());
        constexpr quint64 huge = quint64(1) << 40;
        model.appendEvents({ makeEvent(huge, EventKind::submitted, -1, 10'000),
            makeEvent(3, EventKind::submitted, -1, 11'000), makeEvent(huge, EventKind::started, 0, 12'000) });
        QTEST(model.rowsForTask(taskId), "rows");
        for (int row : model.rowsForTask(taskId))
            QCOMPARE(model.event(row).task_id, taskId);
    }

    void laneNamesRenameOnlyTheWorkerColumn_data()
    {
        QTest::addColumn<bool>("withRows");
        QTest::addColumn<bool>("sameNamesAgain");
        QTest::addColumn<int>("expectedSignals");
        QTest::newRow("withRows_newNames_oneDataChanged") << true << false << 1;
        QTest::newRow("withRows_sameNames_noSignal") << true << true << 0;
        QTest::newRow("emptyModel_noSignal") << false << false << 0;
    }
    void laneNamesRenameOnlyTheWorkerColumn()
    {
        QFETCH(bool, withRows);
        QFETCH(bool, sameNamesAgain);
        EventModel model;
        Tester tester(&model, qtTestReporting);
        if (withRows)
            model.appendEvents(sampleRun());
        const QHash<int, QString> names { { 0, QStringLiteral("ThreadPoolExecutor-0_0") },
            { 1, QStringLiteral("ThreadPoolExecutor-0_1") } };
        if (sameNamesAgain)
            model.setLaneNames(names);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setLaneNames(names);
        QTEST(int(changed.count()), "expectedSignals");
        if (!changed.isEmpty()) {
            const auto topLeft = changed.first().at(0).value<QModelIndex>();
            const auto bottomRight = changed.first().at(1).value<QModelIndex>();
            QCOMPARE(topLeft.column(), int(EventModel::WorkerColumn));
            QCOMPARE(bottomRight.column(), int(EventModel::WorkerColumn));
            QCOMPARE(bottomRight.row(), model.rowCount() - 1);
        }
        if (withRows) {
            QCOMPARE(
                model.index(3, EventModel::WorkerColumn).data().toString(), QStringLiteral("ThreadPoolExecutor-0_0"));
            QCOMPARE(model.index(1, EventModel::WorkerColumn).data().toString(), QStringLiteral("caller"));
        }
    }

    void clearForgetsRowsAndTasks_data()
    {
        QTest::addColumn<bool>("withRows");
        QTest::newRow("afterARun_oneReset") << true;
        QTest::newRow("alreadyEmpty_noSignal") << false;
    }
    void clearForgetsRowsAndTasks()
    {
        QFETCH(bool, withRows);
        EventModel model;
        Tester tester(&model, qtTestReporting);
        if (withRows)
            model.appendEvents(sampleRun());
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.clear();
        QCOMPARE(reset.count(), withRows ? 1 : 0);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.rowsForTask(1).isEmpty());
        model.appendEvents(sampleRun());
        QCOMPARE(model.rowsForTask(1), (QList<int> { 1, 3, 5 }));
    }

    // --- EventBatcher feeding an EventModel -------------------------------------------------------

    void eventsRecordedWhileTheGuiIsBusyArriveAsOneBatch_data()
    {
        QTest::addColumn<int>("count");
        QTest::newRow("oneEvent") << 1;
        QTest::newRow("tenEvents") << 10;
        QTest::newRow("fiveThousandEvents") << 5000;
    }
    void eventsRecordedWhileTheGuiIsBusyArriveAsOneBatch()
    {
        QFETCH(int, count);
        EventModel model;
        Tester tester(&model, qtTestReporting);
        EventLog log;
        EventBatcher batcher;
        connect(&batcher, &EventBatcher::eventsArrived, &model, &EventModel::appendEvents);
        QSignalSpy arrived(&batcher, &EventBatcher::eventsArrived);
        log.set_observer(batcher.observer());
        // The GUI thread does not spin its event loop until the recording thread is done, so the
        // one scheduled flush finds every event.
        std::thread recorder([&log, count] {
            for (int i = 0; i < count; ++i)
                log.record(EventKind::submitted, log.next_task_id(), -1);
        });
        recorder.join();
        QCOMPARE(batcher.pendingCount(), std::size_t(count));
        QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), 1, 30000);
        log.set_observer({});
        QCoreApplication::processEvents();
        QCOMPARE(arrived.count(), 1);
        QCOMPARE(batcher.pendingCount(), std::size_t(0));
        QCOMPARE(model.rowCount(), count);
        // One recording thread: the batch keeps its order, and task ids count up from 1.
        const auto batch = arrived.first().at(0).value<std::vector<Event>>();
        QCOMPARE(int(batch.size()), count);
        for (int i = 0; i < count; ++i)
            QCOMPARE(batch[std::size_t(i)].task_id, quint64(i + 1));
    }

    void recordingThreadsFeedTheModelInBatchesOnTheGuiThread_data()
    {
        QTest::addColumn<int>("threads");
        QTest::addColumn<int>("total");
        QTest::newRow("fourThreads_hundredThousandEvents") << 4 << 100'000;
        QTest::newRow("oneThread_tenThousandEvents") << 1 << 10'000;
    }
    void recordingThreadsFeedTheModelInBatchesOnTheGuiThread()
    {
        QFETCH(int, threads);
        QFETCH(int, total);
        EventModel model;
        Tester tester(&model, qtTestReporting);
        EventLog log;
        EventBatcher batcher;
        QThread* const guiThread = QThread::currentThread();
        std::atomic<int> offGuiThread { 0 };
        int batches = 0;
        connect(&batcher, &EventBatcher::eventsArrived, &model, &EventModel::appendEvents);
        connect(&batcher, &EventBatcher::eventsArrived, this, [&](const std::vector<Event>& batch) {
            if (QThread::currentThread() != guiThread)
                ++offGuiThread;
            QVERIFY(!batch.empty());
            ++batches;
        });
        log.set_observer(batcher.observer());

        const int perThread = total / threads;
        std::latch start(threads);
        std::vector<std::jthread> recorders; // joined on every way out of this function
        for (int t = 0; t < threads; ++t) {
            recorders.emplace_back([&log, &start, t, perThread] {
                start.arrive_and_wait();
                for (int i = 0; i < perThread; ++i)
                    log.record(EventKind::started, quint64(t * perThread + i + 1), t, 0, "x");
            });
        }
        // The GUI thread spins its event loop without pausing while the threads record (the worst
        // case for batching): a batch is whatever accumulated between two flushes.
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        const QDeadlineTimer deadline(120000);
        while (model.rowCount() < total && !deadline.hasExpired())
            inserted.wait(1000);
        QCOMPARE(model.rowCount(), total);
        recorders.clear();
        log.set_observer({});
        batcher.flushNow();
        QCoreApplication::processEvents();

        QCOMPARE(model.rowCount(), total);
        QCOMPARE(int(log.size()), total);
        QCOMPARE(offGuiThread.load(), 0);
        qInfo("%d events arrived in %d batches", total, batches);
        QVERIFY2(batches >= 1 && batches <= total / 10,
            qPrintable(QStringLiteral("%1 batches for %2 events").arg(batches).arg(total)));
        for (quint64 task : { quint64(1), quint64(total / 2), quint64(total) })
            QCOMPARE(model.rowsForTask(task).size(), 1);
    }

    void batcherLosesAndDuplicatesNothingWhileFlushesInterleave_data()
    {
        QTest::addColumn<int>("yieldEvery"); // 0: record flat out
        QTest::addColumn<int>("intervalMs"); // EventBatcher::setMinimumInterval()
        QTest::newRow("burst_noInterval") << 0 << 0;
        // Without an interval an idle GUI thread flushes after nearly every event: the most races
        // between the flush and the observer's "schedule one flush" decision.
        QTest::newRow("yieldingOften_noInterval_manyFlushRaces") << 8 << 0;
        QTest::newRow("yieldingOften_defaultInterval_fewBatches") << 8 << 16;
    }
    void batcherLosesAndDuplicatesNothingWhileFlushesInterleave()
    {
        // The batcher alone, no model, so the GUI thread flushes as fast as it can.
        QFETCH(int, yieldEvery);
        QFETCH(int, intervalMs);
        constexpr int threads = 4;
        constexpr int perThread = 25'000;
        EventLog log;
        EventBatcher batcher;
        batcher.setMinimumInterval(std::chrono::milliseconds(intervalMs));
        QThread* const guiThread = QThread::currentThread();
        std::vector<int> seen(std::size_t(threads * perThread) + 1, 0);
        int received = 0;
        int batches = 0;
        int emptyOrOffThread = 0;
        connect(&batcher, &EventBatcher::eventsArrived, this, [&](const std::vector<Event>& batch) {
            if (batch.empty() || QThread::currentThread() != guiThread)
                ++emptyOrOffThread;
            ++batches;
            received += int(batch.size());
            for (const Event& e : batch)
                ++seen[std::size_t(e.task_id)];
        });
        QSignalSpy arrived(&batcher, &EventBatcher::eventsArrived);
        log.set_observer(batcher.observer());
        QElapsedTimer elapsed;
        elapsed.start();
        std::vector<std::jthread> recorders;
        for (int t = 0; t < threads; ++t) {
            recorders.emplace_back([&log, t, yieldEvery] {
                for (int i = 0; i < perThread; ++i) {
                    log.record(EventKind::started, quint64(t * perThread + i + 1), t);
                    if (yieldEvery && i % yieldEvery == 0)
                        std::this_thread::yield();
                }
            });
        }
        const QDeadlineTimer deadline(120000);
        while (received < threads * perThread && !deadline.hasExpired())
            arrived.wait(1000);
        const qint64 elapsedMs = elapsed.elapsed();
        recorders.clear();
        log.set_observer({});
        batcher.flushNow();

        qInfo("%d events arrived in %d batches", received, batches);
        QCOMPARE(received, threads * perThread);
        QCOMPARE(emptyOrOffThread, 0);
        QCOMPARE(int(std::count(seen.begin() + 1, seen.end(), 1)), threads * perThread);
        QCOMPARE(batcher.pendingCount(), std::size_t(0));
        if (intervalMs > 0) {
            // Not a timing assertion: batches at least intervalMs apart cannot be more than this,
            // however fast or slow the machine is.
            QVERIFY2(batches <= elapsedMs / intervalMs + 2,
                qPrintable(QStringLiteral("%1 batches in %2 ms").arg(batches).arg(elapsedMs)));
        }
    }

    void flushNowDeliversWithoutWaitingForTheEventLoop()
    {
        EventModel model;
        Tester tester(&model, qtTestReporting);
        EventLog log;
        EventBatcher batcher;
        connect(&batcher, &EventBatcher::eventsArrived, &model, &EventModel::appendEvents);
        QSignalSpy arrived(&batcher, &EventBatcher::eventsArrived);
        log.set_observer(batcher.observer());
        std::thread([&log] {
            for (int i = 0; i < 100; ++i)
                log.record(EventKind::submitted, log.next_task_id(), -1);
        }).join();
        log.set_observer({});
        batcher.flushNow();
        QCOMPARE(arrived.count(), 1);
        QCOMPARE(model.rowCount(), 100);
        // The flush that was already queued finds nothing and stays silent.
        QCoreApplication::processEvents();
        QCOMPARE(arrived.count(), 1);
        batcher.flushNow();
        QCOMPARE(arrived.count(), 1);
    }

    void aBoundedBatcherHandsOutABacklogInSlices_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("maximum");
        QTest::addColumn<bool>("drain"); // end with drain() rather than the event loop alone
        QTest::addColumn<int>("expectedBatches");
        QTest::newRow("fitsInOne_oneBatch") << 100 << 1000 << false << 1;
        QTest::newRow("exactlyTwoSlices") << 2000 << 1000 << false << 2;
        QTest::newRow("tenThousand_slicesOfThousand") << 10'000 << 1000 << false << 10;
        QTest::newRow("drained_lastSliceShorter") << 2500 << 1000 << true << 3;
        QTest::newRow("drained_nothingPending_drainedAtOnce") << 0 << 1000 << true << 0;
        QTest::newRow("noLimit_oneBatch") << 10'000 << 0 << false << 1;
    }
    void aBoundedBatcherHandsOutABacklogInSlices()
    {
        QFETCH(int, count);
        QFETCH(int, maximum);
        QFETCH(bool, drain);
        EventModel model;
        Tester tester(&model, qtTestReporting);
        EventLog log;
        EventBatcher batcher;
        batcher.setMaximumBatchSize(std::size_t(maximum));
        connect(&batcher, &EventBatcher::eventsArrived, &model, &EventModel::appendEvents);
        QSignalSpy arrived(&batcher, &EventBatcher::eventsArrived);
        QSignalSpy drained(&batcher, &EventBatcher::drained);
        log.set_observer(batcher.observer());
        // Recorded while the GUI thread is busy: the first flush finds all of them.
        std::thread([&log, count] {
            for (int i = 0; i < count; ++i)
                log.record(EventKind::submitted, log.next_task_id(), -1);
        }).join();
        QCOMPARE(batcher.pendingCount(), std::size_t(count));
        if (drain) {
            log.set_observer({});
            batcher.drain();
            QTRY_COMPARE_WITH_TIMEOUT(drained.count(), 1, 30000);
            QVERIFY(!batcher.isDraining());
        } else {
            QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), count, 30000);
            log.set_observer({});
        }
        QCoreApplication::processEvents();
        QTEST(int(arrived.count()), "expectedBatches");
        QCOMPARE(model.rowCount(), count);
        QCOMPARE(batcher.pendingCount(), std::size_t(0));
        // In order, nothing lost or repeated, no slice over the limit.
        for (const auto& args : arrived) {
            const auto batch = args.at(0).value<std::vector<Event>>();
            QVERIFY(maximum == 0 || int(batch.size()) <= maximum);
        }
        for (int row = 0; row < count; ++row)
            QCOMPARE(model.event(row).task_id, quint64(row + 1));
    }

    void slicesLeaveTheEventLoopTurnsInBetween()
    {
        // The point of slicing: a timer due while the backlog goes out runs before the last slice.
        EventLog log;
        EventBatcher batcher;
        batcher.setMaximumBatchSize(10);
        std::vector<char> order; // 'b' a batch, 't' the timer
        connect(&batcher, &EventBatcher::eventsArrived, this, [&](const std::vector<Event>&) { order.push_back('b'); });
        log.set_observer(batcher.observer());
        for (int i = 0; i < 100; ++i)
            log.record(EventKind::submitted, log.next_task_id(), -1);
        log.set_observer({});
        QTimer::singleShot(0, this, [&] { order.push_back('t'); });
        QSignalSpy drained(&batcher, &EventBatcher::drained);
        batcher.drain();
        QTRY_COMPARE_WITH_TIMEOUT(drained.count(), 1, 30000);
        QCOMPARE(std::count(order.begin(), order.end(), 'b'), 10);
        QCOMPARE(std::count(order.begin(), order.end(), 't'), 1);
        QVERIFY(order.back() == 'b'); // the timer did not wait for the whole backlog
    }

    void eventsRecordedWhileSlicesGoOutFollowLater()
    {
        // A flush asked for while a backlog goes out is neither lost nor delivered twice.
        EventModel model;
        Tester tester(&model, qtTestReporting);
        EventLog log;
        EventBatcher batcher;
        batcher.setMaximumBatchSize(100);
        batcher.setMinimumInterval(std::chrono::milliseconds(0));
        bool recordedMore = false;
        connect(&batcher, &EventBatcher::eventsArrived, &model, &EventModel::appendEvents);
        connect(&batcher, &EventBatcher::eventsArrived, this, [&](const std::vector<Event>&) {
            if (!recordedMore) {
                recordedMore = true;
                for (int i = 0; i < 50; ++i)
                    log.record(EventKind::submitted, log.next_task_id(), -1);
            }
        });
        log.set_observer(batcher.observer());
        for (int i = 0; i < 1000; ++i)
            log.record(EventKind::submitted, log.next_task_id(), -1);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1050, 30000);
        log.set_observer({});
        QCoreApplication::processEvents();
        QCOMPARE(model.rowCount(), 1050);
        for (int row = 0; row < 1050; ++row)
            QCOMPARE(model.event(row).task_id, quint64(row + 1));
    }

    void detachedBatcherDeliversPendingButDropsLaterEvents()
    {
        EventModel model;
        Tester tester(&model, qtTestReporting);
        EventLog log;
        EventBatcher batcher;
        connect(&batcher, &EventBatcher::eventsArrived, &model, &EventModel::appendEvents);
        log.set_observer(batcher.observer());
        log.record(EventKind::submitted, 1, -1);
        batcher.detach();
        QVERIFY(!batcher.isAttached());
        log.record(EventKind::submitted, 2, -1);
        QCOMPARE(batcher.pendingCount(), std::size_t(1));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 30000);
        log.record(EventKind::submitted, 3, -1);
        QCoreApplication::processEvents();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.event(0).task_id, quint64(1));
        log.set_observer({});
    }

    void teardownInEitherOrderIsSafe_data()
    {
        QTest::addColumn<bool>("removeObserverFirst");
        QTest::newRow("documentedOrder_removeObserverThenDestroyBatcher") << true;
        QTest::newRow("wrongOrder_destroyBatcherWhileThreadsRecord") << false;
    }
    void teardownInEitherOrderIsSafe()
    {
        // Run under ASan/TSan to see the point: nothing touches the destroyed batcher.
        QFETCH(bool, removeObserverFirst);
        EventModel model;
        Tester tester(&model, qtTestReporting);
        EventLog log;
        auto batcher = std::make_unique<EventBatcher>();
        connect(batcher.get(), &EventBatcher::eventsArrived, &model, &EventModel::appendEvents);
        log.set_observer(batcher->observer());
        std::atomic<bool> stop { false };
        std::vector<std::jthread> recorders;
        for (int t = 0; t < 2; ++t) {
            recorders.emplace_back([&log, &stop, t] {
                // Until told to stop, but at least a few events each.
                for (int i = 0; i < 50; ++i)
                    log.record(EventKind::started, log.next_task_id(), t);
                while (!stop.load())
                    log.record(EventKind::started, log.next_task_id(), t);
            });
        }
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() > 0, 30000);
        if (removeObserverFirst)
            log.set_observer({});
        batcher.reset(); // a flush may be queued right now; ~QObject discards it
        QCoreApplication::processEvents();
        const int rowsAfterTeardown = model.rowCount();
        stop = true;
        recorders.clear();
        QCoreApplication::processEvents();
        QCOMPARE(model.rowCount(), rowsAfterTeardown);
        log.set_observer({});
    }
};

QTEST_GUILESS_MAIN(TestEventModel)
#include "tst_eventmodel.moc"
