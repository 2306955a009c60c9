#include "parameters/parameterpanel.h"

#include "scenarios/parameter_values.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include <string>
#include <utility>
#include <vector>

using poolscope::scenarios::Parameter;
using poolscope::scenarios::ParameterError;
using poolscope::scenarios::ParameterKind;
using poolscope::scenarios::ParameterValues;
using poolscope::widgets::ParameterPanel;
using Values = std::vector<std::pair<std::string, std::string>>;

namespace {
// Made up for the test, one or two of every kind; no real scenario needed.
std::vector<Parameter> sampleParameters()
{
    std::vector<Parameter> parameters(5);
    parameters[0] = { "workers", "Workers", "How many worker threads the pool starts.", ParameterKind::integer, 1, 64,
        {}, "4", "" };
    parameters[1] = { "delay", "Delay", "How long each task sleeps.", ParameterKind::real, 0, 10, {}, "0.5", "s" };
    parameters[2] = { "timeout", "Timeout", "How long map() waits.", ParameterKind::real, 0.001, 5, {}, "0.25", "s" };
    parameters[3] = { "verbose", "Verbose", "Print every result.", ParameterKind::boolean, 0, 0, {}, "false", "" };
    parameters[4] = { "pool", "Pool", "Which executor runs the tasks.", ParameterKind::choice, 0, 0,
        { "thread", "process", "thread+gil" }, "thread", "" };
    return parameters;
}

QByteArray toBytes(const Values& values)
{
    QByteArray text;
    for (const auto& [name, value] : values)
        text += QByteArray::fromStdString(name) + '=' + QByteArray::fromStdString(value) + ' ';
    return text;
}
} // namespace

Q_DECLARE_METATYPE(Values)

