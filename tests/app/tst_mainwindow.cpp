#include "app/mainwindow.h"
#include "app/comparisonwindow.h"
#include "compare/comparisonview.h"
#include "scenarios/scenario.h"
#include "timeline/timelineexporter.h"
#include "scenarios/scenario_registry.h"
#include "events/eventmodel.h"
#include "events/eventtableview.h"
#include "listing/listingview.h"
#include "timeline/timelineqcp.h"
#include "timeline/timelineplottable.h"
#include "timeline/timelineview.h"
#include <poolscope/timeline/timeline_data.h>

#include <poolscope/process_worker.h>
#include <poolscope/trace/trace_file.h>

#include "glossary/glossarydialog.h"
#include "replay/replaybar.h"

#include <QAbstractItemModel>
#include <QAction>
#include <functional>
#include <QMenuBar>
#include <QAbstractSlider>
#include <QComboBox>
#include <QAbstractButton>
#include <QApplication>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QMimeData>
#include <QTabWidget>
#include <QTableWidget>
#include <QUrl>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTextBlock>
#include <QTemporaryDir>

#include <QFile>
#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QSplitter>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using poolscope::app::MainWindow;
using poolscope::widgets::RunDocument;
using poolscope::widgets::TimelineView;

namespace {
// A run of `id` made headless, as `poolscope run <id> --trace` makes it.
poolscope::trace::Trace recordedRun(const char* id, const std::vector<std::pair<std::string, std::string>>& overrides)
{
    const poolscope::scenarios::Scenario* scenario = poolscope::scenarios::find_scenario(id);
    if (!scenario)
        qFatal("no scenario %s", id);
    poolscope::EventLog log;
    return poolscope::scenarios::run_scenario(
        *scenario, poolscope::scenarios::ParameterValues::resolve(scenario->parameters(), overrides), log)
        .trace;
}

QString writeFile(const QTemporaryDir& dir, const char* name, const QByteArray& text)
{
    const QString path = dir.filePath(QString::fromLatin1(name));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QString textOf(const MainWindow& window, const char* name)
{
    if (const auto* label = window.findChild<QLabel*>(QLatin1String(name)))
        return label->isHidden() ? QString() : label->text();
    if (const auto* edit = window.findChild<QPlainTextEdit*>(QLatin1String(name)))
        return edit->toPlainText();
    return QStringLiteral("<no %1>").arg(QLatin1String(name));
}

int spinValue(const MainWindow& window, const char* name)
{
    const auto* field = window.findChild<QLineEdit*>(QLatin1String(name));
    bool ok = false;
    const int value = field ? field->text().toInt(&ok) : -1;
    return ok ? value : -1;
}

// Types into a number field as a user does (textEdited fires). False when there is no such field.
bool typeValue(MainWindow& window, const char* name, const QString& text)
{
    auto* field = window.findChild<QLineEdit*>(QLatin1String(name));
    if (!field)
        return false;
    field->selectAll();
    QTest::keyClicks(field, text);
    return field->text() == text;
}
int countOf(const poolscope::trace::Trace& trace, poolscope::EventKind kind)
{
    return int(std::count_if(
        trace.events.begin(), trace.events.end(), [&](const poolscope::Event& e) { return e.kind == kind; }));
}

// A window that runs programs with the test's python (the tracer is the build tree's).
std::unique_ptr<MainWindow> pythonWindow()
{
    auto window = std::make_unique<MainWindow>();
    window->setPythonInterpreter(QStringLiteral(POOLSCOPE_TEST_PYTHON));
    return window;
}
// Shows the window at `size` and waits until it is on the (offscreen) screen.
[[nodiscard]] bool shownAt(QWidget& window, QSize size)
{
    window.resize(size);
    window.show();
    return QTest::qWaitForWindowExposed(&window);
}
} // namespace

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
        auto* workers = window.findChild<QLineEdit*>(QStringLiteral("workers"));
        QVERIFY(workers);
        workers->selectAll();
        QTest::keyClicks(workers, QStringLiteral("3"));

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

    void openedFilesAreOfferedUnderOpenRecent()
    {
        QSettings().remove(QStringLiteral("files/recent"));
        MainWindow window;
        auto* menu = window.findChild<QMenu*>(QStringLiteral("recentMenu"));
        QVERIFY(menu);
        QVERIFY(!menu->isEnabled()); // nothing opened yet

        QTemporaryDir dir;
        poolscope::trace::Trace t;
        t.title = "a recorded run";
        const QString first = dir.filePath(QStringLiteral("first.json"));
        const QString second = dir.filePath(QStringLiteral("second.json"));
        poolscope::trace::save_trace(t, first.toStdString());
        poolscope::trace::save_trace(t, second.toStdString());
        QVERIFY(window.openTrace(first, true).isEmpty());
        QVERIFY(window.openTrace(second, true).isEmpty());
        QVERIFY(window.openTrace(first, true).isEmpty()); // again: moves to the top, not listed twice
        QCOMPARE(window.recentFiles(), (QStringList { first, second }));
        QVERIFY(!window.openTrace(dir.filePath(QStringLiteral("missing.json")), true).isEmpty());
        QCOMPARE(window.recentFiles().size(), 2); // a file that failed to open is not remembered

        emit menu->aboutToShow();
        QVERIFY(menu->isEnabled());
        QStringList texts;
        for (const QAction* action : menu->actions())
            texts << action->text();
        QVERIFY2(texts.size() == 4, qPrintable(texts.join(u'|'))); // two files, a separator, Clear
        QVERIFY(texts[0].startsWith(QStringLiteral("&1  first.json")));
        QVERIFY(texts[1].startsWith(QStringLiteral("&2  second.json")));

        // A file deleted since is taken off the list when chosen, and what is shown stays.
        QVERIFY(QFile::remove(second));
        const QString shownTitle = window.windowTitle();
        QVERIFY(window.openRecent(second, true).contains(QStringLiteral("no longer there")));
        QCOMPARE(window.recentFiles(), QStringList { first });
        QCOMPARE(window.windowTitle(), shownTitle);
        QVERIFY(window.openRecent(first, true).isEmpty());
    }

