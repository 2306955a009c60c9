#include "parameters/parameterpanel.h"
#include "common/toqstring.h"

#include "scenarios/parameter_values.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace poolscope::widgets {

using scenarios::Parameter;
using scenarios::ParameterKind;

namespace {
QString numberText(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

// The range as the tooltip and the message say it, in ParameterValues' words.
QString rangeText(const Parameter& parameter)
{
    const QString unit = parameter.unit.empty() ? QString() : QLatin1Char(' ') + toQString(parameter.unit);
    const QString what
        = parameter.kind == ParameterKind::integer ? ParameterPanel::tr("An integer") : ParameterPanel::tr("A number");
    return ParameterPanel::tr("%1 from %2 to %3%4.")
        .arg(what, numberText(parameter.minimum), numberText(parameter.maximum), unit);
}

bool isNumber(const Parameter& parameter)
{
    return parameter.kind == ParameterKind::integer || parameter.kind == ParameterKind::real;
}

// The one rule for what fits: ParameterValues' own, so the panel and the command line agree.
// Returns the canonical text, or the error message in `problem`.
std::string resolveOne(const Parameter& parameter, const std::string& text, std::string& problem)
{
    try {
        const auto values = scenarios::ParameterValues::resolve({ parameter }, { { parameter.name, text } });
        problem.clear();
        return values.as_text().front().second;
    } catch (const scenarios::ParameterError& error) {
        problem = error.what();
        return {};
    }
}

QString applicabilityText(const Parameter& parameter, const std::vector<Parameter>& all)
{
    if (parameter.applies_if.empty())
        return {};
    QString other = toQString(parameter.applies_if);
    for (const Parameter& p : all) {
        if (p.name == parameter.applies_if)
            other = toQString(p.label.empty() ? p.name : p.label);
    }
    QStringList values;
    for (const std::string& value : parameter.applies_for)
        values << toQString(value);
    return ParameterPanel::tr("Applies only when %1 is %2.").arg(other, values.join(ParameterPanel::tr(" or ")));
}
} // namespace

ParameterPanel::ParameterPanel(QWidget* parent)
    : QWidget(parent)
    , m_presetCombo(new QComboBox(this))
    , m_presetLabel(new QLabel(tr("Preset:"), this))
    , m_form(new QFormLayout)
    , m_emptyLabel(new QLabel(tr("This scenario has no parameters."), this))
    , m_resetButton(new QPushButton(tr("Reset"), this))
{
    m_emptyLabel->setObjectName(QStringLiteral("noParametersHint"));
    m_resetButton->setObjectName(QStringLiteral("resetButton"));
    m_resetButton->setToolTip(tr("Restore every parameter's default"));
    connect(m_resetButton, &QPushButton::clicked, this, &ParameterPanel::reset);
    m_presetCombo->setObjectName(QStringLiteral("presetCombo"));
    m_presetCombo->setAccessibleName(tr("Preset"));
    m_presetCombo->setToolTip(tr("Named variations that make the lesson visible in one click"));
    m_presetLabel->setBuddy(m_presetCombo);
    connect(m_presetCombo, &QComboBox::activated, this, &ParameterPanel::presetChosen);

    auto* presets = new QHBoxLayout;
    presets->addWidget(m_presetLabel);
    presets->addWidget(m_presetCombo, 1);

    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_resetButton);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(presets);
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
    m_problemLabels.clear();
    m_presets.clear();
    m_parameters = std::move(parameters);

