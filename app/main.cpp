#include "app/commandline.h"
#include "app/comparisonwindow.h"
#include "app/mainwindow.h"
#include "replay/replaybar.h"

#include <poolscope/process_worker.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QPixmap>
#include <QTextStream>

#include <memory>
#include <string_view>
#include <utility>

namespace {
// The window's own options; the headless ones are CommandLine's.
struct WindowOptions {
    explicit WindowOptions(QCommandLineParser& parser)
    {
        parser.setApplicationDescription(QStringLiteral("Draws what a concurrent.futures-style executor does.\n"
                                                        "Headless: poolscope --list, poolscope run <id> --help."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOption(scenario);
        parser.addOption(screenshot);
        parser.addOption(runAtStart);
        parser.addOption(size);
        parser.addOption(open);
        parser.addOption(python);
        parser.addOption(tab);
        parser.addOption(presenter);
        parser.addOption(at);
        parser.addOption(compare);
        parser.addOption(theme);
        parser.addPositionalArgument(QStringLiteral("file"),
            QStringLiteral("A trace file (.json) to open, as with --open; or a Python program (.py) to run in "
                           "CPython under the tracer, as File > Run Python Program does."),
            QStringLiteral("[FILE]"));
    }
    QCommandLineOption scenario { QStringLiteral("scenario"), QStringLiteral("Select scenario <id> at start."),
        QStringLiteral("id") };
    QCommandLineOption screenshot { QStringLiteral("screenshot"),
        QStringLiteral("Render the window to <file> (PNG) and exit; works with QT_QPA_PLATFORM=offscreen."),
        QStringLiteral("file") };
    QCommandLineOption runAtStart { QStringLiteral("run"),
        QStringLiteral("Run the selected scenario at start (with --screenshot: before the shot).") };
    QCommandLineOption size { QStringLiteral("size"), QStringLiteral("Window size for --screenshot, e.g. 1400x900."),
        QStringLiteral("WxH"), QStringLiteral("1280x800") };
    QCommandLineOption open { QStringLiteral("open"),
        QStringLiteral("Open a trace file at start (with --run: after the run, so --screenshot shows the trace)."),
        QStringLiteral("file") };
    QCommandLineOption python { QStringLiteral("python"),
        QStringLiteral("The python that runs a .py FILE (and becomes the setting), e.g. /usr/bin/python3."),
        QStringLiteral("path") };
    QCommandLineOption tab { QStringLiteral("tab"),
        QStringLiteral("Show this tab under the timeline: output, events, look, python or c++ (for --screenshot)."),
        QStringLiteral("name") };
    QCommandLineOption presenter { QStringLiteral("presenter"),
        QStringLiteral("Start in presenter mode (View > Presenter Mode, F11): full screen, larger text.") };
    QCommandLineOption compare { QStringLiteral("compare"),
        QStringLiteral("With --screenshot: open a comparison and shoot its window instead: 'pools' (Compare > Compare "
                       "Pools, exercise 7's, with --scenario cpu-bound), 'cpython' (C++ beside CPython, after --run)."),
        QStringLiteral("what") };
    QCommandLineOption theme { QStringLiteral("theme"),
        QStringLiteral("The colours (View > Theme, a setting): system (the default), light or dark."),
        QStringLiteral("name") };
    QCommandLineOption at { QStringLiteral("at"),
        QStringLiteral("Move the replay's playhead to <seconds> into the run (for --screenshot, after --run or a file)."),
        QStringLiteral("seconds") };
};

bool wantsOnlyText(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v" || arg == "--version")
            return true;
    }
    return false;
}

// A platform was chosen (offscreen, for a screenshot), or there is a screen to open the window on.
bool hasDisplay()
{
    return !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY")
        || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}
} // namespace

int main(int argc, char** argv)
{
    // First of all: a process-pool worker is this program started again (see process_worker.h).
    poolscope::run_worker_if_spawned(argc, argv);

    if (poolscope::app::CommandLine::wantsHeadless(argc, argv)) {
        // Rendering a timeline needs fonts and a paint device, so a GUI application, but never a
        // screen: without one the offscreen platform does.
        std::unique_ptr<QCoreApplication> app;
        if (poolscope::app::CommandLine::wantsRendering(argc, argv)) {
            if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
                && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
                qputenv("QT_QPA_PLATFORM", "offscreen");
            app = std::make_unique<QApplication>(argc, argv);
        } else {
            app = std::make_unique<QCoreApplication>(argc, argv);
        }
        QCoreApplication::setApplicationName(QStringLiteral("poolscope"));
        QCoreApplication::setApplicationVersion(QStringLiteral(POOLSCOPE_VERSION));
        QTextStream out(stdout);
        QTextStream err(stderr);
        return poolscope::app::CommandLine::run(QCoreApplication::arguments(), out, err);
    }

    // --help and --version need no window, so no display either: answer them from a core
    // application, before a GUI one would abort for want of a screen.
    if (wantsOnlyText(argc, argv)) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("poolscope"));
        QCoreApplication::setApplicationVersion(QStringLiteral(POOLSCOPE_VERSION));
        QCommandLineParser parser;
        WindowOptions options(parser);
        parser.process(app); // prints and exits
        return 0;
    }
    if (!hasDisplay()) {
        QTextStream(stderr) << "poolscope: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY "
                               "is set).\nThe command line works without one: poolscope --list, poolscope run <id>; "
                               "or set QT_QPA_PLATFORM=offscreen to render with --screenshot.\n";
        return 1;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("PoolScope"));
    QApplication::setOrganizationName(QStringLiteral("PoolScope"));
    QApplication::setApplicationVersion(QStringLiteral(POOLSCOPE_VERSION));

    QCommandLineParser parser;
    const WindowOptions options(parser);
    const QCommandLineOption& scenario = options.scenario;
    const QCommandLineOption& screenshot = options.screenshot;
    const QCommandLineOption& runAtStart = options.runAtStart;
    const QCommandLineOption& size = options.size;
    const QCommandLineOption& open = options.open;
    const QCommandLineOption& python = options.python;
    const QCommandLineOption& tab = options.tab;
    const QCommandLineOption& at = options.at;
    const QCommandLineOption& presenter = options.presenter;
    const QCommandLineOption& compare = options.compare;
    const QCommandLineOption& theme = options.theme;
    parser.process(app);
    // `poolscope run.json`, as a file manager starts it, is `poolscope --open run.json`.
    QString fileToOpen = parser.isSet(open) ? parser.value(open) : parser.positionalArguments().value(0);
    // `poolscope program.py` runs it, traced; any other file is a trace to open.
    QString programToRun;
    if (!parser.isSet(open) && fileToOpen.endsWith(QStringLiteral(".py"), Qt::CaseInsensitive))
        programToRun = std::exchange(fileToOpen, QString());

    poolscope::app::MainWindow window;
    if (parser.isSet(scenario) && !window.selectScenario(parser.value(scenario))) {
        QTextStream(stderr) << "poolscope: no scenario with id '" << parser.value(scenario)
                            << "'; the ids are listed in the window and in the README\n";
        return 2;
    }
    if (parser.isSet(python))
        window.setPythonInterpreter(parser.value(python));
    if (parser.isSet(theme) && !window.setTheme(parser.value(theme))) {
        QTextStream(stderr) << "poolscope: --theme takes system, light or dark, not '" << parser.value(theme) << "'\n";
        return 2;
    }
    if (parser.isSet(screenshot)) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        window.resize(
            wh.value(0).toInt() > 0 ? wh.value(0).toInt() : 1280, wh.value(1).toInt() > 0 ? wh.value(1).toInt() : 800);
        window.show();
        if (parser.isSet(runAtStart)) {
            QEventLoop loop;
            QObject::connect(&window, &poolscope::app::MainWindow::runFinished, &loop, &QEventLoop::quit);
            window.run();
            if (window.isRunning())
                loop.exec();
        }
        if (!programToRun.isEmpty()) {
            QEventLoop loop;
            QObject::connect(&window, &poolscope::app::MainWindow::runFinished, &loop, &QEventLoop::quit);
            if (const QString error = window.runPythonProgram(programToRun, true); !error.isEmpty()) {
                QTextStream(stderr) << "poolscope: " << error << '\n';
                return 2;
            }
            if (window.isRunning())
                loop.exec();
        }
        if (!fileToOpen.isEmpty()) {
            if (const QString error = window.openTrace(fileToOpen, true); !error.isEmpty()) {
                QTextStream(stderr) << "poolscope: " << error << '\n';
                return 1;
            }
        }
        if (parser.isSet(at)) {
            bool ok = false;
            const double seconds = parser.value(at).toDouble(&ok);
            if (!ok || seconds < 0) {
                QTextStream(stderr) << "poolscope: --at needs a number of seconds, 0 or more, got '" << parser.value(at)
                                    << "'\n";
                return 2;
            }
            window.replayBar()->setPosition(qint64(seconds * 1e9));
        }
        if (parser.isSet(presenter))
            window.setPresenterMode(true);
        QWidget* shot = &window;
        if (parser.isSet(compare)) {
            QEventLoop loop;
            poolscope::app::ComparisonWindow* compared = nullptr;
            QString why;
            QObject::connect(&window, &poolscope::app::MainWindow::comparisonOpened, &loop,
                [&](poolscope::app::ComparisonWindow* opened) {
                    compared = opened;
                    loop.quit();
                });
            QObject::connect(&window, &poolscope::app::MainWindow::comparisonAbandoned, &loop, [&](const QString& reason) {
                why = reason;
                loop.quit();
            });
            const QString what = parser.value(compare);
            if (what == QLatin1String("pools"))
                why = window.comparePools(true);
            else if (what == QLatin1String("cpython"))
                why = window.compareWithCPython(true);
            else
                why = QStringLiteral("--compare takes 'pools' or 'cpython', not '%1'").arg(what);
            if (why.isEmpty())
                loop.exec();
            if (!compared) {
                QTextStream(stderr) << "poolscope: no comparison: " << why << '\n';
                return 2;
            }
            compared->resize(window.size());
            shot = compared;
        }
        if (parser.isSet(tab) && !window.showTab(parser.value(tab))) {
            QTextStream(stderr) << "poolscope: no tab '" << parser.value(tab)
                                << "'; the tabs are output, events, look, python and c++\n";
            return 2;
        }
        // A layout change posts another (a label taking a second line grows its bar, which shrinks
        // the plot, which replots): let a few rounds settle, as they would on screen.
        for (int round = 0; round < 4; ++round)
            QApplication::processEvents();
        if (!shot->grab().save(parser.value(screenshot), "PNG")) {
            QTextStream(stderr) << "poolscope: could not write " << parser.value(screenshot) << '\n';
            return 1;
        }
        return 0;
    }
    window.show();
    if (parser.isSet(presenter))
        window.setPresenterMode(true);
    if (!fileToOpen.isEmpty())
        window.openTrace(fileToOpen); // a file that cannot be read is reported in the window
    if (!programToRun.isEmpty()) // after show(): what goes wrong is said in a message box over the window
        QMetaObject::invokeMethod(&window, [&window, programToRun] { window.runPythonProgram(programToRun); }, Qt::QueuedConnection);
    if (parser.isSet(runAtStart))
        QMetaObject::invokeMethod(&window, &poolscope::app::MainWindow::run, Qt::QueuedConnection);
    return QApplication::exec();
}
