#include "app/mainwindow.h"
#include "scenarios/scenario_registry.h"
#include "timeline/timelineview.h"
#include <poolscope/timeline/timeline_data.h>

#include <poolscope/trace/trace_file.h>

#include <QAbstractItemModel>
#include <QDoubleSpinBox>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>

#include <QFile>
#include <QLabel>
#include <QListView>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using poolscope::app::MainWindow;

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        // Keep the user's real settings out of it.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("PoolScopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    }

    void listsEveryScenarioAndShowsTheSelectedOne()
    {
        MainWindow window;
        auto* list = window.findChild<QListView*>(QStringLiteral("scenarioList"));
        QVERIFY(list);
        QCOMPARE(list->model()->rowCount(), int(poolscope::scenarios::all_scenarios().size()));

        QSignalSpy changed(&window, &MainWindow::currentScenarioChanged);
        QVERIFY(window.selectScenario(QStringLiteral("as-completed")));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().first().toString(), QStringLiteral("as-completed"));
        QCOMPARE(window.currentScenarioId(), QStringLiteral("as-completed"));
        auto* title = window.findChild<QLabel*>(QStringLiteral("scenarioTitle"));
        QVERIFY(title);
        QVERIFY(title->text().contains(QStringLiteral("as_completed")));
        QVERIFY(!window.selectScenario(QStringLiteral("nope")));
        QCOMPARE(window.currentScenarioId(), QStringLiteral("as-completed"));
    }

    void remembersTheLastScenario()
    {
        {
            MainWindow window;
            QVERIFY(window.selectScenario(QStringLiteral("retry")));
            window.close();
        }
        MainWindow again;
        QCOMPARE(again.currentScenarioId(), QStringLiteral("retry"));
    }

    void runsAsCompletedAndShowsEveryEvent()
    {
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        QVERIFY(window.selectScenario(QStringLiteral("as-completed")));
        auto* workers = window.findChild<QSpinBox*>(QStringLiteral("workers"));
        QVERIFY(workers);
        workers->setValue(3);

        QSignalSpy finished(&window, &MainWindow::runFinished);
        window.run();
        QVERIFY(window.isRunning());
        QVERIFY(finished.wait(60000));
        QVERIFY(!window.isRunning());

        const poolscope::trace::Trace& trace = window.currentTrace();
        QCOMPARE(QString::fromStdString(trace.scenario), QStringLiteral("as-completed"));
        QCOMPARE(trace.max_workers, 3);
        // Lanes: the caller plus one per worker thread the pool started (at most 3).
        const auto& data = window.timelineData();
        QCOMPARE(data.rowCount(), int(trace.lanes.size()) + 1);
        QVERIFY(data.rowCount() >= 2 && data.rowCount() <= 4);
        // Bars: one closed task span per executed task, on the lane of the worker that ran it.
        std::size_t bars = 0;
        for (const auto& lane : data.lanes())
            bars += lane.tasks.size();
        std::size_t started = 0;
        for (const auto& e : trace.events) {
            if (e.kind == poolscope::EventKind::started) {
                ++started;
                QVERIFY(e.worker >= 0 && e.worker < 3);
            }
        }
        QCOMPARE(bars, started);
        QCOMPARE(started, std::size_t(8));
        // Table rows: one per recorded event.
        auto* table = window.findChild<QTableView*>(QStringLiteral("eventTable"));
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), int(trace.events.size()));
    }

    void aDamagedTraceLeavesTheCurrentRunIntact()
    {
        MainWindow window;
        QVERIFY(window.selectScenario(QStringLiteral("submit")));
        QSignalSpy finished(&window, &MainWindow::runFinished);
        window.run();
        QVERIFY(finished.wait(60000));
        const auto eventsBefore = window.currentTrace().events.size();
        QVERIFY(eventsBefore > 0);

        QTemporaryDir dir;
        const QString broken = dir.filePath(QStringLiteral("broken.json"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"format\": \"poolscope-trace\", \"version\": 1, \"run\": {");
        file.close();
        const QString error = window.openTrace(broken, true);
        QVERIFY(!error.isEmpty());
        QCOMPARE(window.currentTrace().events.size(), eventsBefore);

        // A good trace replaces it.
        const QString good = dir.filePath(QStringLiteral("good.json"));
        poolscope::trace::save_trace(window.currentTrace(), good.toStdString());
        QVERIFY(window.openTrace(good, true).isEmpty());
        QCOMPARE(window.currentTrace().events.size(), eventsBefore);
    }

    void closingDuringARunStopsIt()
    {
        auto* window = new MainWindow;
        QVERIFY(window->selectScenario(QStringLiteral("map-timeout")));
        window->run();
        QVERIFY(window->isRunning());
        window->close(); // stops the run and waits for it, bounded
        QVERIFY(!window->isRunning());
        delete window;
    }

    void aRunOfManyTinyTasksShowsEveryEventAndShortensTheLongLine()
    {
        // 20,000 tasks print a 130,000-character list: the console shows it shortened, the table
        // gets every event although the batches are bounded, and the output check still passes.
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        QVERIFY(window.selectScenario(QStringLiteral("map")));
        auto* tasks = window.findChild<QSpinBox*>(QStringLiteral("tasks"));
        auto* delay = window.findChild<QDoubleSpinBox*>(QStringLiteral("delay"));
        QVERIFY(tasks && delay);
        tasks->setValue(20000);
        QCOMPARE(tasks->value(), 20000);
        delay->setValue(0);

        QSignalSpy finished(&window, &MainWindow::runFinished);
        window.run();
        QVERIFY(finished.wait(120000));
        const poolscope::trace::Trace& trace = window.currentTrace();
        QVERIFY(trace.output.size() > 100000);
        auto* table = window.findChild<QTableView*>(QStringLiteral("eventTable"));
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), int(trace.events.size()));
        QCOMPARE(window.timelineData().eventCount(), trace.events.size());
        auto* console = window.findChild<QPlainTextEdit*>(QStringLiteral("console"));
        QVERIFY(console);
        const QString shown = console->toPlainText();
        QVERIFY(shown.size() < 5000);
        QVERIFY(shown.startsWith(QStringLiteral("[2, 4, 6, ")));
        QVERIFY(shown.endsWith(QStringLiteral("39998, 40000]")));
        QVERIFY(shown.contains(QStringLiteral("characters not shown")));
        // Nothing about the output being wrong was appended.
        QVERIFY(!shown.contains(QStringLiteral("not the output")));
    }

    void rendersOffscreen()
    {
        MainWindow window;
        window.resize(900, 600);
        const QImage image = window.grab().toImage();
        QCOMPARE(image.size(), QSize(900, 600));
        // Not a blank canvas: the list and the labels put more than one colour on it.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY(colours.size() > 3);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