    m_applying = true;
    for (const Parameter& parameter : m_parameters) {
        QWidget* editor = createEditor(parameter);
        m_editors.push_back(editor);
        // A default that does not fit its own bounds shows as typed, marked; the scenario tests
        // catch such a description, the panel just stays usable.
        if (!applyText(m_editors.size() - 1, parameter.default_value) && isNumber(parameter))
            static_cast<QLineEdit*>(editor)->setText(toQString(parameter.default_value));
        const QString label = toQString(parameter.label.empty() ? parameter.name : parameter.label);
        QWidget* field = editor;
        QLabel* problem = nullptr;
        if (isNumber(parameter)) {
            // The unit beside the field, the message under it.
            field = new QWidget(this);
            auto* column = new QVBoxLayout(field);
            column->setContentsMargins(0, 0, 0, 0);
            column->setSpacing(2);
            auto* row = new QHBoxLayout;
            row->addWidget(editor, 1);
            if (!parameter.unit.empty())
                row->addWidget(new QLabel(toQString(parameter.unit), field));
            column->addLayout(row);
            problem = new QLabel(field);
            problem->setObjectName(toQString(parameter.name) + QStringLiteral("Problem"));
            problem->setWordWrap(true);
            QPalette palette = problem->palette();
            palette.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
            problem->setPalette(palette);
            problem->hide();
            column->addWidget(problem);
        }
        m_problemLabels.push_back(problem);
        m_form->addRow(label + QLatin1Char(':'), field);
        if (auto* labelWidget = qobject_cast<QLabel*>(m_form->labelForField(field))) {
            labelWidget->setToolTip(editor->toolTip());
            labelWidget->setBuddy(editor);
        }
    }
    m_applying = false;
    m_defaults = values();
    for (std::size_t i = 0; i < m_editors.size(); ++i)
        editorChecked(i);

    m_emptyLabel->setVisible(m_parameters.empty());
    m_resetButton->setVisible(!m_parameters.empty());
    updateApplicability();
    updateResetButton();
    updatePresetCombo();
    emit valuesChanged();
}

