#pragma once

#include "scenarios/parameter.h"
#include "scenarios/scenario.h"

#include <QWidget>

#include <string>
#include <utility>
#include <vector>

class QComboBox;
class QFormLayout;
class QLabel;
class QPushButton;

namespace poolscope::widgets {

/// Editors for a scenario's typed parameters, generated from their descriptions: a line edit for an
/// integer or a real (its unit beside it), a check box for a boolean and a combo box for a choice;
/// the help text and the allowed range are the tooltip. Each editor's objectName is the parameter's
/// name. A number field keeps exactly what was typed: text that does not fit is not rounded or
/// clamped but marked, with a message under the field that names the range (problem() has it too),
/// and values() then carries the text as typed, so resolving it refuses the run with that message.
/// A parameter that applies only for some values of another is disabled otherwise. Presets, when
/// there are more than the page's own, are offered in a combo box above the fields.
class ParameterPanel : public QWidget {
    Q_OBJECT
public:
    explicit ParameterPanel(QWidget* parent = nullptr);
    explicit ParameterPanel(std::vector<scenarios::Parameter> parameters, QWidget* parent = nullptr);

    /// Replaces every editor; the new editors show the defaults. Emits valuesChanged().
    void setParameters(std::vector<scenarios::Parameter> parameters);
    const std::vector<scenarios::Parameter>& parameters() const { return m_parameters; }

    /// Every parameter as (name, text), in declaration order, in ParameterValues' canonical form:
    /// integers "5", reals in their shortest form ("0.1", "2"), booleans "true"/"false", choices as is.
    /// Equal to ParameterValues::resolve(parameters(), values()).as_text() when isValid(); a number
    /// field that does not fit gives its text as typed.
    std::vector<std::pair<std::string, std::string>> values() const;

    /// Sets the named parameters (e.g. restored from QSettings). Unknown names and values that do
    /// not fit (wrong type, out of bounds, not a choice) are skipped and leave the editor as it was;
    /// returns false if anything was skipped. Emits valuesChanged() once if a value changed.
    bool setValues(const std::vector<std::pair<std::string, std::string>>& values);

    /// True when every editor shows its parameter's default.
    bool isDefault() const;

    /// True when every field holds a value that fits; otherwise problem() says what is wrong with
    /// the first one that does not ("workers must be an integer from 1 to 64, got 0").
    bool isValid() const { return problem().isEmpty(); }
    QString problem() const;

    /// The scenario's presets, the first the page's own; the combo box shows when there are two or
    /// more. Choosing one sets every parameter to its default, then the preset's values.
    void setPresets(std::vector<scenarios::Preset> presets);
    /// The name of the preset the fields show now ("page", "slow-tasks"), or empty when they match
    /// none ("Custom").
    std::string currentPreset() const;
    /// Applies the named preset; false (and nothing changes) for an unknown name.
    bool applyPreset(const std::string& name);

    /// The editor of this parameter, or null.
    QWidget* editor(const QString& name) const;

public slots:
    /// Restores every default. Emits valuesChanged() once if a value changed.
    void reset();

signals:
    /// A value changed, by the user, reset() or setValues().
    void valuesChanged();

private:
    QWidget* createEditor(const scenarios::Parameter& parameter);
    bool applyText(std::size_t index, const std::string& text);
    std::string textOf(std::size_t index) const;
    void editorChanged();
    void updateResetButton();
    void updateApplicability();
    void updatePresetCombo();
    void presetChosen(int index);
    QString checkText(std::size_t index) const; // empty when the field's text fits
    void editorChecked(std::size_t index);
    QWidget* fieldOf(std::size_t index) const; // the form row's field that holds the editor
    std::vector<std::pair<std::string, std::string>> presetValues(
        const scenarios::Preset& preset) const; // shows or hides the field's message

    std::vector<scenarios::Parameter> m_parameters;
    std::vector<QWidget*> m_editors; // parallel to m_parameters
    std::vector<QLabel*> m_problemLabels; // parallel; null for editors that cannot hold a bad value
    std::vector<scenarios::Preset> m_presets;
    QComboBox* m_presetCombo;
    QLabel* m_presetLabel;
    std::vector<std::pair<std::string, std::string>> m_defaults; // canonical text of the defaults
    QFormLayout* m_form;
    QLabel* m_emptyLabel;
    QPushButton* m_resetButton;
    bool m_applying = false; // reset()/setValues() emit one valuesChanged() at the end
};

} // namespace poolscope::widgets
