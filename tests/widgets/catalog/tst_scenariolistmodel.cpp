#include "catalog/scenariolistmodel.h"

#include "scenarios/scenario_registry.h"

#include <QAbstractItemModelTester>
#include <QTest>

using poolscope::widgets::ScenarioListModel;

class TestScenarioListModel : public QObject {
    Q_OBJECT
private slots:
    void passesTheModelTester()
    {
        ScenarioListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), int(poolscope::scenarios::all_scenarios().size()));
        QCOMPARE(model.rowCount(model.index(0)), 0);
    }

    void rowsCarryIdTitleAndHint_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("titleFragment");
        QTest::newRow("first_map") << QStringLiteral("map") << QStringLiteral("executor.map");
        QTest::newRow("middle_firstCompleted")
            << QStringLiteral("first-completed") << QStringLiteral("FIRST_COMPLETED");
        QTest::newRow("last_retry") << QStringLiteral("retry") << QStringLiteral("Retry");
    }
    void rowsCarryIdTitleAndHint()
    {
        QFETCH(QString, id);
        QFETCH(QString, titleFragment);
        ScenarioListModel model;
        const int row = model.rowOf(id);
        QVERIFY(row >= 0);
        const QModelIndex index = model.index(row);
        QCOMPARE(index.data(ScenarioListModel::IdRole).toString(), id);
        QVERIFY2(index.data().toString().contains(titleFragment), qPrintable(index.data().toString()));
        QVERIFY(!index.data(ScenarioListModel::HintRole).toString().isEmpty());
        QCOMPARE(index.data(Qt::ToolTipRole), index.data(ScenarioListModel::HintRole));
    }

    void idsAreUniqueAndUnknownIdsAreRejected()
    {
        ScenarioListModel model;
        QSet<QString> ids;
        for (int row = 0; row < model.rowCount(); ++row)
            ids.insert(model.index(row).data(ScenarioListModel::IdRole).toString());
        QCOMPARE(ids.size(), model.rowCount());
        QCOMPARE(model.rowOf(QStringLiteral("no-such-scenario")), -1);
        QVERIFY(!model.index(model.rowCount()).data().isValid());
    }
};

QTEST_GUILESS_MAIN(TestScenarioListModel)
#include "tst_scenariolistmodel.moc"
