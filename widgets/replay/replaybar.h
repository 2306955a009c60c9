#pragma once

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QResizeEvent;
class QSlider;
class QToolButton;

namespace poolscope::widgets {

/// The replay controls above the timeline, Python Tutor's model: a run is recorded first, then the
/// playhead moves freely over it. Play/pause, a scrub slider, the speed (0.25×–4×), the moment shown
/// ("0.150 s of 0.481 s") and one line explaining the event at the playhead. It holds no trace: the
/// owner gives it the run's length and event times, follows positionChanged() and sets the
/// explanation. The position is in nanoseconds since the run started; the end shows the whole run.
class ReplayBar : public QWidget {
    Q_OBJECT
public:
    /// The speeds offered, as multiples of real time.
    static const std::vector<double>& speeds();

    explicit ReplayBar(QWidget* parent = nullptr);

    /// A new run: its length and the (sorted) times of its events, to step between. The playhead
    /// goes to the end, showing the whole run, and playing stops.
    void setRun(qint64 endNs, std::vector<qint64> eventTimesNs);
    qint64 endNs() const { return m_endNs; }
    qint64 position() const { return m_positionNs; }
    /// True while the playhead is before the end: the owner shows the run as it stood then.
    bool isReplaying() const { return m_positionNs < m_endNs; }
    bool isPlaying() const { return m_playing; }
    double speed() const { return m_speed; }
    void setSpeed(double speed);

    /// The line under the controls.
    void setExplanation(const QString& text);
    QString explanation() const;

    QToolButton* playButton() const { return m_play; }
    QSlider* slider() const { return m_slider; }
    QComboBox* speedBox() const { return m_speedBox; }
    QLabel* timeLabel() const { return m_time; }

    /// "0.150 s of 0.481 s".
    static QString timeText(qint64 positionNs, qint64 endNs);

public slots:
    /// Moves the playhead (clamped to the run); positionChanged() follows when it moved.
    void setPosition(qint64 ns);
    void play();
    void pause();
    void togglePlay();
    /// To the next/previous event's time (the first event after, the last one before the playhead).
    void stepForward();
    void stepBack();
    void goToStart() { setPosition(0); }
    void goToEnd() { setPosition(m_endNs); }
    /// Advances by the real time passed since the last tick, times the speed; pauses at the end.
    /// The timer calls it; tests call it with a chosen step.
    void advance(qint64 realNs);

signals:
    void positionChanged(qint64 ns);
    void playingChanged(bool playing);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitExplanation();
    void tick();
    void updateControls();

    QToolButton* m_play;
    QSlider* m_slider;
    QComboBox* m_speedBox;
    QLabel* m_time;
    QLabel* m_explanation;
    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    qint64 m_endNs = 0;
    qint64 m_positionNs = 0;
    std::vector<qint64> m_eventTimes;
    double m_speed = 1.0;
    bool m_playing = false;
    bool m_updating = false; // updateControls() is moving the slider: its signal is not the user's
};

} // namespace poolscope::widgets