QWidget* ParameterPanel::createEditor(const Parameter& parameter)
{
    QWidget* editor = nullptr;
    switch (parameter.kind) {
    case ParameterKind::integer:
    case ParameterKind::real: {
        // A line edit, not a spin box: a spin box rounds to its decimals and clamps to its range,
        // so what runs would not be what was typed.
        auto* line = new QLineEdit(this);
        connect(line, &QLineEdit::textEdited, this, &ParameterPanel::editorChanged);
        editor = line;
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
    QString tip = toQString(parameter.help);
    if (isNumber(parameter))
        tip += QLatin1Char('\n') + rangeText(parameter);
    const QString applies = applicabilityText(parameter, m_parameters);
    if (!applies.isEmpty())
        tip += QLatin1Char('\n') + applies;
    editor->setToolTip(tip);
    editor->setWhatsThis(tip);
    editor->setAccessibleName(toQString(parameter.label.empty() ? parameter.name : parameter.label));
    editor->setAccessibleDescription(tip);
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
    case ParameterKind::real: {
        const std::string typed = static_cast<QLineEdit*>(editor)->text().trimmed().toStdString();
        std::string problem;
        const std::string canonical = resolveOne(m_parameters[index], typed, problem);
        return problem.empty() ? canonical : typed;
    }
    case ParameterKind::boolean:
        return static_cast<QCheckBox*>(editor)->isChecked() ? "true" : "false";
    case ParameterKind::choice:
        return static_cast<QComboBox*>(editor)->currentText().toStdString();
    }
    return {};
}

QString ParameterPanel::checkText(std::size_t index) const
{
    if (!isNumber(m_parameters[index]))
        return {};
    std::string problem;
    resolveOne(m_parameters[index], static_cast<QLineEdit*>(m_editors[index])->text().trimmed().toStdString(), problem);
    return toQString(problem);
}

void ParameterPanel::editorChecked(std::size_t index)
{
    QLabel* label = m_problemLabels[index];
    if (!label)
        return;
    const QString problem = checkText(index);
    label->setText(problem.isEmpty() ? QString() : problem + QLatin1Char(' ') + rangeText(m_parameters[index]));
    label->setVisible(!problem.isEmpty());
    auto* line = static_cast<QLineEdit*>(m_editors[index]);
    line->setProperty("invalid", !problem.isEmpty());
    // A red frame, in the style's own shape: only the text colour and the frame change.
    line->setStyleSheet(problem.isEmpty() ? QString() : QStringLiteral("QLineEdit { border: 1px solid #c62828; }"));
}

QString ParameterPanel::problem() const
{
    for (std::size_t i = 0; i < m_parameters.size(); ++i) {
        const QString text = checkText(i);
        if (!text.isEmpty())
            return text;
    }
    return {};
}

bool ParameterPanel::applyText(std::size_t index, const std::string& text)
{
    const Parameter& parameter = m_parameters[index];
    QWidget* editor = m_editors[index];
    std::string problem;
    const std::string canonical = resolveOne(parameter, text, problem);
    if (!problem.empty())
        return false;
    switch (parameter.kind) {
    case ParameterKind::integer:
    case ParameterKind::real:
        static_cast<QLineEdit*>(editor)->setText(toQString(canonical));
        break;
    case ParameterKind::boolean:
        static_cast<QCheckBox*>(editor)->setChecked(canonical == "true");
        break;
    case ParameterKind::choice: {
        const auto it = std::find(parameter.choices.begin(), parameter.choices.end(), canonical);
        if (it == parameter.choices.end())
            return false;
        static_cast<QComboBox*>(editor)->setCurrentIndex(static_cast<int>(it - parameter.choices.begin()));
        break;
    }
    }
    if (index < m_problemLabels.size())
        editorChecked(index);
    return true;
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
    updateApplicability();
    updateResetButton();
    updatePresetCombo();
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
    for (std::size_t i = 0; i < m_editors.size(); ++i) {
        if (m_editors[i] == sender())
            editorChecked(i);
    }
    updateApplicability();
    updateResetButton();
    updatePresetCombo();
    emit valuesChanged();
}

void ParameterPanel::updateResetButton()
{
    m_resetButton->setEnabled(!isDefault());
}

void ParameterPanel::updateApplicability()
{
    const auto current = values();
    for (std::size_t i = 0; i < m_parameters.size(); ++i) {
        const Parameter& parameter = m_parameters[i];
        if (parameter.applies_if.empty())
            continue;
        bool applies = true;
        for (const auto& [name, value] : current) {
            if (name == parameter.applies_if)
                applies = std::find(parameter.applies_for.begin(), parameter.applies_for.end(), value)
                    != parameter.applies_for.end();
        }
        fieldOf(i)->setEnabled(applies);
        if (QWidget* label = m_form->labelForField(fieldOf(i)))
            label->setEnabled(applies);
    }
}

QWidget* ParameterPanel::fieldOf(std::size_t index) const
{
    // A number's editor sits in a row widget with its unit and message; the others are the field.
    QWidget* editor = m_editors[index];
    return editor->parentWidget() == this ? editor : editor->parentWidget();
}

void ParameterPanel::setPresets(std::vector<scenarios::Preset> presets)
{
    m_presets = std::move(presets);
    updatePresetCombo();
}

std::vector<std::pair<std::string, std::string>> ParameterPanel::presetValues(const scenarios::Preset& preset) const
{
    try {
        return scenarios::ParameterValues::resolve(m_parameters, preset.values).as_text();
    } catch (const scenarios::ParameterError&) {
        return {}; // a preset that does not fit (the scenario tests catch it) matches nothing
    }
}

std::string ParameterPanel::currentPreset() const
{
    const auto current = values();
    for (const scenarios::Preset& preset : m_presets) {
        if (presetValues(preset) == current)
            return preset.name;
    }
    return {};
}

bool ParameterPanel::applyPreset(const std::string& name)
{
    const auto it = std::find_if(
        m_presets.begin(), m_presets.end(), [&name](const scenarios::Preset& p) { return p.name == name; });
    if (it == m_presets.end())
        return false;
    const auto values = presetValues(*it);
    return !values.empty() && setValues(values);
}

void ParameterPanel::presetChosen(int index)
{
    if (index >= 0 && index < static_cast<int>(m_presets.size()))
        applyPreset(m_presets[static_cast<std::size_t>(index)].name);
}

void ParameterPanel::updatePresetCombo()
{
    const bool shown = m_presets.size() > 1;
    m_presetCombo->setVisible(shown);
    m_presetLabel->setVisible(shown);
    if (!shown)
        return;
    const QSignalBlocker blocker(m_presetCombo);
    m_presetCombo->clear();
    for (const scenarios::Preset& preset : m_presets) {
        m_presetCombo->addItem(toQString(preset.label), toQString(preset.name));
        m_presetCombo->setItemData(m_presetCombo->count() - 1, toQString(preset.description), Qt::ToolTipRole);
    }
    const std::string current = currentPreset();
    for (std::size_t i = 0; i < m_presets.size(); ++i) {
        if (m_presets[i].name == current)
            m_presetCombo->setCurrentIndex(static_cast<int>(i));
    }
    if (current.empty()) {
        // Edited by hand: say so, rather than name a preset the fields no longer show.
        m_presetCombo->addItem(tr("Custom"), QString());
        m_presetCombo->setCurrentIndex(m_presetCombo->count() - 1);
    }
}

} // namespace poolscope::widgets