    void presenterModeEnlargesAndHidesTheSidePaneAndF11Leaves()
    {
        MainWindow window;
        QVERIFY(shownAt(window, QSize(1000, 700)));
        auto* presenter = window.findChild<QAction*>(QStringLiteral("presenterAction"));
        QVERIFY(presenter);
        QCOMPARE(presenter->shortcut(), QKeySequence(Qt::Key_F11));
        auto* main = window.findChild<QSplitter*>(QStringLiteral("mainSplitter"));
        auto* timeline = window.findChild<poolscope::widgets::TimelineView*>();
        auto* tabs = window.findChild<QTabWidget*>();
        QVERIFY(main && timeline && tabs);
        const qreal tabPoints = tabs->font().pointSizeF();
        const int laneFloor = timeline->laneHeightFloor();

        presenter->trigger();
        QVERIFY(window.isPresenterMode());
        QVERIFY(presenter->isChecked());
        QVERIFY(!main->widget(0)->isVisible()); // the scenario list and parameters
        QVERIFY(tabs->font().pointSizeF() > tabPoints * 1.4);
        QVERIFY(timeline->laneHeightFloor() > laneFloor);
        QVERIFY(timeline->laneRect()->axis(QCPAxis::atLeft)->tickLabelFont().pointSizeF() > tabPoints * 1.4);
        QVERIFY(window.windowState() & Qt::WindowFullScreen);
        auto* console = window.findChild<QWidget*>(QStringLiteral("console"));
        QVERIFY(console);
        QVERIFY(console->font().pointSizeF() > QFontDatabase::systemFont(QFontDatabase::FixedFont).pointSizeF() * 1.4);
        QVERIFY(timeline->isHighContrast()); // for a projector

        presenter->trigger();
        QVERIFY(!window.isPresenterMode());
        QVERIFY(!timeline->isHighContrast());
        QVERIFY(main->widget(0)->isVisible());
        QCOMPARE(tabs->font().pointSizeF(), tabPoints);
        QCOMPARE(timeline->laneHeightFloor(), laneFloor);
        QVERIFY(!(window.windowState() & Qt::WindowFullScreen));
    }

