#include "parameters/parameterpanel.h"
#include "common/toqstring.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace poolscope::widgets {

using scenarios::Parameter;
using scenarios::ParameterKind;

namespace {
// Digits after the decimal point in the shortest text of a number (0.25 → 2, 5 → 0, 1e-3 → 3).
int fractionDigits(double value)
{
    if (!std::isfinite(value))
        return 0;
    const QString shortest = QString::number(value, 'f', QLocale::FloatingPointShortest);
    const qsizetype dot = shortest.indexOf(QLatin1Char('.'));
    return dot < 0 ? 0 : static_cast<int>(shortest.size() - dot - 1);
}

// Enough decimals for the default and both bounds, at least one (so a real looks like one), at
// most six (the scenarios measure seconds; microseconds are the finest that matters).
int decimalsFor(const Parameter& parameter)
{
    bool ok = false;
    const double defaultValue = toQString(parameter.default_value).toDouble(&ok);
    const int digits = std::max({ ok ? fractionDigits(defaultValue) : 0, fractionDigits(parameter.minimum),
        fractionDigits(parameter.maximum) });
    return std::clamp(digits, 1, 6);
}

int toIntBound(double value, bool lower)
{
    constexpr double low = std::numeric_limits<int>::min();
    constexpr double high = std::numeric_limits<int>::max();
    return static_cast<int>(std::clamp(lower ? std::ceil(value) : std::floor(value), low, high));
}

QString suffixFor(const Parameter& parameter)
{
    return parameter.unit.empty() ? QString() : QLatin1Char(' ') + toQString(parameter.unit);
}

// The shortest text that reads back as the same double, as ParameterValues writes it ("0.1", "2",
// "1e-06"), so values() equals the resolved canonical text. The spin box has already rounded the
// value to its decimals, so there are no artefacts like 0.30000000000000004 to print.
std::string realText(double value)
{
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc {} ? std::string(buffer, end) : std::to_string(value);
}
} // namespace

ParameterPanel::ParameterPanel(QWidget* parent)
    : QWidget(parent)
    , m_form(new QFormLayout)
    , m_emptyLabel(new QLabel(tr("This scenario has no parameters."), this))
    , m_resetButton(new QPushButton(tr("Reset"), this))
{
    m_emptyLabel->setObjectName(QStringLiteral("noParametersHint"));
    m_resetButton->setObjectName(QStringLiteral("resetButton"));
    m_resetButton->setToolTip(tr("Restore every parameter's default"));
    connect(m_resetButton, &QPushButton::clicked, this, &ParameterPanel::reset);

    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_resetButton);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_emptyLabel);
    layout->addLayout(m_form);
    layout->addLayout(buttons);
    layout->addStretch();

    setParameters({});
}

ParameterPanel::ParameterPanel(std::vector<Parameter> parameters, QWidget* parent)
    : ParameterPanel(parent)
{
    setParameters(std::move(parameters));
}

void ParameterPanel::setParameters(std::vector<Parameter> parameters)
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0); // deletes the label and the editor
    m_editors.clear();
    m_parameters = std::move(parameters);

    m_applying = true;
    for (const Parameter& parameter : m_parameters) {
        QWidget* editor = createEditor(parameter);
        m_editors.push_back(editor);
        // A default that does not fit its own bounds leaves the editor at its minimum; the
        // scenario tests catch such a description, the panel just stays usable.
        applyText(m_editors.size() - 1, parameter.default_value);
        const QString label = toQString(parameter.label.empty() ? parameter.name : parameter.label);
        m_form->addRow(label + QLatin1Char(':'), editor);
        if (QWidget* labelWidget = m_form->labelForField(editor))
            labelWidget->setToolTip(editor->toolTip());
    }
    m_applying = false;
    m_defaults = values();

    m_emptyLabel->setVisible(m_parameters.empty());
    m_resetButton->setVisible(!m_parameters.empty());
    updateResetButton();
    emit valuesChanged();
}

QWidget* ParameterPanel::createEditor(const Parameter& parameter)
{
    QWidget* editor = nullptr;
    switch (parameter.kind) {
    case ParameterKind::integer: {
        auto* spin = new QSpinBox(this);
        spin->setRange(toIntBound(parameter.minimum, true), toIntBound(parameter.maximum, false));
        spin->setSuffix(suffixFor(parameter));
        connect(spin, &QSpinBox::valueChanged, this, &ParameterPanel::editorChanged);
        editor = spin;
        break;
    }
    case ParameterKind::real: {
        auto* spin = new QDoubleSpinBox(this);
        const int decimals = decimalsFor(parameter);
        spin->setDecimals(decimals);
        spin->setRange(parameter.minimum, parameter.maximum);
        spin->setSingleStep(std::pow(10.0, -decimals));
        spin->setSuffix(suffixFor(parameter));
        connect(spin, &QDoubleSpinBox::valueChanged, this, &ParameterPanel::editorChanged);
        editor = spin;
        break;
    }
    case ParameterKind::boolean: {
        auto* check = new QCheckBox(this);
        connect(check, &QCheckBox::toggled, this, &ParameterPanel::editorChanged);
        editor = check;
        break;
    }
    case ParameterKind::choice: {
        auto* combo = new QComboBox(this);
        for (const std::string& choice : parameter.choices)
            combo->addItem(toQString(choice));
        connect(combo, &QComboBox::currentIndexChanged, this, &ParameterPanel::editorChanged);
        editor = combo;
        break;
    }
    }
    editor->setObjectName(toQString(parameter.name));
    editor->setToolTip(toQString(parameter.help));
    editor->setWhatsThis(toQString(parameter.help));
    return editor;
}

