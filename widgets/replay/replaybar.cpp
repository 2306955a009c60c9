#include "replay/replaybar.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QResizeEvent>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace poolscope::widgets {

namespace {
// The slider's resolution: fine enough to scrub a lesson's run by the millisecond, coarse enough
// that an int holds it.
constexpr int sliderSteps = 10000;
} // namespace

const std::vector<double>& ReplayBar::speeds()
{
    static const std::vector<double> offered { 0.25, 0.5, 1.0, 2.0, 4.0 };
    return offered;
}

ReplayBar::ReplayBar(QWidget* parent)
    : QWidget(parent)
    , m_play(new QToolButton(this))
    , m_slider(new QSlider(Qt::Horizontal, this))
    , m_speedBox(new QComboBox(this))
    , m_time(new QLabel(this))
    , m_explanation(new QLabel(this))
{
    m_play->setObjectName(QStringLiteral("replayPlay"));
    m_play->setAccessibleName(tr("Play or pause the replay"));
    m_play->setToolTip(tr("Play or pause the replay (Space)"));
    connect(m_play, &QToolButton::clicked, this, &ReplayBar::togglePlay);

    m_slider->setObjectName(QStringLiteral("replaySlider"));
    m_slider->setAccessibleName(tr("Replay position"));
    m_slider->setToolTip(tr("Drag to move through the run; ←/→ step between events, Home/End go to the start/end"));
    m_slider->setRange(0, sliderSteps);
    m_slider->setFocusPolicy(Qt::NoFocus); // arrow keys step between events, window-wide
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        if (!m_updating)
            setPosition(qint64(std::llround(double(value) / sliderSteps * double(m_endNs))));
    });

    m_speedBox->setObjectName(QStringLiteral("replaySpeed"));
    m_speedBox->setAccessibleName(tr("Replay speed"));
    m_speedBox->setToolTip(tr("How fast the replay plays, against the run's real time"));
    for (double speed : speeds())
        m_speedBox->addItem(QStringLiteral("%1×").arg(speed), speed);
    m_speedBox->setCurrentIndex(2);
    connect(m_speedBox, &QComboBox::currentIndexChanged, this,
        [this](int index) { m_speed = m_speedBox->itemData(index).toDouble(); });

    m_time->setObjectName(QStringLiteral("replayTime"));
    m_time->setMinimumWidth(m_time->fontMetrics().horizontalAdvance(QStringLiteral("00.000 s of 00.000 s")));
    m_explanation->setObjectName(QStringLiteral("replayExplanation"));
    m_explanation->setWordWrap(true);
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->setVerticalSpacing(0);
    layout->addWidget(m_play, 0, 0);
    layout->addWidget(m_slider, 0, 1);
    layout->addWidget(m_time, 0, 2);
    layout->addWidget(m_speedBox, 0, 3);
    layout->addWidget(m_explanation, 1, 0, 1, 4);
    layout->setColumnStretch(1, 1);

    m_timer.setInterval(30);
    connect(&m_timer, &QTimer::timeout, this, &ReplayBar::tick);
    updateControls();
}

QString ReplayBar::timeText(qint64 positionNs, qint64 endNs)
{
    return tr("%1 s of %2 s").arg(double(positionNs) / 1e9, 0, 'f', 3).arg(double(endNs) / 1e9, 0, 'f', 3);
}

void ReplayBar::setRun(qint64 endNs, std::vector<qint64> eventTimesNs)
{
    pause();
    m_endNs = std::max<qint64>(0, endNs);
    m_eventTimes = std::move(eventTimesNs);
    std::sort(m_eventTimes.begin(), m_eventTimes.end());
    m_positionNs = m_endNs;
    updateControls();
}

void ReplayBar::setSpeed(double speed)
{
    const auto& offered = speeds();
    const auto it = std::find(offered.begin(), offered.end(), speed);
    if (it != offered.end())
        m_speedBox->setCurrentIndex(int(it - offered.begin()));
}

void ReplayBar::setExplanation(const QString& text)
{
    m_explanation->setText(text);
    fitExplanation();
}

void ReplayBar::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitExplanation();
}

void ReplayBar::fitExplanation()
{
    // The bar sits in a splitter, which does not ask a wrapped label how tall it must be at its
    // width: say it, so that a second line is never cut off.
    const int width = std::max(40, m_explanation->width());
    const QRect needed = m_explanation->fontMetrics().boundingRect(
        QRect(0, 0, width, 10000), Qt::TextWordWrap, m_explanation->text().isEmpty() ? QStringLiteral(" ") : m_explanation->text());
    if (m_explanation->minimumHeight() != needed.height())
        m_explanation->setMinimumHeight(needed.height());
}

QString ReplayBar::explanation() const
{
    return m_explanation->text();
}

void ReplayBar::setPosition(qint64 ns)
{
    const qint64 clamped = std::clamp<qint64>(ns, 0, m_endNs);
    if (clamped == m_positionNs)
        return;
    m_positionNs = clamped;
    updateControls();
    emit positionChanged(m_positionNs);
}

void ReplayBar::play()
{
    if (m_playing || m_endNs <= 0)
        return;
    if (m_positionNs >= m_endNs)
        setPosition(0); // from the start again, as a video player does
    m_playing = true;
    m_sinceTick.start();
    m_timer.start();
    updateControls();
    emit playingChanged(true);
}

void ReplayBar::pause()
{
    if (!m_playing)
        return;
    m_playing = false;
    m_timer.stop();
    updateControls();
    emit playingChanged(false);
}

void ReplayBar::togglePlay()
{
    if (m_playing)
        pause();
    else
        play();
}

void ReplayBar::stepForward()
{
    pause();
    const auto next = std::upper_bound(m_eventTimes.begin(), m_eventTimes.end(), m_positionNs);
    setPosition(next == m_eventTimes.end() ? m_endNs : *next);
}

void ReplayBar::stepBack()
{
    pause();
    const auto before = std::lower_bound(m_eventTimes.begin(), m_eventTimes.end(), m_positionNs);
    setPosition(before == m_eventTimes.begin() ? 0 : *std::prev(before));
}

void ReplayBar::advance(qint64 realNs)
{
    setPosition(m_positionNs + qint64(std::llround(double(realNs) * m_speed)));
    if (m_positionNs >= m_endNs)
        pause();
}

void ReplayBar::tick()
{
    advance(m_sinceTick.nsecsElapsed());
    m_sinceTick.restart();
}

void ReplayBar::updateControls()
{
    m_updating = true;
    m_slider->setValue(m_endNs > 0 ? int(std::llround(double(m_positionNs) / double(m_endNs) * sliderSteps)) : sliderSteps);
    m_updating = false;
    m_play->setIcon(style()->standardIcon(m_playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_play->setText(m_playing ? tr("Pause") : tr("Play"));
    m_time->setText(timeText(m_positionNs, m_endNs));
    setEnabled(m_endNs > 0);
}

} // namespace poolscope::widgets
