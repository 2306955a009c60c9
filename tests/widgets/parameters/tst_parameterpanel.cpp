#include "parameters/parameterpanel.h"

#include "scenarios/parameter_values.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
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
        {}, "4", "", {}, {} };
    parameters[1]
        = { "delay", "Delay", "How long each task sleeps.", ParameterKind::real, 0, 10, {}, "0.5", "s", {}, {} };
    parameters[2]
        = { "timeout", "Timeout", "How long map() waits.", ParameterKind::real, 0.001, 5, {}, "0.25", "s", {}, {} };
    parameters[3]
        = { "verbose", "Verbose", "Print every result.", ParameterKind::boolean, 0, 0, {}, "false", "", {}, {} };
    parameters[4] = { "pool", "Pool", "Which executor runs the tasks.", ParameterKind::choice, 0, 0,
        { "thread", "process", "thread+gil" }, "thread", "", {}, {} };
    return parameters;
}

// Types into a field as a user does: select all, then the keys (textEdited fires, as it does for a
// user and not for setText()).
void typeInto(QLineEdit* line, const QString& text)
{
    line->setFocus();
    line->selectAll();
    if (text.isEmpty())
        QTest::keyClick(line, Qt::Key_Delete);
    else
        QTest::keyClicks(line, text);
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
        QTest::addColumn<QString>("range"); // numbers only: the tooltip's second line
        QTest::addColumn<QString>("shown"); // the default as the editor shows it
        QTest::newRow("integer_lineEditWithItsRange")
            << QStringLiteral("workers") << QStringLiteral("QLineEdit") << QStringLiteral("An integer from 1 to 64.")
            << QStringLiteral("4");
        QTest::newRow("real_lineEditWithRangeAndUnit")
            << QStringLiteral("delay") << QStringLiteral("QLineEdit") << QStringLiteral("A number from 0 to 10 s.")
            << QStringLiteral("0.5");
        QTest::newRow("real_smallMinimum") << QStringLiteral("timeout") << QStringLiteral("QLineEdit")
                                           << QStringLiteral("A number from 0.001 to 5 s.") << QStringLiteral("0.25");
        QTest::newRow("boolean_checkBox")
            << QStringLiteral("verbose") << QStringLiteral("QCheckBox") << QString() << QStringLiteral("false");
        QTest::newRow("choice_comboBox") << QStringLiteral("pool") << QStringLiteral("QComboBox") << QString()
                                         << QStringLiteral("thread");
    }
    void createsOneEditorPerKind()
    {
        QFETCH(QString, name);
        QFETCH(QString, editorClass);
        QFETCH(QString, range);
        QFETCH(QString, shown);
        ParameterPanel panel(sampleParameters());
        QWidget* editor = panel.findChild<QWidget*>(name);
        QVERIFY(editor);
        QCOMPARE(panel.editor(name), editor);
        QCOMPARE(QString::fromLatin1(editor->metaObject()->className()), editorClass);
        QString help;
        for (const Parameter& p : sampleParameters()) {
            if (QString::fromStdString(p.name) == name)
                help = QString::fromStdString(p.help);
        }
        QCOMPARE(editor->toolTip(), range.isEmpty() ? help : help + QLatin1Char('\n') + range);
        QVERIFY(!editor->accessibleName().isEmpty());
        if (auto* line = qobject_cast<QLineEdit*>(editor)) {
            QCOMPARE(line->text(), shown);
        } else if (auto* check = qobject_cast<QCheckBox*>(editor)) {
            QCOMPARE(check->isChecked() ? QStringLiteral("true") : QStringLiteral("false"), shown);
        } else if (auto* combo = qobject_cast<QComboBox*>(editor)) {
            QCOMPARE(combo->count(), 3);
            QCOMPARE(combo->currentText(), shown);
        }
    }

    // What the teacher hit: 0.25 became 0.2, 0.05 became 0.0, 100 became 10, -1 became 1. A field
    // keeps what was typed; what does not fit is marked with the range, and Run is refused.
    void typedTextIsWhatRuns_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("value"); // what values() gives for it
        QTest::addColumn<bool>("fits");
        QTest::newRow("moreDecimalsThanTheDefault")
            << QStringLiteral("delay") << QStringLiteral("0.25") << QStringLiteral("0.25") << true;
        QTest::newRow("smallerThanTheDefaultsDecimals")
            << QStringLiteral("delay") << QStringLiteral("0.05") << QStringLiteral("0.05") << true;
        QTest::newRow("manyDecimals") << QStringLiteral("timeout") << QStringLiteral("0.123456789")
                                      << QStringLiteral("0.123456789") << true;
        QTest::newRow("integerAboveTheRange_notCut")
            << QStringLiteral("workers") << QStringLiteral("100") << QStringLiteral("100") << false;
        QTest::newRow("negativeInteger_notFlipped")
            << QStringLiteral("workers") << QStringLiteral("-1") << QStringLiteral("-1") << false;
        QTest::newRow("zeroWorkers") << QStringLiteral("workers") << QStringLiteral("0") << QStringLiteral("0")
                                     << false;
        QTest::newRow("notANumber") << QStringLiteral("delay") << QStringLiteral("soon") << QStringLiteral("soon")
                                    << false;
        QTest::newRow("empty") << QStringLiteral("workers") << QString() << QString() << false;
        QTest::newRow("integerWithAFraction")
            << QStringLiteral("workers") << QStringLiteral("2.5") << QStringLiteral("2.5") << false;
    }
    void typedTextIsWhatRuns()
    {
        QFETCH(QString, name);
        QFETCH(QString, typed);
        QFETCH(QString, value);
        QFETCH(bool, fits);
        const auto parameters = sampleParameters();
        ParameterPanel panel(parameters);
        panel.show();
        auto* line = qobject_cast<QLineEdit*>(panel.editor(name));
        QVERIFY(line);
        QSignalSpy changed(&panel, &ParameterPanel::valuesChanged);
        typeInto(line, typed);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(line->text(), typed); // never changed behind the user's back
        std::string shownValue;
        for (const auto& [n, v] : panel.values()) {
            if (QString::fromStdString(n) == name)
                shownValue = v;
        }
        QCOMPARE(QString::fromStdString(shownValue), value);
        QCOMPARE(panel.isValid(), fits);
        auto* message = panel.findChild<QLabel*>(name + QStringLiteral("Problem"));
        QVERIFY(message);
        QCOMPARE(message->isVisible(), !fits);
        if (fits) {
            QVERIFY(panel.problem().isEmpty());
            QCOMPARE(toBytes(ParameterValues::resolve(parameters, panel.values()).as_text()), toBytes(panel.values()));
        } else {
            // The message names the parameter and the range; resolving refuses the same way.
            QVERIFY2(panel.problem().contains(name), qPrintable(panel.problem()));
            QVERIFY2(message->text().contains(QStringLiteral(" from ")), qPrintable(message->text()));
            QVERIFY_THROWS_EXCEPTION(ParameterError, ParameterValues::resolve(parameters, panel.values()));
            // Fixing it clears the mark.
            typeInto(line, QStringLiteral("2"));
            QVERIFY(panel.isValid());
            QVERIFY(!message->isVisible());
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
        QTest::newRow("realKeptToItsLastDecimal")
            << Values { { "delay", "1.26" } }
            << QByteArray("workers=4 delay=1.26 timeout=0.25 verbose=false pool=thread ");
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
        typeInto(panel.findChild<QLineEdit*>(QStringLiteral("workers")), QStringLiteral("9"));
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

    void presetsAreOfferedAboveTheFields()
    {
        using poolscope::scenarios::Preset;
        ParameterPanel panel(sampleParameters());
        panel.show();
        auto* combo = panel.findChild<QComboBox*>(QStringLiteral("presetCombo"));
        QVERIFY(combo);
        panel.setPresets({ Preset { "page", "As on the page", "The exercise itself.", {} } });
        QVERIFY(!combo->isVisible()); // nothing to choose from
        panel.setPresets({ Preset { "page", "As on the page", "The exercise itself.", {} },
            Preset { "busy", "Two slow workers", "Queueing shows.", { { "workers", "2" }, { "delay", "1.25" } } } });
        QVERIFY(combo->isVisible());
        QCOMPARE(combo->count(), 2);
        QCOMPARE(panel.currentPreset(), std::string("page"));

        QSignalSpy changed(&panel, &ParameterPanel::valuesChanged);
        QVERIFY(panel.applyPreset("busy"));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(toBytes(panel.values()), QByteArray("workers=2 delay=1.25 timeout=0.25 verbose=false pool=thread "));
        QCOMPARE(panel.currentPreset(), std::string("busy"));
        QCOMPARE(combo->currentText(), QStringLiteral("Two slow workers"));
        QCOMPARE(combo->itemData(1, Qt::ToolTipRole).toString(), QStringLiteral("Queueing shows."));

        // Edited by hand, the fields match no preset.
        typeInto(panel.findChild<QLineEdit*>(QStringLiteral("workers")), QStringLiteral("3"));
        QVERIFY(panel.currentPreset().empty());
        QCOMPARE(combo->currentText(), QStringLiteral("Custom"));
        QVERIFY(!panel.applyPreset("nope"));

        // Choosing the page's own in the combo box restores every default.
        combo->setCurrentIndex(0);
        emit combo->activated(0);
        QVERIFY(panel.isDefault());
        QCOMPARE(combo->count(), 2); // "Custom" is gone again
    }

    void aParameterThatDoesNotApplyIsDisabled()
    {
        auto parameters = sampleParameters();
        parameters[3] = poolscope::scenarios::applies_only_if(parameters[3], "pool", { "thread", "thread+gil" });
        parameters[1] = poolscope::scenarios::applies_only_if(parameters[1], "pool", { "process" });
        ParameterPanel panel(parameters);
        panel.show();
        QWidget* verbose = panel.editor(QStringLiteral("verbose"));
        QWidget* delay = panel.editor(QStringLiteral("delay"));
        QVERIFY(verbose->isEnabled());
        QVERIFY(!delay->isEnabled());
        QVERIFY(delay->toolTip().contains(QStringLiteral("Applies only when Pool is process.")));
        panel.findChild<QComboBox*>(QStringLiteral("pool"))->setCurrentIndex(1); // process
        QVERIFY(!verbose->isEnabled());
        QVERIFY(delay->isEnabled());
        // A disabled field still has its value: the run gets every parameter.
        QCOMPARE(int(panel.values().size()), 5);
    }
};

QTEST_MAIN(TestParameterPanel)
#include "tst_parameterpanel.moc"
