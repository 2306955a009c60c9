#include "app/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QPixmap>
#include <QTextStream>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("PoolScope"));
    QApplication::setOrganizationName(QStringLiteral("PoolScope"));
    QApplication::setApplicationVersion(QStringLiteral(POOLSCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Draws what a concurrent.futures-style executor does."));
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