class TestParameterPanel : public QObject {
    Q_OBJECT
private slots:
    void createsOneEditorPerKind_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("editorClass");
        QTest::addColumn<double>("minimum");
        QTest::addColumn<double>("maximum");
        QTest::addColumn<int>("decimals"); // double spin boxes only
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QString>("shown"); // the default as the editor shows it
        QTest::newRow("integer_spinBoxWithBounds") << QStringLiteral("workers") << QStringLiteral("QSpinBox") << 1.0
                                                   << 64.0 << 0 << QString() << QStringLiteral("4");
        QTest::newRow("real_oneDecimalAndUnit") << QStringLiteral("delay") << QStringLiteral("QDoubleSpinBox") << 0.0
                                                << 10.0 << 1 << QStringLiteral(" s") << QStringLiteral("0.5");
        QTest::newRow("real_decimalsFromTheMinimum")
            << QStringLiteral("timeout") << QStringLiteral("QDoubleSpinBox") << 0.001 << 5.0 << 3
            << QStringLiteral(" s") << QStringLiteral("0.25");
        QTest::newRow("boolean_checkBox") << QStringLiteral("verbose") << QStringLiteral("QCheckBox") << 0.0 << 0.0 << 0
                                          << QString() << QStringLiteral("false");
        QTest::newRow("choice_comboBox") << QStringLiteral("pool") << QStringLiteral("QComboBox") << 0.0 << 0.0 << 0
                                         << QString() << QStringLiteral("thread");
    }
    void createsOneEditorPerKind()
    {
        QFETCH(QString, name);
        QFETCH(QString, editorClass);
        QFETCH(double, minimum);
        QFETCH(double, maximum);
        QFETCH(int, decimals);
        QFETCH(QString, suffix);
        QFETCH(QString, shown);
        ParameterPanel panel(sampleParameters());
        QWidget* editor = panel.findChild<QWidget*>(name);
        QVERIFY(editor);
        QCOMPARE(panel.editor(name), editor);
        QCOMPARE(QString::fromLatin1(editor->metaObject()->className()), editorClass);
        QVERIFY(!editor->toolTip().isEmpty());
        for (const Parameter& p : sampleParameters()) {
            if (QString::fromStdString(p.name) == name)
                QCOMPARE(editor->toolTip(), QString::fromStdString(p.help));
        }
        if (auto* spin = qobject_cast<QSpinBox*>(editor)) {
            QCOMPARE(double(spin->minimum()), minimum);
            QCOMPARE(double(spin->maximum()), maximum);
            QCOMPARE(spin->suffix(), suffix);
            QCOMPARE(QString::number(spin->value()), shown);
        } else if (auto* real = qobject_cast<QDoubleSpinBox*>(editor)) {
            QCOMPARE(real->minimum(), minimum);
            QCOMPARE(real->maximum(), maximum);
            QCOMPARE(real->decimals(), decimals);
            QCOMPARE(real->suffix(), suffix);
            QCOMPARE(QString::number(real->value()), shown);
        } else if (auto* check = qobject_cast<QCheckBox*>(editor)) {
            QCOMPARE(check->isChecked() ? QStringLiteral("true") : QStringLiteral("false"), shown);
        } else if (auto* combo = qobject_cast<QComboBox*>(editor)) {
            QCOMPARE(combo->count(), 3);
            QCOMPARE(combo->currentText(), shown);
        }
    }

    void defaultsAreTheCanonicalResolvedValues()
    {
        const auto parameters = sampleParameters();
        ParameterPanel panel(parameters);
        const Values expected = ParameterValues::resolve(parameters).as_text();
        QCOMPARE(toBytes(panel.values()), toBytes(expected));
        QCOMPARE(toBytes(panel.values()), QByteArray("workers=4 delay=0.5 timeout=0.25 verbose=false pool=thread "));
        QVERIFY(panel.isDefault());
    }

    void valuesRoundTripThroughResolve_data()
    {
        QTest::addColumn<Values>("set");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("everyKindChanged")
            << Values { { "workers", "64" }, { "delay", "2.5" }, { "timeout", "0.001" }, { "verbose", "true" },
                   { "pool", "thread+gil" } }
            << QByteArray("workers=64 delay=2.5 timeout=0.001 verbose=true pool=thread+gil ");
        QTest::newRow("lowerBounds") << Values { { "workers", "1" }, { "delay", "0" }, { "timeout", "0.001" } }
                                     << QByteArray("workers=1 delay=0 timeout=0.001 verbose=false pool=thread ");
        QTest::newRow("nonCanonicalSpellings")
            << Values { { "workers", "+8" }, { "delay", "3.0" }, { "verbose", "yes" }, { "pool", " process " } }
            << QByteArray("workers=8 delay=3 timeout=0.25 verbose=true pool=process ");
        QTest::newRow("realRoundedToTheEditorsDecimals")
            << Values { { "delay", "1.26" } }
            << QByteArray("workers=4 delay=1.3 timeout=0.25 verbose=false pool=thread ");
    }
    void valuesRoundTripThroughResolve()
    {
        QFETCH(Values, set);
        const auto parameters = sampleParameters();
        ParameterPanel panel(parameters);
        QVERIFY(panel.setValues(set));
        QTEST(toBytes(panel.values()), "expected");
        try {
            const Values resolved = ParameterValues::resolve(parameters, panel.values()).as_text();
            QCOMPARE(toBytes(resolved), toBytes(panel.values()));
        } catch (const ParameterError& error) {
            QFAIL(error.what());
        }
        QVERIFY(!panel.isDefault());
    }

    void setValuesSkipsWhatDoesNotFit_data()
    {
        QTest::addColumn<Values>("set");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray defaults("workers=4 delay=0.5 timeout=0.25 verbose=false pool=thread ");
        QTest::newRow("unknownName") << Values { { "threads", "8" } } << defaults;
        QTest::newRow("integerAboveMaximum") << Values { { "workers", "65" } } << defaults;
        QTest::newRow("integerNotANumber") << Values { { "workers", "four" } } << defaults;
        QTest::newRow("realBelowMinimum") << Values { { "timeout", "0" } } << defaults;
        QTest::newRow("booleanMisspelt") << Values { { "verbose", "ja" } } << defaults;
        QTest::newRow("notAChoice") << Values { { "pool", "fiber" } } << defaults;
        QTest::newRow("goodAndBad_goodOneApplied") << Values { { "workers", "0" },
            { "delay", "1" } } << QByteArray("workers=4 delay=1 timeout=0.25 verbose=false pool=thread ");
    }
    void setValuesSkipsWhatDoesNotFit()
    {
        QFETCH(Values, set);
        QFETCH(QByteArray, expected);
        ParameterPanel panel(sampleParameters());
        const QByteArray before = toBytes(panel.values());
        QSignalSpy changed(&panel, &ParameterPanel::valuesChanged);
        QVERIFY(!panel.setValues(set));
        QCOMPARE(toBytes(panel.values()), expected);
        QCOMPARE(changed.count(), expected == before ? 0 : 1);
    }

    void setValuesEmitsOnceForManyChanges()
    {
        ParameterPanel panel(sampleParameters());
        QSignalSpy changed(&panel, &ParameterPanel::valuesChanged);
        QVERIFY(
            panel.setValues({ { "workers", "2" }, { "delay", "1" }, { "verbose", "true" }, { "pool", "process" } }));
        QCOMPARE(changed.count(), 1);
        QVERIFY(panel.setValues({ { "workers", "2" } })); // no change, no signal
        QCOMPARE(changed.count(), 1);
    }

    void resetRestoresTheDefaults_data()
    {
        QTest::addColumn<bool>("viaButton");
        QTest::newRow("resetSlot") << false;
        QTest::newRow("resetButtonClicked") << true;
    }
    void resetRestoresTheDefaults()
    {
        QFETCH(bool, viaButton);
        ParameterPanel panel(sampleParameters());
        const Values defaults = panel.values();
        auto* button = panel.findChild<QPushButton*>(QStringLiteral("resetButton"));
        QVERIFY(button);
        QVERIFY(!button->isEnabled());

        QSignalSpy changed(&panel, &ParameterPanel::valuesChanged);
        // As a user would: through the editors.
        panel.findChild<QSpinBox*>(QStringLiteral("workers"))->setValue(9);
        panel.findChild<QCheckBox*>(QStringLiteral("verbose"))->setChecked(true);
        panel.findChild<QComboBox*>(QStringLiteral("pool"))->setCurrentIndex(1);
        QCOMPARE(changed.count(), 3);
        QVERIFY(button->isEnabled());
        QVERIFY(!panel.isDefault());

        if (viaButton)
            QTest::mouseClick(button, Qt::LeftButton);
        else
            panel.reset();
        QCOMPARE(toBytes(panel.values()), toBytes(defaults));
        QCOMPARE(changed.count(), 4);
        QVERIFY(!button->isEnabled());
        panel.reset(); // already at the defaults: silent
        QCOMPARE(changed.count(), 4);
    }

    void setParametersReplacesTheEditors_data()
    {
        QTest::addColumn<int>("count");
        QTest::newRow("none_showsAHint") << 0;
        QTest::newRow("oneOfThem") << 1;
        QTest::newRow("allFive") << 5;
    }
    void setParametersReplacesTheEditors()
    {
        QFETCH(int, count);
        ParameterPanel panel(sampleParameters());
        auto parameters = sampleParameters();
        parameters.resize(std::size_t(count));
        QSignalSpy changed(&panel, &ParameterPanel::valuesChanged);
        panel.setParameters(parameters);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(int(panel.values().size()), count);
        QCOMPARE(toBytes(panel.values()), toBytes(ParameterValues::resolve(parameters).as_text()));
        // Old editors are gone (deleteLater is not involved: removeRow deletes them).
        QCOMPARE(panel.findChild<QWidget*>(QStringLiteral("pool")) != nullptr, count == 5);
        QVERIFY(!panel.editor(QStringLiteral("no-such-parameter")));
        const auto* hint = panel.findChild<QLabel*>(QStringLiteral("noParametersHint"));
        QVERIFY(hint);
        QCOMPARE(hint->isVisibleTo(&panel), count == 0);
    }
};

QTEST_MAIN(TestParameterPanel)
#include "tst_parameterpanel.moc"