    void theThemeFollowsTheSystemOrIsChosen()
    {
        MainWindow window;
        QVERIFY(shownAt(window, QSize(900, 600)));
        auto* timeline = window.findChild<poolscope::widgets::TimelineView*>(QStringLiteral("timeline"));
        QVERIFY(timeline);
        const bool systemDark = timeline->scheme().dark;
        QVERIFY(window.setTheme(QStringLiteral("dark")));
        QCoreApplication::processEvents();
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
        QVERIFY(timeline->scheme().dark); // the timeline follows the palette
        QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("dark"));
        auto* menu = window.findChild<QMenu*>(QStringLiteral("themeMenu"));
        QVERIFY(menu);
        int checked = 0;
        for (QAction* action : menu->actions())
            checked += action->isChecked() && action->data().toString() == QLatin1String("dark") ? 1 : 0;
        QCOMPARE(checked, 1);
        QVERIFY(window.setTheme(QStringLiteral("light")));
        QCoreApplication::processEvents();
        QVERIFY(!timeline->scheme().dark);
        QVERIFY(!window.setTheme(QStringLiteral("purple")));
        QCOMPARE(window.theme(), QStringLiteral("light"));
        QVERIFY(window.setTheme(QStringLiteral("system")));
        QCoreApplication::processEvents();
        QCOMPARE(timeline->scheme().dark, systemDark);
    }

    void everyActionHasAShortcutAndEveryControlAName()
    {
        MainWindow window;
        QVERIFY(shownAt(window, QSize(1000, 700)));
        QStringList missing;
        QSet<QString> keys;
        std::function<void(QMenu*)> walk = [&](QMenu* menu) {
            for (QAction* action : menu->actions()) {
                if (action->isSeparator())
                    continue;
                if (action->menu()) {
                    // Open Recent's files are reached by their digits (&1 … &9), which change.
                    if (action->menu()->objectName() != QLatin1String("recentMenu"))
                        walk(action->menu());
                    continue;
                }
                const QString name = action->text().remove(QLatin1Char('&'));
                if (name.trimmed().isEmpty())
                    missing << QStringLiteral("an action without a name in %1").arg(menu->title());
                if (action->shortcut().isEmpty())
                    missing << QStringLiteral("%1 ▸ %2 has no shortcut").arg(menu->title().remove(QLatin1Char('&')), name);
                else if (keys.contains(action->shortcut().toString()))
                    missing << QStringLiteral("%1 shares its shortcut %2").arg(name, action->shortcut().toString());
                keys.insert(action->shortcut().toString());
            }
        };
        for (QAction* top : window.menuBar()->actions())
            if (top->menu() && top->menu()->objectName() != QLatin1String("recentMenu"))
                walk(top->menu());
        // Controls a screen reader names: an accessible name, or text of their own; on every tab.
        auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("tabs"));
        QVERIFY(tabs);
        for (int tab = 0; tab < tabs->count(); ++tab) {
        tabs->setCurrentIndex(tab);
        for (QWidget* widget : window.findChildren<QWidget*>()) {
            const bool control = qobject_cast<QAbstractButton*>(widget) || qobject_cast<QLineEdit*>(widget)
                || qobject_cast<QComboBox*>(widget) || qobject_cast<QAbstractSlider*>(widget)
                || qobject_cast<QAbstractItemView*>(widget) || qobject_cast<TimelineView*>(widget)
                || qobject_cast<QPlainTextEdit*>(widget);
            if (!control || !widget->isVisibleTo(&window))
                continue;
            // A view's own scroll bars and headers: Qt names them after their view.
            if (widget->inherits("QHeaderView")
                || widget->parentWidget()->objectName().startsWith(QLatin1String("qt_scrollarea_")))
                continue;
            const auto* button = qobject_cast<QAbstractButton*>(widget);
            const bool named = !widget->accessibleName().isEmpty() || (button && !button->text().isEmpty());
            if (!named && !widget->parentWidget()->inherits("QComboBox") && !widget->inherits("QCheckBox"))
                missing << QStringLiteral("%1 '%2' has no accessible name").arg(QLatin1String(widget->metaObject()->className()), widget->objectName());
        }
        }
        missing.removeDuplicates();
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
    }

    void resetLayoutBringsBackAPaneDraggedShut()
    {
        MainWindow window;
        QVERIFY(shownAt(window, QSize(1000, 700)));
        auto* main = window.findChild<QSplitter*>(QStringLiteral("mainSplitter"));
        QVERIFY(main);
        auto* central = qobject_cast<QSplitter*>(main->widget(1));
        QVERIFY(central);
        main->setSizes({ 0, 1000 });
        central->setSizes({ 700, 0 });
        QCOMPARE(main->sizes().first(), 0);
        QCOMPARE(central->sizes().last(), 0);
        window.resetLayout();
        QVERIFY2(main->sizes().first() > 100, qPrintable(QString::number(main->sizes().first())));
        QVERIFY2(central->sizes().last() > 100, qPrintable(QString::number(central->sizes().last())));
        QVERIFY(central->sizes().first() > central->sizes().last()); // the timeline keeps the most room
    }

    void openingATraceAfterARunShowsTheTrace()
    {
        // This session has its own value for the trace's scenario, and shows a run of another one.
        MainWindow window;
        QVERIFY(window.selectScenario(QStringLiteral("exceptions")));
        QVERIFY(typeValue(window, "workers", QStringLiteral("3")));
        QVERIFY(window.selectScenario(QStringLiteral("map")));
        QSignalSpy finished(&window, &MainWindow::runFinished);
        window.run();
        QVERIFY(finished.wait(60000));
        auto* timeline = window.findChild<TimelineView*>(QStringLiteral("timeline"));
        QVERIFY(timeline);
        QVERIFY(timeline->caption().contains(QStringLiteral("scenario map")));

        // Then a trace of another scenario, recorded elsewhere with other parameters.
        poolscope::trace::Trace recorded = recordedRun("exceptions", { { "workers", "2" }, { "tasks", "6" } });
        recorded.host = "another-host";
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("exceptions.json"));
        poolscope::trace::save_trace(recorded, path.toStdString());
        QVERIFY(window.openTrace(path, true).isEmpty());
        const poolscope::trace::Trace loaded = poolscope::trace::load_trace(path.toStdString());

        QCOMPARE(window.currentDocument().origin(), RunDocument::Origin::OpenedFile);
        QCOMPARE(window.currentTrace(), loaded);
        QCOMPARE(window.currentScenarioId(), QStringLiteral("exceptions"));
        // Titles and caption: the trace's, none of the run before.
        QCOMPARE(timeline->title(), QStringLiteral("Exceptions in futures"));
        QCOMPARE(timeline->caption(), poolscope::widgets::TimelineExporter::captionFor(loaded));
        QVERIFY(timeline->caption().contains(QStringLiteral("another-host")));
        QVERIFY(!timeline->caption().contains(QStringLiteral("scenario map")));
        QCOMPARE(textOf(window, "scenarioTitle"), QStringLiteral("Exceptions in futures"));
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("Exceptions in futures")));
        // The panel: the trace's parameters, not this session's.
        QCOMPARE(spinValue(window, "workers"), 2);
        QCOMPARE(spinValue(window, "tasks"), 6);
        QCOMPARE(textOf(window, "parameterNote"), QStringLiteral("The parameters of the opened trace."));
        // Output, events and status: the trace's.
        QCOMPARE(textOf(window, "console"), QString::fromStdString(loaded.output));
        auto* table = window.findChild<QTableView*>(QStringLiteral("eventTable"));
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), int(loaded.events.size()));
        QVERIFY(textOf(window, "status").contains(QStringLiteral("6 submitted · 4 finished · 2 failed")));
        QCOMPARE(window.timelineData().eventCount(), loaded.events.size());

        // Editing a value says the panel no longer shows the trace's run; editing it back, that it does.
        QVERIFY(typeValue(window, "workers", QStringLiteral("4")));
        QVERIFY(textOf(window, "parameterNote").contains(QStringLiteral("changed since this run")));
        QCOMPARE(timeline->caption(), poolscope::widgets::TimelineExporter::captionFor(loaded));
        QVERIFY(typeValue(window, "workers", QStringLiteral("2")));
        QCOMPARE(textOf(window, "parameterNote"), QStringLiteral("The parameters of the opened trace."));
    }

    void aTraceOfAScenarioNotKnownHereIsShownButCannotBeRunAgain()
    {
        poolscope::trace::Trace demo;
        demo.scenario = "demo";
        demo.title = "A demo run";
        demo.parameters = { { "tasks", "2" } };
        demo.lanes = { poolscope::trace::Lane { 0, "ThreadPoolExecutor-0_0", 0 } };
        poolscope::Event submitted;
        submitted.task_id = 1;
        demo.events = { submitted };
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("demo.json"));
        poolscope::trace::save_trace(demo, path.toStdString());

        MainWindow window;
        QVERIFY(window.selectScenario(QStringLiteral("map")));
        auto* run = window.findChild<QPushButton*>(QStringLiteral("runButton"));
        QVERIFY(run);
        QVERIFY(run->isEnabled());
        QVERIFY(window.openTrace(path, true).isEmpty());
        QCOMPARE(window.currentScenarioId(), QString());
        QCOMPARE(textOf(window, "scenarioTitle"), QStringLiteral("A demo run"));
        QVERIFY(textOf(window, "parameterNote").contains(QStringLiteral("tasks=2")));
        QVERIFY(!run->isEnabled());
        window.run(); // does nothing
        QVERIFY(!window.isRunning());

        QVERIFY(window.selectScenario(QStringLiteral("map")));
        QVERIFY(run->isEnabled());
        QCOMPARE(window.currentDocument().state(), RunDocument::State::Empty);
    }

    void selectingAnotherScenarioWithoutRunningShowsAnEmptyTimeline()
    {
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        QVERIFY(window.selectScenario(QStringLiteral("submit")));
        QSignalSpy finished(&window, &MainWindow::runFinished);
        window.run();
        QVERIFY(finished.wait(60000));
        const std::size_t submitEvents = window.currentTrace().events.size();
        QVERIFY(submitEvents > 0);
        QVERIFY(!textOf(window, "console").isEmpty());

        QVERIFY(window.selectScenario(QStringLiteral("map")));
        auto* timeline = window.findChild<TimelineView*>(QStringLiteral("timeline"));
        QVERIFY(timeline);
        QCOMPARE(window.currentDocument().state(), RunDocument::State::Empty);
        QCOMPARE(timeline->data(), &window.timelineData());
        QVERIFY(window.timelineData().isEmpty());
        QCOMPARE(window.timelineData().rowCount(), 1); // the caller lane only, no bars
        QCOMPARE(timeline->title(), QStringLiteral("executor.map: parallel processing"));
        QVERIFY(timeline->caption().contains(QStringLiteral("press Run")));
        QVERIFY(textOf(window, "status").contains(QStringLiteral("press Run")));
        QVERIFY(textOf(window, "console").isEmpty());
        QCOMPARE(window.findChild<QTableView*>(QStringLiteral("eventTable"))->model()->rowCount(), 0);
        QVERIFY(textOf(window, "parameterNote").isEmpty());

        // The window keeps each scenario's last run: going back shows it again.
        QVERIFY(window.selectScenario(QStringLiteral("submit")));
        QCOMPARE(window.currentDocument().state(), RunDocument::State::Finished);
        QCOMPARE(window.currentTrace().events.size(), submitEvents);
        QVERIFY(timeline->caption().contains(QStringLiteral("scenario submit")));
        QCOMPARE(window.findChild<QTableView*>(QStringLiteral("eventTable"))->model()->rowCount(), int(submitEvents));
    }

    void aStoppedRunSaysItWasStopped()
    {
        // A thousand ten-second tasks on one worker: it ends only because it is stopped.
        MainWindow window;
        QVERIFY(window.selectScenario(QStringLiteral("exceptions")));
        QVERIFY(typeValue(window, "workers", QStringLiteral("1")));
        QVERIFY(typeValue(window, "tasks", QStringLiteral("1000")));
        QVERIFY(typeValue(window, "delay", QStringLiteral("10")));
        QSignalSpy finished(&window, &MainWindow::runFinished);
        window.run();
        QVERIFY(window.isRunning());
        QCOMPARE(window.currentDocument().state(), RunDocument::State::Running);
        QVERIFY(textOf(window, "status").startsWith(QStringLiteral("running")));
        window.stop();
        QVERIFY(finished.wait(60000));

        QCOMPARE(window.currentDocument().state(), RunDocument::State::Stopped);
        QVERIFY2(
            textOf(window, "status").startsWith(QStringLiteral("stopped · ")), qPrintable(textOf(window, "status")));
        QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Run stopped"));
        const QString console = textOf(window, "console");
        QVERIFY2(console.contains(QStringLiteral("[stopped: the run was stopped")), qPrintable(console));
        QVERIFY(!console.contains(QStringLiteral("not the output")));
        QVERIFY(!console.contains(QStringLiteral("failed")));
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
        auto* tasks = window.findChild<QLineEdit*>(QStringLiteral("tasks"));
        auto* delay = window.findChild<QLineEdit*>(QStringLiteral("delay"));
        QVERIFY(tasks && delay);
        tasks->selectAll();
        QTest::keyClicks(tasks, QStringLiteral("20000"));
        QCOMPARE(tasks->text(), QStringLiteral("20000"));
        delay->selectAll();
        QTest::keyClicks(delay, QStringLiteral("0"));

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

    void runsAPythonProgramTracedAndShowsItsSource()
    {
        QTemporaryDir dir;
        const QByteArray source = "from concurrent.futures import ThreadPoolExecutor\n"
                                  "def square(n):\n"
                                  "    return n * n\n"
                                  "with ThreadPoolExecutor(max_workers=2) as pool:\n"
                                  "    futures = [pool.submit(square, n) for n in range(4)]\n"
                                  "    print([f.result() for f in futures])\n";
        const QString path = writeFile(dir, "squares.py", source);
        auto window = pythonWindow();
        QVERIFY(window->selectScenario(QStringLiteral("submit")));
        QSignalSpy finished(window.get(), &MainWindow::runFinished);
        QCOMPARE(window->runPythonProgram(path, true), QString());
        QVERIFY(window->isRunning());
        QVERIFY(finished.wait(60000));
        QVERIFY(!window->isRunning());

        const RunDocument& document = window->currentDocument();
        QCOMPARE(document.origin(), RunDocument::Origin::TracedProgram);
        QCOMPARE(document.state(), RunDocument::State::Finished);
        QCOMPARE(document.trace().origin, std::string("cpython"));
        QCOMPARE(countOf(document.trace(), poolscope::EventKind::submitted), 4);
        QCOMPARE(countOf(document.trace(), poolscope::EventKind::finished), 4);
        QVERIFY(document.laneNames().values().contains(QStringLiteral("ThreadPoolExecutor-0_0")));
        QCOMPARE(textOf(*window, "pythonListing"), QString::fromUtf8(source));
        QVERIFY2(textOf(*window, "console").startsWith(QStringLiteral("[0, 1, 4, 9]")), qPrintable(textOf(*window, "console")));
        QVERIFY(textOf(*window, "scenarioTitle").contains(QStringLiteral("squares.py")));
        QVERIFY(window->findChild<TimelineView*>(QStringLiteral("timeline"))->caption().startsWith(QStringLiteral("CPython")));
        // No scenario: no parameters to set, no C++ side; Run runs the program again.
        QVERIFY(window->findChild<QWidget*>(QStringLiteral("parameterPanel"))->isHidden());
        // Moving to an event in the table highlights the line of the program it came from: the
        // submit() call is on line 5, the result() that blocked on line 6.
        auto* table = window->findChild<poolscope::widgets::EventTableView*>();
        auto* listing = window->findChild<poolscope::widgets::ListingView*>(QStringLiteral("pythonListing"));
        QVERIFY(table && listing);
        QCOMPARE(listing->highlightedLine(), 0);
        const auto rowOf = [&](poolscope::EventKind kind) {
            for (int r = 0; r < table->model()->rowCount(); ++r) {
                const QModelIndex index = table->model()->index(r, 0);
                if (index.data(poolscope::widgets::EventModel::KindRole).toInt() == int(kind))
                    return index;
            }
            return QModelIndex();
        };
        const QModelIndex submitted = rowOf(poolscope::EventKind::submitted);
        QVERIFY(submitted.isValid());
        table->setCurrentIndex(submitted);
        QCOMPARE(listing->highlightedLine(), 5);
        const QModelIndex blocked = rowOf(poolscope::EventKind::caller_blocked);
        QVERIFY(blocked.isValid());
        table->setCurrentIndex(blocked);
        QCOMPARE(listing->highlightedLine(), 6);
        auto* tabs = window->findChild<QTabWidget*>(QStringLiteral("tabs"));
        QVERIFY(!tabs->isTabVisible(tabs->indexOf(window->findChild<QWidget*>(QStringLiteral("cppListing")))));
        QVERIFY(window->findChild<QPushButton*>(QStringLiteral("runButton"))->isEnabled());
        window->run();
        QVERIFY(window->isRunning());
        QVERIFY(finished.wait(60000));
        QCOMPARE(window->currentDocument().state(), RunDocument::State::Finished);
        QCOMPARE(countOf(window->currentTrace(), poolscope::EventKind::submitted), 4);
    }

    void aDroppedProgramRunsAndOneThatFailsShowsItsTraceback()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, "broken.py",
            "from concurrent.futures import ThreadPoolExecutor\n"
            "with ThreadPoolExecutor(max_workers=1) as pool:\n"
            "    print(pool.submit(lambda: 1 / 0).result())\n");
        auto window = pythonWindow();
        QSignalSpy finished(window.get(), &MainWindow::runFinished);
        QMimeData mime;
        mime.setUrls({ QUrl::fromLocalFile(path) });
        // As a drag from a file manager arrives: it enters the window, then drops.
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window.get(), &drop);
        QVERIFY(window->isRunning());
        QVERIFY(finished.wait(60000));

        const RunDocument& document = window->currentDocument();
        QCOMPARE(document.origin(), RunDocument::Origin::TracedProgram);
        QCOMPARE(document.state(), RunDocument::State::Failed);
        QCOMPARE(countOf(document.trace(), poolscope::EventKind::failed), 1);
        const QString console = textOf(*window, "console");
        QVERIFY2(console.contains(QStringLiteral("Traceback")), qPrintable(console));
        QVERIFY(console.contains(QStringLiteral("ZeroDivisionError")));
        QVERIFY(console.contains(QStringLiteral("exited with code 1")));
        QVERIFY2(textOf(*window, "status").startsWith(QStringLiteral("failed · ")), qPrintable(textOf(*window, "status")));
    }

    void aProgramWithoutAnExecutorSaysSo()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, "hello.py", "print('hello')\n");
        auto window = pythonWindow();
        QSignalSpy finished(window.get(), &MainWindow::runFinished);
        QCOMPARE(window->runPythonProgram(path, true), QString());
        QVERIFY(finished.wait(60000));
        QCOMPARE(window->currentDocument().state(), RunDocument::State::Finished);
        const QString console = textOf(*window, "console");
        QVERIFY2(console.startsWith(QStringLiteral("hello")), qPrintable(console));
        QVERIFY(console.contains(QStringLiteral("[note: no executor activity recorded]")));
    }

    void stopEndsAHangingProgram()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, "hangs.py",
            "import time\n"
            "from concurrent.futures import ThreadPoolExecutor\n"
            "with ThreadPoolExecutor(max_workers=2) as pool:\n"
            "    futures = [pool.submit(time.sleep, 600) for _ in range(4)]\n"
            "    print('submitted', flush=True)\n"
            "    futures[0].result()\n");
        auto window = pythonWindow();
        QSignalSpy finished(window.get(), &MainWindow::runFinished);
        QCOMPARE(window->runPythonProgram(path, true), QString());
        // Live: the tasks show while the program still runs.
        QTRY_VERIFY_WITH_TIMEOUT(countOf(window->currentTrace(), poolscope::EventKind::started) == 2, 60000);
        QCOMPARE(window->currentDocument().state(), RunDocument::State::Running);
        QVERIFY(window->isRunning());
        window->stop();
        QVERIFY(finished.wait(20000));
        QVERIFY(!window->isRunning());
        QCOMPARE(window->currentDocument().state(), RunDocument::State::Stopped);
        QCOMPARE(window->statusBar()->currentMessage(), QStringLiteral("Program stopped"));
        const QString console = textOf(*window, "console");
        QVERIFY2(console.contains(QStringLiteral("[stopped: the program")), qPrintable(console));
        QVERIFY(console.contains(QStringLiteral("submitted")));
    }

    void aProgramThatCannotStartLeavesWhatWasShown()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, "fine.py", "print('fine')\n");
        auto window = pythonWindow();
        QVERIFY(window->selectScenario(QStringLiteral("submit")));
        const RunDocument* shown = &window->currentDocument();
        QSignalSpy finished(window.get(), &MainWindow::runFinished);

        const QString missing = window->runPythonProgram(dir.filePath(QStringLiteral("nope.py")), true);
        QVERIFY2(missing.contains(QStringLiteral("no such file")), qPrintable(missing));
        window->setPythonInterpreter(QStringLiteral("/nonexistent/python9"));
        const QString noPython = window->runPythonProgram(path, true);
        QVERIFY2(noPython.contains(QStringLiteral("python9")), qPrintable(noPython));
        QVERIFY(!window->isRunning());
        QCOMPARE(&window->currentDocument(), shown);
        QCOMPARE(window->currentScenarioId(), QStringLiteral("submit"));
        QCOMPARE(finished.count(), 0);
    }

    void runInCPythonRunsTheListingWithThePanelsValues()
    {
        auto window = pythonWindow();
        QVERIFY(window->selectScenario(QStringLiteral("submit")));
        QVERIFY(typeValue(*window, "workers", QStringLiteral("2")));
        auto* button = window->findChild<QPushButton*>(QStringLiteral("runInCPythonButton"));
        QVERIFY(button && button->isEnabled());
        const poolscope::scenarios::Scenario* scenario = poolscope::scenarios::find_scenario("submit");
        const auto params = poolscope::scenarios::ParameterValues::resolve(scenario->parameters(), { { "workers", "2" } });
        QSignalSpy finished(window.get(), &MainWindow::runFinished);
        button->click();
        QVERIFY(window->isRunning());
        QVERIFY(finished.wait(60000));

        const RunDocument& document = window->currentDocument();
        QCOMPARE(document.origin(), RunDocument::Origin::TracedProgram);
        QCOMPARE(document.state(), RunDocument::State::Finished);
        QCOMPARE(textOf(*window, "pythonListing"), QString::fromStdString(scenario->python_listing(params)));
        QCOMPARE(document.parameters(), params.as_text());
        QVERIFY(document.title().endsWith(QStringLiteral("in CPython")));
        QCOMPARE(countOf(document.trace(), poolscope::EventKind::submitted), 4);
        const QStringList lanes = document.laneNames().values();
        QCOMPARE(lanes.filter(QStringLiteral("ThreadPoolExecutor-0_")).size(), 2); // max_workers=2, as typed
        QVERIFY2(textOf(*window, "console").startsWith(QStringLiteral("[1024, 243, 625, 1000]")),
            qPrintable(textOf(*window, "console")));
        // The scenario's own document is still there, not run yet.
        QVERIFY(window->selectScenario(QStringLiteral("submit")));
        QCOMPARE(window->currentDocument().origin(), RunDocument::Origin::ScenarioRun);
    }

    void aPinnedRunIsComparedWithTheNextOnOneAxis()
    {
        MainWindow window;
        QVERIFY(window.selectScenario(QStringLiteral("map")));
        QVERIFY(typeValue(window, "workers", QStringLiteral("3"))); // whatever an earlier test left there
        QSignalSpy finished(&window, &MainWindow::runFinished);
        window.run();
        QVERIFY(finished.wait(30000));
        QVERIFY(!window.compareWithPinned(true)); // nothing pinned yet
        window.pinRun();
        QVERIFY(window.pinnedRun().has_value());
        const auto pinnedWall = window.pinnedRun()->wall_time;
        QVERIFY(typeValue(window, "workers", QStringLiteral("2")));
        window.run();
        QVERIFY(finished.wait(30000));
        QSignalSpy opened(&window, &MainWindow::comparisonOpened);
        poolscope::app::ComparisonWindow* compared = window.compareWithPinned(true);
        QVERIFY(compared);
        QCOMPARE(opened.count(), 1);
        const poolscope::widgets::ComparisonView& view = *compared->view();
        QCOMPARE(view.groupCount(), 2);
        QCOMPARE(view.group(0)->viewport(), view.group(1)->viewport());
        QVERIFY2(view.groupTitle(1).contains(QStringLiteral("workers 3 → 2")), qPrintable(view.groupTitle(1)));
        QVERIFY2(view.title().contains(QStringLiteral("workers 3 → 2")), qPrintable(view.title()));
        // The speedup comes from the two runs' recorded wall times.
        QCOMPARE(view.comparison().runs[0].wall_time, pinnedWall);
        QCOMPARE(view.comparison().runs[1].wall_time, window.currentTrace().wall_time);
        QCOMPARE(view.comparison().runs[1].ratio,
            double(window.currentTrace().wall_time.count()) / double(pinnedWall.count()));
        compared->close();
    }

    void comparePoolsRunsExercise7sThreeConfigurations()
    {
        MainWindow window;
        QVERIFY(window.selectScenario(QStringLiteral("map")));
        QVERIFY(!window.comparePools(true).isEmpty()); // exercise 7's only
        auto* button = window.findChild<QPushButton*>(QStringLiteral("comparePoolsButton"));
        QVERIFY(button && button->isHidden());
        QVERIFY(window.selectScenario(QStringLiteral("cpu-bound")));
        QVERIFY(shownAt(window, QSize(1000, 700)));
        QVERIFY(button->isVisible() && button->isEnabled());
        QSignalSpy opened(&window, &MainWindow::comparisonOpened);
        button->click();
        QVERIFY(window.isRunning());
        QVERIFY(opened.wait(120000));
        QVERIFY(!window.isRunning());
        auto* compared = opened.first().first().value<poolscope::app::ComparisonWindow*>();
        QVERIFY(compared);
        const poolscope::widgets::ComparisonView& view = *compared->view();
        QCOMPARE(view.groupCount(), 3);
        QCOMPARE(QString::fromStdString(view.run(0).pool_kind), QStringLiteral("thread+gil"));
        QCOMPARE(QString::fromStdString(view.run(1).pool_kind), QStringLiteral("thread"));
        QCOMPARE(QString::fromStdString(view.run(2).pool_kind), QStringLiteral("process"));
        QVERIFY(view.isBarChartVisible());
        for (int i = 0; i < 3; ++i) {
            const auto& run = view.comparison().runs[std::size_t(i)];
            QCOMPARE(run.wall_time, view.run(i).wall_time);
            QCOMPARE(run.speedup, double(view.run(0).wall_time.count()) / double(view.run(i).wall_time.count()));
        }
        QVERIFY2(view.groupTitle(1).contains(QStringLiteral("gil true → false")), qPrintable(view.groupTitle(1)));
        // Process start-up shows: the process pool's first task starts well after 0.
        const auto firstStart = std::find_if(view.run(2).events.begin(), view.run(2).events.end(),
            [](const poolscope::Event& e) { return e.kind == poolscope::EventKind::started; });
        QVERIFY(firstStart != view.run(2).events.end());
        QVERIFY(view.group(2)->mapping().start <= 0);
        compared->close();
    }

    void cppBesideCPythonComparesTheRunWithItsListingInCPython()
    {
        auto window = pythonWindow();
        QVERIFY(window->selectScenario(QStringLiteral("submit")));
        QVERIFY(!window->compareWithCPython(true).isEmpty()); // not run yet
        QSignalSpy finished(window.get(), &MainWindow::runFinished);
        window->run();
        QVERIFY(finished.wait(30000));
        QSignalSpy opened(window.get(), &MainWindow::comparisonOpened);
        QCOMPARE(window->compareWithCPython(true), QString());
        QVERIFY(opened.wait(60000));
        auto* compared = opened.first().first().value<poolscope::app::ComparisonWindow*>();
        const poolscope::widgets::ComparisonView& view = *compared->view();
        QCOMPARE(view.groupCount(), 2);
        QVERIFY(view.run(0).origin != "cpython");
        QCOMPARE(QString::fromStdString(view.run(1).origin), QStringLiteral("cpython"));
        QVERIFY2(view.groupTitle(1).contains(QStringLiteral("C++ → CPython")), qPrintable(view.groupTitle(1)));
        QCOMPARE(countOf(view.run(0), poolscope::EventKind::submitted), countOf(view.run(1), poolscope::EventKind::submitted));
        compared->close();
    }

    void aScenarioEventHighlightsItsLineInBothListingsAndALineItsEvents()
    {
        MainWindow window;
        QVERIFY(window.selectScenario(QStringLiteral("submit")));
        QVERIFY(shownAt(window, QSize(1100, 800)));
        QSignalSpy finished(&window, &MainWindow::runFinished);
        window.run();
        QVERIFY(finished.wait(30000));
        const auto& events = window.currentTrace().events;
        auto* table = window.findChild<QTableView*>(QStringLiteral("eventTable"));
        auto* python = window.findChild<poolscope::widgets::ListingView*>(QStringLiteral("pythonListing"));
        auto* cpp = window.findChild<poolscope::widgets::ListingView*>(QStringLiteral("cppListing"));
        QVERIFY(table && python && cpp);
        const auto lineText = [](const poolscope::widgets::ListingView* listing) {
            return listing->document()->findBlockByNumber(listing->highlightedLine() - 1).text();
        };
        // The event under the table's cursor: its submit() in both listings, then its task function.
        for (const auto& [kind, inPython, inCpp] :
            { std::tuple { poolscope::EventKind::submitted, "executor.submit(", "pool.submit(" },
                std::tuple { poolscope::EventKind::started, "def compute", "auto compute =" },
                std::tuple { poolscope::EventKind::finished, "return base ** power", "return value;" } }) {
            int row = -1;
            for (int r = 0; r < table->model()->rowCount() && row < 0; ++r) {
                const int index = table->model()->index(r, 0).data(poolscope::widgets::EventModel::EventRole).toInt();
                if (events[std::size_t(index)].kind == kind)
                    row = r;
            }
            QVERIFY(row >= 0);
            table->setCurrentIndex(table->model()->index(row, 0));
            QVERIFY2(lineText(python).contains(QLatin1String(inPython)), qPrintable(lineText(python)));
            QVERIFY2(lineText(cpp).contains(QLatin1String(inCpp)), qPrintable(lineText(cpp)));
        }
        // The submit() line, activated (Enter on it): its events pinned on their lanes.
        auto* timeline = window.findChild<TimelineView*>(QStringLiteral("timeline"));
        int submitLine = 0;
        for (int i = 0; i < python->document()->blockCount() && !submitLine; ++i)
            if (python->document()->findBlockByNumber(i).text().contains(QLatin1String("executor.submit(")))
                submitLine = i + 1;
        QVERIFY(submitLine > 0);
        python->highlightLine(submitLine);
        QTest::keyClick(python, Qt::Key_Return);
        const auto& marks = timeline->plottable()->eventMarks();
        std::vector<poolscope::widgets::TimelinePlottable::EventMark> expected;
        for (const poolscope::Event& e : events)
            if (e.kind == poolscope::EventKind::submitted || e.kind == poolscope::EventKind::worker_started)
                expected.push_back({ e.time.count(), poolscope::timeline::TimelineData::rowOfWorker(e.worker) });
        // The four submit() calls, and the threads they started (as many as the workers set).
        QVERIFY(marks.size() >= 5);
        QCOMPARE(marks, expected);
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("submitted ×4")),
            qPrintable(window.statusBar()->currentMessage()));
        // A line that caused nothing says so and clears the pins.
        python->highlightLine(1);
        QTest::keyClick(python, Qt::Key_Return);
        QVERIFY(timeline->plottable()->eventMarks().empty());
    }

    void theEventFilterAboveTheTableNarrowsItsRows()
    {
        MainWindow window;
        QVERIFY(window.selectScenario(QStringLiteral("submit")));
        QSignalSpy finished(&window, &MainWindow::runFinished);
        window.run();
        QVERIFY(finished.wait(60000));
        auto* table = window.findChild<QTableView*>(QStringLiteral("eventTable"));
        auto* search = window.findChild<QLineEdit*>(QStringLiteral("eventSearch"));
        QVERIFY(table && search);
        const int all = table->model()->rowCount();
        QCOMPARE(all, int(window.currentTrace().events.size()));
        QTest::keyClicks(search, QStringLiteral("#2"));
        const int task2 = int(std::count_if(window.currentTrace().events.begin(), window.currentTrace().events.end(),
            [](const poolscope::Event& e) { return e.task_id == 2; }));
        QVERIFY(task2 >= 3); // submitted, started, finished at least
        QCOMPARE(table->model()->rowCount(), task2);
        QCOMPARE(window.findChild<QLabel*>(QStringLiteral("eventCount"))->text(),
            QStringLiteral("%1 of %2 events").arg(task2).arg(all));
        QCOMPARE(search->text(), QStringLiteral("#2"));
    }

    void theReplayShowsExactlyWhatHadHappenedAtThePlayhead()
    {
        MainWindow window;
        window.resize(1100, 750);
        QVERIFY(window.selectScenario(QStringLiteral("as-completed")));
        auto* replay = window.replayBar();
        QVERIFY(replay && !replay->isEnabled()); // nothing to replay before a run
        QSignalSpy finished(&window, &MainWindow::runFinished);
        window.run();
        QVERIFY(finished.wait(60000));
        QVERIFY(replay->isEnabled());
        QVERIFY(!replay->isReplaying());

        const poolscope::trace::Trace whole = window.currentTrace();
        std::vector<qint64> times;
        for (const poolscope::Event& e : whole.events)
            times.push_back(e.time.count());
        std::sort(times.begin(), times.end());
        times.erase(std::unique(times.begin(), times.end()), times.end());
        auto* table = window.findChild<QTableView*>(QStringLiteral("eventTable"));
        auto* timeline = window.findChild<TimelineView*>(QStringLiteral("timeline"));
        QVERIFY(timeline);
        const auto upTo = [&](qint64 t, bool output) {
            return int(std::count_if(whole.events.begin(), whole.events.end(), [&](const poolscope::Event& e) {
                const bool printed = e.kind == poolscope::EventKind::output;
                return e.time.count() <= t && (!output || printed);
            }));
        };

        // Stepping from the start visits every moment with an event, in order; the timeline, the
        // table and the console hold exactly what had happened by then.
        replay->goToStart();
        std::vector<qint64> visited;
        for (std::size_t i = 0; i < times.size() && replay->isReplaying(); ++i) {
            replay->stepForward();
            if (!replay->isReplaying())
                break;
            const qint64 t = replay->position();
            visited.push_back(t);
            QCOMPARE(timeline->timeLimit(), std::optional<std::int64_t>(t)); // drawn as it stood then
            QCOMPARE(table->model()->rowCount(), upTo(t, false));
            const QString console = textOf(window, "console");
            QCOMPARE(console.isEmpty() ? 0 : int(console.count(QLatin1Char('\n'))) + 1, upTo(t, true));
            QVERIFY2(replay->explanation().contains(QStringLiteral(" s: ")), qPrintable(replay->explanation()));
        }
        std::vector<qint64> expected(times.begin(), times.end());
        if (!expected.empty() && expected.back() >= replay->endNs())
            expected.pop_back(); // the last moment is the end: the whole run
        QCOMPARE(visited, expected);

        // Back again, as cheaply and in the reverse order.
        std::vector<qint64> back;
        while (replay->position() > 0) {
            replay->stepBack();
            if (replay->position() > 0)
                back.push_back(replay->position());
        }
        std::reverse(back.begin(), back.end());
        QCOMPARE(back, visited);

        replay->goToEnd();
        QCOMPARE(table->model()->rowCount(), int(whole.events.size()));
        QCOMPARE(timeline->timeLimit(), std::nullopt); // the end: everything
        QVERIFY(textOf(window, "console").startsWith(QStringLiteral("Completion order:")));
    }

    void helpShowsTheGlossary()
    {
        MainWindow window;
        auto* action = window.findChild<QAction*>(QStringLiteral("glossaryAction"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(QKeySequence::HelpContents));
        action->trigger();
        auto* dialog = window.findChild<poolscope::widgets::GlossaryDialog*>();
        QVERIFY(dialog && dialog->isVisible());
        QVERIFY(dialog->kindsTable()->rowCount() > 10);
        action->trigger(); // again: the same dialog, raised
        QCOMPARE(window.findChildren<poolscope::widgets::GlossaryDialog*>().size(), 1);
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

// Compare Pools runs a process pool, whose spawned workers are this program started again: they
// take over before anything of the test starts (Python's `if __name__ == "__main__":`).
int main(int argc, char** argv)
{
    poolscope::run_worker_if_spawned(argc, argv);
    QApplication app(argc, argv);
    TestMainWindow test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_mainwindow.moc"
