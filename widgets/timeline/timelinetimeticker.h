#pragma once

#include "timeline/timelineqcp.h"

namespace poolscope::widgets {

/// Tick labels for a time axis in seconds, in the unit that suits the tick step: "1.5 s", "250 ms",
/// "12.5 µs", "800 ns", with just enough decimals to tell neighbouring ticks apart.
class TimelineTimeTicker : public QCPAxisTicker {
public:
    /// The label for `seconds` when ticks are `step` seconds apart.
    static QString format(double seconds, double step);
    /// A duration or a time stamp in ns, in the unit that suits its size with 3–4 significant
    /// digits: "850 ns", "12.3 µs", "12.35 ms", "1.234 s".
    static QString formatNs(double ns);

protected:
    double getTickStep(const QCPRange& range) override;
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override;

private:
    double m_step = 1;
};

} // namespace poolscope::widgets
