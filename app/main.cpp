#include "app/commandline.h"
#include "app/mainwindow.h"

#include <poolscope/process_worker.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QPixmap>
#include <QTextStream>

int main(int argc, char** argv)
{
    // First of all: a process-pool worker is this program started again (see process_worker.h).
    poolscope::run_worker_if_spawned(argc, argv);

    if (poolscope::app::CommandLine::wantsHeadless(argc, argv)) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("poolscope"));
        QCoreApplication::setApplicationVersion(QStringLiteral(POOLSCOPE_VERSION));
        QTextStream out(stdout);
        QTextStream err(stderr);
        return poolscope::app::CommandLine::run(QCoreApplication::arguments(), out, err);
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("PoolScope"));
    QApplication::setOrganizationName(QStringLiteral("PoolScope"));
    QApplication::setApplicationVersion(QStringLiteral(POOLSCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Draws what a concurrent.futures-style executor does.\n"
                                                    "Headless: poolscope --list, poolscope run <id> --help."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption scenario(
        QStringLiteral("scenario"), QStringLiteral("Select scenario <id> at start."), QStringLiteral("id"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Render the window to <file> (PNG) and exit; works with QT_QPA_PLATFORM=offscreen."),
        QStringLiteral("file"));
    parser.addOption(scenario);
    parser.addOption(screenshot);
    parser.process(app);

    poolscope::app::MainWindow window;
    if (parser.isSet(scenario) && !window.selectScenario(parser.value(scenario))) {
        QTextStream(stderr) << "poolscope: no scenario with id '" << parser.value(scenario)
                            << "'; the ids are listed in the window and in the README\n";
        return 2;
    }
    if (parser.isSet(screenshot)) {
        window.resize(1100, 700);
        window.show();
        QApplication::processEvents();
        if (!window.grab().save(parser.value(screenshot), "PNG")) {
            QTextStream(stderr) << "poolscope: could not write " << parser.value(screenshot) << '\n';
            return 1;
        }
        return 0;
    }
    window.show();
    return QApplication::exec();
}
