#include "app/mainwindow.h"

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
        QCOMPARE(list->model()->rowCount(), 11);

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
