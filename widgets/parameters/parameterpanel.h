#pragma once

#include "scenarios/parameter.h"

#include <QWidget>

#include <string>
#include <utility>
#include <vector>

class QFormLayout;
class QLabel;
class QPushButton;

namespace poolscope::widgets {

/// Editors for a scenario's typed parameters, generated from their descriptions: a spin box for an
/// integer, a double spin box for a real (bounds, decimals and unit), a check box for a boolean and a
/// combo box for a choice; the help text is the tooltip. Each editor's objectName is the parameter's
/// name. values() gives the canonical text that scenarios::ParameterValues::resolve() accepts.
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
    /// Equal to ParameterValues::resolve(parameters(), values()).as_text().
    std::vector<std::pair<std::string, std::string>> values() const;

    /// Sets the named parameters (e.g. restored from QSettings). Unknown names and values that do
    /// not fit (wrong type, out of bounds, not a choice) are skipped and leave the editor as it was;
    /// returns false if anything was skipped. Emits valuesChanged() once if a value changed.
    bool setValues(const std::vector<std::pair<std::string, std::string>>& values);

    /// True when every editor shows its parameter's default.
    bool isDefault() const;

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

    std::vector<scenarios::Parameter> m_parameters;
    std::vector<QWidget*> m_editors; // parallel to m_parameters
    std::vector<std::pair<std::string, std::string>> m_defaults; // canonical text of the defaults
    QFormLayout* m_form;
    QLabel* m_emptyLabel;
    QPushButton* m_resetButton;
    bool m_applying = false; // reset()/setValues() emit one valuesChanged() at the end
};

} // namespace poolscope::widgets
