#include "timeline/timelinetimeticker.h"

#include <cmath>

namespace poolscope::widgets {

QString TimelineTimeTicker::format(double seconds, double step)
{
    struct Unit {
        double scale;
        const char16_t* name;
    };
    static constexpr Unit units[] = { { 1, u"s" }, { 1e3, u"ms" }, { 1e6, u"µs" }, { 1e9, u"ns" } };
    step = std::abs(step);
    const Unit* unit = &units[3];
    for (const Unit& u : units) {
        if (step * u.scale >= 0.1 - 1e-12) {
            unit = &u;
            break;
        }
    }
    const double stepInUnit = step * unit->scale;
    int decimals = 0;
    if (stepInUnit > 0) {
        // Enough decimals for the step: 0.25 → 2, 0.5 → 1, 2 → 0.
        for (double s = stepInUnit; decimals < 6 && std::abs(s - std::round(s)) > 1e-6 * std::max(1.0, s); s *= 10)
            ++decimals;
    }
    double value = seconds * unit->scale;
    if (std::abs(value) < 1e-9 * std::max(1.0, stepInUnit))
        value = 0; // no "-0"
    return QString::number(value, 'f', decimals) + QLatin1Char(' ') + QString::fromUtf16(unit->name);
}

QString TimelineTimeTicker::formatNs(double ns)
{
    const double a = std::abs(ns);
    if (a < 1e3)
        return QString::number(ns, 'f', 0) + QStringLiteral(" ns");
    double value = ns / 1e9;
    QString unit = QStringLiteral(" s");
    if (a < 1e6) {
        value = ns / 1e3;
        unit = QStringLiteral(" µs");
    } else if (a < 1e9) {
        value = ns / 1e6;
        unit = QStringLiteral(" ms");
    }
    const double v = std::abs(value);
    const int decimals = v >= 100 ? 1 : v >= 10 ? 2 : 3;
    return QString::number(value, 'f', decimals) + unit;
}

double TimelineTimeTicker::getTickStep(const QCPRange& range)
{
    m_step = QCPAxisTicker::getTickStep(range);
    return m_step;
}

QString TimelineTimeTicker::getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision)
{
    Q_UNUSED(locale);
    Q_UNUSED(formatChar);
    Q_UNUSED(precision);
    return format(tick, m_step);
}

} // namespace poolscope::widgets