std::vector<std::pair<std::string, std::string>> ParameterPanel::values() const
{
    std::vector<std::pair<std::string, std::string>> result;
    result.reserve(m_parameters.size());
    for (std::size_t i = 0; i < m_parameters.size(); ++i)
        result.emplace_back(m_parameters[i].name, textOf(i));
    return result;
}

std::string ParameterPanel::textOf(std::size_t index) const
{
    QWidget* editor = m_editors[index];
    switch (m_parameters[index].kind) {
    case ParameterKind::integer:
        return std::to_string(static_cast<QSpinBox*>(editor)->value());
    case ParameterKind::real: {
        return realText(static_cast<QDoubleSpinBox*>(editor)->value());
    }
    case ParameterKind::boolean:
        return static_cast<QCheckBox*>(editor)->isChecked() ? "true" : "false";
    case ParameterKind::choice:
        return static_cast<QComboBox*>(editor)->currentText().toStdString();
    }
    return {};
}

bool ParameterPanel::applyText(std::size_t index, const std::string& text)
{
    const Parameter& parameter = m_parameters[index];
    QWidget* editor = m_editors[index];
    const QString value = toQString(text).trimmed();
    bool ok = false;
    switch (parameter.kind) {
    case ParameterKind::integer: {
        auto* spin = static_cast<QSpinBox*>(editor);
        const qlonglong number = value.toLongLong(&ok);
        if (!ok || number < spin->minimum() || number > spin->maximum())
            return false;
        spin->setValue(static_cast<int>(number));
        return true;
    }
    case ParameterKind::real: {
        auto* spin = static_cast<QDoubleSpinBox*>(editor);
        const double number = value.toDouble(&ok);
        if (!ok || !std::isfinite(number) || number < parameter.minimum || number > parameter.maximum)
            return false;
        spin->setValue(number);
        return true;
    }
    case ParameterKind::boolean: {
        auto* check = static_cast<QCheckBox*>(editor);
        const QString lower = value.toLower();
        // The spellings ParameterValues accepts.
        if (lower == QLatin1String("true") || lower == QLatin1String("1") || lower == QLatin1String("yes")
            || lower == QLatin1String("on"))
            check->setChecked(true);
        else if (lower == QLatin1String("false") || lower == QLatin1String("0") || lower == QLatin1String("no")
            || lower == QLatin1String("off"))
            check->setChecked(false);
        else
            return false;
        return true;
    }
    case ParameterKind::choice: {
        auto* combo = static_cast<QComboBox*>(editor);
        const std::string choice = value.toStdString();
        const auto it = std::find(parameter.choices.begin(), parameter.choices.end(), choice);
        if (it == parameter.choices.end())
            return false;
        combo->setCurrentIndex(static_cast<int>(it - parameter.choices.begin()));
        return true;
    }
    }
    return false;
}

bool ParameterPanel::setValues(const std::vector<std::pair<std::string, std::string>>& values)
{
    const auto before = this->values();
    bool allApplied = true;
    m_applying = true;
    for (const auto& [name, text] : values) {
        const auto it = std::find_if(
            m_parameters.begin(), m_parameters.end(), [&name](const Parameter& p) { return p.name == name; });
        if (it == m_parameters.end()) {
            allApplied = false;
            continue;
        }
        allApplied = applyText(static_cast<std::size_t>(it - m_parameters.begin()), text) && allApplied;
    }
    m_applying = false;
    updateResetButton();
    if (this->values() != before)
        emit valuesChanged();
    return allApplied;
}

void ParameterPanel::reset()
{
    setValues(m_defaults);
}

bool ParameterPanel::isDefault() const
{
    return values() == m_defaults;
}

QWidget* ParameterPanel::editor(const QString& name) const
{
    const std::string key = name.toStdString();
    for (std::size_t i = 0; i < m_parameters.size(); ++i) {
        if (m_parameters[i].name == key)
            return m_editors[i];
    }
    return nullptr;
}

void ParameterPanel::editorChanged()
{
    if (m_applying)
        return;
    updateResetButton();
    emit valuesChanged();
}

void ParameterPanel::updateResetButton()
{
    m_resetButton->setEnabled(!isDefault());
}

} // namespace poolscope::widgets
